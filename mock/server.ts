import { createServer, IncomingMessage, type Server, ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ToolError } from '../core/errors.js';
import { createMockApp, type MockApp, type MockOptions } from './app.js';

/**
 * Listen with the mock app. One port serves every spec, each under its own base path (from its `servers`
 * URL): StackOne and Smithery at `/`, LangSmith at `/v1/deepagents`.
 */

export interface MockServerOptions extends MockOptions {
  /** 0 picks a free port. Default 4010 (Prism's). */
  port?: number;
  /** Default 127.0.0.1: a mock is for this machine unless asked otherwise. */
  host?: string;
  /** Slow-client limits (defaults in `defaultTimeouts`): a client that stalls is cut off, others keep going. */
  timeouts?: Partial<ServerTimeouts>;
}

export interface ServerTimeouts {
  /** All request headers must have arrived within this (Node's `headersTimeout`). */
  headersMs: number;
  /** The whole request, body included, within this (Node's `requestTimeout`). */
  requestMs: number;
  /** How often Node looks for connections past those limits. */
  checkEveryMs: number;
}

/** Generous for a person with curl, short enough that 500 stalled sockets do not linger for minutes. */
export const defaultTimeouts: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, checkEveryMs: 1_000 };

/** A listening mock, whichever engine runs it. */
export interface RunningMock {
  /** The root URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** The URL of each served spec, base path included. */
  urls: Record<string, string>;
  close(): Promise<void>;
}

export interface RunningMockServer extends RunningMock {
  /** The address the socket is bound to, as the system reports it (`0.0.0.0:4010` on a wildcard bind). */
  bound: string;
  /** The app behind the server (state, violations, fixtures). */
  mock: MockApp;
}

export async function startMockServer(options: MockServerOptions): Promise<RunningMockServer> {
  const mock = await createMockApp({ ...options, host: options.host ?? '127.0.0.1' });
  const server = mockHttpServer(mock.app, options.timeouts, mock.app);
  let port: number;
  try {
    port = await listen(server, options.port ?? 4010, options.host ?? '127.0.0.1');
  } catch (error) {
    await mock.close();
    throw error;
  }
  const url = baseUrl(options.host ?? '127.0.0.1', port);
  const urls: Record<string, string> = {};
  for (const spec of mock.served) urls[spec.name] = `${url}${spec.compiled.index.basePath}`;
  let closing: Promise<void> | undefined;
  const address = server.address() as AddressInfo;
  return {
    url,
    urls,
    bound: address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`,
    mock,
    close: () => {
      closing ??= closeServer(server).then(() => mock.close());
      return closing;
    },
  };
}

/**
 * An HTTP server with slow-client limits, whose own protocol errors (a broken request line, headers over Node's
 * limit, a request that timed out) are answered with the mock's JSON error shape rather than Node's bare status.
 */
export function mockHttpServer(
  handler: Parameters<typeof createServer>[1],
  given: Partial<ServerTimeouts> = {},
  prototypes?: { request: object; response: object },
): Server {
  const timeouts = { ...defaultTimeouts, ...given };
  const server = createServer(
    {
      ...(prototypes ? madeAs(prototypes) : {}),
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
      // Node answers a Host-less HTTP/1.1 request with a bare 400 and no body; the mock answers it below instead.
      requireHostHeader: false,
    },
    (req, res) => {
      if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) {
        const body = JSON.stringify({
          error: 'bad_request',
          message: 'an HTTP/1.1 request must send a Host header (RFC 9112); send Host: 127.0.0.1:<port>',
        });
        res.writeHead(400, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
          Connection: 'close',
        });
        res.end(body);
        return;
      }
      handler?.(req, res);
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));
  return server;
}

/**
 * Request and response classes whose instances are born with the app's prototypes (an Express app's `request` and
 * `response`, which inherit Node's): Express then finds them already in place, where it would otherwise swap the
 * prototype of both objects on every request, which costs V8 a map change each time.
 */
function madeAs(prototypes: { request: object; response: object }) {
  function Request(this: IncomingMessage, socket: Socket) {
    IncomingMessage.call(this, socket);
  }
  function Response(this: ServerResponse, req: IncomingMessage, options?: unknown) {
    (ServerResponse as unknown as (this: ServerResponse, ...args: unknown[]) => void).call(this, req, options);
  }
  Request.prototype = prototypes.request;
  Response.prototype = prototypes.response;
  return {
    IncomingMessage: Request as unknown as typeof IncomingMessage,
    ServerResponse: Response as unknown as typeof ServerResponse,
  };
}

/** Node's parser and timeout errors as one JSON line; a socket that is already gone is just closed. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'the request headers are larger than the server accepts (16 KiB)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time; send headers and body without stalling']
        : [400, 'bad_request', `the request is not valid HTTP/1.1 (${error.code ?? 'parse error'})`];
  const body = JSON.stringify({ error: code, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Listen, turning the usual failures into coded errors that say what to do. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return Promise.reject(
      new ToolError('MCPC_USAGE', `port must be 0 to 65535, got ${port}`, 'for example --port 4010'),
    );
  }
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new ToolError(
            'MCPC_USAGE',
            `port ${port} on ${host} is already in use`,
            'stop what is using it, pick another with --port, or use --port 0 for any free port',
          ),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
        reject(new ToolError('MCPC_USAGE', `cannot listen on host '${host}': ${error.code}`, 'use --host 127.0.0.1'));
      } else if (error.code === 'EACCES') {
        reject(
          new ToolError('MCPC_USAGE', `not allowed to listen on port ${port}`, 'use a port above 1023, or --port 0'),
        );
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stop accepting, and end idle keep-alive connections so that close() does not wait for clients to leave. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Requests still in flight get a moment to finish; then their connections go too.
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  });
}

export function baseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
