import type { DriftResult } from '../types.js';
import { countBySeverity, groupByOperation, severityTitle } from './changelog.js';

/**
 * The changelog as one self-contained HTML page (no scripts, no external files): the verdict and counts at
 * the top, then every change grouped by operation, breaking ones first, each with its rule, where it is in
 * the spec and how to fix it.
 */

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const style = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 2rem; font-family: ui-monospace, monospace; }
.verdict { padding: .75rem 1rem; border-radius: 6px; font-weight: 600; }
.failed { background: #fde2e1; color: #8a1c14; } .passed { background: #dcf5e3; color: #15572b; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
th { font-size: .85rem; color: #555; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; white-space: nowrap; }
.error { background: #8a1c14; color: #fff; } .warning { background: #7a5a00; color: #fff; } .info { background: #e4e4e4; color: #1a1a1a; }
code { font-family: ui-monospace, monospace; font-size: .85rem; word-break: break-all; }
.fix { color: #444; font-size: .9rem; }
`;

export function renderHtmlChangelog(result: DriftResult): string {
  const counts = countBySeverity(result.breaking);
  const failing = result.breaking.filter((f) => f.failing).length;
  const title = `API changes${result.compared ? `: ${result.compared}` : ''}`;
  const sections = groupByOperation(result.breaking).map(({ operation, entries }) => {
    const rows = entries.map(({ finding: f, where }) => {
      const at = `${f.lineFile}:${f.line ?? '?'}${f.side === 'old' ? ' (old version)' : ''}`;
      return [
        '<tr>',
        `<td><span class="badge ${f.severity}">${severityTitle[f.severity]}</span>${f.failing ? '' : f.ignored ? ' accepted' : ''}</td>`,
        `<td>${where ? `${escapeHtml(where)}<br>` : ''}${escapeHtml(f.message)}${f.severity !== 'info' ? `<div class="fix">fix: ${escapeHtml(f.fix)}</div>` : ''}</td>`,
        `<td><code>${escapeHtml(f.rule)}</code></td>`,
        `<td><code>${escapeHtml(at)}</code><br><code>${escapeHtml(f.pointer)}</code></td>`,
        '</tr>',
      ].join('');
    });
    return [
      `<section><h2>${escapeHtml(operation)}</h2>`,
      '<table><thead><tr><th>kind</th><th>what changed</th><th>rule</th><th>where</th></tr></thead><tbody>',
      ...rows,
      '</tbody></table></section>',
    ].join('\n');
  });
  const verdict = result.ok
    ? `passed: nothing fails at --fail-on ${result.failOn}`
    : `failed: ${failing} change(s) fail at --fail-on ${result.failOn}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="verdict ${result.ok ? 'passed' : 'failed'}">${escapeHtml(verdict)}</p>`,
    `<p>${counts.error} breaking, ${counts.warning} that may break, ${counts.info} other change(s).</p>`,
    ...(sections.length > 0 ? sections : ['<p>No changes.</p>']),
    '</main></body></html>',
    '',
  ].join('\n');
}
