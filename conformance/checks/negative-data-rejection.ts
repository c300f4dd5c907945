import type { Check } from '../types.js';
import { describeStatus, isJsonRpcError, negativeKinds, policySeverity } from './util.js';

export const negativeDataRejection: Check = {
  id: 'negative-data-rejection',
  description:
    'invalid input (missing or malformed parameter, malformed or schema-invalid body) is rejected with a 4xx; an accepted invalid optional query/header/cookie value is a warning (a failure with --strict)',
  applies: ({ exchange }) => negativeKinds.has(exchange.kind) && exchange.response !== undefined,
  run(ctx) {
    const { exchange } = ctx;
    const status = exchange.response?.status;
    if (!negativeKinds.has(exchange.kind) || status === undefined) return [];
    if (status >= 400) return [];
    // A JSON-RPC endpoint rejects a bad message with an `error` member, at HTTP 200 (as StackOne documents).
    if (isJsonRpcError(exchange)) return [];
    const parameter = exchange.parameter;
    // The verdict policy: servers are commonly, and legitimately, lenient with an optional query, header or cookie
    // value (they ignore it). Only what the contract makes observable — a required parameter, a path parameter,
    // the body — fails a lenient run.
    if (exchange.kind === 'invalid-parameter' && parameter && !parameter.required && parameter.in !== 'path') {
      return [
        {
          severity: policySeverity(ctx),
          expected: `a 4xx rejecting the invalid value of optional ${parameter.in} parameter '${parameter.name}'`,
          actual: `${describeStatus(exchange)}: the invalid value was accepted (ignored or used)`,
          hint: ctx.options.strict
            ? undefined
            : 'A warning under the lenient policy (an optional input a server may ignore); --strict makes it a failure.',
        },
      ];
    }
    return [
      {
        severity: 'failure',
        expected: 'a 4xx rejecting the invalid input (or a JSON-RPC error for a JSON-RPC endpoint)',
        actual: `${describeStatus(exchange)}: the invalid input was accepted`,
      },
    ];
  },
};
