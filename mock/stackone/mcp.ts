import { randomUUID } from 'node:crypto';
import { formatSseEvent } from '../../core/sse.js';
import type { HandlerRequest, HandlerResponse, OperationTypes } from '../../generated/operations.js';
import type { components } from '../../generated/stackone.js';
import type { StackOneSession } from '../state.js';
import type { BodyProblem, MockContext, MockResponse } from '../types.js';
import { stackOneError } from './errors.js';
import { accountIdOf, findOpenSession } from './sessions.js';
import { mcpTools } from './tools.js';

/**
 * StackOne `POST /mcp`: JSON-RPC 2.0 over MCP's Streamable HTTP transport. This is the part the session
 * lifecycle needs — `initialize` opens a session owned by the caller's key and answers its id in
 * `mcp-session-id`; every later message must carry an open session of the same caller — plus a spec-valid
 * answer for each other method. The tool catalogue grows here: `mcpMethods` is the table to extend.
 */

type PostOperation = OperationTypes['stackone_mcp_post'];
export type McpPostRequest = HandlerRequest<PostOperation>;
export type McpPostResponse = HandlerResponse<PostOperation>;
type Schemas = components['schemas'];
export type McpClientMessage = Schemas['McpClientMessage'];
export type JsonRpcResponse = Schemas['JsonRpcResponse'];
export type JsonRpcId = Schemas['JsonRpcId'];

/** The MCP protocol versions this server speaks, newest last (MCP 2025-03-26 and 2025-06-18). */
export const supportedProtocolVersions = ['2025-03-26', '2025-06-18'] as const;
export const serverInfo = { name: 'stackone-mcp', title: 'StackOne MCP (mcp-contracts mock)', version: '1.0.0' };

/** JSON-RPC 2.0 error codes (https://www.jsonrpc.org/specification#error_object). */
export const jsonRpcErrors = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

type RequestMessage = Exclude<McpClientMessage, Schemas['McpInitializedNotification']>;

/** One entry per JSON-RPC request method a session may send; the answer is its `result`, or an error. */
type MethodHandler = (
  message: RequestMessage,
  session: StackOneSession,
  ctx: MockContext,
) => { result: Schemas['McpResult'] } | { error: Schemas['JsonRpcError'] };

export const mcpMethods: Partial<Record<RequestMessage['method'], MethodHandler>> = {
  ping: () => ({ result: {} }),
  'tools/list': () => ({ result: { tools: mcpTools.map((t) => t.tool) } }),
  'tools/call': (message) => {
    if (message.method !== 'tools/call') return { error: { code: jsonRpcErrors.internalError, message: 'misrouted' } };
    const tool = mcpTools.find((t) => t.tool.name === message.params.name);
    // MCP: an unknown tool and invalid arguments are protocol errors (-32602); failures while running are results.
    if (!tool) return { error: { code: jsonRpcErrors.invalidParams, message: `Unknown tool: ${message.params.name}` } };
    const outcome = tool.call(message.params.arguments ?? {});
    if ('invalid' in outcome) {
      return {
        error: {
          code: jsonRpcErrors.invalidParams,
          message: `Invalid arguments for ${tool.tool.name}: ${outcome.invalid}`,
        },
      };
    }
    return outcome;
  },
};

export function handleMcpPost(request: McpPostRequest, ctx: MockContext): McpPostResponse {
  const now = ctx.now();
  const message = request.body;
  const { accountId, conflict } = accountIdOf(request.header?.['x-account-id'], request.query?.['x-account-id']);
  if (conflict) {
    return stackOneError(400, 'x-account-id is given as header and as query with different values; send one', now);
  }
  const stream = prefersEventStream(request.header?.Accept);

  if (message.method === 'initialize') {
    const session: StackOneSession = {
      id: randomUUID(),
      owner: ctx.principal ?? '',
      accountId,
      protocolVersion: negotiateProtocolVersion(message.params.protocolVersion),
      openedAt: now.toISOString(),
      closedAt: undefined,
    };
    ctx.state.stackone.sessions.set(session.id, session);
    const reply: JsonRpcResponse = {
      jsonrpc: '2.0',
      id: message.id,
      result: {
        protocolVersion: session.protocolVersion ?? supportedProtocolVersions[0],
        capabilities: { tools: { listChanged: false } },
        serverInfo,
      },
    };
    return answer(reply, stream, { 'mcp-session-id': session.id });
  }

  const sessionId = request.header?.['mcp-session-id'];
  if (sessionId === undefined) {
    return stackOneError(
      400,
      `mcp-session-id header is required for ${message.method}: send the id that initialize returned`,
      now,
    );
  }
  const session = findOpenSession(ctx, sessionId, accountId);
  if (!session) return stackOneError(404, `MCP session '${sessionId}' not found or already closed`, now);

  if (message.method === 'notifications/initialized') return { status: 202 };
  const method = mcpMethods[message.method];
  const outcome = method
    ? method(message, session, ctx)
    : { error: { code: jsonRpcErrors.methodNotFound, message: `Method not found: ${message.method}` } };
  const reply: JsonRpcResponse =
    'result' in outcome
      ? { jsonrpc: '2.0', id: message.id, result: outcome.result }
      : { jsonrpc: '2.0', id: message.id, error: outcome.error };
  return answer(reply, stream);
}

/**
 * A body that is not a valid client message still gets a JSON-RPC answer in a 200, as the docs page shows:
 * -32700 for text that is not JSON, -32600 for something that is not a JSON-RPC request, -32601 for an
 * unknown method, -32602 for a known method with bad params. Notifications and client responses that the
 * schema does not list are accepted without an answer (202), as the Streamable HTTP transport says.
 */
export function answerBodyProblem(problem: BodyProblem): MockResponse {
  switch (problem.kind) {
    case 'parse':
      return rpcError(null, jsonRpcErrors.parseError, `Parse error: ${problem.message}`);
    case 'missing':
      return rpcError(null, jsonRpcErrors.invalidRequest, 'Invalid request: the body must be one JSON-RPC message');
    case 'content-type':
      return stackOneError(
        400,
        `Content-Type must be ${problem.expected.join(' or ')} (got ${problem.contentType ?? 'none'})`,
      );
    case 'too-large':
      return stackOneError(400, `the request body is larger than ${problem.limit}`);
    case 'schema':
      return classifyInvalidMessage(problem.value, problem.violations);
  }
}

const knownMethods = new Set(['initialize', 'notifications/initialized', 'tools/list', 'tools/call', 'ping']);

function classifyInvalidMessage(value: unknown, violations: string[]): MockResponse {
  if (Array.isArray(value)) {
    return rpcError(null, jsonRpcErrors.invalidRequest, 'Invalid request: JSON-RPC batches are not supported');
  }
  if (!value || typeof value !== 'object') {
    return rpcError(null, jsonRpcErrors.invalidRequest, 'Invalid request: the message must be a JSON object');
  }
  const message = value as Record<string, unknown>;
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  if (message.jsonrpc !== '2.0') {
    return rpcError(id, jsonRpcErrors.invalidRequest, 'Invalid request: jsonrpc must be "2.0"');
  }
  if (message.method === undefined && message.id !== undefined && ('result' in message || 'error' in message)) {
    return { status: 202 };
  }
  if (typeof message.method !== 'string') {
    return rpcError(id, jsonRpcErrors.invalidRequest, 'Invalid request: method must be a string');
  }
  if (!knownMethods.has(message.method)) {
    if (message.id === undefined) return { status: 202 };
    return rpcError(id, jsonRpcErrors.methodNotFound, `Method not found: ${message.method}`);
  }
  const isNotification = message.method.startsWith('notifications/');
  if (isNotification !== (message.id === undefined) || (message.id !== undefined && id === null)) {
    return rpcError(
      id,
      jsonRpcErrors.invalidRequest,
      isNotification
        ? `Invalid request: ${message.method} is a notification and must not have an id`
        : `Invalid request: ${message.method} needs an id (string or number)`,
    );
  }
  return rpcError(id, jsonRpcErrors.invalidParams, `Invalid params for ${message.method}: ${violations.join('; ')}`);
}

function rpcError(id: JsonRpcId | null, code: number, message: string): MockResponse {
  return { status: 200, contentType: 'application/json', body: { jsonrpc: '2.0', id, error: { code, message } } };
}

/** The client's version when we speak it, else our newest (the client then decides whether to go on). */
export function negotiateProtocolVersion(requested: string): string {
  return (supportedProtocolVersions as readonly string[]).includes(requested)
    ? requested
    : (supportedProtocolVersions.at(-1) as string);
}

/**
 * JSON unless the client accepts only an event stream. A missing Accept means the documented default
 * (`application/json, text/event-stream`), for which the server picks JSON.
 */
export function prefersEventStream(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]?.trim().toLowerCase() ?? '');
  const json = types.some((t) => t === 'application/json' || t === 'application/*' || t === '*/*');
  return !json && types.includes('text/event-stream');
}

function answer(reply: JsonRpcResponse, stream: boolean, headers?: Record<string, string>): McpPostResponse {
  if (stream) {
    return {
      status: 200,
      contentType: 'text/event-stream',
      body: formatSseEvent({ event: 'message', data: JSON.stringify(reply) }),
      ...(headers ? { headers } : {}),
    };
  }
  return { status: 200, contentType: 'application/json', body: reply, ...(headers ? { headers } : {}) };
}
