import type { ConformanceResult, CoverageRow, ReportedExchange } from '../types.js';
import { type FindingGroup, groupBy, groupFindings, reproductionEnv, summariseChecks } from './group.js';
import { policyLine, verdictWord } from './terminal.js';
import { describeBody, isBinary, visible } from './text.js';

/**
 * A self-contained HTML report (inline CSS and script, nothing fetched; opens from disk), read top-down: the
 * verdict and counts; a summary by check; findings grouped by root cause with their occurrences, request and
 * response, folded after the first and filterable by spec, operation, check and severity; errored cases; a
 * coverage matrix readable without colour (symbols, words, a legend, the reason for each status not provoked);
 * spec notes grouped; remarks. Every text goes through `visible` and is HTML-escaped.
 */
export function renderHtml(result: ConformanceResult, version: string): string {
  const s = result.summary;
  const verdict = result.verdict;
  const word = verdictWord(verdict.status);
  const groups = groupFindings(result);
  const env = reproductionEnv(result);
  const options = (values: string[]) =>
    [...new Set(values)]
      .sort()
      .map((x) => `<option value="${h(x)}">${h(x)}</option>`)
      .join('');
  const filters = groups.length
    ? `<form id="filters" aria-label="Filter findings">
${filter('spec', 'Spec', options(groups.map((g) => g.specName)))}
${filter('operation', 'Operation', options(groups.map((g) => g.operation)))}
${filter('check', 'Check', options(groups.map((g) => g.check)))}
${filter('severity', 'Severity', options(groups.map((g) => g.severity)))}
<output id="shown" aria-live="polite">${groups.length} of ${groups.length} groups shown</output>
</form>`
    : '';
  // Failed first, then warned, passed, and those that never applied: what needs a look is at the top.
  const rank = (c: { failures: number; warnings: number; applied: number }) =>
    c.failures > 0 ? 0 : c.warnings > 0 ? 1 : c.applied > 0 ? 2 : 3;
  const checks = summariseChecks(result)
    .sort((a, b) => rank(a) - rank(b))
    .map((c) => {
      const state = c.failures > 0 ? 'failed' : c.warnings > 0 ? 'warned' : c.applied > 0 ? 'passed' : 'did not apply';
      const mark = { failed: '✗', warned: '!', passed: '✓', 'did not apply': '–' }[state];
      return `<tr class="${state.replace(/ /g, '-')}"><th scope="row">${h(c.check)}</th><td>${mark} ${state}</td><td>${c.failures}</td><td>${c.warnings}</td><td>${c.applied}</td></tr>`;
    })
    .join('\n');
  const errored = result.cases.filter((c) => c.outcome === 'errored');
  const notes = [...groupBy(result.notes, (n) => `${n.specName}\u0000${n.rule}`).values()]
    .map((list) => {
      const n = list[0]!;
      const more = list.length > 1 ? ` <span class="count">(${list.length} places)</span>` : '';
      const others =
        list.length > 1
          ? `<ul>${list
              .slice(1)
              .map((x) => `<li>${h(x.message)}</li>`)
              .join('')}</ul>`
          : '';
      return `<li><b>${h(n.specName)}</b> <code>${h(n.rule)}</code>${more}: ${h(n.message)}${others}<br><i>→ ${h(n.treatment)}</i></li>`;
    })
    .join('\n');
  const remarks = result.remarks.map((r) => `<li>${h(r)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mcp-contracts conformance — ${word}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
:root{--pass:#0a6b2c;--fail:#b0132a;--warn:#8a5300;--err:#6b2fa0;--muted:#555}
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;color:#1d1d1f;max-width:1200px;padding:0 1rem}
h1{margin-bottom:.2rem}.badge{display:inline-block;padding:2px 12px;border-radius:6px;color:#fff}
.badge.passed{background:var(--pass)}.badge.failed{background:var(--fail)}.badge.errored{background:var(--err)}.badge.interrupted{background:var(--warn)}
#counts{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}#counts li{border:1px solid #ccc;border-radius:6px;padding:4px 10px}
#counts b{font-size:1.2em}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
tr.failed td:first-of-type{color:var(--fail);font-weight:600}tr.warned td:first-of-type{color:var(--warn);font-weight:600}tr.passed td:first-of-type{color:var(--pass)}
details.group{border:1px solid #ccc;border-left:6px solid var(--fail);border-radius:4px;margin:8px 0;padding:4px 12px;background:#fff}
details.group.warning{border-left-color:var(--warn)}summary{cursor:pointer;padding:4px 0}
.sev{font-weight:700;text-transform:uppercase;font-size:.8em;margin-right:.4em}.sev.failure{color:var(--fail)}.sev.warning{color:var(--warn)}
.count{font-weight:600}dt{font-weight:600;margin-top:6px}dd{margin-left:1rem}
code,pre{font:12px ui-monospace,monospace}pre{background:#f6f6f6;border:1px solid #ddd;padding:6px;white-space:pre-wrap;word-break:break-all;max-height:20rem;overflow:auto}
.cells{display:flex;flex-wrap:wrap;gap:4px 12px;list-style:none;padding:0;margin:0}.cells li{white-space:nowrap}ul.why{margin:4px 0 0;padding-left:1.2rem}.cov .passed{color:var(--pass)}.cov .failed{color:var(--fail);font-weight:600}.cov .not-provoked{color:var(--muted)}
.why{color:var(--muted);font-size:.9em}form#filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;margin:.5rem 0}
label{display:flex;flex-direction:column;font-size:.9em}[hidden]{display:none!important}
</style></head><body>
<header>
<h1>Conformance: <span class="badge ${verdict.status}" id="verdict">${word}</span></h1>
<p id="reason">${h(verdict.reason)}</p>
<ul id="counts">
<li><b>${s.cases}</b> cases</li><li><b>${s.passed}</b> passed</li><li><b>${s.failed}</b> failed</li><li><b>${s.errored}</b> errored</li><li><b>${s.skipped}</b> skipped</li>
<li><b>${s.failures}</b> failure(s)</li><li><b>${s.warnings}</b> warning(s)</li><li><b>${s.coveragePercent}%</b> coverage</li><li><b>${s.requests}</b> requests</li><li><b>${(s.durationMs / 1000).toFixed(1)} s</b></li>
</ul>
<p id="summary">${s.cases} cases (${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped) · ${s.requests} requests · ${s.failures} failure(s), ${s.warnings} warning(s) · coverage ${s.coveragePercent}% · mcp-contracts ${h(version)}${result.shard ? ` · shard ${result.shard.index}/${result.shard.total}` : ''}</p>
<p id="policy">Verdict policy: ${h(policyLine(result.policy))}</p>
<ul id="targets">${result.targets.map((t) => `<li>${h(t.specName)} → <code>${h(t.baseUrl)}</code></li>`).join('')}</ul>
</header>
<main>
<h2>Checks</h2>
<table id="checks"><thead><tr><th scope="col">check</th><th scope="col">result</th><th scope="col">failures</th><th scope="col">warnings</th><th scope="col">responses judged</th></tr></thead>
<tbody>${checks}</tbody></table>
<h2>Findings <span class="count">(${groups.length} group(s), ${result.findings.length} finding(s))</span></h2>
${filters}
<div id="findings">${groups.map((g, i) => renderGroup(g, i === 0, result)).join('\n') || '<p>None.</p>'}</div>
${
  errored.length
    ? `<h2>Errored cases <span class="count">(${errored.length})</span></h2><ul id="errored">${errored
        .map(
          (c) => `<li><b>${h(c.specName)} ${h(c.operation)}</b> — ${h(c.title)}: ${h(c.reason ?? 'no response')}</li>`,
        )
        .join('\n')}</ul>`
    : ''
}
${
  env.length
    ? `<h2>Reproducing</h2><p>The reproduce lines read the credentials from the environment; export them first:</p><pre id="env">${env.map((n) => `export ${n}='…'`).join('\n')}</pre>`
    : ''
}
<h2>Coverage (operation × documented status)</h2>
<p id="legend">Legend: <span class="passed">✓ passed</span> · <span class="passed">P passed via <code>Prefer</code></span> · <span class="failed">✗ failed</span> · <span class="not-provoked">– not provoked</span> (the reason is given under the row)</p>
${coverageTable(result.coverage)}
<h2>Spec notes</h2><ul id="notes">${notes || '<li>None.</li>'}</ul>
<h2>Remarks</h2><ul id="remarks">${remarks || '<li>None.</li>'}</ul>
</main>
${groups.length ? filterScript : ''}
</body></html>
`;
}

function filter(name: string, label: string, opts: string): string {
  return `<label>${label}<select name="${name}"><option value="">all</option>${opts}</select></label>`;
}

const filterScript = `<script>
(function () {
  var form = document.getElementById('filters');
  var groups = document.querySelectorAll('#findings details.group');
  function apply() {
    var shown = 0;
    groups.forEach(function (g) {
      var ok = ['spec', 'operation', 'check', 'severity'].every(function (k) {
        var v = form.elements[k].value;
        return v === '' || g.dataset[k] === v;
      });
      g.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById('shown').textContent = shown + ' of ' + groups.length + ' groups shown';
  }
  form.addEventListener('change', apply);
})();
</script>`;

function renderGroup(g: FindingGroup, open: boolean, result: ConformanceResult): string {
  const f = g.first;
  const n = g.findings.length;
  const exchange = f.exchange === undefined ? undefined : result.exchanges?.[f.exchange];
  const occurrences =
    n > 1
      ? `<dt>occurrences (${n})</dt><dd><ul>${g.findings.map((x) => `<li>${h(x.caseTitle)} <code>${h(x.caseId)}</code></li>`).join('')}</ul></dd>`
      : '';
  return `<details class="group ${g.severity}"${open ? ' open' : ''} data-spec="${h(g.specName)}" data-operation="${h(g.operation)}" data-check="${h(g.check)}" data-severity="${g.severity}">
<summary><span class="sev ${g.severity}">${g.severity}</span><b>${h(g.check)}</b> — ${h(g.specName)} <code>${h(g.operation)}</code>${g.status !== undefined ? ` → ${g.status}` : ''}${n > 1 ? ` <span class="count">×${n}</span>` : ''} — ${h(f.caseTitle)}</summary>
<dl><dt>expected</dt><dd>${h(f.expected)}</dd><dt>got</dt><dd>${h(f.actual)}</dd>${
    f.details.length
      ? `<dt>violations</dt><dd><ul>${f.details.map((d) => `<li><code>${h(d)}</code></li>`).join('')}</ul></dd>`
      : ''
  }${f.hint ? `<dt>hint</dt><dd>${h(f.hint)}</dd>` : ''}${occurrences}${exchange ? renderExchange(exchange) : ''}<dt>reproduce</dt><dd><code>${h(f.curl)}</code></dd></dl></details>`;
}

/** ‹cut› belongs under a body shown as text; a binary or empty one is only described, so nothing of it was cut. */
function bodyTextShown(r: NonNullable<ReportedExchange['response']>): boolean {
  return r.body !== '' && !isBinary(r.body, r.headers['content-type'] ?? '', r.headers['content-encoding'] ?? '');
}

function renderExchange(e: ReportedExchange): string {
  const headers = (hs: Record<string, string>) =>
    Object.entries(hs)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
  const request = `${e.request.method} ${e.request.url}\n${headers(e.request.headers)}${e.request.body !== undefined ? `\n\n${e.request.body}` : ''}`;
  const response = e.response
    ? `${e.response.status} (${e.response.elapsedMs} ms)\n${headers(e.response.headers)}\n\n${describeBody(e.response.body, e.response.headers, e.response.bodyBytes, { multiline: true })}${e.response.truncated && bodyTextShown(e.response) ? '\n‹cut›' : ''}`
    : `no response: ${e.error ? `${e.error.code}: ${e.error.message}` : 'none'}`;
  return `<dt>request</dt><dd><pre>${h(request, true)}</pre></dd><dt>response</dt><dd><pre>${h(response, true)}</pre></dd>`;
}

function coverageTable(coverage: CoverageRow[]): string {
  const rows = [...groupBy(coverage, (r) => `${r.specName}\u0000${r.operation}`).values()];
  const mark = (r: CoverageRow) =>
    r.state === 'failed' ? '✗' : r.state === 'not-provoked' ? '–' : r.how === 'Prefer' ? 'P' : '✓';
  const word = (r: CoverageRow) =>
    r.state === 'failed'
      ? 'failed'
      : r.state === 'not-provoked'
        ? 'not provoked'
        : r.how === 'Prefer'
          ? 'passed via Prefer'
          : 'passed';
  const body = rows
    .map((row) => {
      const cells = row
        .map(
          (r) =>
            `<li class="cell ${r.state}${r.how === 'Prefer' ? ' prefer' : ''}"><span aria-hidden="true">${mark(r)}</span> ${h(r.status)} <span class="word">${word(r)}</span></li>`,
        )
        .join('');
      const why = row.filter((r) => r.state === 'not-provoked');
      const reasons = why.length
        ? `<ul class="why">${why.map((r) => `<li>${h(r.status)} not provoked: ${h(r.how)}</li>`).join('')}</ul>`
        : '';
      return `<tr><th scope="row">${h(row[0]!.specName)} ${h(row[0]!.operation)}</th><td><ul class="cells">${cells}</ul>${reasons}</td></tr>`;
    })
    .join('\n');
  return `<table id="coverage" class="cov"><thead><tr><th scope="col">operation</th><th scope="col">documented statuses</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** Visible (control characters shown as text), then HTML-escaped. */
function h(text: string, multiline = false): string {
  return visible(text, { multiline })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
