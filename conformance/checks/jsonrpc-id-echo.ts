import type { Check } from '../types.js';
import { type JsonRpcMessageView, jsonRpcMessages, jsonRpcRequest } from './util.js';

const describeId = (m: JsonRpcMessageView): string =>
  !m.hasId ? 'no id member' : m.id === null ? 'id null' : `id ${JSON.stringify(m.id)}`;

export const jsonRpcIdEcho: Check = {
  id: 'jsonrpc-id-echo',
  description:
    'a JSON-RPC response echoes the request id (null or absent only when the id could not be read, or on an HTTP 4xx error)',
  applies: ({ exchange }) =>
    jsonRpcRequest(exchange)?.hasId === true && jsonRpcMessages(exchange).some((m) => m.isResponse),
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const request = jsonRpcRequest(ctx.exchange)!;
    const responses = jsonRpcMessages(ctx.exchange).filter((m) => m.isResponse);
    if (responses.some((m) => m.id === request.id)) return [];
    const readable = typeof request.id === 'string' || typeof request.id === 'number';
    if (!readable && responses.some((m) => m.id === null)) return [];
    // An HTTP-level error (4xx) answered as a JSON-RPC error without an id is legal: JSON-RPC 2.0 §5 gives null
    // where the id was not determined, and MCP's transport answers HTTP errors that way.
    const status = ctx.exchange.response!.status;
    const idless = (m: JsonRpcMessageView) => m.error !== undefined && (!m.hasId || m.id === null);
    if (status >= 400 && status < 500 && responses.every(idless)) return [];
    // A parse error or an invalid request object (-32700, -32600) is where §5 says the id "could not be
    // detected": a server that judges the whole object invalid before reading its id answers null, as the MCP SDK
    // does for `"method": 12345`.
    const unreadable = (m: JsonRpcMessageView) => idless(m) && (m.error?.code === -32600 || m.error?.code === -32700);
    if (!wellFormedRequest(ctx.exchange.request.body) && responses.every(unreadable)) return [];
    return [
      {
        severity: 'failure',
        expected: `a JSON-RPC response with id ${JSON.stringify(request.id)}`,
        actual: responses.map(describeId).join(', '),
      },
    ];
  },
};

/** A JSON-RPC 2.0 request object a server can read an id from: jsonrpc "2.0", a string method, params structured. */
function wellFormedRequest(body: string | undefined): boolean {
  try {
    const r = JSON.parse(body ?? '') as Record<string, unknown>;
    const params = r.params;
    return (
      r.jsonrpc === '2.0' &&
      typeof r.method === 'string' &&
      (params === undefined || (typeof params === 'object' && params !== null))
    );
  } catch {
    return false;
  }
}
