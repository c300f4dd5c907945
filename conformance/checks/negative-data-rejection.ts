import type { Check } from '../types.js';
import { describeStatus, isJsonRpcError, negativeKinds } from './util.js';

export const negativeDataRejection: Check = {
  id: 'negative-data-rejection',
  description:
    'invalid input (missing or malformed parameter, malformed or schema-invalid body) is rejected with a 4xx',
  applies: ({ exchange }) => negativeKinds.has(exchange.kind) && exchange.response !== undefined,
  run({ exchange }) {
    const status = exchange.response?.status;
    if (!negativeKinds.has(exchange.kind) || status === undefined) return [];
    if (status >= 400) return [];
    // A JSON-RPC endpoint rejects a bad message with an `error` member, at HTTP 200 (as StackOne documents).
    if (isJsonRpcError(exchange)) return [];
    return [
      {
        severity: 'failure',
        expected: 'a 4xx rejecting the invalid input (or a JSON-RPC error for a JSON-RPC endpoint)',
        actual: `${describeStatus(exchange)}: the invalid input was accepted`,
      },
    ];
  },
};
