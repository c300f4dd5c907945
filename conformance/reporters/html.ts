import type { ConformanceResult, Finding } from '../types.js';
import { escapeXml } from './junit.js';
import { policyLine } from './terminal.js';

/** A self-contained HTML report (no external assets, opens from disk): summary, coverage, findings, notes. */
export function renderHtml(result: ConformanceResult, version: string): string {
  const s = result.summary;
  const statuses = new Map<string, string[]>();
  for (const row of result.coverage) {
    const key = `${row.specName} ${row.operation}`;
    const list = statuses.get(key) ?? [];
    list.push(
      `<td class="${row.state}${row.how === 'Prefer' ? ' prefer' : ''}" title="${escapeXml(row.how)}">${escapeXml(row.status)}</td>`,
    );
    statuses.set(key, list);
  }
  const coverageRows = [...statuses]
    .map(([op, cells]) => `<tr><th>${escapeXml(op)}</th>${cells.join('')}</tr>`)
    .join('\n');
  const findingsByOp = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = `${f.specName} ${f.operation}`;
    findingsByOp.set(key, [...(findingsByOp.get(key) ?? []), f]);
  }
  const findings = [...findingsByOp]
    .map(
      ([op, list]) =>
        `<section><h3>${escapeXml(op)}</h3>${list
          .map(
            (
              f,
            ) => `<details class="${f.severity}" open><summary><b>${escapeXml(f.check)}</b>${f.severity === 'warning' ? ' (warning)' : ''} — ${escapeXml(f.caseTitle)}</summary>
<dl><dt>expected</dt><dd>${escapeXml(f.expected)}</dd><dt>got</dt><dd>${escapeXml(f.actual)}</dd>${
              f.details.length
                ? `<dt>violations</dt><dd><ul>${f.details.map((d) => `<li><code>${escapeXml(d)}</code></li>`).join('')}</ul></dd>`
                : ''
            }${f.hint ? `<dt>hint</dt><dd>${escapeXml(f.hint)}</dd>` : ''}<dt>reproduce</dt><dd><code>${escapeXml(f.curl)}</code></dd></dl></details>`,
          )
          .join('\n')}</section>`,
    )
    .join('\n');
  const notes = result.notes
    .map(
      (n) =>
        `<li><b>${escapeXml(n.specName)}</b> <code>${escapeXml(n.rule)}</code>: ${escapeXml(n.message)}<br><i>${escapeXml(n.treatment)}</i></li>`,
    )
    .join('\n');
  const remarks = result.remarks.map((r) => `<li>${escapeXml(r)}</li>`).join('\n');
  const verdict = s.failures > 0 ? 'fail' : 'pass';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mcp-contracts conformance — ${verdict}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f;max-width:1200px}
h1 .pass{color:#0a7d32}h1 .fail{color:#c0162a}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}
td.passed{background:#d8f3df}td.passed.prefer{background:#e8f6ff}td.failed{background:#fbd5da}td.not-provoked{background:#f3f3f3;color:#777}
details{border-left:4px solid #c0162a;padding:4px 12px;margin:8px 0;background:#fff7f8}details.warning{border-color:#d48806;background:#fffbe6}
dt{font-weight:600;margin-top:4px}dd{margin-left:1rem}code{font:12px ui-monospace,monospace;word-break:break-all}
</style></head><body>
<h1>Conformance${result.status === 'interrupted' ? ' (interrupted)' : ''}: <span class="${verdict}">${verdict === 'pass' ? 'passed' : `${s.failures} failure(s)`}</span></h1>
<p id="summary">${s.cases} cases (${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped) · ${s.requests} requests · ${s.failures} failure(s), ${s.warnings} warning(s) · coverage ${s.coveragePercent}% · ${(s.durationMs / 1000).toFixed(1)} s · mcp-contracts ${escapeXml(version)}</p>
<p id="policy">Verdict policy: ${escapeXml(policyLine(result.policy))}</p>
<ul>${result.targets.map((t) => `<li>${escapeXml(t.specName)} → <code>${escapeXml(t.baseUrl)}</code></li>`).join('')}</ul>
<h2>Coverage (operation × documented status)</h2>
<p>green: passed · blue: passed via <code>Prefer</code> · red: failed · grey: not provoked (hover for why)</p>
<table id="coverage">${coverageRows}</table>
<h2>Findings</h2>
${findings || '<p>None.</p>'}
<h2>Spec notes</h2><ul>${notes || '<li>None.</li>'}</ul>
<h2>Remarks</h2><ul>${remarks || '<li>None.</li>'}</ul>
</body></html>
`;
}
