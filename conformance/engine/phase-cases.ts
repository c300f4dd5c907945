import { definedSchemes } from './auth.js';
import type { RunContext } from './context.js';
import { baseUrlOfCase, type FinishedPlan, urlOf } from './finished-plan.js';
import { runCase } from './lifecycle.js';
import type { DescribedCase, Phase } from './phases.js';
import { pool } from './transport.js';

/** The planned cases, `concurrency` at a time; then a remark where valid credentials were refused throughout. */
export const casesPhase: Phase = {
  name: 'cases',
  describe: (plan) => plan.cases.map((c) => describeCase(plan, c)),
  async run(ctx, plan) {
    await pool(
      plan.cases,
      ctx.concurrency,
      async (c) => ctx.finish(await runCase(ctx, plan, c)),
      ctx.transport.stopped,
    );
    ctx.remarks.push(...refusedCredentials(ctx, plan));
  },
};

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
