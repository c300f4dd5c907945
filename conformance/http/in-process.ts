import type { HttpResponse } from '../types.js';
import type { HttpClient, HttpRequest, HttpResult } from './client.js';

/**
 * An HttpClient without sockets: each request is answered by a function. The engine's behaviour (case outcomes,
 * back-off, cleanup, interruption, Prefer probing) is unit-tested against it as tables, in milliseconds.
 *
 * A reply is a response (`status`, optional `headers`/`body`), `'timeout'` (the target hung: `ETIMEDOUT`, as the
 * network client reports it) or `'refused'` (a network error). `delayMs` holds the reply back; an aborted signal
 * ends the wait with `EABORTED`, as the network client does.
 */
export type InProcessReply =
  | { status: number; headers?: Record<string, string>; body?: string | undefined; delayMs?: number }
  | 'timeout'
  | 'refused';

export type InProcessHandler = (request: HttpRequest) => InProcessReply | Promise<InProcessReply>;

export interface InProcessClient extends HttpClient {
  /** Every request the handler was asked, in order. */
  readonly requests: HttpRequest[];
  closed: boolean;
}

export function createInProcessClient(handler: InProcessHandler): InProcessClient {
  const requests: HttpRequest[] = [];
  const client: InProcessClient = {
    requests,
    closed: false,
    async send(request, signal) {
      requests.push(request);
      if (signal?.aborted) return abortedResult;
      const started = performance.now();
      let reply: InProcessReply;
      try {
        reply = await handler(request);
      } catch (error) {
        return { ok: false, timedOut: false, error: { code: 'EHANDLER', message: (error as Error).message } };
      }
      if (reply === 'timeout') {
        return {
          ok: false,
          timedOut: true,
          error: { code: 'ETIMEDOUT', message: 'no complete response (in-process)' },
        };
      }
      if (reply === 'refused') {
        return {
          ok: false,
          timedOut: false,
          error: { code: 'ECONNREFUSED', message: 'connection refused (in-process)' },
        };
      }
      if (reply.delayMs && !(await wait(reply.delayMs, signal))) return abortedResult;
      const body = reply.body ?? '';
      const response: HttpResponse = {
        status: reply.status,
        headers: Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
        body,
        bodyBytes: Buffer.byteLength(body),
        truncated: false,
        elapsedMs: Math.round(performance.now() - started),
      };
      return { ok: true, response } satisfies HttpResult;
    },
    close() {
      client.closed = true;
    },
  };
  return client;
}

const abortedResult: HttpResult = {
  ok: false,
  timedOut: false,
  error: { code: 'EABORTED', message: 'the run stopped before the response came' },
};

/** True when the time passed, false when the signal cut the wait short. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
