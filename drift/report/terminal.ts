import type { Paint } from '../../conformance/reporters/terminal.js';
import type { DriftCheck, DriftResult, DriftStep, DriftStepStatus } from '../types.js';

export type { Paint };

const maxDiffLines = 40;

const stepMark = (status: DriftStepStatus, paint: Paint): string =>
  ({
    passed: paint.green('✔ passed '),
    failed: paint.red('✘ FAILED '),
    skipped: paint.dim('- skipped'),
    'not-run': paint.yellow('○ not run'),
  })[status];

function where(check: DriftCheck): string {
  if (check.location) return check.location;
  if (!check.file) return '';
  return [check.file, check.line, check.column].filter((part) => part !== undefined).join(':');
}

/** A message on one line: a newline (in a pattern, a default, an enum value) shows as `\\n`, not as a break. */
const oneLine = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));

function renderCheck(check: DriftCheck, paint: Paint): string[] {
  const label = {
    failed: paint.red(check.severity ?? 'error'),
    warning: paint.yellow('warning'),
    info: paint.dim('info'),
    ignored: paint.dim('ignored'),
    passed: paint.green('passed'),
    skipped: paint.dim('skipped'),
  }[check.status];
  if (check.status === 'info') {
    return [paint.dim(`    ${['info', check.rule, where(check), oneLine(check.message)].filter(Boolean).join(' ')}`)];
  }
  const head = check.rule ?? check.name;
  const location = where(check);
  const lines = [`    ${label} ${paint.bold(head)}${location && location !== head ? ` ${location}` : ''}`];
  lines.push(`        ${oneLine(check.message)}`);
  if (check.pointer !== undefined) lines.push(paint.dim(`        at ${check.pointer || '/'}`));
  if (check.details) lines.push(...check.details.split('\n').map((l) => paint.dim(`        ${l}`)));
  if (check.diff) {
    const detail = check.diff.split('\n');
    const shown = detail.slice(0, maxDiffLines).map((l) => paint.dim(`        ${l}`));
    if (detail.length > maxDiffLines) shown.push(paint.dim(`        … ${detail.length - maxDiffLines} more lines`));
    lines.push(...shown);
  }
  if (check.fix) lines.push(`        fix: ${check.fix}`);
  if (check.accept) lines.push(`        or accept it on purpose: ${check.accept}`);
  return lines;
}

function renderStep(step: DriftStep, paint: Paint): string[] {
  const lines = [`${stepMark(step.status, paint)} ${paint.bold(step.title)} — ${step.summary}`];
  for (const note of step.notes) {
    lines.push(note.level === 'warning' ? paint.yellow(`    note: ${note.text}`) : paint.dim(`    note: ${note.text}`));
  }
  for (const check of step.checks) {
    if (check.status === 'passed' || check.status === 'skipped') continue;
    lines.push(...renderCheck(check, paint));
  }
  return lines;
}

/** The terminal summary, grouped by step: every problem with its location, what changed, and the fix. */
export function renderTerminal(result: DriftResult, paint: Paint): string[] {
  const tool = result.command ?? 'drift';
  const lines = [paint.bold(`mcp-contracts ${tool} (fails on ${result.failOn})`), ''];
  if (result.compared) lines.splice(1, 0, `compared ${result.compared}`);
  for (const step of result.steps) lines.push(...renderStep(step, paint));
  lines.push('');
  const failed = result.steps.filter((s) => s.status === 'failed');
  const notRun = result.steps.filter((s) => s.status === 'not-run' || s.status === 'skipped');
  const unchecked = notRun.length > 0 ? ` (${notRun.map((s) => `${s.title}: ${s.status}`).join('; ')})` : '';
  lines.push(
    failed.length > 0
      ? paint.red(
          `${tool} FAILED: ${failed.map((s) => s.title).join(', ')} — ${failed.length} of ${result.steps.length} step(s) failed${unchecked}`,
        )
      : paint.green(`${tool} passed${unchecked}`),
  );
  return lines;
}
