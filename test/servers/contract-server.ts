import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a third-party deployment of the three APIs, written by hand with node:http (not from the
 * specs, and without Prefer support, like a real deployment). With no defects it conforms; each defect breaks
 * exactly one promise of the contract, so a test can show the conformance runner catching it with the right
 * check. `oddities` are things a real server does that are conformant and must not be flagged.
 */
export const defects = [
  'error-schema',
  'error-content-type',
  'undocumented-status',
  'ignored-auth',
  'wrong-auth-accepted',
  'accepts-invalid-path',
  'rejects-valid-input',
  'use-after-delete',
  'server-error',
  'body-on-204',
  'hang',
  'huge-body',
  'off-host-redirect',
  'jsonrpc-id-mismatch',
  'sse-invalid-event',
  'unsupported-method-accepted',
  'slow',
  'not-json',
  'success-schema',
  'result-and-error',
  'accepts-invalid-enum',
  'accepts-missing-header',
  'accepts-malformed-json',
  'delete-unknown-succeeds',
] as const;
export type Defect = (typeof defects)[number];

export interface Oddities {
  extraHeaders?: boolean;
  charset?: boolean;
  chunked?: boolean;
  extraProperties?: boolean;
}

export interface ContractServer {
  url: string;
  /** Every request received, in order: what a safety test inspects. */
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders }>;
  /** Smithery connections still present in namespace `demo`. */
  connections: Set<string>;
  close(): Promise<void>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export async function startContractServer(
  options: { defects?: Defect[]; oddities?: Oddities; key?: string } = {},
): Promise<ContractServer> {
  const KEY = options.key ?? 'demo-key';
  const basic = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
  const has = (d: Defect) => options.defects?.includes(d) ?? false;
  const odd = options.oddities ?? {};
  const sessions = new Set<string>();
  const connections = new Set(Array.from({ length: 20 }, (_, i) => `conn-${i + 1}`));

  const send = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const extra = odd.extraHeaders
      ? { 'x-request-id': randomUUID(), 'x-powered-by': 'contract-server', vary: 'Accept' }
      : {};
    if (body === undefined) {
      res.writeHead(status, { ...extra, ...headers });
      res.end();
      return;
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = headers['content-type'] ?? `application/json${odd.charset ? '; charset=utf-8' : ''}`;
    if (odd.chunked) {
      res.writeHead(status, { ...extra, ...headers, 'content-type': type, 'transfer-encoding': 'chunked' });
      const mid = Math.floor(text.length / 2);
      res.write(text.slice(0, mid));
      setTimeout(() => res.end(text.slice(mid)), 5);
      return;
    }
    res.writeHead(status, {
      ...extra,
      ...headers,
      'content-type': type,
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  };
  const stackoneError = (status: number, message: string) => ({
    statusCode: status,
    message,
    timestamp: new Date().toISOString(),
    ...(odd.extraProperties ? { requestId: 'req-1', data: null } : {}),
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    if (has('slow')) await new Promise((r) => setTimeout(r, 300));

    if (url.pathname === '/mcp') {
      if (method !== 'POST' && method !== 'DELETE') {
        if (has('unsupported-method-accepted')) return send(res, 200, { ok: true });
        return send(
          res,
          405,
          { statusCode: 405, message: 'Method Not Allowed', timestamp: new Date().toISOString() },
          { allow: 'POST, DELETE' },
        );
      }
      const authorised =
        req.headers.authorization === basic || (has('wrong-auth-accepted') && req.headers.authorization !== undefined);
      if (!authorised) {
        if (has('off-host-redirect')) return send(res, 302, undefined, { location: 'http://login.evil.example/steal' });
        return send(res, 401, stackoneError(401, 'Unauthorized'));
      }
      for (const [name, allowed] of [
        ['param-style', ['nested', 'flat_prefixed', 'flat_smart']],
        ['tool-mode', ['individual', 'search_execute']],
      ] as const) {
        const v = url.searchParams.get(name);
        if (v !== null && !(allowed as readonly string[]).includes(v) && !has('accepts-invalid-enum')) {
          return send(res, 400, stackoneError(400, `invalid ${name}`));
        }
      }
      const version = req.headers['mcp-protocol-version'];
      if (version !== undefined && version !== '2025-03-26' && version !== '2025-06-18' && version !== '2025-11-25')
        return send(res, 400, stackoneError(400, 'bad protocol version'));
      const sessionId = req.headers['mcp-session-id'] as string | undefined;
      if (method === 'DELETE') {
        if (!sessionId) {
          if (has('server-error')) return send(res, 500, stackoneError(500, 'Internal server error'));
          if (has('accepts-missing-header')) return send(res, 200);
          if (has('not-json')) return send(res, 400, 'Bad Request: no session');
          return send(res, 400, stackoneError(400, 'mcp-session-id header is required'));
        }
        if (!sessions.has(sessionId)) {
          if (has('error-schema')) return send(res, 404, { error: 'not found' });
          return send(res, 404, stackoneError(404, 'Session not found'));
        }
        if (!has('use-after-delete')) sessions.delete(sessionId);
        return send(res, 200);
      }
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(body) as Record<string, unknown>;
      } catch {
        if (has('accepts-malformed-json')) return send(res, 200, { jsonrpc: '2.0', id: 1, result: {} });
        return send(res, 200, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      }
      if (
        !message ||
        typeof message !== 'object' ||
        Array.isArray(message) ||
        message.jsonrpc !== '2.0' ||
        typeof message.method !== 'string' ||
        // JSON-RPC 2.0 §4: an id is a string or a number, params an object or an array.
        ('id' in message && !['string', 'number'].includes(typeof message.id)) ||
        ('params' in message && (typeof message.params !== 'object' || message.params === null))
      ) {
        const id =
          message && typeof message === 'object' && !Array.isArray(message) && 'id' in message ? message.id : null;
        const echoed = typeof id === 'string' || typeof id === 'number' ? id : null;
        return send(res, 200, { jsonrpc: '2.0', id: echoed, error: { code: -32600, message: 'Invalid request' } });
      }
      const id = has('jsonrpc-id-mismatch') ? 'other-id' : message.id;
      const reply = (result: unknown, headers: Record<string, string> = {}) => {
        const envelope = has('result-and-error')
          ? { jsonrpc: '2.0', id, result, error: { code: 1, message: 'both' } }
          : { jsonrpc: '2.0', id, result };
        const accept = String(req.headers.accept ?? '');
        if (accept.includes('text/event-stream') && !accept.includes('application/json')) {
          const data = has('sse-invalid-event') ? '{"jsonrpc":"1.0"}' : JSON.stringify(envelope);
          return send(res, 200, `event: message\ndata: ${data}\n\n`, {
            ...headers,
            'content-type': 'text/event-stream',
          });
        }
        return send(res, 200, envelope, headers);
      };
      if (message.method === 'initialize') {
        // The MCP SDK answers an initialize without protocolVersion, capabilities or clientInfo with an error too,
        // and one whose clientInfo lacks its name or version (its zod ImplementationSchema requires both).
        const params = (message.params ?? {}) as Record<string, unknown>;
        const clientInfo = (params.clientInfo ?? {}) as Record<string, unknown>;
        if (
          !['protocolVersion', 'capabilities', 'clientInfo'].every((k) => k in params) ||
          typeof clientInfo.name !== 'string' ||
          typeof clientInfo.version !== 'string'
        )
          return send(res, 200, { jsonrpc: '2.0', id, error: { code: -32602, message: 'Invalid params' } });
        const session = randomUUID();
        sessions.add(session);
        return reply(
          {
            protocolVersion: '2025-03-26',
            capabilities: { tools: { listChanged: false } },
            serverInfo: { name: 'contract-server', version: '1.0.0' },
          },
          { 'mcp-session-id': session },
        );
      }
      if (!sessionId) return send(res, 400, stackoneError(400, 'mcp-session-id header is required'));
      if (!sessions.has(sessionId)) return send(res, 404, stackoneError(404, 'Session not found'));
      if (!('id' in message)) return send(res, 202);
      switch (message.method) {
        case 'tools/list':
          return reply({ tools: [{ name: 'hris_list_employees', inputSchema: { type: 'object' } }] });
        case 'tools/call': {
          const params = message.params as { name?: unknown } | undefined;
          if (has('rejects-valid-input') || typeof params?.name !== 'string') {
            return send(res, 200, { jsonrpc: '2.0', id, error: { code: -32602, message: 'Invalid params' } });
          }
          return reply({ content: [{ type: 'text', text: '[]' }] });
        }
        case 'ping':
          return reply({});
        default:
          return send(res, 200, { jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } });
      }
    }

    const smithery = /^\/connect\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (smithery) {
      if (method !== 'DELETE')
        return send(res, 405, { error: 'method_not_allowed', message: 'Use DELETE' }, { allow: 'DELETE' });
      if (req.headers.authorization !== `Bearer ${KEY}`)
        return send(res, 401, { error: 'unauthorized', message: 'Missing or invalid API key' });
      const [, namespace, connection] = smithery.map(decodeURIComponent);
      if (has('delete-unknown-succeeds')) return send(res, 200, { success: true });
      if (namespace !== 'demo' || !connections.has(connection ?? '')) {
        if (has('huge-body')) return send(res, 404, { error: 'not_found', message: 'x'.repeat(5 * 1024 * 1024) });
        if (has('undocumented-status')) return send(res, 410, { error: 'gone', message: 'Gone' });
        if (has('error-content-type')) return send(res, 404, 'not found', { 'content-type': 'text/plain' });
        return send(res, 404, { error: 'not_found', message: 'Namespace or connection not found' });
      }
      connections.delete(connection ?? '');
      return send(res, 200, has('success-schema') ? { success: 'yes' } : { success: true });
    }

    const langsmith = /^\/v1\/deepagents\/mcp-servers\/([^/]+)$/.exec(url.pathname);
    if (langsmith) {
      if (method !== 'DELETE')
        return send(
          res,
          405,
          { type: 'about:blank', code: 'method_not_allowed', detail: 'Use DELETE', status: 405 },
          { allow: 'DELETE' },
        );
      const key = req.headers['x-api-key'];
      if (key === undefined && !has('ignored-auth')) return send(res, 401, { error: 'Unauthorized' });
      if (key !== undefined && key !== KEY) {
        if (has('hang')) return; // never answers
        return send(res, 403, { error: 'Forbidden' });
      }
      if (!uuidPattern.test(langsmith[1] ?? '') && !has('accepts-invalid-path')) {
        return send(res, 400, {
          type: 'https://docs.langchain.com/errors/invalid_id',
          code: 'invalid_id',
          detail: 'mcp_server_id must be a UUID',
          status: 400,
        });
      }
      if (has('body-on-204')) {
        res.writeHead(204, { 'content-type': 'application/json', 'content-length': '2' });
        res.end();
        return;
      }
      return send(res, 204);
    }
    return send(res, 404, { error: 'not_found', message: `no route ${method} ${url.pathname}` });
  };

  const requests: ContractServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => {
        if (!res.headersSent) send(res, 500, { error: 'internal' });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
