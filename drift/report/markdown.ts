import { defaultIgnoreFile } from '../ignore.js';
import type { DriftCheck, DriftResult, DriftStepStatus } from '../types.js';

/**
 * A Markdown summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`: a table of the four steps,
 * then every problem with its location, and how to fix or accept it. Diffs go into collapsed blocks.
 */

const statusText: Record<DriftStepStatus, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
  'not-run': '⚪ not run',
};

const checkText: Record<DriftCheck['status'], string> = {
  failed: '❌',
  warning: '⚠️',
  info: 'ℹ️',
  ignored: '🙈 ignored',
  passed: '✅',
  skipped: '⏭️',
};

/** Text inside a table cell: no pipes, no line breaks, no HTML. */
const cell = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `<code>${cell(s)}</code>`;

function location(check: DriftCheck): string {
  if (check.location) return code(check.location);
  if (!check.file) return '';
  return code([check.file, check.line].filter((p) => p !== undefined).join(':'));
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}diff\n${text}\n${ticks}`;
}

export function renderMarkdown(result: DriftResult): string {
  const out: string[] = [];
  const failed = result.steps.filter((s) => s.status === 'failed');
  out.push(`## mcp-contracts ${result.command ?? 'drift'}: ${failed.length > 0 ? '❌ failed' : '✅ passed'}`, '');
  const breakingRan = result.steps.some((s) => s.id === 'breaking' && s.status !== 'skipped');
  if (result.compared)
    out.push(`Compared ${result.compared.replace(/\S+/g, (w) => (w === 'against' ? w : `\`${w}\``))}.`, '');
  else if (result.base)
    out.push(`Specs compared with \`${result.base.ref}\` (${result.base.how}) and \`specs/upstream/\`.`, '');
  else if (breakingRan)
    out.push('Specs compared with `specs/upstream/` only: the git comparison was skipped (see below).', '');
  out.push('| step | result | summary |', '| --- | --- | --- |');
  for (const step of result.steps)
    out.push(`| ${cell(step.title)} | ${statusText[step.status]} | ${cell(step.summary)} |`);
  out.push('');

  for (const step of result.steps) {
    const shown = step.checks.filter((c) => c.status !== 'passed' && c.status !== 'skipped');
    const warnings = step.notes.filter((n) => n.level === 'warning');
    if (shown.length === 0 && warnings.length === 0) continue;
    out.push(`### ${step.title}`, '');
    for (const note of warnings) out.push(`> ⚠️ ${note.text}`, '');
    const rows = shown.filter((c) => !c.diff);
    if (rows.length > 0) {
      out.push('| | rule | location | what changed | fix |', '| --- | --- | --- | --- | --- |');
      for (const c of rows) {
        const what = c.status === 'ignored' && c.details ? `${c.message} (${c.details.split('\n').pop()})` : c.message;
        out.push(
          `| ${checkText[c.status]} | ${c.rule ? code(c.rule) : ''} | ${location(c)}${c.pointer ? `<br>${code(c.pointer || '/')}` : ''} | ${cell(what)} | ${cell(c.fix ?? '')} |`,
        );
      }
      out.push('');
    }
    for (const c of shown.filter((s) => s.diff)) {
      out.push(
        `<details><summary>❌ <code>${cell(c.name)}</code>: ${cell(c.message)}</summary>`,
        '',
        fence(c.diff ?? ''),
        '',
        '</details>',
        '',
      );
      if (c.fix) out.push(`Fix: ${c.fix}.`, '');
    }
  }

  if (result.breaking.some((f) => f.failing)) {
    out.push(
      '<details><summary>Accepting a breaking change on purpose</summary>',
      '',
      `Add an entry to ${result.command === 'diff' ? 'an ignore file (`--ignore FILE`)' : `\`${defaultIgnoreFile}\``} naming the rule, the spec file and the pointer shown above, why the`,
      'change is acceptable, and the last day it is accepted. Expired entries fail the gate again.',
      '',
      '```yaml',
      'entries:',
      ...[
        ...new Map(
          result.breaking.filter((f) => f.failing).map((f) => [`${f.rule} ${f.file} ${f.pointer}`, f]),
        ).values(),
      ]
        .slice(0, 5)
        .flatMap((f) => [
          `  - rule: ${f.rule}`,
          `    file: ${f.file}`,
          `    pointer: '${f.pointer}'`,
          '    reason: <why clients are not broken, or how they were told>',
          '    expires: <YYYY-MM-DD>',
        ]),
      '```',
      '',
      '</details>',
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}
