import type { ConformanceResult, CoverageRow, VerdictStatus } from '../types.js';
import { type FindingGroup, groupBy, groupFindings, reproductionEnv } from './group.js';
import { visible } from './text.js';

/** The palette the terminal reporter paints with (the CLI passes colours, or identity functions for NO_COLOR). */
export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const coverageMark = (row: CoverageRow): string => {
  if (row.state === 'failed') return '✗';
  if (row.state === 'not-provoked') return '–';
  return row.how === 'Prefer' ? 'P' : '✓';
};

/** Each occurrence listed under a grouped finding, at most this many (the rest are counted). */
const occurrencesShown = 5;

/**
 * The terminal report: findings grouped by operation and, within it, by root cause (check, status, violation)
 * with an occurrence count; the coverage matrix fitted to `width`; notes; the environment the reproduction
 * lines read; the verdict last. Every text is passed through `visible` — a target's bytes never reach the
 * terminal raw.
 */
export function renderTerminal(result: ConformanceResult, paint: Paint, options: { width?: number } = {}): string[] {
  // Not a terminal (a CI log, a file): rows are not wrapped.
  const width = options.width === undefined ? Number.POSITIVE_INFINITY : Math.max(40, options.width);
  const v = (s: string) => visible(s);
  const lines: string[] = [];
  lines.push(paint.bold(`mcp-contracts conformance: ${result.targets.length} spec(s)${shardText(result)}`));
  for (const t of result.targets) lines.push(`  ${v(t.specName).padEnd(10)} → ${v(t.baseUrl)}`);
  lines.push(paint.dim(`  verdict policy: ${policyLine(result.policy)}`));

  const notesBySpec = groupBy(result.notes, (n) => `${n.specName}\u0000${n.rule}`);
  if (notesBySpec.size > 0) {
    lines.push('', paint.bold('Spec notes (defects of the specs themselves, and how they were treated):'));
    for (const notes of notesBySpec.values()) {
      const first = notes[0]!;
      const count = notes.length > 1 ? ` (${notes.length} places)` : '';
      lines.push(`  ${v(first.specName)} ${paint.yellow(v(first.rule))}${count}: ${v(first.message)}`);
      lines.push(paint.dim(`      → ${v(first.treatment)}`));
    }
  }

  const groupsByOperation = groupBy(groupFindings(result), (g) => `${g.specName}\u0000${g.operation}`);
  const operations = new Map<string, { spec: string; op: string }>();
  for (const c of result.cases)
    operations.set(`${c.specName}\u0000${c.operation}`, { spec: c.specName, op: c.operation });
  for (const [key, { spec, op }] of operations) {
    const cases = result.cases.filter((c) => c.specName === spec && c.operation === op);
    const groups = groupsByOperation.get(key) ?? [];
    const failures = groups.filter((g) => g.severity === 'failure').reduce((n, g) => n + g.findings.length, 0);
    const warnings = groups.filter((g) => g.severity === 'warning').reduce((n, g) => n + g.findings.length, 0);
    const head = `${v(op)} ${paint.dim(`(${v(spec)})`)}  ${cases.length} case(s) · `;
    lines.push(
      '',
      head +
        (failures > 0 ? paint.red(`${failures} failure(s)`) : paint.green('no failures')) +
        (warnings > 0 ? paint.yellow(` · ${warnings} warning(s)`) : ''),
    );
    for (const g of groups) lines.push(...renderGroup(g, paint));
    const errored = cases.filter((c) => c.outcome === 'errored');
    for (const c of errored) lines.push(paint.yellow(`  ! errored — ${v(c.title)}: ${v(c.reason ?? '')}`));
    // A case not sent because nothing valid could be made says why (Prefer skips are summed up in the remarks).
    for (const c of cases.filter((x) => x.outcome === 'skipped' && x.kind !== 'prefer'))
      lines.push(paint.dim(`  – skipped — ${v(c.title)}: ${v(c.reason ?? '')}`));
  }

  lines.push('', paint.bold('Coverage (operation × documented status)'));
  lines.push(paint.dim('  ✓ passed · P passed via Prefer · ✗ failed · – not provoked'));
  lines.push(...coverageMatrix(result.coverage, paint, width));
  const notProvoked = result.coverage.filter((r) => r.state === 'not-provoked');
  if (notProvoked.length > 0) {
    lines.push(paint.dim('  not provoked:'));
    // Statuses of one operation not provoked for the same reason share a line.
    for (const rows of groupBy(notProvoked, (r) => `${r.specName}\u0000${r.operation}\u0000${r.how}`).values()) {
      const r = rows[0]!;
      const statuses = rows.map((x) => v(x.status)).join(', ');
      lines.push(paint.dim(`    ${v(r.specName)} ${v(r.operation)} ${statuses}: ${v(r.how)}`));
    }
  }
  if (result.remarks.length > 0) {
    lines.push('', paint.bold('Remarks:'));
    for (const r of result.remarks) lines.push(`  - ${v(r)}`);
  }
  const env = reproductionEnv(result);
  if (env.length > 0) {
    lines.push(
      '',
      paint.bold('To run the reproduce lines, export the credentials they read first:'),
      ...env.map((name) => `  export ${name}='…'`),
    );
  }
  const s = result.summary;
  const covered = result.coverage.filter((r) => r.state === 'passed').length;
  const summary =
    `${s.cases} cases (${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped) · ` +
    `${s.requests} requests · ${s.failures} failure(s), ${s.warnings} warning(s) · ` +
    `coverage ${s.coveragePercent}% (${covered}/${result.coverage.length}) · ${(s.durationMs / 1000).toFixed(1)} s`;
  const painted = paintVerdict(result.verdict.status, paint);
  if (result.status === 'interrupted') lines.push('', paint.yellow(`interrupted: ${summary}`));
  else lines.push('', painted(summary));
  lines.push(painted(`${verdictWord(result.verdict.status)}: ${v(result.verdict.reason)}`));
  return lines;
}

function shardText(result: ConformanceResult): string {
  return result.shard ? ` · shard ${result.shard.index}/${result.shard.total}` : '';
}

/** The verdict as every report writes it: one word. */
export function verdictWord(status: VerdictStatus): string {
  return { passed: 'PASSED', failed: 'FAILED', errored: 'ERRORED', interrupted: 'INTERRUPTED' }[status];
}

function paintVerdict(status: VerdictStatus, paint: Paint): (s: string) => string {
  if (status === 'passed') return paint.green;
  if (status === 'interrupted') return paint.yellow;
  return paint.red;
}

/**
 * One row per operation: the label, then `status mark` cells. A row wider than `width` wraps its cells onto
 * indented continuation lines, and a label longer than half the width is cut with `…`.
 */
function coverageMatrix(coverage: CoverageRow[], paint: Paint, width: number): string[] {
  const rows = [...groupBy(coverage, (r) => `${r.specName}\u0000${r.operation}`).values()];
  const labels = rows.map((r) => visible(`${r[0]!.specName} ${r[0]!.operation}`));
  const labelWidth = Math.min(Math.max(0, ...labels.map((l) => [...l].length)), 58, Math.floor(width / 2));
  const out: string[] = [];
  rows.forEach((row, i) => {
    const full = labels[i]!;
    const label = [...full].length > labelWidth ? `${[...full].slice(0, labelWidth - 1).join('')}…` : full;
    let line = `  ${label.padEnd(labelWidth)} `;
    let used = 2 + labelWidth + 1;
    const indent = ' '.repeat(4);
    for (const r of row) {
      const mark = coverageMark(r);
      const painted =
        r.state === 'failed' ? paint.red(mark) : r.state === 'not-provoked' ? paint.yellow(mark) : paint.green(mark);
      const cell = ` ${visible(r.status)} ${painted}`;
      const cellWidth = 1 + [...visible(r.status)].length + 2;
      if (used + cellWidth > width && used > indent.length + 1 && line.trim() !== '') {
        out.push(line.trimEnd());
        line = indent;
        used = indent.length;
      }
      line += cell;
      used += cellWidth;
    }
    out.push(line.trimEnd());
  });
  return out;
}

/** What the applied verdict policy means, in one line (every report states it). */
export function policyLine(policy: ConformanceResult['policy']): string {
  return policy === 'strict'
    ? 'strict — an accepted invalid optional input and a spec gap are failures'
    : 'lenient — an accepted invalid optional input and a spec gap are warnings (--strict makes them failures)';
}

/** A group of findings with the same root cause: the first in full, then each other occurrence on a line. */
function renderGroup(g: FindingGroup, paint: Paint): string[] {
  const v = (s: string) => visible(s);
  const f = g.first;
  const mark = f.severity === 'failure' ? paint.red('✗') : paint.yellow('!');
  const times = g.findings.length > 1 ? paint.bold(` ×${g.findings.length}`) : '';
  const lines = [
    `  ${mark} ${paint.bold(v(f.check))}${f.severity === 'warning' ? paint.yellow(' (warning)') : ''}${times} — ${v(f.caseTitle)}`,
  ];
  lines.push(`      expected: ${v(f.expected)}`);
  lines.push(`      got:      ${v(f.actual)}`);
  for (const d of f.details.slice(0, 8)) lines.push(`        ${v(d)}`);
  if (f.details.length > 8) lines.push(paint.dim(`        … ${f.details.length - 8} more`));
  if (f.hint) lines.push(paint.yellow(`      hint: ${v(f.hint)}`));
  lines.push(paint.dim(`      reproduce: ${v(f.curl)}`));
  if (g.findings.length > 1) {
    lines.push(paint.dim(`      also in:`));
    for (const other of g.findings.slice(1, 1 + occurrencesShown))
      lines.push(paint.dim(`        - ${v(other.caseTitle)}`));
    if (g.findings.length - 1 > occurrencesShown)
      lines.push(
        paint.dim(`        … and ${g.findings.length - 1 - occurrencesShown} more (every one in the JSON/HTML report)`),
      );
  }
  return lines;
}
