import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundledSpecNames, packageRoot } from '../../core/paths.js';
import type { FindingGroup } from '../../lint/groups.js';
import { type FailOn, type LintFinding, lintSpecs } from '../../lint/lint.js';
import { toSarif } from '../../lint/sarif.js';
import type { Output } from '../output.js';

/** Places listed under a group before "… and N more". */
const shownPerGroup = 3;

export async function lintCommand(
  opts: { baseline?: string | boolean; format: 'text' | 'json' | 'sarif'; failOn?: FailOn },
  output: Output,
  specs: string[],
): Promise<number> {
  const targets = specs.length > 0 ? specs : [...bundledSpecNames];
  // `--baseline FILE` is the user's path, relative to where they run the command, and must exist. Without the
  // flag (commander has no default for it, so that "given" and "default" differ) lintSpecs uses the package's
  // own baseline, which may be absent. `--no-baseline` gives `false`.
  const given = typeof opts.baseline === 'string';
  const result = await lintSpecs(targets, {
    useBaseline: opts.baseline !== false,
    baselineFile: given ? resolve(process.cwd(), opts.baseline as string) : undefined,
    baselineRequired: given,
    failOn: opts.failOn ?? 'error',
  });
  const exitCode = result.failing.length > 0 ? 1 : 0;
  if (opts.format === 'json') {
    const { groups, ...rest } = result;
    const grouped = groups.map(({ findings, ...g }) => ({ ...g, count: findings.length }));
    output.out(JSON.stringify({ ...rest, groups: grouped }, null, 2));
    return exitCode;
  }
  if (opts.format === 'sarif') {
    const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
    output.out(JSON.stringify(toSarif(result, version), null, 2));
    return exitCode;
  }
  const { color } = output;
  const paint = (f: Pick<LintFinding, 'severity'>) =>
    f.severity === 'error'
      ? color.red(f.severity)
      : f.severity === 'warning'
        ? color.yellow(f.severity)
        : color.dim(f.severity);
  const fresh = result.groups.filter((g) => !g.baselined);
  const baselined = result.groups.filter((g) => g.baselined);
  const places = (g: FindingGroup): string[] => {
    if (g.findings.length === 1) return [color.dim(`    at ${g.findings[0]!.pointer || '/'}`)];
    const shown = g.findings.slice(0, shownPerGroup).map((f) => color.dim(`    at ${f.pointer} (line ${f.line})`));
    const more = g.findings.length - shownPerGroup;
    return [
      color.dim(`    ${g.findings.length} places like ${g.pattern}:`),
      ...shown,
      ...(more > 0 ? [color.dim(`    … and ${more} more (--format json or sarif lists them all)`)] : []),
    ];
  };
  for (const g of fresh) {
    const f = g.findings[0]!;
    const count = g.findings.length > 1 ? ` ${color.bold(`×${g.findings.length}`)}` : '';
    output.out(`${f.file}:${f.line}:${f.column} ${paint(g)} ${color.bold(g.rule)}${count} ${g.message}`);
    for (const line of places(g)) output.out(line);
  }
  if (baselined.length > 0) {
    output.out(color.dim(`Baselined (known upstream defects, accepted in ${result.baselineFile}):`));
    for (const g of baselined) {
      const f = g.findings[0]!;
      const count = g.findings.length > 1 ? ` ×${g.findings.length}` : '';
      output.out(color.dim(`  ${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}${count} ${f.pointer}`));
      output.out(color.dim(`      ${f.message} — accepted: ${f.baselined}`));
    }
  }
  for (const entry of result.unusedBaseline) {
    output.out(
      color.yellow(
        `unused baseline entry: ${entry.rule} ${entry.file} ${entry.pointer} — the defect is gone; remove the entry`,
      ),
    );
  }
  const newFindings = result.findings.filter((f) => !f.baselined);
  const below = newFindings.length - result.failing.length;
  const baselinedCount = result.findings.length - newFindings.length;
  const summary = `${targets.length} spec(s): ${result.failing.length} new problem(s), ${below} below --fail-on ${result.failOn}, ${baselinedCount} baselined`;
  if (exitCode > 0) {
    output.out(color.red(summary));
    output.out(
      'Fix each new problem in the spec, or, for a known upstream defect, add an entry with a reason to the baseline.',
    );
    return exitCode;
  }
  output.out(color.green(summary));
  return 0;
}
