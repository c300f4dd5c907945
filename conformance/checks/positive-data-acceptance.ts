import type { Check } from '../types.js';
import { describeStatus, describesIdempotent, jsonRpcMessages, jsonRpcRequest, negativeKinds } from './util.js';

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
  // A request naming an id the run made up is a not-found case (nonexistent-id-not-found judges it): its
  // rejection says nothing about whether valid input is accepted — unless the operation says it is idempotent,
  // where an id that names nothing must succeed like any other.
  applies: ({ exchange }) =>
    exchange.credentials === 'valid' &&
    !exchange.outsideLinkContext &&
    (!exchange.namesNothing || describesIdempotent(exchange.operation?.description)) &&
    (exchange.kind === 'valid' ||
      ((exchange.role === 'create' || exchange.role === 'use') &&
        !negativeKinds.has(exchange.kind) &&
        exchange.kind !== 'property' &&
        exchange.kind !== 'hazard')) &&
    exchange.response !== undefined,
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const { exchange } = ctx;
    const status = exchange.response!.status;
    if (madeUpIdentifier(exchange)) return [];
    // An operation that documents no success at all (`GET /status/400`, or Petstore's DELETEs) gives a valid
    // request nothing to succeed with: its documented refusal is the contract, and spec-gap/lint say the rest.
    const op = exchange.operation;
    if (op && !op.responses.some((r) => /^2(\d\d|XX)$/i.test(r.status) || r.status === 'default')) return [];
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
    // The contract's tools/call example names a tool (hris_list_employees) that a deployment offers only to
    // keys with such an account: when tools/list did not offer it, its rejection says nothing about validity.
    const request = jsonRpcRequest(exchange);
    const tool = request?.method === 'tools/call' ? toolName(exchange) : undefined;
    if (tool !== undefined && exchange.offeredTools && !exchange.offeredTools.includes(tool)) {
      return [
        {
          severity: 'warning',
          expected: `the documented example's tool '${tool}' to be callable`,
          actual: `these credentials are not offered '${tool}' (tools/list offered ${exchange.offeredTools.slice(0, 5).join(', ') || 'none'}${exchange.offeredTools.length > 5 ? ', …' : ''}); the call's rejection (${code}) was not judged`,
        },
      ];
    }
    return [
      {
        severity: 'failure',
        expected: 'the documented JSON-RPC message to be processed',
        actual: `JSON-RPC error ${code} (${rejectionCodes.get(code)}): ${String(rejected.error?.message ?? '')}`,
      },
    ];
  },
};

function toolName(exchange: Parameters<typeof jsonRpcRequest>[0]): string | undefined {
  try {
    const name = (JSON.parse(exchange.request.body ?? '') as { params?: { name?: unknown } }).params?.name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An optional identifier the run had to make up (`x-account-id: string`, no example to take a real one from) is
 * valid by its schema yet names nothing: a deployment may refuse it as unknown, or ignore it, and neither says
 * anything about valid input.
 */
function madeUpIdentifier(exchange: Parameters<typeof jsonRpcRequest>[0]): boolean {
  const varied = exchange.parameter;
  if (!varied || varied.required || varied.in === 'path') return false;
  if (!/(^|[-_.])id$|[a-z]Id$/.test(varied.name)) return false;
  const spec = exchange.operation?.parameters.find((p) => p.name === varied.name && p.in === varied.in);
  return (spec?.examples.length ?? 0) === 0;
}
