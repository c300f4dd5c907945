import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSpecFromText } from '../core/spec.js';
import { compileSpec } from '../core/validators.js';
import { createMockApp, toExpressPath } from './app.js';
import type { ServedSpec } from './routes.js';
import { pathTable } from './served.js';

const lines: string[] = [];
const mock = await createMockApp({ selfCheck: true, log: (l) => lines.push(l) });
const agent = () => request(mock.app);
beforeEach(() => {
  mock.reset();
  lines.length = 0;
});
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

describe('paths and methods no spec has', () => {
  it.each([
    ['GET', '/nope'],
    ['POST', '/v1/deepagents/agents'],
    ['DELETE', '/MCP'],
  ])('%s %s → JSON 404 listing what is served', async (method, path) => {
    const res = await agent()[method.toLowerCase() as 'get' | 'post' | 'delete'](path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toBe('not_found');
    expect(res.body.message).toContain('DELETE /v1/deepagents/mcp-servers/{mcp_server_id}');
  });

  it.each([
    ['GET', '/mcp', 'DELETE, POST, OPTIONS'],
    ['PUT', '/connect/demo/conn-1', 'DELETE, OPTIONS'],
    ['POST', '/v1/deepagents/mcp-servers/0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d', 'DELETE, OPTIONS'],
  ])('%s %s → JSON 405 with Allow', async (method, path, allow) => {
    const res = await agent()[method.toLowerCase() as 'get' | 'put' | 'post'](path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    // StackOne answers in its own error shape (as MCP's Streamable HTTP transport has GET answered with 405).
    if (path === '/mcp') expect(res.body).toMatchObject({ statusCode: 405, message: expect.stringMatching(/^GET/) });
    else expect(res.body.error).toBe('method_not_allowed');
  });

  it('answers a path with broken percent-encoding with JSON 400, not a stack trace', async () => {
    const res = await agent().delete('/connect/%E0%A4%A/conn-1').set('Authorization', 'Bearer demo-key');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).not.toMatch(/\bat \w+ \(/);
  });
});

describe('CORS', () => {
  it('answers a preflight with the path’s methods and exposes mcp-session-id', async () => {
    const res = await agent()
      .options('/mcp')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, mcp-session-id');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toBe('DELETE, POST, OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type, mcp-session-id');
  });

  it('lists the spec’s request headers when the preflight names none', async () => {
    const res = await agent().options('/v1/deepagents/mcp-servers/x').set('Access-Control-Request-Method', 'DELETE');
    expect(res.headers['access-control-allow-headers']).toMatch(/X-Api-Key/);
    expect(res.headers['access-control-allow-headers']).toMatch(/mcp-session-id/);
  });

  it('exposes the documented response headers on real responses', async () => {
    const res = await agent().post('/mcp').set('Origin', 'http://localhost:3000').auth('demo-key', '').send({});
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(res.headers['access-control-expose-headers']).toMatch(/mcp-session-id/);
    expect(res.headers['access-control-expose-headers']).toMatch(/Retry-After/);
  });
});

describe('the reserved /__mock routes', () => {
  it('shows the state without API keys, and reset restores the fixtures', async () => {
    await agent().delete('/connect/demo/conn-1').set('Authorization', 'Bearer demo-key');
    const state = await agent().get('/__mock/state');
    expect(state.status).toBe(200);
    expect(JSON.stringify(state.body)).not.toContain('demo-key');
    expect(state.body.smithery.namespaces[0].connections).not.toContain('conn-1');
    const reset = await agent().post('/__mock/reset');
    expect(reset.status).toBe(200);
    expect(reset.body.state.smithery.namespaces[0].connections).toContain('conn-1');
  });

  it('answers other methods and paths under /__mock as JSON 405/404', async () => {
    expect((await agent().delete('/__mock/state')).status).toBe(405);
    expect((await agent().get('/__mock/reset')).headers.allow).toBe('POST, OPTIONS');
    expect((await agent().get('/__mock/nothing')).status).toBe(404);
  });

  it('refuses at start-up a spec whose path is under /__mock', async () => {
    const spec = await loadSpecFromText(
      'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /__mock/state:\n    get:\n      responses:\n        "200": {description: ok}\n',
      'clash.yaml',
      'clash',
    );
    const served = { name: 'clash', compiled: compileSpec(spec) } as unknown as ServedSpec;
    expect(() => pathTable([served])).toThrow(/reserved prefix \/__mock/);
  });

  it('refuses two specs with the same method and path on one port', () => {
    const stackone = mock.served.find((s) => s.name === 'stackone') as ServedSpec;
    expect(() => pathTable([stackone, { ...stackone, name: 'smithery' }])).toThrow(/cannot share one port/);
  });
});

describe('the request log', () => {
  it('writes one line per request with method, path, status and time, and no secrets', async () => {
    await agent().delete('/mcp?x-account-id=bamboohr-demo').auth('demo-key', '').set('mcp-session-id', 'demo-session');
    await agent()
      .delete('/v1/deepagents/mcp-servers/0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d')
      .set('X-Api-Key', 'demo-key')
      .set('Prefer', 'code=503');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d DELETE \/mcp 200 \d+(\.\d)?ms$/);
    expect(lines[1]).toMatch(/ DELETE \/v1\/deepagents\/mcp-servers\/\S+ 503 \S+ms \(prefer 503\)$/);
    expect(lines.join('\n')).not.toMatch(/demo-key|ZGVtby1rZXk6|bamboohr-demo/);
  });
});

describe('options', () => {
  it('serves only the specs asked for', async () => {
    const only = await createMockApp({ specs: ['langsmith'], selfCheck: true });
    expect((await request(only.app).delete('/mcp').auth('demo-key', '')).status).toBe(404);
    expect(
      (
        await request(only.app)
          .delete('/v1/deepagents/mcp-servers/0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d')
          .set('X-Api-Key', 'demo-key')
      ).status,
    ).toBe(204);
    await only.close();
  });

  it('refuses a spec name the mock has no handlers for', async () => {
    await expect(createMockApp({ specs: ['petstore' as 'stackone'] })).rejects.toThrow(/bundled specs only/);
  });

  it('adds --delay latency to API requests', async () => {
    const slow = await createMockApp({ delayMs: 150 });
    const started = Date.now();
    await request(slow.app).delete('/connect/demo/conn-1').set('Authorization', 'Bearer demo-key');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await slow.close();
  });

  it('turns a handler crash into the API’s documented 500, not a stack trace', async () => {
    const logged: string[] = [];
    const crashing = await createMockApp({
      selfCheck: true,
      log: (l) => logged.push(l),
      handlers: {
        deleteMcpServer: () => {
          throw new Error('boom');
        },
      },
    });
    const res = await request(crashing.app)
      .delete('/v1/deepagents/mcp-servers/0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d')
      .set('X-Api-Key', 'demo-key');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'internal_error', status: 500 });
    expect(crashing.violations).toEqual([]);
    expect(logged.some((l) => l.includes('boom'))).toBe(true);
    await crashing.close();
  });
});

describe('toExpressPath', () => {
  it.each([
    ['/mcp', '/mcp'],
    ['/connect/{namespace}/{connectionId}', '/connect/:"namespace"/:"connectionId"'],
    ['/a(b)/{x-y}', '/a\\(b\\)/:"x-y"'],
  ])('%s → %s', (template, want) => {
    expect(toExpressPath(template)).toBe(want);
  });
});

describe('the 1 MiB body cap holds on every route, also those that take no body', () => {
  const big = 'x'.repeat(2 * 1024 * 1024);

  it('an operation without a body: its documented 400, JSON, and nothing done', async () => {
    const app = await createMockApp();
    const res = await request(app.app)
      .delete('/connect/demo/conn-1')
      .set('Authorization', 'Bearer demo-key')
      .set('Content-Type', 'text/plain')
      .send(big);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.stringify(res.body)).toContain(
      'larger than 1024 KiB (and DELETE /connect/{namespace}/{connectionId} takes none)',
    );
    // Nothing was done: the connection is still there to delete.
    expect((await request(app.app).delete('/connect/demo/conn-1').set('Authorization', 'Bearer demo-key')).status).toBe(
      200,
    );
    const mcp = await request(app.app)
      .delete('/mcp')
      .auth('demo-key', '')
      .set('mcp-session-id', 'demo-session')
      .set('Content-Type', 'text/plain')
      .send(big);
    expect(mcp.status).toBe(400);
    await app.close();
  });

  it.each([
    ['post', '/__mock/reset'],
    ['get', '/__mock/state'],
    ['post', '/no/such/path'],
  ] as const)('%s %s: 413 JSON', async (method, path) => {
    const app = await createMockApp();
    const res = await request(app.app)[method](path).set('Content-Type', 'text/plain').send(big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large', message: expect.stringContaining('1024 KiB') });
    await app.close();
  });

  it('a small body where none is taken is still read and ignored, as before', async () => {
    const app = await createMockApp();
    const reset = await request(app.app).post('/__mock/reset').send({ please: true });
    expect(reset.status).toBe(200);
    const del = await request(app.app)
      .delete('/connect/demo/conn-2')
      .set('Authorization', 'Bearer demo-key')
      .send({ reason: 'cleanup' });
    expect(del.status).toBe(200);
    await app.close();
  });
});

describe('createMockApp().app mounted in an Express app of your own', () => {
  async function mounted(before: (parent: express.Express) => void = () => {}) {
    const mock = await createMockApp({ logRequests: false });
    const parent = express();
    before(parent);
    parent.use('/api', mock.app);
    parent.get('/api/health', (_req, res) => {
      res.json({ ok: true });
    });
    return { mock, parent };
  }

  it('answers behind your own express.json(): the body your parser read is the body the mock reads', async () => {
    const { mock, parent } = await mounted((p) => p.use(express.json()));
    const res = await request(parent)
      .post('/api/mcp')
      .auth('demo-key', '')
      .set('mcp-session-id', 'demo-session')
      .set('accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: 7, method: 'ping' })
      .timeout(3000);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
    await mock.close();
  });

  it('hands a path no spec has to your routes after the mount; its own paths and methods stay its own', async () => {
    const lines: string[] = [];
    const mock = await createMockApp({ log: (l) => lines.push(l) });
    const parent = express();
    parent.use('/api', mock.app);
    parent.get('/api/health', (_req, res) => {
      res.json({ ok: true });
    });
    expect((await request(parent).get('/api/health')).body).toEqual({ ok: true });
    const ours = await request(parent)
      .delete('/api/v1/deepagents/mcp-servers/3fa85f64-5717-4562-b3fc-2c963f66afa6')
      .set('x-api-key', 'demo-key');
    expect(ours.status).toBe(204);
    // A known path with a method the spec does not document: still the mock's 405, with Allow.
    const wrongMethod = await request(parent).get('/api/connect/demo/conn-1');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toContain('DELETE');
    // The mock's log has its own requests only: not /api/health, which your route answered.
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => l.replace(/^\S+ /, '').replace(/ [\d.]+ms.*/, ''))).toEqual([
      'DELETE /api/v1/deepagents/mcp-servers/3fa85f64-5717-4562-b3fc-2c963f66afa6 204',
      'GET /api/connect/demo/conn-1 405',
    ]);
    await mock.close();
  });
});

describe('answers that name what they are about', () => {
  it('a body over the cap on /__mock/reset names that path whole', async () => {
    const app = await createMockApp({ logRequests: false });
    const res = await request(app.app)
      .post('/__mock/reset')
      .set('Content-Type', 'text/plain')
      .send('x'.repeat(2 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('(and POST /__mock/reset takes none)');
    await app.close();
  });

  it('a 404 names the first 12 served paths and how many more, not all 40', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpc-many-paths-'));
    const file = join(dir, 'many.yaml');
    const paths = Array.from(
      { length: 40 },
      (_, i) => `  /r${i}:\n    get:\n      responses: { '200': { description: ok } }`,
    ).join('\n');
    writeFileSync(file, `openapi: 3.1.0\ninfo: { title: many, version: '1' }\npaths:\n${paths}\n`);
    const app = await createMockApp({ specFiles: [file], logRequests: false });
    const res = await request(app.app).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/served: GET \/r0, .*GET \/r11 and 28 more \(the spec lists them all\)$/);
    expect(res.body.message).not.toContain('/r12');
    await app.close();
  });
});
