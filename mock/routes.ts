import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Operation } from '../core/operations.js';
import type { CompiledSpec } from '../core/validators.js';
import type { Handlers } from '../generated/operations.js';
import type { CannedTable } from './canned.js';
import { dynamicResponse } from './dynamic.js';
import type { Fixtures } from './fixtures.js';
import { clientValuesFor, hasBody, noteFor, reasonFor } from './http.js';
import { preferredResponse, readPreference } from './prefer.js';
import {
  bodyLimitBytes,
  describeBodyProblem,
  describeParameterProblem,
  readBody,
  readParameters,
  readRawBody,
} from './request.js';
import { authenticate, describeScheme } from './security.js';
import { type ResponseChecker, type SelfCheckViolation, wireBody } from './self-check.js';
import type { MockState } from './state.js';
import type { ApiBehaviour, BodyProblem, ErrorDetail, MockContext, MockResponse } from './types.js';

/**
 * One Express handler per operation, all the same pipeline, in the order a real API gateway works:
 * credentials → parameters → body → `Prefer` → the operation's handler → self-check → write. Everything but
 * the handler comes from the spec through the core; the handler holds only the API's business logic.
 */

/** A spec as the mock serves it: compiled once, its documented responses canned, its answers checkable. */
export interface ServedSpec {
  /** A bundled spec's name, or a served file's name without extension. */
  name: string;
  compiled: CompiledSpec;
  canned: CannedTable;
  check: ResponseChecker;
  behaviour: ApiBehaviour;
  /** What could not be served as the spec says (a media type no valid body could be built for), for the banner. */
  notices?: string[];
  /** Business logic for every operation of a spec file (mock/inferred.ts), in place of written handlers. */
  handle?: (
    operation: Operation,
    request: Parameters<DispatchHandler>[0],
    ctx: MockContext,
    accept: string | undefined,
  ) => MockResponse;
}

/** What the pipeline needs from the app that runs it. */
export interface Runtime {
  state: MockState;
  fixtures(): Fixtures;
  handlers: Handlers<MockContext>;
  selfCheck: boolean;
  log(line: string): void;
  recordViolation(violation: SelfCheckViolation): void;
  /** The seed of the next `Prefer: dynamic=true` answer: from `--seed`, one more per such request. */
  nextDynamicSeed(): number;
}

/** The generated per-operation handler types, seen from the dispatcher that has already validated the request. */
type DispatchHandler = (
  request: { path: unknown; query: unknown; header: unknown; body: unknown },
  ctx: MockContext,
) => MockResponse | Promise<MockResponse>;

export function operationRoute(runtime: Runtime, served: ServedSpec, operation: Operation) {
  const own = served.handle;
  const handler: DispatchHandler | undefined = own
    ? (request, ctx) => own(operation, request, ctx, ctx.accept)
    : (runtime.handlers[operation.operationId as keyof Handlers<MockContext>] as unknown as
        | DispatchHandler
        | undefined);
  const bodyProblemHandler = served.behaviour.bodyProblem?.[operation.operationId];

  // Nothing here waits unless something must: a request with no body to read and a handler that answers at once
  // is answered in the same tick, as a bare handler would (an await would put the write behind a microtask).
  return (req: Request, res: Response, next: NextFunction): void | Promise<void> => {
    const now = new Date();
    const send = (response: MockResponse) => sendChecked(runtime, served, operation, res, response, now);
    const crash = (error: unknown): void => {
      // The client left (or Node cut off a client that stalled, with its 408) while its body was read: nothing went
      // wrong in the mock, and the request log already says `aborted`.
      if ((error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET' || (req.destroyed && !res.headersSent))
        return;
      if (res.headersSent) {
        next(error);
        return;
      }
      // A crash in a handler is the mock's bug, but the client still gets the API's own 500, not a stack trace.
      runtime.log(
        `error: ${operation.label} (${served.name}): ${error instanceof Error ? error.message : String(error)}`,
      );
      send(
        apiError(served, operation, 500, { code: 'internal_error', message: 'the mock failed on this request' }, now),
      );
    };
    const fail = (status: number, detail: ErrorDetail) => {
      // The log says why even where the documented answer has no body to say it in (Petstore's bare 405).
      reasonFor(res, status, { message: detail.message });
      return send(apiError(served, operation, status, detail, now));
    };
    try {
      const query = req.query as Record<string, unknown>;

      const auth = authenticate(
        operation,
        { headers: req.headers, query },
        served.behaviour.apiKeys(runtime.fixtures()),
      );
      if (!auth.ok) {
        const how = auth.schemes.map(describeScheme).join(' or ');
        const status = auth.credential === 'missing' ? 401 : served.behaviour.wrongKeyStatus;
        return fail(status, {
          code: status === 403 ? 'forbidden' : 'unauthorized',
          message:
            auth.credential === 'missing'
              ? `Missing credentials: send ${how}`
              : `Invalid API key: it is not one of the keys this ${served.behaviour.title} mock accepts (see its fixtures)`,
        });
      }

      const { values, problems } = readParameters(served.compiled, operation, {
        path: req.params as Record<string, string>,
        query,
        headers: req.headers,
      });
      if (problems.length > 0) {
        return fail(400, { code: 'invalid_parameter', message: problems.map(describeParameterProblem).join('; ') });
      }

      const ctx: MockContext = {
        state: runtime.state,
        fixtures: runtime.fixtures(),
        principal: auth.principal,
        operation,
        now: () => now,
        log: runtime.log,
        accept: req.headers.accept,
      };
      const afterBody = (parsed: { body: unknown } | { problem: BodyProblem }): void | Promise<void> => {
        const body =
          'body' in parsed ? parsed.body : parsed.problem.kind === 'schema' ? parsed.problem.value : undefined;
        if (body !== undefined) clientValuesFor(res, jsonRpcNames(body));
        if ('problem' in parsed) {
          if (bodyProblemHandler) return send(bodyProblemHandler(parsed.problem, values, ctx));
          return fail(400, { code: 'invalid_request_body', message: describeBodyProblem(parsed.problem) });
        }

        const preference = readPreference(req.headers.prefer, query);
        if ('error' in preference) return fail(400, { code: 'invalid_prefer', message: preference.error });
        const wanted = preference.preference;
        if (wanted?.dynamic) {
          ctx.dynamicSeed = runtime.nextDynamicSeed();
          noteFor(res, 'prefer dynamic');
        }
        if (wanted && (wanted.code !== undefined || wanted.example !== undefined)) {
          const preferred = preferredResponse(operation, served.canned, wanted, req.headers.accept);
          if ('error' in preferred) return fail(400, { code: 'invalid_prefer', message: preferred.error });
          noteFor(res, `prefer ${preferred.response.status}`);
          // A named example is that example; `code=NNN, dynamic=true` is fresh data of that status.
          if (ctx.dynamicSeed !== undefined && wanted.example === undefined) {
            return send(dynamicResponse(served, operation, preferred.response, ctx.dynamicSeed));
          }
          return send(
            preferred.fromExample ? preferred.response : ownErrorFor(served, operation, preferred.response, now),
          );
        }

        if (!handler) {
          return fail(501, { code: 'not_implemented', message: `${operation.label} has no handler in this mock` });
        }
        const response = handler({ ...values, body: parsed.body }, ctx);
        if (isPromiseLike(response)) return Promise.resolve(response).then(send).then(undefined, crash);
        return send(response);
      };
      // A body sent to an operation that takes none is read up to the cap and dropped; past the cap, refused.
      if (!operation.requestBody && !hasBody(req)) return afterBody({ body: undefined });
      return readRawBody(req)
        .then((raw) => {
          if (!operation.requestBody && raw === 'too-large') {
            return fail(400, {
              code: 'invalid_request_body',
              message: `${describeBodyProblem({ kind: 'too-large', limit: `${bodyLimitBytes / 1024} KiB` })} (and ${operation.label} takes none)`,
            });
          }
          return readBody(served.compiled, operation, req.headers['content-type'], raw).then(afterBody);
        })
        .then(undefined, crash);
    } catch (error) {
      crash(error);
    }
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** The API's own error body for `status`, or a plain `{error, message}` where the operation documents none. */
export function apiError(
  served: ServedSpec,
  operation: Operation,
  status: number,
  detail: ErrorDetail,
  now: Date,
): MockResponse {
  return (
    served.behaviour.error(operation, status, detail, now) ?? {
      status,
      contentType: 'application/json',
      body: { error: detail.code, message: detail.message },
    }
  );
}

/**
 * A forced error status the spec gives no example for: the API's own error body (a real message, a fresh
 * timestamp, the right status inside the body) reads better than one built from the bare schema, which is kept
 * for statuses the API module has no error body for.
 */
function ownErrorFor(served: ServedSpec, operation: Operation, canned: MockResponse, now: Date): MockResponse {
  if (canned.status < 400 || !canned.contentType || !/json/i.test(canned.contentType)) return canned;
  const reason = STATUS_CODES[canned.status] ?? `Status ${canned.status}`;
  const own = served.behaviour.error(
    operation,
    canned.status,
    {
      code: reason.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
      message: `${reason} (answered because the request asked for it with Prefer: code=${canned.status})`,
    },
    now,
  );
  if (!own || own.contentType !== canned.contentType) return canned;
  return { ...own, headers: { ...canned.headers, ...own.headers } };
}

function sendChecked(
  runtime: Runtime,
  served: ServedSpec,
  operation: Operation,
  res: Response,
  response: MockResponse,
  now: Date,
): void {
  if (runtime.selfCheck && !response.unchecked) {
    const problems = (response.parts ?? [response]).flatMap((part) => served.check(operation, part, res.req.method));
    if (problems.length > 0) {
      const violation = { spec: served.name, operation: operation.label, status: response.status, problems };
      runtime.recordViolation(violation);
      runtime.log(
        `self-check: ${operation.label} (${served.name}) answered ${response.status}: ${problems.join('; ')}`,
      );
      noteFor(res, 'self-check failed');
      // The violating answer never leaves; a 500 in the API's error schema does (unchecked: if the spec documents
      // no 500 either, there is nothing valid left to send, and the log line above says why).
      writeResponse(
        res,
        apiError(
          served,
          operation,
          500,
          {
            code: 'mock_self_check_failed',
            message: `the mock's answer (${response.status}) does not match the spec: ${problems.join('; ')}`,
          },
          now,
        ),
      );
      return;
    }
  }
  writeResponse(res, response);
}

/** Write a checked answer: JSON bodies serialized, text bodies as they are, no body where there is none. */
export function writeResponse(res: Response, response: MockResponse): void {
  if (response.reason !== undefined) reasonFor(res, response.status, { message: response.reason });
  else reasonFor(res, response.status, response.body);
  res.status(response.status);
  if (response.headers) for (const name in response.headers) res.setHeader(name, response.headers[name] as string);
  const wire = wireBody(response);
  if (!wire) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', wire.contentType);
  if (/^text\/event-stream/i.test(wire.contentType)) res.setHeader('Cache-Control', 'no-cache');
  res.end(wire.text);
}

/** The methods MCP defines: names of the protocol, not the client's, so a log may show them. */
const protocolMethods = new Set([
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'logging/setLevel',
  'completion/complete',
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
  'tasks/get',
  'tasks/list',
  'tasks/cancel',
  'tasks/result',
]);

/** A JSON-RPC body's method and tool names the client chose (one message or a batch), for the log to mask. */
function jsonRpcNames(body: unknown): string[] {
  const names: string[] = [];
  for (const message of Array.isArray(body) ? body : [body]) {
    if (!message || typeof message !== 'object') continue;
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (typeof method === 'string' && !protocolMethods.has(method) && !method.startsWith('notifications/')) {
      names.push(method);
    }
    if (params && typeof params === 'object' && typeof params.name === 'string') names.push(params.name);
  }
  return names;
}
