import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import express from 'express';
import { describeError, ToolError } from '../core/errors.js';
import { type BundledSpecName, bundledSpecNames } from '../core/paths.js';
import type { Handlers } from '../generated/operations.js';
import { frontDoor, type OperationRoute, operationDispatcher } from './dispatch.js';
import { requestSeed } from './dynamic.js';
import {
  defaultFixtures,
  type Fixtures,
  type FixturesInput,
  loadFixturesFile,
  resolveFixtures,
  type StackOneSessionLimits,
} from './fixtures.js';
import { handlers as defaultHandlers } from './handlers.js';
import {
  capBody,
  cors,
  delay,
  errorHandler,
  handBack,
  type LogFormat,
  methodsAt,
  notFound,
  requestLog,
  sendJson,
} from './http.js';
import { createInferredStore, type InferredStore, servedFile } from './inferred.js';
import { type OriginPolicy, originPolicy } from './origin.js';
import { operationRoute, type Runtime, type ServedSpec } from './routes.js';
import type { SelfCheckViolation } from './self-check.js';
import { type PathEntry, pathTable, reservedPrefix, servedSpec } from './served.js';
import { createState, type MockState, resetState, stateSnapshot } from './state.js';
import type { MockContext } from './types.js';

/**
 * The reference implementation of the three APIs as one Express app, built from the specs: every route,
 * parameter, body, credential check and documented response comes from `compileSpec` and the operation index;
 * the handlers in `mock/<api>/` hold only business logic. `createMockApp` never listens — `startMockServer`
 * (mock/server.ts) does — so tests drive it in-process with supertest.
 */

export interface MockOptions {
  /** Which bundled specs to serve (default: all three, unless `specFiles` are given). */
  specs?: BundledSpecName[];
  /** OpenAPI 3.0/3.1 files to serve too, with state inferred from their paths (mock/inferred.ts). */
  specFiles?: string[];
  /** A fixtures file path, or fixtures as data — sections left out keep their default (default: mock/fixtures.json). */
  fixtures?: string | FixturesInput;
  /** Validate every answer against the spec before it leaves; a violation becomes a 500 and a log line. */
  selfCheck?: boolean;
  /** Added latency per request, in milliseconds. */
  delayMs?: number;
  /** Where request log lines and notices (self-check findings, fixture reloads) go (default: nowhere). */
  log?: (line: string) => void;
  /** `text` (default) or `json`: one JSON object per request line, for tools that parse logs. */
  logFormat?: LogFormat;
  /** One log line per request (default true); notices are logged either way. */
  logRequests?: boolean;
  /** Reload the fixtures file when it changes (only when `fixtures` is a path). */
  watchFixtures?: boolean;
  /** Replace handlers, e.g. with a deliberately broken one to show that the self-check or conformance catches it. */
  handlers?: Partial<Handlers<MockContext>>;
  /** The address the server binds (default 127.0.0.1): requests must name it (or a loopback name) in `Host`. */
  host?: string;
  /** Browser origins served beyond the loopback ones (`--allow-origin`); the fixtures' `allowedOrigins` add more. */
  allowedOrigins?: string[];
  /** StackOne MCP session limits, over those of the fixtures (and of every reload of them): `--session-idle-timeout`, `--max-sessions`. */
  sessionLimits?: StackOneSessionLimits;
  /** Seed of `Prefer: dynamic=true` data (`--seed`, default 1): the same seed, the same answers to the same requests. */
  seed?: number;
}

export interface MockApp {
  app: express.Express;
  state: MockState;
  /** Back to the fixtures: every session, connection and server as at start. */
  reset(): void;
  /** Stop watching the fixtures file. The app holds nothing else open. */
  close(): Promise<void>;
  /** Self-check violations so far (the answers that were replaced by a 500): tests assert it stays empty. */
  violations: SelfCheckViolation[];
  /** The specs served, compiled, with their operations. */
  served: ServedSpec[];
  /** Every served path template with its methods (base paths included). */
  paths: PathEntry[];
  /** The fixtures in force now (after any reload). */
  fixtures(): Fixtures;
}

export async function createMockApp(options: MockOptions = {}): Promise<MockApp> {
  const files = unique((options.specFiles ?? []).map((f) => resolve(f)));
  const names =
    options.specs && options.specs.length > 0 ? unique(options.specs) : files.length > 0 ? [] : [...bundledSpecNames];
  for (const name of names) {
    if (!(bundledSpecNames as readonly string[]).includes(name)) {
      throw new ToolError(
        'MCPC_USAGE',
        `the mock serves bundled specs only; '${name}' is not one (${bundledSpecNames.join(', ')})`,
        'for your own spec use --engine prism, or add a handler module for it under mock/',
      );
    }
  }
  const log = options.log ?? (() => {});
  const fixturesFile = typeof options.fixtures === 'string' ? resolve(options.fixtures) : undefined;
  // Limits from the command line win over the fixtures', also after a reload of the fixtures file.
  const limited = (given: Fixtures): Fixtures =>
    options.sessionLimits
      ? {
          ...given,
          stackone: { ...given.stackone, sessionLimits: { ...given.stackone.sessionLimits, ...options.sessionLimits } },
        }
      : given;
  let fixtures = limited(loadInitialFixtures(options.fixtures, fixturesFile));
  let state: MockState | undefined;
  // A served file's store is made on first use, and again after a reset or a reload: from the fixtures' records.
  const storeOf = (name: string, seed: (store: InferredStore, fixtures: Fixtures) => string[]) => () => {
    const inferred = (state as MockState).inferred;
    let store = inferred.get(name);
    if (!store) {
      store = createInferredStore();
      for (const problem of seed(store, fixtures)) log(`${name}: ${problem}`);
      inferred.set(name, store);
    }
    return store;
  };
  const served = [
    ...(await Promise.all(names.map((name) => servedSpec(name)))),
    ...(await Promise.all(files.map((file) => servedFile(file, storeOf)))),
  ];
  const paths = pathTable(served);
  state = createState(fixtures);
  const violations: SelfCheckViolation[] = [];
  let dynamicCount = 0;

  const runtime: Runtime = {
    state,
    fixtures: () => fixtures,
    handlers: { ...defaultHandlers, ...options.handlers } as Handlers<MockContext>,
    selfCheck: options.selfCheck === true,
    log,
    recordViolation: (v) => violations.push(v),
    nextDynamicSeed: () => requestSeed(options.seed ?? 1, dynamicCount++),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const logLayer = options.logRequests !== false ? requestLog(log, options.logFormat) : undefined;
  if (logLayer) app.use(logLayer);
  // Made again only when the fixtures change (a reload), not on every request.
  let policyOf: { fixtures: Fixtures; policy: OriginPolicy } | undefined;
  const policy = () => {
    if (policyOf?.fixtures !== fixtures) {
      const origins = [...(options.allowedOrigins ?? []), ...(fixtures.allowedOrigins ?? [])];
      policyOf = { fixtures, policy: originPolicy(options.host ?? '127.0.0.1', origins) };
    }
    return policyOf.policy;
  };
  // Nothing a bare handler would not do: every operation in one table by its full path (base path included),
  // matched by Express's own matchers but run without its walk through layers and mounted routers
  // (mock/dispatch.ts), straight from the CORS and origin check; a request for an operation never meets the
  // mock's own routes or a delay layer. The specs with a base path come first, so that their requests do not try
  // every route of the specs served at `/` before their own. Paths are case-sensitive in OpenAPI (the base path
  // too); Express's default is not.
  const byBasePath = [...served].sort(
    (a, b) => (b.compiled.index.basePath || '/').length - (a.compiled.index.basePath || '/').length,
  );
  const routes: OperationRoute[] = [];
  for (const spec of byBasePath) {
    const operations = [...spec.compiled.operations].sort(
      (a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0),
    );
    for (const operation of operations) {
      routes.push({
        method: operation.method,
        path: toExpressPath(`${spec.compiled.index.basePath}${operation.path}`),
        handle: operationRoute(runtime, spec, operation),
      });
    }
  }
  const dispatch = operationDispatcher(routes, options.delayMs ?? 0);
  const front = cors({ ...corsOptions(served, paths), policy, serve: dispatch });
  app.use(front);

  // The mock's own routes, one layer under the reserved prefix.
  const own = express.Router();
  own.use(capBody());
  own.get('/state', (_req, res) => {
    for (const spec of served) spec.behaviour.sweep?.(state, fixtures, new Date());
    res.json(stateSnapshot(state));
  });
  own.post('/reset', (_req, res) => {
    resetState(state, fixtures);
    res.json({ reset: true, state: stateSnapshot(state) });
  });
  own.use((req, res) => {
    const known = req.path === '/state' ? 'GET' : req.path === '/reset' ? 'POST' : undefined;
    if (known) {
      res.setHeader('Allow', `${known}, OPTIONS`);
      sendJson(res, 405, {
        error: 'method_not_allowed',
        message: `${req.method} is not allowed on ${reservedPrefix}${req.path}; use ${known}`,
      });
      return;
    }
    sendJson(res, 404, {
      error: 'not_found',
      message: `the mock's own routes are GET ${reservedPrefix}/state and POST ${reservedPrefix}/reset`,
    });
  });
  app.use(reservedPrefix, own);

  // Mounted in another Express app (`parent.use('/api', mock.app)`), a path no spec has is the parent's: its own
  // routes after the mount answer it, body unread. Served on its own, the mock answers it (404 below).
  app.use((req, res, next) => {
    if ((app as { parent?: unknown }).parent !== undefined && methodsAt(paths, req.path).length === 0) {
      handBack(res);
      next('router');
    } else next();
  });
  // Answers for unknown paths and methods are held as long as the operations' (--delay); the mock's own are not.
  if ((options.delayMs ?? 0) > 0) app.use(delay(options.delayMs ?? 0));
  app.use(capBody());
  app.use(
    notFound(paths, (entry, method, path, allow) =>
      served.find((spec) => spec.name === entry.spec)?.behaviour.methodNotAllowed?.(method, path, allow, new Date()),
    ),
  );
  const errors = errorHandler(log);
  app.use(errors);
  // An operation's request is answered from the front door (mock/dispatch.ts), without Express's walk through the
  // app's layers; anything else falls through to that walk and meets the same layers as before.
  frontDoor(app, logLayer ? (req, res, next) => logLayer(req, res, () => front(req, res, next)) : front, errors);

  let watcher: FSWatcher | undefined;
  if (fixturesFile && options.watchFixtures) {
    watcher = watchFixtures(
      fixturesFile,
      (next) => {
        fixtures = limited(next);
        resetState(state, fixtures);
        log(`fixtures reloaded from ${fixturesFile}; state reset`);
      },
      log,
    );
  }

  return {
    app,
    state,
    reset: () => resetState(state, fixtures),
    close: async () => {
      watcher?.close();
    },
    violations,
    served,
    paths,
    fixtures: () => fixtures,
  };
}

function loadInitialFixtures(given: MockOptions['fixtures'], file: string | undefined): Fixtures {
  if (file) return loadFixturesFile(file);
  if (given && typeof given === 'object') return resolveFixtures(given, 'fixtures given to createMockApp');
  return defaultFixtures();
}

/**
 * Editors save by writing a new file and renaming it over the old one, which ends a watch on the file itself;
 * watching its folder and filtering by name survives that. Changes are debounced, and a file that no longer
 * loads keeps the previous fixtures (and says why) rather than taking the server down.
 */
function watchFixtures(file: string, apply: (fixtures: Fixtures) => void, log: (line: string) => void): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  const name = basename(file);
  const watcher = watch(dirname(file), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        apply(loadFixturesFile(file));
      } catch (error) {
        log(
          `fixtures not reloaded, keeping the previous ones: ${error instanceof ToolError ? error.toLine() : describeError(error)}`,
        );
      }
    }, 100);
    timer.unref();
  });
  watcher.unref();
  return watcher;
}

/** `/connect/{namespace}/{connectionId}` → `/connect/:"namespace"/:"connectionId"` (path-to-regexp 8). */
export function toExpressPath(template: string): string {
  return template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (param) return `:"${param[1]?.replace(/["\\]/g, '\\$&')}"`;
      return part.replace(/[()[\]{}?+!*:\\]/g, '\\$&');
    })
    .join('');
}

function corsOptions(served: ServedSpec[], paths: PathEntry[]) {
  const requestHeaders = new Set(['Authorization', 'Content-Type', 'Accept', 'Prefer']);
  const exposedHeaders = new Set<string>();
  for (const spec of served) {
    for (const scheme of spec.compiled.index.securitySchemes.values()) {
      if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.paramName) requestHeaders.add(scheme.paramName);
    }
    for (const op of spec.compiled.operations) {
      for (const p of op.parameters) if (p.in === 'header') requestHeaders.add(p.name);
      for (const r of op.responses) for (const h of r.headers) exposedHeaders.add(h.name);
    }
  }
  exposedHeaders.add('Allow');
  return { requestHeaders: [...requestHeaders], exposedHeaders: [...exposedHeaders], paths };
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}
