import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A conformant but lenient deployment of test/fixtures/specs/lenient.yaml, written by hand with node:http:
 * it ignores an out-of-enum value of the optional `sort` query parameter, answers HTTP-level errors of its
 * JSON-RPC endpoint as JSON-RPC errors with `id: null` (JSON-RPC 2.0 §5, as MCP servers do), redirects a
 * download to a blob store on another host as the spec documents, and answers 404 for an unknown health
 * component although the spec documents no client error there (the spec's gap, not the deployment's).
 * The blob store counts the requests it gets: the runner must never follow the redirect.
 */
export interface LenientServer {
  url: string;
  /** Requests that reached the blob store (another host: another port of 127.0.0.1). */
  blobHits: number;
  close(): Promise<void>;
}

const KEY = 'lenient-key';

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', id: null, error: { code, message } });

export async function startLenientServer(): Promise<LenientServer> {
  const state = { blobHits: 0 };
  const blob = http.createServer((_req, res) => {
    state.blobHits++;
    send(res, 200, { leaked: true });
  });
  const blobUrl = await listen(blob);

  const app = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      const body = Buffer.concat(chunks).toString('utf8');
      if (url.pathname === '/items') {
        if (method !== 'GET') return send(res, 405, { message: 'method not allowed' }, { allow: 'GET' });
        // Lenient: an unknown `sort` is ignored, the list comes back unsorted.
        return send(res, 200, ['a', 'b']);
      }
      if (url.pathname === '/rpc') {
        if (method !== 'POST') return send(res, 405, { message: 'method not allowed' }, { allow: 'POST' });
        if (req.headers['x-api-key'] !== KEY) return send(res, 401, rpcError(-32001, 'unauthorized'));
        let message: { jsonrpc?: unknown; id?: unknown; method?: unknown };
        try {
          message = JSON.parse(body) as typeof message;
        } catch {
          return send(res, 400, rpcError(-32700, 'parse error'));
        }
        const idOk = typeof message?.id === 'string' || typeof message?.id === 'number';
        if (message?.jsonrpc !== '2.0' || typeof message.method !== 'string' || !idOk) {
          return send(res, 400, rpcError(-32600, 'invalid request'));
        }
        return send(res, 200, { jsonrpc: '2.0', id: message.id, result: {} });
      }
      const download = /^\/files\/([^/]+)\/download$/.exec(url.pathname);
      if (download) {
        if (method !== 'GET') return send(res, 405, { message: 'method not allowed' }, { allow: 'GET' });
        if (download[1] !== 'report') return send(res, 404, { message: 'no such file' });
        return send(res, 302, undefined, { location: `${blobUrl}/blobs/report.pdf` });
      }
      const health = /^\/health\/([^/]+)$/.exec(url.pathname);
      if (health) {
        if (method !== 'GET') return send(res, 405, { message: 'method not allowed' }, { allow: 'GET' });
        if (health[1] !== 'db' && health[1] !== 'cache') return send(res, 404, { message: 'no such component' });
        return send(res, 200, { ok: true });
      }
      send(res, 404, { message: 'not found' });
    });
  });
  const url = await listen(app);
  const close = (server: http.Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url,
    get blobHits() {
      return state.blobHits;
    },
    close: async () => {
      app.closeAllConnections();
      blob.closeAllConnections();
      await Promise.all([close(app), close(blob)]);
    },
  };
}
