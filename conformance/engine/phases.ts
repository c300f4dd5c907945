import { cleanupPhase } from './cleanup.js';
import type { Consent } from './consent.js';
import type { RunContext } from './context.js';
import type { FinishedPlan } from './finished-plan.js';
import { casesPhase } from './phase-cases.js';
import { propertyPhase } from './phase-property.js';
import { preferPhase } from './prefer.js';
import type { ConformanceOptions } from './run.js';

/**
 * A run is a sequence of phases, each applied to every spec in turn (spec 1: cases, Prefer, …, cleanup; then
 * spec 2). To add one — say a property-based fuzz phase — write one file exporting a `Phase` and add it to
 * `phases` below, before `cleanupPhase`:
 *
 * - `describe(plan, options)` returns what the phase would send for this spec, as plain data: `--dry-run` prints it
 *   (plan everything up front; a phase that decides at run time says so in the titles, as Prefer does).
 * - `run(ctx, plan)` sends through `runCase(ctx, plan, case)` (lifecycle.ts) or `sendAndCheck` (context.ts),
 *   which send via the transport (rate limit, Retry-After budget, stop on interruption), run every check and
 *   record the exchange; it reports each finished case with `ctx.finish(result)` and adds run-level remarks
 *   to `ctx.remarks`. `ctx.options` holds the run's options (seed, and any option the phase adds). Use `pool(items, ctx.concurrency, worker, ctx.transport.stopped)` for concurrency.
 * - Once the run stops (interrupted, or the target does not answer), `transport.send` throws `RunStopped`:
 *   `runCase` turns that into a skipped case; a phase that sends otherwise lets it propagate, and the engine
 *   moves on to the phases with `runsWhenInterrupted` (cleanup).
 */
export interface Phase {
  name: string;
  /** Runs also after an interruption: cleanup, which deletes what the run created. */
  runsWhenInterrupted?: boolean;
  describe(plan: FinishedPlan, options: Readonly<ConformanceOptions>): DescribedCase[];
  run(ctx: RunContext, plan: FinishedPlan): Promise<void>;
}

/** One planned case as `--dry-run` prints it (and writes it, with `--report json=FILE`). */
export interface DescribedCase {
  id: string;
  title: string;
  /** Why the case is not sent (no valid value could be made, or the spec's example breaks its schema). */
  skip?: string | undefined;
  requests: Array<{ name: string; method: string; url: string; body: string | undefined; consent: Consent }>;
}

export const phases: readonly Phase[] = [casesPhase, preferPhase, propertyPhase, cleanupPhase];
