import { checkExchange, sendExchange } from './context.js';
import { urlOf } from './finished-plan.js';
import { defaultMaxExamples, propertyFields, runPropertyPhase } from './fuzz.js';
import type { Phase } from './phases.js';

/**
 * The property-based phase (fuzz.ts): for each operation safe to repeat, `--max-examples` draws of unusual but
 * legal values, judged by the response checks, a failure shrunk against the target and printed with its seed.
 * What it will draw is decided at run time; `--dry-run` names the operations and the fields it varies.
 */
export const propertyPhase: Phase = {
  name: 'property',
  describe(plan, options) {
    const examples = options.maxExamples ?? defaultMaxExamples;
    if (examples <= 0) return [];
    return plan.property.map((planner) => {
      const template = planner.request();
      return {
        id: `${plan.compiled.spec.name}:${planner.op.operationId}:property`,
        title: `property-based: ${examples} example(s) of unusual legal values (seed ${options.seed}) for ${propertyFields(
          planner,
        )
          .map((f) => f.describe)
          .join(', ')}`,
        requests: [
          {
            name: 'each example (values drawn at run time)',
            method: template.method,
            url: urlOf(plan.operations.get(planner.op)?.baseUrl ?? plan.baseUrl, template),
            body: template.body,
            consent: planner.consent.consent,
          },
        ],
      };
    });
  },
  async run(ctx, plan) {
    const results = await runPropertyPhase(plan.property, {
      checks: ctx.checks,
      checkOptions: ctx.check,
      seed: ctx.options.seed,
      maxExamples: ctx.options.maxExamples ?? defaultMaxExamples,
      concurrency: ctx.concurrency,
      stopped: ctx.transport.stopped,
      send: (c, request) => sendExchange(ctx, plan, c, request, undefined),
      record: (exchange, title) => checkExchange(ctx, plan.compiled, exchange, title),
    });
    for (const r of results) ctx.finish(r);
  },
};
