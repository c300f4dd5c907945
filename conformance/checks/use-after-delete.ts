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
    const op = exchange.operation;
    const idempotent = describesIdempotent(op?.description);
    if (exchange.role === 'delete-again' && idempotent) return [];
    const what = exchange.role === 'delete-again' ? 'deleting it again' : 'using it';
    // The contract says how "gone" looks: where the operation documents 404/410, that is the answer (the MCP
    // transport: 404 for a terminated session). A documented 400 says "your request is malformed" — it is not.
    const goneCodes = (op?.responses ?? [])
      .map((r) => r.status)
      .filter((s) => s === '404' || s === '410' || s === '4XX');
    if (goneCodes.length > 0) {
      if (status === 404 || status === 410) return [];
      if (status >= 500) return [];
      const accepted = status < 300 && !rejectedByJsonRpc(exchange);
      return [
        {
          severity: 'failure',
          expected: `${what} after a successful delete to be answered ${goneCodes.includes('410') ? '404 or 410' : '404'} (the operation documents ${goneCodes.join(', ')} for a resource that does not exist)`,
          actual: accepted
            ? `${describeStatus(exchange)}: the deleted resource still answers`
            : `${describeStatus(exchange)}: refused, but not as gone — a client cannot tell the resource was deleted`,
        },
      ];
    }
    if (status >= 300) return [];
    // A JSON-RPC endpoint may answer 200 with an `error` member: that is a rejection too.
    if (rejectedByJsonRpc(exchange)) return [];
    return [
      {
        severity: 'failure',
        expected: `${what} after a successful delete to fail`,
        actual: `${describeStatus(exchange)}: the deleted resource still answers`,
      },
    ];
  },
};
