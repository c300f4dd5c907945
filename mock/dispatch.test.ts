import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { toExpressPath } from './app.js';
import { frontDoor, type OperationRoute, operationDispatcher, type RouteHandler } from './dispatch.js';

/**
 * The dispatcher must route exactly as Express does: each request below goes to an app that mounts the same routes
 * on `express.Router({ caseSensitive: true })` and to one that uses the dispatcher, and both must give the same
 * answer — which route ran and with which parameters, or which error, or that no route took it.
 */

const templates: Array<[string, string]> = [
  ['get', '/pets'],
  ['post', '/pets'],
  ['get', '/pets/mine'],
  ['get', '/pets/{petId}'],
  ['delete', '/pets/{petId}'],
  ['head', '/pets/{petId}/photo'],
  ['get', '/pets/{petId}/photo'],
  ['get', '/files/{name}.{ext}'],
  ['put', '/v1/deepagents/mcp-servers/{mcp_server_id}'],
];

function routes(): OperationRoute[] {
  return templates.map(([method, template], i) => ({
    method,
    path: toExpressPath(template),
    handle: (req: Request, res: Response) => {
      res.json({ route: i, method: req.method, params: req.params });
    },
  }));
}

function appWith(install: (app: express.Express) => void) {
  const app = express();
  install(app);
  app.use((req: Request, res: Response) => {
    res.status(404).json({ unrouted: `${req.method} ${req.path}` });
  });
  app.use((error: { status?: number; message: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ error: error.message });
  });
  return app;
}

const viaExpress = appWith((app) => {
  const router = express.Router({ caseSensitive: true });
  for (const route of routes()) router[route.method as 'get'](route.path, route.handle);
  app.use(router);
});
const viaDispatcher = appWith((app) => {
  app.use(operationDispatcher(routes()));
});

const requests: Array<[string, string]> = [
  ['GET', '/pets'],
  ['POST', '/pets'],
  ['GET', '/pets/'],
  ['GET', '/pets//'],
  ['GET', '/pets/mine'],
  ['GET', '/pets/7'],
  ['DELETE', '/pets/7/'],
  ['DELETE', '/PETS/7'],
  ['PATCH', '/pets/7'],
  ['GET', '/pets/caf%C3%A9'],
  ['GET', '/pets/a%2Fb'],
  ['GET', '/pets/%E0%A4%A'],
  ['DELETE', '/pets/%E0%A4%A'],
  ['HEAD', '/pets/7'],
  ['HEAD', '/pets/7/photo'],
  ['GET', '/pets/7/photo?size=small'],
  ['HEAD', '/pets'],
  ['GET', '/files/report.final.pdf'],
  ['GET', '/files/report'],
  ['PUT', '/v1/deepagents/mcp-servers/3fa85f64-5717-4562-b3fc-2c963f66afa6'],
  ['PUT', '/V1/deepagents/mcp-servers/x'],
  ['PUT', '/v1/deepagents'],
  ['GET', '/nowhere'],
];

async function answer(app: express.Express, method: string, path: string) {
  const res = await request(app)[method.toLowerCase() as 'get'](path);
  return { status: res.status, body: res.text, allow: res.headers.allow };
}

describe('operationDispatcher routes as Express does', () => {
  it.each(requests)('%s %s', async (method, path) => {
    const theirs = await answer(viaExpress, method, path);
    expect(await answer(viaDispatcher, method, path)).toEqual(theirs);
  });

  it('runs a route, passes on what no route takes, and turns broken percent-encoding into a 400', async () => {
    // The comparison above would pass for two apps that both never route: show that these answers differ.
    expect((await answer(viaDispatcher, 'GET', '/pets/7')).body).toBe(
      '{"route":3,"method":"GET","params":{"petId":"7"}}',
    );
    expect((await answer(viaDispatcher, 'GET', '/nowhere')).status).toBe(404);
    expect((await answer(viaDispatcher, 'GET', '/pets/%E0%A4%A')).status).toBe(400);
  });

  it('turns a handler that throws or rejects into the error handler’s answer', async () => {
    const failing = (handle: OperationRoute['handle']) =>
      appWith((app) => {
        app.use(operationDispatcher([{ method: 'get', path: '/x', handle }]));
      });
    const thrown = failing(() => {
      throw Object.assign(new Error('thrown'), { status: 418 });
    });
    const rejected = failing(async () => {
      throw Object.assign(new Error('rejected'), { status: 409 });
    });
    expect(await answer(thrown, 'GET', '/x')).toMatchObject({ status: 418, body: '{"error":"thrown"}' });
    expect(await answer(rejected, 'GET', '/x')).toMatchObject({ status: 409, body: '{"error":"rejected"}' });
  });

  it('holds a matched request for the delay, and not one no route takes', async () => {
    const slow = appWith((app) => {
      app.use(operationDispatcher(routes(), 150));
    });
    let started = Date.now();
    expect((await answer(slow, 'GET', '/pets/7')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    started = Date.now();
    expect((await answer(slow, 'GET', '/nowhere')).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(140);
  });
});

describe('frontDoor: what it answers skips Express’s walk, the rest takes it as before', () => {
  /** An app whose every walk through its layers is counted, with a front door that answers `GET /front`. */
  function doorApp(first?: RouteHandler) {
    const walks: string[] = [];
    const app = express();
    app.use((req, _res, next) => {
      walks.push(req.path);
      next();
    });
    app.get('/walked', (req, res) => {
      res.json({ walked: true, baseUrl: req.baseUrl, originalUrl: req.originalUrl });
    });
    const errors = (error: { status?: number; message: string }, _req: Request, res: Response, _next: NextFunction) => {
      res.status(error.status ?? 500).json({ error: error.message });
    };
    app.use(errors);
    frontDoor(
      app,
      first ??
        ((req, res, next) => {
          if (req.path === '/front') res.json({ front: true, baseUrl: req.baseUrl, viaExpressApi: req.get('x-a') });
          else next();
        }),
      errors as Parameters<typeof frontDoor>[2],
    );
    return { app, walks };
  }

  it('answers its own without a walk, with Express’s request and response (req.get, res.json) in place', async () => {
    const { app, walks } = doorApp();
    const res = await request(app).get('/front').set('x-a', 'b');
    expect(res.body).toEqual({ front: true, baseUrl: '', viaExpressApi: 'b' });
    expect(walks).toEqual([]);
  });

  it('passes anything else to one walk from the top, as if it had not been there', async () => {
    const { app, walks } = doorApp();
    const res = await request(app).get('/walked?x=1');
    expect(res.body).toEqual({ walked: true, baseUrl: '', originalUrl: '/walked?x=1' });
    expect(walks).toEqual(['/walked']);
    expect((await request(app).get('/nowhere')).status).toBe(404);
  });

  it('sends what it throws, or passes on as an error, to the error layer rather than taking the server down', async () => {
    const thrown = doorApp(() => {
      throw Object.assign(new Error('thrown in front'), { status: 418 });
    });
    expect(await answer(thrown.app, 'GET', '/anything')).toMatchObject({
      status: 418,
      body: '{"error":"thrown in front"}',
    });
    const passed = doorApp((_req, _res, next) => next(Object.assign(new Error('passed on'), { status: 409 })));
    expect(await answer(passed.app, 'GET', '/anything')).toMatchObject({ status: 409, body: '{"error":"passed on"}' });
    expect([...thrown.walks, ...passed.walks]).toEqual([]);
  });

  it('mounted under a parent app: answers under the mount path, and hands back to the parent what it does not take', async () => {
    const { app } = doorApp();
    const parent = express();
    parent.use('/sub', app);
    parent.use((req: Request, res: Response) => {
      res.status(404).json({ parent: req.originalUrl });
    });
    expect((await request(parent).get('/sub/front')).body).toEqual({ front: true, baseUrl: '/sub' });
    expect((await request(parent).get('/sub/walked')).body).toMatchObject({ walked: true, baseUrl: '/sub' });
    expect((await request(parent).get('/sub/elsewhere')).body).toEqual({ parent: '/sub/elsewhere' });
  });
});
