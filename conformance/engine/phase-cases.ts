import { definedSchemes } from './auth.js';
import type { RunContext } from './context.js';
import { baseUrlOfCase, type FinishedPlan, urlOf } from './finished-plan.js';
import { runCase } from './lifecycle.js';
import type { DescribedCase, Phase } from './phases.js';
import { schedule } from './transport.js';

/**
 * The planned cases, up to `concurrency` at a time; then a remark where valid credentials were refused throughout.
 * Cases that may change state hold the operations they send to (`writeKeys`), so two of them never run on one
 * operation at once; read-only cases, and cases on other operations, fill the remaining slots. A lifecycle steps
 * in order within itself (lifecycle.ts). The run's results are put in plan order at the end (run.ts), so the
 * report is the same whatever the concurrency.
 */
export const casesPhase: Phase = {
  name: 'cases',
  describe: (plan) => plan.cases.map((c) => describeCase(plan, c)),
  async run(ctx, plan) {
    await schedule(
      plan.cases,
      ctx.concurrency,
      writeKeys,
      async (c) => ctx.finish(await runCase(ctx, plan, c)),
      ctx.transport.stopped,
    );
    ctx.remarks.push(...refusedCredentials(ctx, plan));
  },
};

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The operations a case may change state on: none when every request it sends is a GET, HEAD or OPTIONS (safe
 * by HTTP's definition: it runs beside anything); otherwise every operation it sends to, a lifecycle's reads
 * included (its GET-after-create would see another case's writes).
 */
export function writeKeys(c: FinishedPlan['cases'][number]): string[] {
  const steps = c.steps ?? [{ request: c.request, operation: c.operation }];
  if (steps.every((s) => safeMethods.has(s.request.method.toUpperCase()))) return [];
  return [...new Set(steps.map((s) => s.operation?.label ?? c.label))];
}

export function describeCase(plan: FinishedPlan, c: FinishedPlan['cases'][number]): DescribedCase {
  const steps = c.steps ?? [{ name: '', request: c.request, operation: c.operation }];
  return {
    id: c.id,
    title: c.title,
    skip: c.skip,
    requests: steps.map((step) => ({
      name: step.name,
      method: step.request.method,
      url: urlOf(baseUrlOfCase(plan, step.operation ?? c.operation, c.label), step.request),
      body: step.request.body,
      consent: 'consent' in step ? step.consent : c.consent,
    })),
  };
}

/** Valid credentials that the target refused on every valid request: most likely a wrong --auth, so say it. */
function refusedCredentials(ctx: RunContext, plan: FinishedPlan): string[] {
  const out: string[] = [];
  for (const [op, facts] of plan.operations) {
    if (!facts.secured || facts.credentialsState !== 'valid') continue;
    const statuses = ctx.exchanges
      .filter(({ exchange }) => exchange.operation === op && exchange.kind === 'valid' && exchange.response)
      .map(({ exchange }) => exchange.response!.status);
    if (statuses.length === 0 || !statuses.every((s) => s === 401 || s === 403)) continue;
    const schemes = definedSchemes(op.security).join(' or ');
    out.push(
      `${op.label}: the credentials given for ${schemes} were refused (${[...new Set(statuses)].join(', ')}) on every valid request — check --auth; the checks of accepted requests could not run`,
    );
  }
  return out;
}
