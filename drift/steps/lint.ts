import { join } from 'node:path';
import { bundledSpecNames } from '../../core/paths.js';
import { defaultBaselineFile, lintSpecs } from '../../lint/lint.js';
import type { DriftCheck } from '../types.js';
import type { StepOutcome } from './outcome.js';

/** Step 2: the same lint as `mcp-contracts lint`, against the same baseline of known upstream defects. */
export async function lintStep(root: string): Promise<StepOutcome> {
  const files = bundledSpecNames.map((name) => join(root, 'specs', `${name}.yaml`));
  const result = await lintSpecs(files, { baselineFile: join(root, defaultBaselineFile), root });
  const checks: DriftCheck[] = [];
  for (const name of bundledSpecNames) {
    const file = `specs/${name}.yaml`;
    if (!result.failing.some((f) => f.file === file))
      checks.push({ name: file, status: 'passed', message: `${file}: no new lint problem`, file });
  }
  for (const f of result.failing) {
    checks.push({
      name: `${f.rule} ${f.file}${f.pointer}`,
      status: 'failed',
      message: f.message,
      rule: f.rule,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      pointer: f.pointer,
      fix: `fix the spec, or for a known upstream defect add an entry with a reason to ${defaultBaselineFile}`,
    });
  }
  for (const entry of result.unusedBaseline) {
    checks.push({
      name: `unused baseline entry ${entry.rule} ${entry.file}${entry.pointer}`,
      status: 'warning',
      message: `baseline entry ${entry.rule} at ${entry.pointer} matches nothing: the defect is gone`,
      rule: entry.rule,
      file: defaultBaselineFile,
      fix: `remove the entry from ${defaultBaselineFile}`,
    });
  }
  const baselined = result.findings.filter((f) => f.baselined).length;
  return {
    status: result.failing.length > 0 ? 'failed' : 'passed',
    summary: `${files.length} spec(s): ${result.failing.length} new problem(s), ${baselined} baselined`,
    notes: [],
    checks,
  };
}
