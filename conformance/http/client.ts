import http from 'node:http';
import https from 'node:https';
import type { HttpResponse } from '../types.js';

/**
 * The runner talks to targets only through an HttpClient. The network client below uses node:http directly
 * rather than fetch, because conformance needs what fetch hides: redirects are never followed (an off-host
 * redirect must not leak credentials), the raw `Content-Length`/`Transfer-Encoding` of a 204 are visible even
 * though no body bytes are read, a hanging target is cut off at the timeout, and a huge body is cut off at the
 * size cap instead of being buffered.
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type HttpResult =
  | { ok: true; response: HttpResponse }
  | { ok: false; timedOut: boolean; error: { code: string; message: string } };

export interface HttpClient {
  /** Never rejects: a network failure is an `ok: false` result. An aborted `signal` ends the request (`EABORTED`). */
  send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResult>;
  close(): void;
}

export interface NetworkClientOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  concurrency: number;
}

export function createNetworkClient(options: NetworkClientOptions): HttpClient {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: options.concurrency }),
    https: new https.Agent({ keepAlive: true, maxSockets: options.concurrency }),
  };
  return {
    send: (request, signal) => send(request, options, agents, signal),
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function send(
  request: HttpRequest,
  options: NetworkClientOptions,
  agents: { http: http.Agent; https: https.Agent },
  signal: AbortSignal | undefined,
): Promise<HttpResult> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(aborted());
      return;
    }
    const started = performance.now();
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      resolve({ ok: false, timedOut: false, error: { code: 'EINVALIDURL', message: `invalid URL ${request.url}` } });
      return;
    }
    const isHttps = url.protocol === 'https:';
    const transport = isHttps ? https : http;
    const headers: Record<string, string> = { ...request.headers };
    // A header value HTTP cannot carry (non-Latin-1, a line break) would throw inside node:http: say which one.
    for (const [name, value] of Object.entries(headers)) {
      try {
        http.validateHeaderName(name);
        http.validateHeaderValue(name, value);
      } catch {
        resolve({
          ok: false,
          timedOut: false,
          error: { code: 'EINVALIDHEADER', message: `header ${name} cannot carry the planned value on the wire` },
        });
        return;
      }
    }
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    let settled = false;
    const finish = (result: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const req = transport.request(
      url,
      { method: request.method, headers, agent: isHttps ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        let truncated = false;
        const declared = Number(res.headers['content-length']);
        const responseHeaders = flattenHeaders(res.headers);
        const done = () =>
          finish({
            ok: true,
            response: {
              status: res.statusCode ?? 0,
              headers: responseHeaders,
              body: Buffer.concat(chunks).toString('utf8'),
              bodyBytes: truncated && Number.isFinite(declared) ? Math.max(declared, received) : received,
              truncated,
              elapsedMs: Math.round(performance.now() - started),
            },
          });
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > options.maxBodyBytes) {
            truncated = true;
            const keep = options.maxBodyBytes - (received - chunk.length);
            if (keep > 0) chunks.push(chunk.subarray(0, keep));
            // Stop reading: the cap protects the runner from a target that streams without end.
            res.destroy();
            done();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', done);
        // A connection cut mid-body is a network failure (errored), not a short body to check (failed).
        const cut = () => {
          if (truncated || res.complete) return done();
          finish({
            ok: false,
            timedOut: false,
            error: {
              code: 'ECONNRESET',
              message: `the connection closed after ${received} body bytes, before the body ended`,
            },
          });
        };
        res.on('error', cut);
        res.on('close', cut);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({
        ok: false,
        timedOut: true,
        error: { code: 'ETIMEDOUT', message: `no complete response within ${options.timeoutMs} ms` },
      });
    }, options.timeoutMs);
    const onAbort = () => {
      finish(aborted());
      req.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, timedOut: false, error: { code: error.code ?? 'ENETWORK', message: error.message } });
    });
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

const aborted = (): HttpResult => ({
  ok: false,
  timedOut: false,
  error: { code: 'EABORTED', message: 'the run stopped before the response came' },
});

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return result;
}
