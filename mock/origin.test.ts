import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockApp } from './app.js';
import { originPolicy, refuseForeign } from './origin.js';

/** DNS rebinding and foreign pages (issue 11 item 1): a foreign Origin or Host gets 403 on every route. */

const mock = await createMockApp({ allowedOrigins: ['http://app.local:3000'] });
const fromFixtures = await createMockApp({ fixtures: { allowedOrigins: ['https://studio.example.org'] } });
const network = await createMockApp({ host: '0.0.0.0' });
afterAll(async () => {
  await mock.close();
  await fromFixtures.close();
  await network.close();
});

const routes: Array<[string, string]> = [
  ['post', '/mcp'],
  ['delete', '/mcp'],
  ['delete', '/connect/demo/conn-1'],
  ['delete', '/v1/deepagents/mcp-servers/3f0c2b1e-8a4d-4c6f-9b2a-1d5e7f9a0c3b'],
  ['get', '/__mock/state'],
  ['post', '/__mock/reset'],
  ['get', '/no/such/path'],
  ['options', '/mcp'],
];

describe('a foreign origin', () => {
  it.each(routes)('%s %s with Origin evil.example.com → 403, nothing echoed', async (method, path) => {
    const before = JSON.stringify(mock.state.langsmith.mcpServers.size);
    const res = await request(mock.app)
      [method as 'get'](path)
      .set('Origin', 'http://evil.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Authorization', 'Bearer demo-key')
      .set('X-Api-Key', 'demo-key');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toBe('forbidden_origin');
    expect(res.body.message).toContain('--allow-origin http://evil.example.com');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(JSON.stringify(mock.state.langsmith.mcpServers.size)).toBe(before);
  });

  it.each(routes)('%s %s with Host evil.example.com (DNS rebinding) → 403', async (method, path) => {
    const res = await request(mock.app)[method as 'get'](path).set('Host', 'evil.example.com:4010');
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('forbidden_host');
  });

  it('refuses look-alikes of loopback and allowed origins', () => {
    const policy = originPolicy('127.0.0.1', ['http://app.local:3000']);
    for (const origin of [
      'http://localhost.evil.example.com',
      'http://127.0.0.1.nip.io',
      'null',
      'file://',
      'http://app.local:3001',
      'https://app.local:3000',
      'http://app.local',
    ]) {
      expect(refuseForeign({ host: '127.0.0.1:4010', origin }, policy)?.body.error, origin).toBe('forbidden_origin');
    }
    expect(refuseForeign({ host: 'localhost.evil.example.com' }, policy)?.body.error).toBe('forbidden_host');
    expect(refuseForeign({}, policy)?.body.error).toBe('forbidden_host');
  });
});

describe('origins that are served', () => {
  it.each([
    'http://localhost:5173',
    'http://127.0.0.1:8080',
    'http://[::1]:3000',
    'https://localhost',
    'http://LOCALHOST:5173',
  ])('loopback origin %s, any port', async (origin) => {
    const res = await request(mock.app).get('/__mock/state').set('Origin', origin);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
  });

  it('an origin allowed with --allow-origin works for a real call and its preflight', async () => {
    const pre = await request(mock.app)
      .options('/mcp')
      .set('Origin', 'http://app.local:3000')
      .set('Access-Control-Request-Method', 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://app.local:3000');
    const res = await request(mock.app)
      .post('/mcp')
      .set('Origin', 'http://app.local:3000')
      .auth('demo-key', '')
      .send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      });
    expect(res.status).toBe(200);
    expect(res.headers['mcp-session-id']).toBeTruthy();
  });

  it('an origin from the fixtures’ allowedOrigins is served there and not by a mock without it', async () => {
    const ok = await request(fromFixtures.app).get('/__mock/state').set('Origin', 'https://studio.example.org');
    expect(ok.status).toBe(200);
    const no = await request(mock.app).get('/__mock/state').set('Origin', 'https://studio.example.org');
    expect(no.status).toBe(403);
  });

  it('clients that are not browsers send no Origin and are served; any loopback Host name works', async () => {
    for (const host of ['localhost:4010', '127.0.0.1', '[::1]:4010']) {
      const res = await request(mock.app).get('/__mock/state').set('Host', host);
      expect(res.status, host).toBe(200);
    }
  });

  it('a mock bound to the network (--host 0.0.0.0) accepts its LAN name; one bound to a name accepts that name', () => {
    expect(refuseForeign({ host: '192.168.1.20:4010' }, originPolicy('0.0.0.0'))).toBeUndefined();
    expect(refuseForeign({ host: 'devbox.lan:4010' }, originPolicy('devbox.lan'))).toBeUndefined();
    expect(refuseForeign({ host: 'other.lan:4010' }, originPolicy('devbox.lan'))?.status).toBe(403);
    // …but origins stay checked either way.
    expect(refuseForeign({ host: 'x:1', origin: 'http://evil.example.com' }, originPolicy('0.0.0.0'))?.status).toBe(
      403,
    );
  });
});

describe('a mock bound to every interface (--host 0.0.0.0)', () => {
  it('serves the APIs under the LAN name, but /__mock/* only under a loopback name', async () => {
    const api = await request(network.app).delete('/connect/demo/conn-1').set('Host', '192.168.1.20:4010');
    expect(api.status).toBe(401);
    for (const [method, path] of [
      ['get', '/__mock/state'],
      ['post', '/__mock/reset'],
    ] as const) {
      const foreign = await request(network.app)[method](path).set('Host', '192.168.1.20:4010');
      expect(foreign.status, path).toBe(403);
      expect(foreign.body).toMatchObject({ error: 'forbidden_host', message: expect.stringContaining('127.0.0.1') });
      const local = await request(network.app)[method](path).set('Host', 'localhost:4010');
      expect(local.status, path).toBe(200);
    }
  });

  it('a mock bound to loopback is unchanged: its own routes answer every loopback name', async () => {
    expect(refuseForeign({ host: '[::1]:4010' }, originPolicy('127.0.0.1'), true)).toBeUndefined();
    expect(refuseForeign({ host: 'devbox.lan' }, originPolicy('devbox.lan'), true)).toBeUndefined();
  });
});

describe('CORS headers', () => {
  it('a request without Origin (not a browser) gets no Access-Control-Allow-Origin at all, not *', async () => {
    for (const path of ['/__mock/state', '/no/such/path']) {
      const res = await request(mock.app).get(path);
      expect(res.headers['access-control-allow-origin'], path).toBeUndefined();
      expect(res.headers['access-control-allow-credentials'], path).toBeUndefined();
    }
  });

  it('a loopback Origin is echoed, with credentials', async () => {
    const res = await request(mock.app).get('/__mock/state').set('Origin', 'http://localhost:5173');
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
  });
});
