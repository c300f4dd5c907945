import { formatSseEvent } from '../../core/sse.js';
import type { HandlerRequest, HandlerResponse, OperationTypes } from '../../generated/operations.js';
import type { components } from '../../generated/stackone.js';
import type { LinkedAccount, ParamStyle, StackOneSession, ToolMode } from '../state.js';
import { accountsOf } from '../state.js';
import type { BodyProblem, MockContext, ValidatedParameters } from '../types.js';
import { stackOneError } from './errors.js';
import { accountIdOf, findOpenSession, openSession } from './sessions.js';
import { type McpTool, sessionTools, type ToolResult } from './tools.js';

/**
 * StackOne `POST /mcp`: JSON-RPC 2.0 over MCP's Streamable HTTP transport (protocol versions 2025-03-26,
 * 2025-06-18 and 2025-11-25), answered in the order a Streamable HTTP server works:
 *
 * 1. A body that is not one JSON-RPC message at all gets its JSON-RPC error right away, in a 200 as the docs
 *    page shows: -32700 (not JSON), -32600 (a batch, no `jsonrpc: "2.0"`, no usable method or id).
 * 2. `initialize` opens a session for the caller's key and account(s); anything else needs an open session of
 *    the same caller: 400 without `mcp-session-id`, 404 for an unknown, closed, expired or foreign one.
 * 3. Notifications and the client's responses are accepted without an answer (202); requests are answered with
 *    their `result`, or -32601 (unknown method) / -32602 (invalid params, unknown tool, invalid arguments).
 *
 * Answers are JSON or an event stream by `Accept` (see `responseFormat`), shaped for the session's protocol
 * version. Every answer leaves through the self-check against the authored `POST /mcp` contract.
 */

type PostOperation = OperationTypes['stackone_mcp_post'];
export type McpPostRequest = HandlerRequest<PostOperation>;
export type McpPostResponse = HandlerResponse<PostOperation>;
type Schemas = components['schemas'];
export type McpClientMessage = Schemas['McpClientMessage'];
export type JsonRpcResponse = Schemas['JsonRpcResponse'];
export type JsonRpcId = Schemas['JsonRpcId'];
type JsonRpcError = Schemas['JsonRpcError'];
type RequestMessage = Exclude<McpClientMessage, Schemas['McpInitializedNotification']>;

/** The MCP protocol versions this server speaks, oldest first. */
export const supportedProtocolVersions = ['2025-03-26', '2025-06-18', '2025-11-25'] as const;
/** The one version whose transport has JSON-RPC batches (2025-06-18 removed them). */
const batchVersion: ProtocolVersion = '2025-03-26';
/** Messages in one batch at most; a longer one is a 400 (documented in mock/README.md). */
export const maxBatchLength = 100;
type ProtocolVersion = (typeof supportedProtocolVersions)[number];
/** What the transport says a server assumes when a session has no negotiated version and no header says one. */
const assumedProtocolVersion: ProtocolVersion = '2025-03-26';

export const serverInfo = { name: 'stackone-mcp', title: 'StackOne MCP (mcp-contracts mock)', version: '1.0.0' };

/** JSON-RPC 2.0 error codes (https://www.jsonrpc.org/specification#error_object). */
export const jsonRpcErrors = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

/** A message as far as the transport needs to know it, before the session is checked. */
type Incoming =
  | { kind: 'request'; message: RequestMessage }
  | { kind: 'notification'; method: string }
  | { kind: 'response' }
  /** A JSON-RPC error to answer; `afterSession`: only once the session is known to be fine (the message was usable). */
  | { kind: 'error'; id: JsonRpcId | null; error: JsonRpcError; afterSession: boolean; method: string | undefined };

export function handleMcpPost(request: McpPostRequest, ctx: MockContext): McpPostResponse {
  const message = request.body;
  const incoming: Incoming =
    message.method === 'notifications/initialized'
      ? { kind: 'notification', method: message.method }
      : { kind: 'request', message };
  return answer(incoming, request, ctx);
}

/** A body the schema refuses still gets a JSON-RPC answer (or a 202), after the same checks as a valid one. */
export function answerBodyProblem(problem: BodyProblem, request: ValidatedParameters, ctx: MockContext) {
  const now = ctx.now();
  switch (problem.kind) {
    case 'parse':
      return answer(early(null, jsonRpcErrors.parseError, `Parse error: ${problem.message}`), request, ctx);
    case 'missing':
      return answer(
        early(null, jsonRpcErrors.invalidRequest, 'Invalid request: the body must be one JSON-RPC message'),
        request,
        ctx,
      );
    case 'content-type':
      return stackOneError(
        400,
        `Content-Type must be ${problem.expected.join(' or ')} (got ${problem.contentType ?? 'none'})`,
        now,
      );
    case 'too-large':
      return stackOneError(400, `the request body is larger than ${problem.limit}`, now);
    case 'schema':
      if (Array.isArray(problem.value)) return answerBatch(problem.value, problem.validate, request, ctx);
      return answer(classifyInvalidMessage(problem.value, problem.violations), request, ctx);
  }
}

const knownMethods = new Set(['initialize', 'notifications/initialized', 'tools/list', 'tools/call', 'ping']);

function classifyInvalidMessage(value: unknown, violations: string[]): Incoming {
  if (Array.isArray(value)) {
    return early(null, jsonRpcErrors.invalidRequest, 'Invalid request: a batch cannot hold another batch');
  }
  if (!value || typeof value !== 'object') {
    return early(null, jsonRpcErrors.invalidRequest, 'Invalid request: the message must be a JSON object');
  }
  const message = value as Record<string, unknown>;
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  if (message.jsonrpc !== '2.0')
    return early(id, jsonRpcErrors.invalidRequest, 'Invalid request: jsonrpc must be "2.0"');
  // A client's answer to a server request: valid JSON-RPC, just not a request the schema lists.
  if (message.method === undefined && message.id !== undefined && ('result' in message || 'error' in message)) {
    return { kind: 'response' };
  }
  if (typeof message.method !== 'string') {
    return early(id, jsonRpcErrors.invalidRequest, 'Invalid request: method must be a string');
  }
  const method = message.method;
  const isNotification = method.startsWith('notifications/');
  if (isNotification !== (message.id === undefined) || (message.id !== undefined && id === null)) {
    return early(
      id,
      jsonRpcErrors.invalidRequest,
      isNotification
        ? `Invalid request: ${method} is a notification and must not have an id`
        : `Invalid request: ${method} needs an id (string or number)`,
    );
  }
  if (isNotification) return { kind: 'notification', method };
  const error = knownMethods.has(method)
    ? { code: jsonRpcErrors.invalidParams, message: `Invalid params for ${method}: ${violations.join('; ')}` }
    : { code: jsonRpcErrors.methodNotFound, message: `Method not found: ${method}` };
  return { kind: 'error', id, error, afterSession: true, method };
}

function early(id: JsonRpcId | null, code: number, message: string): Incoming {
  return { kind: 'error', id, error: { code, message }, afterSession: false, method: undefined };
}

function answer(incoming: Incoming, request: ValidatedParameters | McpPostRequest, ctx: MockContext): McpPostResponse {
  const header = (request.header ?? {}) as Record<string, unknown>;
  const format = responseFormat(header.Accept as string | undefined);
  // An unusable message, or an initialize with invalid params, needs no session to be answered.
  if (incoming.kind === 'error' && (!incoming.afterSession || incoming.method === 'initialize')) {
    return reply({ jsonrpc: '2.0', id: incoming.id, error: incoming.error }, format);
  }
  const what =
    incoming.kind === 'request'
      ? incoming.message.method
      : incoming.kind === 'response'
        ? 'a response'
        : incoming.method;
  const initializing = incoming.kind === 'request' && incoming.message.method === 'initialize';
  const found = sessionOf(request, ctx, initializing, what);
  if ('refused' in found) return found.refused;
  if ('setup' in found) return initialize((incoming as { message: InitializeMessage }).message, found.setup, ctx);
  const answered = answerIn(found, incoming, ctx);
  return answered ? reply(answered, format) : { status: 202 };
}

type InitializeMessage = Extract<RequestMessage, { method: 'initialize' }>;

interface InSession {
  session: StackOneSession;
  version: ProtocolVersion;
  paramStyle: ParamStyle | undefined;
  toolMode: ToolMode | undefined;
}

/**
 * The session a message is sent in, after the transport's checks: `x-account-id` given once, then (except for
 * initialize, which opens one: `setup`) an `mcp-session-id` of an open session of the same caller, with the
 * protocol version the request is made under — the `MCP-Protocol-Version` header (enum-checked by the contract:
 * an unsupported one is a 400), else the session's negotiated one, else 2025-03-26, as the transport says.
 */
function sessionOf(
  request: ValidatedParameters | McpPostRequest,
  ctx: MockContext,
  initializing: boolean,
  what: string | undefined,
): { refused: McpPostResponse } | { setup: Setup } | InSession {
  const now = ctx.now();
  const header = (request.header ?? {}) as Record<string, unknown>;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const { accountId, conflict } = accountIdOf(header['x-account-id'] as string | undefined, query['x-account-id']);
  if (conflict) {
    return {
      refused: stackOneError(400, 'x-account-id is given as header and as query with different values; send one', now),
    };
  }
  const paramStyle = query['param-style'] as ParamStyle | undefined;
  const toolMode = query['tool-mode'] as ToolMode | undefined;
  // A session id sent along with initialize is not looked at: initialize always opens a new session.
  if (initializing) {
    return {
      setup: { accountId, paramStyle, toolMode, format: responseFormat(header.Accept as string | undefined) },
    };
  }
  const sessionId = header['mcp-session-id'] as string | undefined;
  if (sessionId === undefined) {
    return {
      refused: stackOneError(
        400,
        `mcp-session-id header is required for ${what ?? 'this message'}: send the id that initialize returned`,
        now,
      ),
    };
  }
  const found = findOpenSession(ctx, sessionId, accountId);
  if ('notFound' in found) return { refused: stackOneError(404, found.notFound, now) };
  const sent = header['MCP-Protocol-Version'] as ProtocolVersion | undefined;
  const negotiated = found.session.protocolVersion as ProtocolVersion | undefined;
  // The session's negotiated version wins over a supported header that disagrees: a client cannot switch the
  // shape of answers (or get batches back) mid-session. Not a 400: the official MCP conformance suite sends
  // `2025-03-26` in sessions it negotiated at `2025-11-25`, and the SDK's own server accepts that.
  const version = negotiated ?? sent ?? assumedProtocolVersion;
  return { session: found.session, version, paramStyle, toolMode };
}

/** One message in an open session: its JSON-RPC answer, or undefined for a notification or a response (202). */
function answerIn(at: InSession, incoming: Incoming, ctx: MockContext): JsonRpcResponse | undefined {
  const now = ctx.now();
  const { session } = at;
  switch (incoming.kind) {
    case 'error':
      return { jsonrpc: '2.0', id: incoming.id, error: incoming.error };
    case 'response':
      return undefined;
    case 'notification':
      if (incoming.method === 'notifications/initialized') session.initializedAt ??= now.toISOString();
      return undefined;
    case 'request': {
      const tools = () =>
        sessionTools({
          accounts: linkedAccounts(ctx, session.accountIds),
          style: at.paramStyle ?? session.paramStyle ?? 'nested',
          mode: at.toolMode ?? session.toolMode ?? 'individual',
        });
      const outcome = dispatch(incoming.message, tools, at.version, now);
      return 'result' in outcome
        ? { jsonrpc: '2.0', id: incoming.message.id, result: outcome.result }
        : { jsonrpc: '2.0', id: incoming.message.id, error: outcome.error };
    }
  }
}

/**
 * A JSON-RPC batch (MCP 2025-03-26 only; 2025-06-18 removed them): after the same session checks as one message,
 * each message is answered as if sent alone — requests and notifications mixed in any order — and the answers
 * go back together, as one JSON array or as one event stream with an event per answer; a batch of notifications
 * and responses only is a 202. `initialize` cannot be part of a batch (2025-03-26 says so). In a session of a
 * later version the batch is refused with -32600, as before.
 */
function answerBatch(
  messages: unknown[],
  validate: (message: unknown) => string[],
  request: ValidatedParameters,
  ctx: MockContext,
): McpPostResponse {
  const header = (request.header ?? {}) as Record<string, unknown>;
  const format = responseFormat(header.Accept as string | undefined);
  if (messages.length === 0) {
    return reply(
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: jsonRpcErrors.invalidRequest, message: 'Invalid request: empty batch' },
      },
      format,
    );
  }
  if (messages.length > maxBatchLength) {
    return stackOneError(
      400,
      `a JSON-RPC batch may hold at most ${maxBatchLength} messages, got ${messages.length}; send it in parts`,
      ctx.now(),
    );
  }
  const found = sessionOf(request, ctx, false, 'a batch');
  if ('refused' in found) return found.refused;
  if ('setup' in found) throw new Error('unreachable: a batch never initializes');
  if (found.version !== batchVersion) {
    return reply(
      {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: jsonRpcErrors.invalidRequest,
          message: `Invalid request: JSON-RPC batches are not supported in protocol version ${found.version} (only in ${batchVersion}); send one message per POST`,
        },
      },
      format,
    );
  }
  const answers: JsonRpcResponse[] = [];
  for (const message of messages) {
    const violations = validate(message);
    let incoming: Incoming =
      violations.length > 0
        ? classifyInvalidMessage(message, violations)
        : (message as McpClientMessage).method === 'notifications/initialized'
          ? { kind: 'notification', method: 'notifications/initialized' }
          : { kind: 'request', message: message as RequestMessage };
    if (incoming.kind === 'request' && incoming.message.method === 'initialize') {
      incoming = early(
        incoming.message.id,
        jsonRpcErrors.invalidRequest,
        'Invalid request: initialize must not be part of a JSON-RPC batch',
      );
    }
    const answered = answerIn(found, incoming, ctx);
    if (answered) answers.push(answered);
  }
  if (answers.length === 0) return { status: 202 };
  const parts = answers.map((message) => reply(message, format));
  const body = format === 'sse' ? parts.map((p) => p.body as string).join('') : answers;
  return { ...parts[0], status: 200, body, parts } as unknown as McpPostResponse;
}

interface Setup {
  accountId: string | undefined;
  paramStyle: ParamStyle | undefined;
  toolMode: ToolMode | undefined;
  format: ResponseFormat;
}

function initialize(message: InitializeMessage, setup: Setup, ctx: MockContext): McpPostResponse {
  const now = ctx.now();
  const owner = ctx.principal ?? '';
  if (setup.accountId !== undefined) {
    const account = ctx.state.stackone.accounts.get(setup.accountId);
    // Someone else's account gets the same answer as one that does not exist: accounts cannot be probed.
    if (!account || account.owner !== owner) {
      return stackOneError(404, `Linked account '${setup.accountId}' not found for this API key`, now);
    }
  }
  const protocolVersion = negotiateProtocolVersion(message.params.protocolVersion);
  const session = openSession(
    ctx.state,
    ctx.fixtures,
    {
      owner,
      accountId: setup.accountId,
      accountIds: setup.accountId !== undefined ? [setup.accountId] : accountsOf(ctx.state, owner),
      protocolVersion,
      paramStyle: setup.paramStyle,
      toolMode: setup.toolMode,
    },
    now,
  );
  const accounts = linkedAccounts(ctx, session.accountIds);
  const { title, ...plainInfo } = serverInfo;
  return reply(
    {
      jsonrpc: '2.0',
      id: message.id,
      result: {
        protocolVersion,
        capabilities: { tools: { listChanged: false } },
        // `title` on Implementation is new in 2025-06-18.
        serverInfo: protocolVersion === '2025-03-26' ? plainInfo : { ...plainInfo, title },
        instructions:
          accounts.length > 0
            ? `Tools act on the linked accounts ${accounts.map((a) => `${a.id} (${a.provider} ${a.category})`).join(', ')}. This is the mcp-contracts mock: the data are fixtures.`
            : 'No account is linked to this API key, so there are no tools. This is the mcp-contracts mock: link accounts in its fixtures.',
      },
    },
    setup.format,
    { 'mcp-session-id': session.id },
  );
}

type Outcome = { result: Schemas['McpResult'] } | { error: JsonRpcError };

function dispatch(
  message: RequestMessage,
  tools: () => ReturnType<typeof sessionTools>,
  version: ProtocolVersion,
  now: Date,
): Outcome {
  switch (message.method) {
    case 'ping':
      return { result: {} };
    case 'initialize':
      // Never reached: initialize opens a session before any dispatch (kept for an exhaustive switch).
      return { error: { code: jsonRpcErrors.invalidRequest, message: 'Invalid request: initialize opens a session' } };
    case 'tools/list':
      // All tools fit in one page, so no cursor was ever issued; MCP asks for -32602 on one that is not valid.
      if (message.params?.cursor !== undefined) {
        return { error: { code: jsonRpcErrors.invalidParams, message: 'Invalid params: unknown cursor' } };
      }
      return { result: { tools: tools().map((t) => toolFor(t.tool, version)) } };
    case 'tools/call': {
      const tool = tools().find((t) => t.tool.name === message.params.name);
      // MCP: an unknown tool and invalid arguments are protocol errors (-32602); failures while running are results.
      if (!tool) {
        return { error: { code: jsonRpcErrors.invalidParams, message: `Unknown tool: ${message.params.name}` } };
      }
      const outcome = tool.call(message.params.arguments ?? {}, now);
      if ('invalid' in outcome) return { error: { code: jsonRpcErrors.invalidParams, message: outcome.invalid } };
      return { result: resultFor(outcome.result, version) };
    }
  }
}

/** Tool `title` is new in 2025-06-18; a 2025-03-26 client finds it where that version kept it, in annotations. */
function toolFor(tool: McpTool, version: ProtocolVersion): McpTool {
  if (version !== '2025-03-26') return tool;
  const { title, ...rest } = tool;
  return { ...rest, annotations: { ...(title ? { title } : {}), ...tool.annotations } };
}

/** `structuredContent` is new in 2025-06-18; a 2025-03-26 client reads the same JSON from the text content. */
function resultFor(result: ToolResult, version: ProtocolVersion): ToolResult {
  if (version !== '2025-03-26') return result;
  const { structuredContent: _dropped, ...rest } = result;
  return rest;
}

function linkedAccounts(ctx: MockContext, ids: string[]): LinkedAccount[] {
  return ids.flatMap((id) => ctx.state.stackone.accounts.get(id) ?? []);
}

/** The client's version when we speak it, else our newest (the client then decides whether to go on). */
export function negotiateProtocolVersion(requested: string): ProtocolVersion {
  return (supportedProtocolVersions as readonly string[]).includes(requested)
    ? (requested as ProtocolVersion)
    : (supportedProtocolVersions.at(-1) as ProtocolVersion);
}

export type ResponseFormat = 'json' | 'sse';

/**
 * The answer's media type by `Accept` (RFC 9110 content negotiation over the two the contract documents): the
 * one with the higher quality, the most specific matching range deciding each; on a tie — the documented
 * default `application/json, text/event-stream`, which a missing `Accept` means — JSON, the simpler for
 * clients. A header that accepts neither still gets JSON: the contract documents no 406.
 */
export function responseFormat(accept: string | undefined): ResponseFormat {
  if (!accept?.trim()) return 'json';
  const quality = { json: qualityOf(accept, 'application', 'json'), sse: qualityOf(accept, 'text', 'event-stream') };
  return quality.sse > quality.json ? 'sse' : 'json';
}

function qualityOf(accept: string, type: string, subtype: string): number {
  let best = { specificity: -1, q: 0 };
  for (const range of accept.split(',')) {
    const [media = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const [t, s] = media.split('/');
    const specificity = t === type && s === subtype ? 2 : t === type && s === '*' ? 1 : t === '*' && s === '*' ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    best = { specificity, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0 };
  }
  return best.q;
}

/** One JSON-RPC message as JSON, or as one `message` event of a stream that ends after it. */
function reply(message: JsonRpcResponse, format: ResponseFormat, headers?: Record<string, string>): McpPostResponse {
  const extra = headers ? { headers } : {};
  if (format === 'sse') {
    return {
      status: 200,
      contentType: 'text/event-stream',
      body: formatSseEvent({ event: 'message', data: JSON.stringify(message) }),
      ...extra,
    };
  }
  return { status: 200, contentType: 'application/json', body: message, ...extra };
}
