import type { DriftCheck, DriftConformanceRunner } from '../types.js';
import type { StepOutcome } from './outcome.js';

const reproduce =
  'reproduce with `npx mcp-contracts conformance`; fix the handler in mock/, or the spec if it is wrong';

/**
 * Step 4: the reference implementation still conforms. The runner is injected so that drift does not
 * depend on how conformance is run; without one the step is "not run", which never reads as passed.
 */
export async function conformanceStep(runner: DriftConformanceRunner | undefined): Promise<StepOutcome> {
  if (!runner) {
    return {
      status: 'not-run',
      summary: 'not run: no conformance runner is wired into drift, so the reference implementation was not checked',
      notes: [],
      checks: [
        {
          name: 'reference implementation conforms',
          status: 'skipped',
          message: 'not run: no conformance runner is wired into drift',
        },
      ],
    };
  }
  const result = await runner();
  const checks: DriftCheck[] = result.failures.map((failure) => ({
    name: `${failure.operation} ${failure.check}`,
    status: result.ok ? 'warning' : 'failed',
    message: `${failure.operation}: ${failure.message}`,
    rule: failure.check,
    fix: reproduce,
  }));
  if (checks.length === 0) {
    checks.push({
      name: 'reference implementation conforms',
      status: result.ok ? 'passed' : 'failed',
      message: result.summary,
      ...(result.ok ? {} : { fix: reproduce }),
    });
  }
  return { status: result.ok ? 'passed' : 'failed', summary: result.summary, notes: [], checks };
}
