import { findResponse } from '../../core/operations.js';
import type { PlannedCase } from '../types.js';
import { emptyResult, type RunContext } from './context.js';
import type { FinishedPlan } from './finished-plan.js';
import { runCase } from './lifecycle.js';
import { describeCase } from './phase-cases.js';
import type { Phase } from './phases.js';
import { pool } from './transport.js';

/**
 * For every documented status no natural case reached, ask for it with `Prefer: code=NNN` (Prism's convention).
 * The candidates are planned up front (one per documented status); only those whose status is still unreached
 * are sent. One probe first: a deployment that ignores Prefer is not sent the rest.
 */
export const preferPhase: Phase = {
  name: 'Prefer',
  describe: (plan) => plan.preferCandidates.map((c) => describeCase(plan, c)),
  async run(ctx, plan) {
    const all = unreached(ctx, plan);
    // Those that cannot be sent (no valid request for their operation) are reported skipped, with why; the probe is
    // the first that can.
    for (const c of all.filter((x) => x.skip)) ctx.finish(await runCase(ctx, plan, c));
    const cases = all.filter((c) => !c.skip);
    if (cases.length === 0) return;
    const [probe, ...rest] = cases as [PlannedCase, ...PlannedCase[]];
    const probed = await runCase(ctx, plan, probe);
    ctx.finish(probed);
    if (ctx.transport.stopped()) return;
    const probeStatus = probed.statuses[0];
    if (probeStatus !== probe.preferredStatus) {
      // No answer at all says nothing about Prefer: the probe timed out or its connection was closed.
      const why =
        probeStatus === undefined
          ? `no response (timeout/connection closed) to the Prefer: code=${probe.preferredStatus} probe`
          : 'the target does not honour Prefer: code=NNN';
      ctx.remarks.push(
        `${plan.compiled.spec.name}: ${why}${probeStatus === undefined ? '' : ` (asked ${probe.preferredStatus}, got ${probeStatus})`}; ${rest.length} more Prefer case(s) not sent`,
      );
      for (const c of rest) ctx.finish({ ...emptyResult(c), outcome: 'skipped', reason: why });
      return;
    }
    await pool(rest, ctx.concurrency, async (c) => ctx.finish(await runCase(ctx, plan, c)), ctx.transport.stopped);
  },
};

/** The candidates whose status no exchange of their operation reached. */
function unreached(ctx: RunContext, plan: FinishedPlan): PlannedCase[] {
  const reached = new Map<unknown, Set<string>>();
  for (const { exchange } of ctx.exchanges) {
    if (!exchange.operation || !exchange.response) continue;
    const spec = findResponse(exchange.operation, exchange.response.status);
    if (!spec) continue;
    const set = reached.get(exchange.operation) ?? new Set<string>();
    set.add(spec.status);
    reached.set(exchange.operation, set);
  }
  return plan.preferCandidates.filter((c) => !reached.get(c.operation)?.has(String(c.preferredStatus)));
}
