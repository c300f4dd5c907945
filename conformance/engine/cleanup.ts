import { urlOf } from './finished-plan.js';
import { bindRequest } from './lifecycle.js';
import type { Phase } from './phases.js';
import { poolMap } from './transport.js';

/**
 * Delete every resource the run created that no lifecycle deleted (through the spec's links or matching DELETEs), with the
 * planned template of the delete operation. Runs also after an interruption: the run leaves nothing behind.
 */
export const cleanupPhase: Phase = {
  name: 'cleanup',
  runsWhenInterrupted: true,
  describe: (plan) =>
    plan.cleanup.map((t) => ({
      id: `${plan.compiled.spec.name}:${t.operation.operationId}:cleanup`,
      title: `delete each resource the run created that ${t.operation.label} deletes (its link's value bound in; sent only for resources still there at the end)`,
      requests: [
        {
          name: 'cleanup',
          method: t.request.method,
          url: urlOf(plan.operations.get(t.operation)?.baseUrl ?? plan.baseUrl, t.request),
          body: t.request.body,
          consent: 'undoable' as const,
        },
      ],
    })),
  async run(ctx, plan) {
    // Each resource is deleted on its own, so up to --concurrency go at once; what could not be deleted is named
    // in the order the resources were created, whatever order the answers came in.
    const entries = [...ctx.created].filter(([, entry]) => entry.plan === plan);
    const outcomes = await poolMap(
      entries,
      ctx.concurrency,
      async ([key, entry]): Promise<'deleted' | string | undefined> => {
        const template = plan.cleanup.find((t) => t.operation === entry.operation);
        if (!template) return undefined;
        const request = bindRequest(
          { operation: entry.operation, request: template.request, bindings: entry.bindings },
          entry.values,
        );
        if (!request) return undefined;
        const baseUrl = plan.operations.get(entry.operation)?.baseUrl ?? plan.baseUrl;
        const url = urlOf(baseUrl, request);
        const sent = await ctx.transport.send(
          { method: request.method, url, headers: request.headers, body: request.body },
          { evenIfInterrupted: true },
        );
        ctx.created.delete(key);
        // Only a success counts as undone — a 404 may as well mean the DELETE named it wrongly — and anything else
        // is named, so it can be deleted by hand.
        const status = sent.ok ? sent.response.status : undefined;
        return status !== undefined && status >= 200 && status < 300
          ? 'deleted'
          : `${request.method} ${ctx.redactor.redactRequest({ url, headers: {} }).url} → ${status ?? (sent.ok ? '' : sent.error.code)}`;
      },
    );
    const count = outcomes.filter((o) => o === 'deleted').length;
    const leftBehind = outcomes.filter((o): o is string => o !== undefined && o !== 'deleted');
    if (leftBehind.length > 0)
      ctx.remarks.push(
        `could not delete ${leftBehind.length} resource(s) the run had created — delete them by hand: ${leftBehind.join('; ')}`,
      );
    if (count > 0)
      ctx.remarks.push(
        `deleted ${count} resource(s) the run had created (through the spec's links or matching DELETEs)`,
      );
  },
};
