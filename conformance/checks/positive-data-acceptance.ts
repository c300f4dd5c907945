import type { Check } from '../types.js';
import { describeStatus, jsonRpcMessages } from './util.js';

/** JSON-RPC codes that mean "your message is invalid", which a valid documented message must never get. */
const rejectionCodes = new Map([
  [-32700, 'parse error'],
  [-32600, 'invalid request'],
  [-32601, 'method not found'],
  [-32602, 'invalid params'],
]);

export const positiveDataAcceptance: Check = {
  id: 'positive-data-acceptance',
  description:
    'a valid request (documented values, valid credentials) is not rejected as invalid (400/422 or a JSON-RPC validation error)',
  applies: ({ exchange }) =>
    exchange.credentials === 'valid' &&
    !exchange.outsideLinkContext &&
    (exchange.kind === 'valid' || exchange.role === 'create' || exchange.role === 'use') &&
    exchange.response !== undefined,
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const { exchange } = ctx;
    const status = exchange.response!.status;
    if (status === 400 || status === 422) {
      return [
        {
          severity: 'failure',
          expected: 'the valid request to be accepted (not 400/422)',
          actual: `${describeStatus(exchange)}: valid input rejected`,
          hint: 'If the values came from the spec (examples or schema), the spec and the deployment disagree on what is valid; if they came from --param, check them.',
        },
      ];
    }
    const rejected = jsonRpcMessages(exchange).find(
      (m) => typeof m.error?.code === 'number' && rejectionCodes.has(m.error.code),
    );
    if (!rejected) return [];
    const code = rejected.error!.code as number;
    return [
      {
        severity: 'failure',
        expected: 'the documented JSON-RPC message to be processed',
        actual: `JSON-RPC error ${code} (${rejectionCodes.get(code)}): ${String(rejected.error?.message ?? '')}`,
      },
    ];
  },
};
