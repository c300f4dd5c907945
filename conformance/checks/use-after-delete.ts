import type { Check } from '../types.js';
import { describeStatus, describesIdempotent, rejectedByJsonRpc } from './util.js';

/**
 * After a successful delete the resource is gone: deleting it again, or using it through a link, must not
 * succeed. An operation that documents itself as idempotent may answer a repeated delete with success.
 */
export const useAfterDelete: Check = {
  id: 'use-after-delete',
  description: 'a deleted resource is gone: using it, or deleting it again, does not succeed',
  applies: ({ exchange }) =>
    (exchange.role === 'delete-again' || exchange.role === 'use-after-delete') && exchange.response !== undefined,
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const { exchange } = ctx;
    const status = exchange.response!.status;
    const idempotent = describesIdempotent(exchange.operation?.description);
    if (exchange.role === 'delete-again' && idempotent) return [];
    if (status >= 300) return [];
    // A JSON-RPC endpoint may answer 200 with an `error` member: that is a rejection too.
    if (rejectedByJsonRpc(exchange)) return [];
    const what = exchange.role === 'delete-again' ? 'deleting it again' : 'using it';
    return [
      {
        severity: 'failure',
        expected: `${what} after a successful delete to fail (404 or 410)`,
        actual: `${describeStatus(exchange)}: the deleted resource still answers`,
      },
    ];
  },
};
