import type { NextFunction, Request, Response } from 'express';
import { type OriginPolicy, refuseForeign } from './origin.js';
import type { PathEntry } from './served.js';
import type { MockResponse } from './types.js';

/**
 * The parts of the mock that are about HTTP rather than any one API: the request log, CORS, latency, and the
 * JSON answers for paths and methods no spec has.
 */

/** Notes a route leaves for the request log line (`prefer 429`, `self-check failed`). */
export function noteFor(res: Response, note: string): void {
  const locals = res.locals as { mockNotes?: string[] };
  locals.mockNotes = [...(locals.mockNotes ?? []), note];
}

/** Path without the query string: query values can be credentials (`apiKey` in query), and logs keep none. */
export function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0] ?? req.originalUrl;
}

/**
 * One line per request, written when the response is finished: `10:42:07 DELETE /mcp 404 1ms`, plus notes the
 * route left (`prefer 429`, `self-check failed`). Never headers, bodies or query strings: they carry keys.
 */
export function requestLog(log: (line: string) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const write = (status: string) => {
      if (done) return;
      done = true;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const notes = (res.locals as { mockNotes?: string[] }).mockNotes ?? [];
      const time = new Date().toTimeString().slice(0, 8);
      log(
        `${time} ${req.method} ${pathOf(req)} ${status} ${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms${notes.length ? ` (${notes.join(', ')})` : ''}`,
      );
    };
    res.on('finish', () => write(String(res.statusCode)));
    // A client that hangs up before the answer: still one line, so nothing goes unseen.
    res.on('close', () => write('aborted'));
    next();
  };
}

export interface CorsOptions {
  /** Request headers the specs use (parameters, credentials): allowed in preflight when none are asked for. */
  requestHeaders: string[];
  /** Response headers the specs document (`mcp-session-id`, `Retry-After`): exposed to browser scripts. */
  exposedHeaders: string[];
  paths: PathEntry[];
  /** Which hosts and origins are served (origin.ts); read per request, so a fixtures reload applies at once. */
  policy: () => OriginPolicy;
}

/**
 * CORS for a frontend on another origin — only an allowed one: a foreign `Host` or `Origin` gets 403 before
 * anything else (origin.ts), so an origin is echoed (with credentials allowed, since the APIs take keys in
 * `Authorization`) only once it has passed. Documented response headers are exposed, and a preflight is
 * answered 204 with the methods of that path, so browser code can call the mock exactly as it will call the
 * real API.
 */
export function cors(options: CorsOptions) {
  const exposed = options.exposedHeaders.join(', ');
  const allowedHeaders = options.requestHeaders.join(', ');
  return (req: Request, res: Response, next: NextFunction): void => {
    const refused = refuseForeign(req.headers, options.policy());
    if (refused) {
      noteFor(res, refused.body.error.replace('_', ' '));
      res.status(refused.status).json(refused.body);
      return;
    }
    const origin = req.headers.origin;
    res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
    if (origin) {
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    if (exposed) res.setHeader('Access-Control-Expose-Headers', exposed);
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }

    const methods = methodsAt(options.paths, req.path);
    const allow = methods.length > 0 ? [...methods, 'OPTIONS'] : ['DELETE', 'GET', 'POST', 'PUT', 'PATCH', 'OPTIONS'];
    res.setHeader('Allow', allow.join(', '));
    if (req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', allow.join(', '));
      const asked = req.headers['access-control-request-headers'];
      res.setHeader('Access-Control-Allow-Headers', asked ?? allowedHeaders);
      res.setHeader('Access-Control-Max-Age', '600');
      if (asked) res.append('Vary', 'Access-Control-Request-Headers');
    }
    res.status(204).end();
  };
}

/** The documented methods at a concrete request path, in upper case. */
export function methodsAt(paths: PathEntry[], path: string): string[] {
  const methods = new Set<string>();
  for (const entry of paths) if (entry.match(path)) for (const m of entry.methods) methods.add(m);
  return [...methods].sort();
}

/** Added latency (`--delay MS`), for trying loading states in a UI. Prism has none. */
export function delay(ms: number) {
  return (_req: Request, _res: Response, next: NextFunction): void => {
    if (ms <= 0) next();
    else setTimeout(next, ms);
  };
}

/**
 * 405 with `Allow` for a known path and another method — in the API's own error shape where it has one — and a
 * 404 for a path no spec has; both JSON.
 */
export function notFound(
  paths: PathEntry[],
  ownAnswer?: (entry: PathEntry, method: string, path: string, allow: string[]) => MockResponse | undefined,
) {
  return (req: Request, res: Response): void => {
    const methods = methodsAt(paths, req.path);
    if (methods.length > 0) {
      const allow = [...methods, 'OPTIONS'];
      const entry = paths.find((p) => p.match(req.path));
      const own = entry ? ownAnswer?.(entry, req.method, req.path, allow) : undefined;
      if (own) {
        res.status(405).setHeader('Allow', allow.join(', '));
        for (const [name, value] of Object.entries(own.headers ?? {})) res.setHeader(name, value);
        res.json(own.body);
        return;
      }
      res
        .status(405)
        .setHeader('Allow', allow.join(', '))
        .json({
          error: 'method_not_allowed',
          message: `${req.method} is not documented for ${req.path}; allowed: ${methods.join(', ')}`,
        });
      return;
    }
    res.status(404).json({
      error: 'not_found',
      message: `no operation at ${req.method} ${req.path}; served: ${paths.map((p) => `${[...p.methods].join('|')} ${p.template}`).join(', ')}`,
    });
  };
}

/**
 * The last resort: Express's own errors (a path with broken percent-encoding) and handler crashes become one
 * JSON line for the client and one log line, never a stack trace.
 */
export function errorHandler(log: (line: string) => void) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: 'bad_request', message: (error as Error).message });
      return;
    }
    log(`error: ${req.method} ${pathOf(req)}: ${error instanceof Error ? error.message : String(error)}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(500).json({ error: 'mock_internal_error', message: 'the mock failed on this request; see its log' });
  };
}
