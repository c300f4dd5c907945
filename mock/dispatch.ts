import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { delay } from './http.js';

/**
 * The operations' routes as one table, run without Express's per-layer dispatch. Express walks a request through
 * every layer of the app (and of each mounted router) with closures, mount-path trimming and parameter callbacks
 * on the way; a bare handler pays that once for its one route. Here the paths are still matched by Express's own
 * matchers — a router is built exactly as before and only its match functions are read — so what matches, how a
 * parameter is decoded, the optional trailing slash and case sensitivity stay Express's; only the walk is gone.
 */

export type RouteHandler = (req: Request, res: Response, next: NextFunction) => void | Promise<void>;

export interface OperationRoute {
  method: string;
  /** An Express path (`toExpressPath`), matched case-sensitively. */
  path: string;
  handle: RouteHandler;
}

/** What router 2 (Express 5) keeps per route: its path matcher and its methods. */
interface RouterLayer {
  match?: (path: string) => false | { params: Record<string, string> };
  route?: { methods?: Record<string, boolean | undefined> };
}

interface Entry {
  match: (path: string) => false | { params: Record<string, string> };
  /** Upper-case methods this route answers: its own, and HEAD where it answers GET (Express does the same). */
  methods: Set<string>;
  handle: RouteHandler;
}

/**
 * One middleware that routes `routes`, in order, as `express.Router({ caseSensitive: true })` would: the first route
 * whose path matches and that answers the method runs; a parameter that cannot be percent-decoded is Express's 400
 * error; a path no route takes goes on to the next middleware. `delayMs` (`--delay`) holds each matched request
 * that long before its handler. Where this Express keeps its routes in another shape, the router itself is
 * returned (the same answers, at Express's pace).
 */
export function operationDispatcher(routes: OperationRoute[], delayMs = 0): RouteHandler {
  const router = express.Router({ caseSensitive: true });
  const before = delayMs > 0 ? [delay(delayMs)] : [];
  for (const route of routes) router[route.method as 'get'](route.path, ...before, route.handle);
  const asItIs = router as unknown as RouteHandler;
  const layers = router.stack as unknown as RouterLayer[];
  const entries: Entry[] = [];
  for (const [i, layer] of layers.entries()) {
    const route = routes[i];
    const methods = layer.route?.methods;
    if (typeof layer.match !== 'function' || !methods || !route) return asItIs;
    const own = new Set(
      Object.keys(methods)
        .filter((m) => methods[m])
        .map((m) => m.toUpperCase()),
    );
    if (own.has('_ALL')) return asItIs;
    if (own.has('GET')) own.add('HEAD');
    entries.push({ match: layer.match.bind(layer), methods: own, handle: route.handle });
  }

  return (req, res, next) => {
    const path = req.path;
    let failed: unknown;
    for (const entry of entries) {
      let found: false | { params: Record<string, string> };
      try {
        found = entry.match(path);
      } catch (error) {
        // Express's own decoding error (a 400): later routes are still matched but none runs.
        failed ??= error;
        continue;
      }
      if (!found || failed !== undefined || !entry.methods.has(req.method)) continue;
      req.params = found.params;
      if (delayMs > 0) setTimeout(run, delayMs, entry.handle, req, res, next);
      else run(entry.handle, req, res, next);
      return;
    }
    next(failed);
  };
}

/** A route's handler as Express runs one: a throw or a rejected promise goes to the error handler. */
function run(handle: RouteHandler, req: Request, res: Response, next: NextFunction): void {
  try {
    const done = handle(req, res, next);
    if (done) done.then(undefined, (error: unknown) => next(error || new Error('Rejected promise')));
  } catch (error) {
    next(error);
  }
}

type ErrorLayer = (error: unknown, req: Request, res: Response, next: NextFunction) => void;
type AppHandle = (req: Request, res: Response, callback?: NextFunction) => void;

/**
 * The app's way in, replacing `app.handle` (which `app(req, res)`, a server and a parent app all call): it sets
 * the request up as Express does, then runs `first` — the origin check and the operations' table — and only a
 * request `first` passes on goes through Express's walk of the app's layers, from the top; an error `first`
 * passes on goes to `errors`, where that walk would have taken it. Express would swap the prototypes of `req` and
 * `res` on every request, which costs more than all the rest of the mock's work (expressjs/express#5998); where the
 * mock's own server made them with the app's prototypes already (mock/server.ts), nothing is swapped.
 */
export function frontDoor(app: Express, first: RouteHandler, errors: ErrorLayer): void {
  const inner = app as unknown as { handle: AppHandle; request: object; response: object };
  const viaExpress = inner.handle.bind(app);
  const { request, response } = inner;
  inner.handle = (req, res, callback) => {
    req.res = res;
    res.req = req;
    if (Object.getPrototypeOf(req) !== request) Object.setPrototypeOf(req, request);
    if (Object.getPrototypeOf(res) !== response) Object.setPrototypeOf(res, response);
    res.locals ??= Object.create(null);
    req.baseUrl ??= '';
    req.originalUrl ??= req.url;
    const onError = (error: unknown) => errors(error, req, res, callback ?? (() => {}));
    try {
      first(req, res, (error?: unknown) => {
        if (error) onError(error);
        else viaExpress(req, res, callback);
      });
    } catch (error) {
      onError(error);
    }
  };
}
