import type { ConformanceResult, CoverageRow, Finding } from '../types.js';

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

/** The terminal report: findings grouped by operation, then the coverage matrix, notes and a summary line. */
export function renderTerminal(result: ConformanceResult, paint: Paint): string[] {
  const lines: string[] = [];
  lines.push(paint.bold(`mcp-contracts conformance: ${result.targets.length} spec(s)`));
  for (const t of result.targets) lines.push(`  ${t.specName.padEnd(10)} → ${t.baseUrl}`);
  lines.push(paint.dim(`  verdict policy: ${policyLine(result.policy)}`));

  const notesBySpec = groupBy(result.notes, (n) => `${n.specName}\u0000${n.rule}`);
  if (notesBySpec.size > 0) {
    lines.push('', paint.bold('Spec notes (defects of the specs themselves, and how they were treated):'));
    for (const notes of notesBySpec.values()) {
      const first = notes[0]!;
      const count = notes.length > 1 ? ` (${notes.length} places)` : '';
      lines.push(`  ${first.specName} ${paint.yellow(first.rule)}${count}: ${first.message}`);
      lines.push(paint.dim(`      → ${first.treatment}`));
    }
  }

  const byOperation = groupBy(result.findings, (f) => `${f.specName}\u0000${f.operation}`);
  const operations = new Map<string, { spec: string; op: string }>();
  for (const c of result.cases)
    operations.set(`${c.specName}\u0000${c.operation}`, { spec: c.specName, op: c.operation });
  for (const [key, { spec, op }] of operations) {
    const cases = result.cases.filter((c) => c.specName === spec && c.operation === op);
    const findings = byOperation.get(key) ?? [];
    const failures = findings.filter((f) => f.severity === 'failure');
    const head = `${op} ${paint.dim(`(${spec})`)}  ${cases.length} case(s) · `;
    lines.push(
      '',
      head +
        (failures.length > 0 ? paint.red(`${failures.length} failure(s)`) : paint.green('no failures')) +
        (findings.length > failures.length ? paint.yellow(` · ${findings.length - failures.length} warning(s)`) : ''),
    );
    for (const f of findings) lines.push(...renderFinding(f, paint));
    const errored = cases.filter((c) => c.outcome === 'errored');
    for (const c of errored) lines.push(paint.yellow(`  ! errored — ${c.title}: ${c.reason ?? ''}`));
    // A case not sent because nothing valid could be made says why (Prefer skips are summed up in the remarks).
    for (const c of cases.filter((x) => x.outcome === 'skipped' && x.kind !== 'prefer'))
      lines.push(paint.dim(`  – skipped — ${c.title}: ${c.reason ?? ''}`));
  }

  lines.push(
    '',
    paint.bold('Coverage (operation × documented status): ✓ passed · P passed via Prefer · ✗ failed · – not provoked'),
  );
  const coverageByOp = groupBy(result.coverage, (r) => `${r.specName}\u0000${r.operation}`);
  for (const rows of coverageByOp.values()) {
    const cells = rows.map((r) => {
      const mark = coverageMark(r);
      const painted =
        r.state === 'failed' ? paint.red(mark) : r.state === 'not-provoked' ? paint.yellow(mark) : paint.green(mark);
      return `${r.status} ${painted}`;
    });
    lines.push(`  ${`${rows[0]!.specName} ${rows[0]!.operation}`.padEnd(58)} ${cells.join('  ')}`);
  }
  const notProvoked = result.coverage.filter((r) => r.state === 'not-provoked');
  if (notProvoked.length > 0) {
    lines.push(paint.dim('  not provoked:'));
    for (const r of notProvoked) lines.push(paint.dim(`    ${r.specName} ${r.operation} ${r.status}: ${r.how}`));
  }
  if (result.remarks.length > 0) {
    lines.push('', paint.bold('Remarks:'));
    for (const r of result.remarks) lines.push(`  - ${r}`);
  }
  const s = result.summary;
  const covered = result.coverage.filter((r) => r.state === 'passed').length;
  const summary =
    `${s.cases} cases (${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped) · ` +
    `${s.requests} requests · ${s.failures} failure(s), ${s.warnings} warning(s) · ` +
    `coverage ${s.coveragePercent}% (${covered}/${result.coverage.length}) · ${(s.durationMs / 1000).toFixed(1)} s`;
  if (result.status === 'interrupted') lines.push('', paint.yellow(`interrupted: ${summary}`));
  else lines.push('', s.failures > 0 ? paint.red(summary) : paint.green(summary));
  return lines;
}

/** What the applied verdict policy means, in one line (every report states it). */
export function policyLine(policy: ConformanceResult['policy']): string {
  return policy === 'strict'
    ? 'strict — an accepted invalid optional input and a spec gap are failures'
    : 'lenient — an accepted invalid optional input and a spec gap are warnings (--strict makes them failures)';
}

export function renderFinding(f: Finding, paint: Paint): string[] {
  const mark = f.severity === 'failure' ? paint.red('✗') : paint.yellow('!');
  const lines = [
    `  ${mark} ${paint.bold(f.check)}${f.severity === 'warning' ? paint.yellow(' (warning)') : ''} — ${f.caseTitle}`,
  ];
  lines.push(`      expected: ${f.expected}`);
  lines.push(`      got:      ${f.actual}`);
  for (const d of f.details.slice(0, 8)) lines.push(`        ${d}`);
  if (f.details.length > 8) lines.push(paint.dim(`        … ${f.details.length - 8} more`));
  if (f.hint) lines.push(paint.yellow(`      hint: ${f.hint}`));
  lines.push(paint.dim(`      reproduce: ${f.curl}`));
  return lines;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
