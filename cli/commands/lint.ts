import { resolve } from 'node:path';
import { bundledSpecNames } from '../../core/paths.js';
import { type LintFinding, lintSpecs } from '../../lint/lint.js';
import type { Output } from '../output.js';

export async function lintCommand(
  opts: { baseline?: string | boolean; format: 'text' | 'json' },
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
  });
  if (opts.format === 'json') {
    output.out(JSON.stringify(result, null, 2));
    return result.failing.length > 0 ? 1 : 0;
  }
  const { color } = output;
  const paint = (f: LintFinding) =>
    f.severity === 'error'
      ? color.red(f.severity)
      : f.severity === 'warning'
        ? color.yellow(f.severity)
        : color.dim(f.severity);
  const baselined = result.findings.filter((f) => f.baselined);
  const fresh = result.findings.filter((f) => !f.baselined);
  for (const f of fresh) {
    output.out(`${f.file}:${f.line}:${f.column} ${paint(f)} ${color.bold(f.rule)} ${f.message}`);
    output.out(color.dim(`    at ${f.pointer || '/'}`));
  }
  if (baselined.length > 0) {
    output.out(color.dim(`Baselined (known upstream defects, accepted in ${result.baselineFile}):`));
    for (const f of baselined) {
      output.out(color.dim(`  ${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.pointer}`));
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
  const info = fresh.length - result.failing.length;
  const summary = `${targets.length} spec(s): ${result.failing.length} new problem(s), ${info} info/hint, ${baselined.length} baselined`;
  if (result.failing.length > 0) {
    output.out(color.red(summary));
    output.out(
      'Fix each new problem in the spec, or, for a known upstream defect, add an entry with a reason to the baseline.',
    );
    return 1;
  }
  output.out(color.green(summary));
  return 0;
}
