import { join } from 'node:path';
import { isToolError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { resolveBase } from './git.js';
import { defaultIgnoreFile, loadIgnoreFile } from './ignore.js';
import { breakingStep } from './steps/breaking.js';
import { conformanceStep } from './steps/conformance.js';
import { generatedStep } from './steps/generated.js';
import { lintStep } from './steps/lint.js';
import type { StepOutcome } from './steps/outcome.js';
import {
  type BreakingFinding,
  type DriftOptions,
  type DriftResult,
  type DriftStep,
  type DriftStepId,
  driftStepIds,
  stepTitles,
} from './types.js';

export { stepTitles } from './types.js';

/**
 * The drift gate: four steps, run in order and reported together. A step that finds drift fails (data);
 * a step that cannot run at all (unreadable spec, malformed ignore file, unknown --base) throws a
 * ToolError, which the CLI turns into exit 2. Git is only asked once the cheap checks of the inputs passed,
 * so a malformed ignore file is reported before any work is done.
 */
export async function runDrift(options: DriftOptions = {}): Promise<DriftResult> {
  const started = performance.now();
  const root = options.root ?? packageRoot;
  const failOn = options.failOn ?? 'error';
  const now = options.now ?? new Date();
  const selected = new Set(options.steps ?? driftStepIds);
  const ignore = loadIgnoreFile(join(root, defaultIgnoreFile), defaultIgnoreFile);
  const base = selected.has('breaking') ? await resolveBase(root, options.base) : undefined;

  let breaking: BreakingFinding[] = [];
  const run: Record<DriftStepId, () => Promise<StepOutcome>> = {
    generated: () => generatedStep(root),
    lint: () => lintStep(root),
    breaking: async () => {
      const outcome = await breakingStep({
        root,
        base: base ?? { available: false, reason: 'not selected' },
        ignore,
        failOn,
        now,
      });
      breaking = outcome.findings;
      return outcome;
    },
    conformance: () => conformanceStep(options.conformance),
  };

  const steps: DriftStep[] = [];
  for (const id of driftStepIds) {
    const stepStarted = performance.now();
    const outcome: StepOutcome = selected.has(id)
      ? await guarded(run[id])
      : { status: 'skipped', summary: 'skipped: not selected for this run', notes: [], checks: [] };
    steps.push({ id, title: stepTitles[id], ...outcome, durationMs: Math.round(performance.now() - stepStarted) });
  }
  return {
    ok: steps.every((s) => s.status !== 'failed'),
    root,
    base: base?.available ? base.base : undefined,
    failOn,
    steps,
    breaking,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * A step that must compile the specs' schemas (generate, lint) cannot run when a schema is written for a regex
 * dialect JavaScript cannot compile (`[\w-./:]` under the `u` flag). That must not stop the gate before any
 * report: the step says so, as not run with a warning, and the others (the breaking-change comparison, which
 * reads patterns as text) still run.
 */
async function guarded(step: () => Promise<StepOutcome>): Promise<StepOutcome> {
  try {
    return await step();
  } catch (error) {
    if (!isToolError(error) || error.code !== 'MCPC_SPEC_SCHEMA') throw error;
    return {
      status: 'not-run',
      summary: `not run: a schema cannot be compiled in JavaScript (${error.message.split(': the schema')[0]})`,
      notes: [{ level: 'warning', text: error.toLine() }],
      checks: [{ name: 'schemas compile', status: 'skipped', message: error.toLine() }],
    };
  }
}
