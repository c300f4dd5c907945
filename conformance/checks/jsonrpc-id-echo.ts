import type { Check } from '../types.js';
import { jsonRpcMessages, jsonRpcRequest } from './util.js';

export const jsonRpcIdEcho: Check = {
  id: 'jsonrpc-id-echo',
  description: 'a JSON-RPC response echoes the request id (null only when the request id could not be read)',
  applies: ({ exchange }) =>
    jsonRpcRequest(exchange)?.hasId === true && jsonRpcMessages(exchange).some((m) => m.isResponse),
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const request = jsonRpcRequest(ctx.exchange)!;
    const responses = jsonRpcMessages(ctx.exchange).filter((m) => m.isResponse);
    if (responses.some((m) => m.id === request.id)) return [];
    const readable = typeof request.id === 'string' || typeof request.id === 'number';
    if (!readable && responses.some((m) => m.id === null)) return [];
    return [
      {
        severity: 'failure',
        expected: `a JSON-RPC response with id ${JSON.stringify(request.id)}`,
        actual: `id ${responses.map((m) => JSON.stringify(m.id)).join(', ')}`,
      },
    ];
  },
};
