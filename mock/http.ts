import type { NextFunction, Request, Response } from 'express';
import { type OriginPolicy, refuseForeign } from './origin.js';
import { bodyLimitBytes, readRawBody } from './request.js';
import { type PathEntry, reservedPrefix } from './served.js';
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
 * Control characters as visible escapes (`\n`, `\x1b`, `\u2028`): a client-chosen text in a log line can then
 * neither start a forged line nor send escape codes to the terminal that shows the log.
 */
export function escapeControl(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    if (!control) out += c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else out += code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  }
  return out;
}

/** A client's value as a log may show it: its first 4 characters of 8 or more, else nothing of it. */
export function maskValue(value: string): string {
  return value.length >= 8 ? `${value.slice(0, 4)}…` : '…';
}

/** Headers whose values are the spec's own media types and framing, named in reasons and never secret. */
const plainHeaders = new Set([
  'accept',
  'accept-encoding',
  'connection',
  'content-length',
  'content-type',
  'mcp-protocol-version',
  'transfer-encoding',
]);

/** Words of the `Prefer` and `Authorization` grammars, not the client's own values. */
const grammarWords = new Set(['code', 'example', 'dynamic', 'true', 'false', 'basic', 'bearer']);

/** Values from a request body that a reason may quote (a JSON-RPC method or tool name), left by the route. */
export function clientValuesFor(res: Response, values: string[]): void {
  const locals = res.locals as { mockClientValues?: string[] };
  locals.mockClientValues = [...(locals.mockClientValues ?? []), ...values];
}

/**
 * A reason for the log without what the client sent: every header value (session and account ids, keys, `Host`,
 * `Origin`, `Prefer`), query value and body value the route named is replaced by its mask wherever the mock's
 * message quotes it; then control characters are escaped.
 */
export function logSafe(text: string, req: Request, res: Response): string {
  const values: string[] = [...((res.locals as { mockClientValues?: string[] }).mockClientValues ?? [])];
  for (const [name, value] of Object.entries(req.headers)) {
    if (plainHeaders.has(name) || value === undefined) continue;
    // Each part of a structured value too (`Prefer: example=…`), as a reason may quote just that part — but not
    // the grammar's own words and numbers (`Prefer: code=418 is not documented` stays readable).
    for (const whole of Array.isArray(value) ? value : [value]) {
      const parts = whole.split(/[\s,;=]+/).filter((p) => !/^\d+$/.test(p) && !grammarWords.has(p.toLowerCase()));
      values.push(...(name === 'prefer' ? [] : [whole]), ...parts);
    }
  }
  const addQuery = (value: unknown): void => {
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) for (const v of value) addQuery(v);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) addQuery(v);
  };
  addQuery(req.query);
  let safe = text;
  // Longest first, so that a value containing another is masked whole.
  for (const value of [...new Set(values)].filter((v) => v.length >= 3).sort((a, b) => b.length - a.length)) {
    // Case-insensitively: a reason may quote a value normalised (an Origin or Host in lower case).
    safe = safe.replace(new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), maskValue(value));
  }
  return escapeControl(safe);
}

export type LogFormat = 'text' | 'json';

/** Why an answer is what it is, for the log: a JSON-RPC error's code and message, or a 4xx/5xx's message. */
export interface AnswerReason {
  rpcCode?: number;
  message: string;
}

/**
 * The reason in an answer the mock wrote itself — a JSON-RPC `error` (in JSON or in the data of an SSE event),
 * else the message of an error status (`message`, `detail` or `error`, the shapes the three APIs use). It is
 * the mock's own text, never a header or a body the client sent.
 */
export function reasonOf(status: number, body: unknown): AnswerReason | undefined {
  let value = body;
  if (typeof value === 'string') {
    if (!value.includes('"error"')) return undefined;
    const data = /^data: (.*)$/m.exec(value)?.[1];
    try {
      value = data ? JSON.parse(data) : undefined;
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const rpc = record.error as { code?: unknown; message?: unknown } | undefined;
  if (rpc && typeof rpc === 'object' && typeof rpc.code === 'number') {
    return { rpcCode: rpc.code, message: String(rpc.message ?? '').slice(0, 200) };
  }
  if (status < 400) return undefined;
  const message = [record.message, record.detail, record.error].find((m) => typeof m === 'string');
  return typeof message === 'string' ? { message: message.slice(0, 200) } : undefined;
}

/** A JSON answer of the mock's own, its reason left for the log line. */
export function sendJson(res: Response, status: number, body: Record<string, unknown>): void {
  reasonFor(res, status, body);
  res.status(status).json(body);
}

/** Leave the reason of an answer for the request log line. */
export function reasonFor(res: Response, status: number, body: unknown): void {
  const reason = reasonOf(status, body);
  if (reason) (res.locals as { mockReason?: AnswerReason }).mockReason = reason;
}

/**
 * One line per request, written when the response is finished: `10:42:07 DELETE /mcp 404 1.0ms MCP session
 * '3f2a…' not found`, `10:42:08 POST /mcp 200 0.9ms -32602 Unknown tool: no-s…`, plus notes the route left
 * (`prefer 429`, `self-check failed`); or the same as one JSON object per line (`--log-format json`). Never
 * headers, bodies or query strings: they carry keys.
 */
const logged = new WeakSet<Response>();
/** Requests the mock handed back to the app it is mounted in: theirs to log, not the mock's. */
const handedBack = new WeakSet<Response>();

/** This request is not the mock's (mounted, a path no spec has): no line in the mock's log. */
export function handBack(res: Response): void {
  handedBack.add(res);
}

export function requestLog(log: (line: string) => void, format: LogFormat = 'text') {
  return (req: Request, res: Response, next: NextFunction): void => {
    // One line per request, even where the request passes this layer twice (the app's front door, then Express).
    if (logged.has(res)) {
      next();
      return;
    }
    logged.add(res);
    const started = process.hrtime.bigint();
    let done = false;
    const write = (status: string) => {
      if (done || handedBack.has(res)) return;
      done = true;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const locals = res.locals as { mockNotes?: string[]; mockReason?: AnswerReason };
      const notes = locals.mockNotes ?? [];
      // An answer the client forced with Prefer has no reason of the mock's: the note says why.
      const given = notes.some((n) => n.startsWith('prefer ')) ? undefined : locals.mockReason;
      const reason = given && { ...given, message: logSafe(given.message, req, res) };
      const method = escapeControl(req.method);
      const path = escapeControl(pathOf(req));
      if (format === 'json') {
        log(
          JSON.stringify({
            time: new Date().toISOString(),
            method,
            path,
            status: status === 'aborted' ? null : Number(status),
            ms: Math.round(ms * 10) / 10,
            ...(status === 'aborted' ? { aborted: true } : {}),
            ...(reason?.rpcCode !== undefined ? { rpcCode: reason.rpcCode } : {}),
            ...(reason ? { reason: reason.message } : {}),
            ...(notes.length ? { notes } : {}),
          }),
        );
        return;
      }
      const time = new Date().toTimeString().slice(0, 8);
      const why = reason ? ` ${reason.rpcCode !== undefined ? `${reason.rpcCode} ` : ''}${reason.message}` : '';
      log(
        `${time} ${method} ${path} ${status} ${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms${why}${notes.length ? ` (${notes.join(', ')})` : ''}`,
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
  /** What serves a request that passed, other than a preflight (default: the next middleware); one layer less. */
  serve?: (req: Request, res: Response, next: NextFunction) => void;
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
    const refused = refuseForeign(req.headers, options.policy(), isOwnRoute(req.path));
    if (refused) {
      reasonFor(res, refused.status, refused.body);
      res.status(refused.status).json(refused.body);
      return;
    }
    // Only a browser sends Origin, and only a browser reads CORS headers: without one, none are sent (a `*`
    // would let any page read answers that need no credentials, such as /__mock/state).
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (exposed) res.setHeader('Access-Control-Expose-Headers', exposed);
    }
    if (req.method !== 'OPTIONS') {
      if (options.serve) options.serve(req, res, next);
      else next();
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

/** The mock's own routes, `/__mock` and under it. */
export function isOwnRoute(path: string): boolean {
  return path === reservedPrefix || path.startsWith(`${reservedPrefix}/`);
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
        reasonFor(res, 405, own.body);
        res.status(405).setHeader('Allow', allow.join(', '));
        for (const [name, value] of Object.entries(own.headers ?? {})) res.setHeader(name, value);
        res.json(own.body);
        return;
      }
      res.setHeader('Allow', allow.join(', '));
      sendJson(res, 405, {
        error: 'method_not_allowed',
        message: `${req.method} is not documented for ${req.path}; allowed: ${methods.join(', ')}`,
      });
      return;
    }
    // The served paths help with a typo in a small spec; GitHub's would make every 404 43 KB: the first few, then
    // how many more.
    const shown = paths.slice(0, maxPathsNamed).map((p) => `${[...p.methods].join('|')} ${p.template}`);
    const more =
      paths.length > maxPathsNamed ? ` and ${paths.length - maxPathsNamed} more (the spec lists them all)` : '';
    sendJson(res, 404, {
      error: 'not_found',
      message: `no operation at ${req.method} ${req.path}; served: ${shown.join(', ')}${more}`,
    });
  };
}

/** How many served paths a 404 names. */
export const maxPathsNamed = 12;

/**
 * The last resort: Express's own errors (a path with broken percent-encoding) and handler crashes become one
 * JSON line for the client and one log line, never a stack trace.
 */
export function errorHandler(log: (line: string) => void) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendJson(res, status, { error: 'bad_request', message: (error as Error).message });
      return;
    }
    log(
      `error: ${escapeControl(req.method)} ${escapeControl(pathOf(req))}: ${logSafe(error instanceof Error ? error.message : String(error), req, res)}`,
    );
    if (res.headersSent) {
      res.end();
      return;
    }
    sendJson(res, 500, { error: 'mock_internal_error', message: 'the mock failed on this request; see its log' });
  };
}

/** Whether the request says it has a body (a length above 0, or chunks). */
export function hasBody(req: Request): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/**
 * The 1 MiB body cap on routes that take no body (`/__mock/*`, unknown paths): such a body is read up to the cap
 * and dropped, and one past it is a JSON 413 — never taken in whole because nothing looks at it.
 */
export function capBody() {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (hasBody(req) && (await readRawBody(req)) === 'too-large') {
      sendJson(res, 413, {
        error: 'payload_too_large',
        message: `the request body is larger than ${bodyLimitBytes / 1024} KiB (and ${req.method} ${pathOf(req)} takes none)`,
      });
      return;
    }
    next();
  };
}
