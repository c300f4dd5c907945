import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as McpServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  isInitializeRequest,
  JSONRPCMessageSchema,
  ListToolsRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * A stand-in for somebody else's deployment of StackOne, Smithery and LangSmith, written the way such services
 * are written — Express, an auth middleware, a session table, an error handler, and the official MCP SDK
 * (`Server` + `StreamableHTTPServerTransport`, stateless per request) behind StackOne's `POST /mcp` — not from
 * this repository's specs or mock. It conforms, leniently, where real servers commonly are lenient:
 *
 * - optional inputs are ignored when they make no sense (`param-style=nonsense`, `tool-mode=…`, an odd
 *   `MCP-Protocol-Version` on `initialize`, which the SDK itself ignores): the defaults apply;
 * - HTTP-level errors on `POST /mcp` are JSON-RPC errors at 4xx with `id: null`, as the SDK's transport writes
 *   them, carrying StackOne's error fields too (`statusCode`, `message`, `timestamp`) so they match the contract;
 * - extra response headers (`x-request-id`, `x-powered-by`, `server-timing`, `vary`), and chunked JSON bodies.
 *
 * Each `defect` is one miss from issue 9 (items 11–14): a broken variant that a trustworthy runner must fail
 * with exactly one named check.
 */
export const verdictDefects = {
  /** 11: the session id (or a named connection) is taken as proof enough: credentials are not checked on real resources. */
  'auth-bypass-on-real-resources': 'ignored-auth',
  /** 12: a closed session answers the documented 400, not the 404 the MCP transport prescribes. */
  'deleted-session-400': 'use-after-delete',
  /** 13: LangSmith ids are matched by a lower-case-only pattern: upper-case UUIDs are rejected. */
  'rejects-uppercase-uuid': 'positive-data-acceptance',
  /** 13: the documented optional `tool-mode` query parameter is refused, whatever its (valid) value. */
  'rejects-optional-parameter': 'positive-data-acceptance',
  /** 13: one documented enum value (`param-style=flat_smart`) is refused. */
  'rejects-enum-value': 'positive-data-acceptance',
  /** 13: JSON-RPC ids are validated against the style of the docs' examples (`init-1`, 2): other valid ids are refused. */
  'rejects-unexampled-ids': 'positive-data-acceptance',
  /** 14: `x-account-id` is URL-decoded and echoed into a response header: `%`, emoji or other non-Latin-1 text crash it. */
  'crashes-on-unusual-strings': 'not-a-server-error',
} as const;
export type VerdictDefect = keyof typeof verdictDefects;

export interface LenientDeployment {
  url: string;
  /** Smithery connections still present in namespace `demo`. */
  connections: Set<string>;
  /** StackOne sessions still open. */
  sessions: Set<string>;
  close(): Promise<void>;
}

const KEY = 'demo-key';
/** A LangSmith MCP server that exists, for `--param mcp_server_id=…`. */
export const existingMcpServerId = '6f1c2a4e-8b3d-4f5a-9c7e-1d2b3a4c5e6f';

export async function startLenientDeployment(options: { defects?: VerdictDefect[] } = {}): Promise<LenientDeployment> {
  const defects = new Set(options.defects ?? []);
  const sessions = new Set<string>();
  const closedSessions = new Set<string>();
  const connections = new Set(Array.from({ length: 20 }, (_, i) => `conn-${i + 1}`));
  const mcpServers = new Set([existingMcpServerId]);

  const app = express();
  app.disable('etag');
  app.use((_req, res, next) => {
    res.setHeader('x-request-id', randomUUID());
    res.setHeader('server-timing', 'app;dur=1');
    res.setHeader('vary', 'Accept, Authorization');
    next();
  });
  app.use(express.text({ type: () => true, limit: '1mb' }));

  /** JSON in two chunks, no Content-Length: what a streaming framework sends. */
  const sendChunked = (res: Response, status: number, body: unknown, type = 'application/json; charset=utf-8') => {
    const text = JSON.stringify(body);
    res.status(status);
    res.setHeader('content-type', type);
    const half = Math.ceil(text.length / 2);
    res.write(text.slice(0, half));
    res.end(text.slice(half));
  };

  // ---------------------------------------------------------------- StackOne: POST/DELETE /mcp
  const stackoneError = (status: number, message: string) => ({
    statusCode: status,
    message,
    timestamp: new Date().toISOString(),
  });
  /** An HTTP-level failure of the MCP endpoint: a JSON-RPC error with id null, in StackOne's error shape. */
  const mcpHttpError = (res: Response, status: number, code: number, message: string) =>
    sendChunked(res, status, { jsonrpc: '2.0', id: null, error: { code, message }, ...stackoneError(status, message) });

  const basicKey = (req: Request): string | undefined => {
    const match = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) return undefined;
    return Buffer.from(match[1], 'base64').toString('utf8').split(':')[0];
  };

  const accountOf = (req: Request, res: Response): string | undefined => {
    const raw =
      (req.headers['x-account-id'] as string | undefined) ?? (req.query['x-account-id'] as string | undefined);
    if (raw === undefined) return undefined;
    if (defects.has('crashes-on-unusual-strings')) {
      // "Some clients URL-encode it": decoded blindly, and echoed for tracing — both throw on unusual input.
      const decoded = decodeURIComponent(raw);
      res.setHeader('x-account-id', decoded);
      return decoded;
    }
    return raw;
  };

  const mcpAuth = (req: Request, res: Response, next: NextFunction) => {
    const session = req.headers['mcp-session-id'];
    if (defects.has('auth-bypass-on-real-resources') && typeof session === 'string' && sessions.has(session)) {
      return next(); // "the session id is a capability": the bug
    }
    if (basicKey(req) !== KEY) return sendChunked(res, 401, stackoneError(401, 'Unauthorized'));
    next();
  };

  app.all('/mcp', (req, res, next) => {
    if (req.method === 'POST' || req.method === 'DELETE') return next();
    res.setHeader('allow', 'POST, DELETE');
    sendChunked(res, 405, stackoneError(405, 'Method Not Allowed'));
  });

  app.delete('/mcp', mcpAuth, (req, res) => {
    accountOf(req, res);
    const session = req.headers['mcp-session-id'];
    if (typeof session !== 'string' || session === '')
      return sendChunked(res, 400, stackoneError(400, 'mcp-session-id header is required'));
    if (!sessions.has(session)) return sendChunked(res, 404, stackoneError(404, 'Session not found'));
    sessions.delete(session);
    closedSessions.add(session);
    res.status(200).end();
  });

  app.post('/mcp', mcpAuth, async (req, res) => {
    accountOf(req, res);
    if (defects.has('rejects-optional-parameter') && req.query['tool-mode'] !== undefined)
      return mcpHttpError(res, 400, -32602, 'tool-mode is not accepted on this endpoint');
    const style = req.query['param-style'];
    if (defects.has('rejects-enum-value') && style !== undefined && style !== 'nested' && style !== 'flat_prefixed')
      return mcpHttpError(res, 400, -32602, `param-style ${String(style)} is not supported`);
    // Anything else in param-style / tool-mode: the defaults (nested, individual) apply.

    const text = typeof req.body === 'string' ? req.body : '';
    if (text.trim() === '') return mcpHttpError(res, 400, -32700, 'Parse error: empty body');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return mcpHttpError(res, 400, -32700, 'Parse error: Invalid JSON');
    }
    const parsed = JSONRPCMessageSchema.safeParse(raw);
    if (!parsed.success) return mcpHttpError(res, 400, -32600, 'Invalid Request: not a JSON-RPC message');
    const message = parsed.data as { id?: unknown; method?: string };
    if (defects.has('rejects-unexampled-ids') && 'id' in message) {
      const id = message.id;
      if (!(typeof id === 'number' || (typeof id === 'string' && /^[a-z]+-\d+$/.test(id)))) {
        return sendChunked(res, 200, { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid Request: id' } });
      }
    }

    const initializing = isInitializeRequest(raw);
    if (!initializing) {
      const session = req.headers['mcp-session-id'];
      if (typeof session !== 'string' || session === '')
        return mcpHttpError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      if (defects.has('deleted-session-400') && closedSessions.has(session))
        return mcpHttpError(res, 400, -32000, 'Bad Request: session was closed');
      if (!sessions.has(session)) return mcpHttpError(res, 404, -32001, 'Session not found');
      const version = req.headers['mcp-protocol-version'];
      if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version))
        return mcpHttpError(res, 400, -32000, `Bad Request: Unsupported protocol version: ${version}`);
    }

    // The SDK does the protocol. It insists on being offered both media types; the client's own Accept
    // decides whether the answer is one JSON body or an event stream.
    const accept = String(req.headers.accept ?? '');
    const wantsStream = accept.includes('text/event-stream') && !accept.includes('application/json');
    req.headers.accept = 'application/json, text/event-stream';
    req.headers['content-type'] = 'application/json';
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: !wantsStream,
    });
    const server = mcpServer();
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    if (initializing) {
      const session = randomUUID();
      sessions.add(session);
      res.setHeader('mcp-session-id', session);
    }
    await transport.handleRequest(req, res, raw);
  });

  // ---------------------------------------------------------------- Smithery: DELETE /connect/{namespace}/{connectionId}
  const smitheryError = (res: Response, status: number, error: string, message: string) =>
    sendChunked(res, status, { error, message });

  app.all('/connect/:namespace/:connectionId', (req, res, next) => {
    if (req.method === 'DELETE') return next();
    res.setHeader('allow', 'DELETE');
    smitheryError(res, 405, 'method_not_allowed', 'Use DELETE');
  });

  app.delete('/connect/:namespace/:connectionId', (req, res) => {
    const { namespace, connectionId } = req.params as { namespace: string; connectionId: string };
    const real = namespace === 'demo' && connections.has(connectionId);
    const bypass = defects.has('auth-bypass-on-real-resources') && real;
    if (!bypass && req.headers.authorization !== `Bearer ${KEY}`)
      return smitheryError(res, 401, 'unauthorized', 'Missing or invalid API key');
    if (namespace !== 'demo') return smitheryError(res, 404, 'not_found', 'Namespace not found');
    if (!connections.has(connectionId)) return smitheryError(res, 404, 'not_found', 'Connection not found');
    connections.delete(connectionId);
    sendChunked(res, 200, { success: true });
  });

  // ---------------------------------------------------------------- LangSmith: DELETE /v1/deepagents/mcp-servers/{id}
  const langsmithError = (res: Response, status: number, code: string, detail: string) =>
    sendChunked(res, status, { type: `https://docs.langchain.com/errors/${code}`, code, detail, status });
  const uuid = defects.has('rejects-uppercase-uuid')
    ? /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
    : /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  app.all('/v1/deepagents/mcp-servers/:id', (req, res, next) => {
    if (req.method === 'DELETE') return next();
    res.setHeader('allow', 'DELETE');
    langsmithError(res, 405, 'method_not_allowed', 'Use DELETE');
  });

  app.delete('/v1/deepagents/mcp-servers/:id', (req, res) => {
    const key = req.headers['x-api-key'];
    if (key === undefined) return sendChunked(res, 401, { error: 'Unauthorized' });
    if (key !== KEY) return sendChunked(res, 403, { error: 'Forbidden' });
    const id = String(req.params.id);
    if (!uuid.test(id)) return langsmithError(res, 400, 'invalid_mcp_server_id', 'Provide the MCP server id as a UUID');
    mcpServers.delete(id.toLowerCase());
    res.status(204).end(); // idempotent, as documented
  });

  // ---------------------------------------------------------------- everything else
  app.use((_req, res) => sendChunked(res, 404, { error: 'not_found', message: 'No such route' }));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = 500;
    const message = error instanceof Error ? error.message : 'Internal server error';
    if (res.headersSent) return res.end();
    res.removeHeader('x-account-id');
    if (req.path.startsWith('/v1/deepagents')) return langsmithError(res, status, 'internal_error', message);
    if (req.path === '/mcp') return sendChunked(res, status, stackoneError(status, 'Internal server error'));
    smitheryError(res, status, 'internal_error', message);
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The MCP server behind StackOne's endpoint: the tools of a key's linked HRIS account. */
function mcpServer(): McpServer {
  const server = new McpServer(
    { name: 'acme-stackone-gateway', version: '2.4.1' },
    { capabilities: { tools: { listChanged: false } } },
  );
  const employees = [
    { id: 'emp-001', first_name: 'Ada', last_name: 'Lovelace' },
    { id: 'emp-002', first_name: 'Grace', last_name: 'Hopper' },
    { id: 'emp-003', first_name: 'Émilie', last_name: 'du Châtelet' },
  ];
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      {
        name: 'hris_list_employees',
        description: 'List employees of the linked HRIS account',
        inputSchema: {
          type: 'object' as const,
          properties: { query: { type: 'object', properties: { page_size: { type: 'integer', minimum: 1 } } } },
        },
      },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    if (request.params.name !== 'hris_list_employees') {
      return { content: [{ type: 'text' as const, text: `unknown tool ${request.params.name}` }], isError: true };
    }
    const query = (request.params.arguments?.query ?? {}) as { page_size?: number };
    const page = employees.slice(0, Math.max(1, Number(query.page_size ?? employees.length)));
    return { content: [{ type: 'text' as const, text: JSON.stringify({ data: page }) }] };
  });
  return server;
}
