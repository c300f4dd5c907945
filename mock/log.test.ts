import { connect } from 'node:net';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from './app.js';
import { closeServer, listen, mockHttpServer } from './server.js';
import { mcpClient } from './stackone/test-helpers.js';

/** Request log lines with reasons (issue 11 item 6): what went wrong is in the line, never a key or a body. */

const lines: string[] = [];
const jsonLines: string[] = [];
const text = await createMockApp({ log: (l) => lines.push(l) });
const json = await createMockApp({ log: (l) => jsonLines.push(l), logFormat: 'json' });
beforeEach(() => {
  lines.length = 0;
  jsonLines.length = 0;
});
afterAll(async () => {
  await text.close();
  await json.close();
});

/** The log line of the last request, once its response has finished. */
async function lastLine(from: string[]): Promise<string> {
  await new Promise((resolve) => setImmediate(resolve));
  return from.at(-1) ?? '';
}

describe('text log lines', () => {
  it('a JSON-RPC error: POST /mcp 200 <ms> -32602 Unknown tool: no-s… (the client’s name masked)', async () => {
    const mcp = mcpClient(text.app);
    const session = await mcp.initialize();
    await mcp.call('no-such-tool', {}, { session });
    expect(await lastLine(lines)).toMatch(/ POST \/mcp 200 [\d.]+ms -32602 Unknown tool: no-s…$/);
    await mcp.rpc('resources/list', {}, { session });
    expect(await lastLine(lines)).toMatch(/ -32601 Method not found: resources\/list$/);
  });

  it('a 4xx with its reason, from each API’s own error shape', async () => {
    await request(text.app).delete('/mcp').auth('demo-key', '').set('mcp-session-id', 'gone-session-id');
    expect(await lastLine(lines)).toMatch(/ DELETE \/mcp 404 [\d.]+ms MCP session 'gone…' not found/);
    await request(text.app).delete('/v1/deepagents/mcp-servers/nope').set('X-Api-Key', 'demo-key');
    expect(await lastLine(lines)).toMatch(/ 400 [\d.]+ms path parameter 'mcp_server_id' must match format "uuid"$/);
    await request(text.app).get('/__mock/state').set('Origin', 'http://evil.example.com');
    expect(await lastLine(lines)).toMatch(/ GET \/__mock\/state 403 [\d.]+ms Origin 'http…' is not allowed/);
    await request(text.app).get('/nowhere');
    expect(await lastLine(lines)).toMatch(/ GET \/nowhere 404 [\d.]+ms no operation at GET \/nowhere/);
  });

  it('a success has no reason', async () => {
    await request(text.app).get('/__mock/state');
    expect(await lastLine(lines)).toMatch(/ GET \/__mock\/state 200 [\d.]+ms$/);
  });

  it('one line per request, whether the front door answered it or passed it on to the app’s other routes', async () => {
    await request(text.app)
      .delete('/v1/deepagents/mcp-servers/3f0c2b1e-8a4d-4c6f-9b2a-1d5e7f9a0c3b')
      .set('X-Api-Key', 'demo-key');
    await request(text.app).get('/__mock/state');
    await request(text.app).get('/nowhere');
    await lastLine(lines);
    expect(lines.map((l) => l.replace(/^\S+ /, '').replace(/ [\d.]+ms.*/, ''))).toEqual([
      'DELETE /v1/deepagents/mcp-servers/3f0c2b1e-8a4d-4c6f-9b2a-1d5e7f9a0c3b 204',
      'GET /__mock/state 200',
      'GET /nowhere 404',
    ]);
  });

  it('never a key, a query string or a body', async () => {
    await request(text.app)
      .delete('/mcp?api_key=sekrit-query-value')
      .auth('sekrit-basic-key', '')
      .set('mcp-session-id', 'x');
    await request(text.app)
      .delete('/v1/deepagents/mcp-servers/3f0c2b1e-8a4d-4c6f-9b2a-1d5e7f9a0c3b')
      .set('X-Api-Key', 'sekrit-header-key');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('\n')).not.toMatch(/sekrit/);
    expect(lines.join('\n')).toMatch(/401 [\d.]+ms Invalid API key/);
  });
});

describe('--log-format json', () => {
  it('one JSON object per request, with the JSON-RPC code and reason as fields', async () => {
    const mcp = mcpClient(json.app);
    const session = await mcp.initialize();
    await mcp.call('no-such-tool', {}, { session });
    const line = JSON.parse(await lastLine(jsonLines));
    expect(line).toMatchObject({
      method: 'POST',
      path: '/mcp',
      status: 200,
      rpcCode: -32602,
      reason: 'Unknown tool: no-s…',
    });
    expect(typeof line.ms).toBe('number');
    expect(Number.isNaN(Date.parse(line.time))).toBe(false);
  });

  it('a success has neither code nor reason; Prefer leaves a note', async () => {
    await request(json.app).get('/__mock/state');
    const plain = JSON.parse(await lastLine(jsonLines));
    expect(plain).not.toHaveProperty('reason');
    expect(plain).not.toHaveProperty('rpcCode');
    await request(json.app)
      .delete('/v1/deepagents/mcp-servers/3f0c2b1e-8a4d-4c6f-9b2a-1d5e7f9a0c3b')
      .set('X-Api-Key', 'demo-key')
      .set('Prefer', 'code=404');
    expect(JSON.parse(await lastLine(jsonLines))).toMatchObject({ status: 404, notes: ['prefer 404'] });
  });
});

describe('what a client sends never reaches the log (review of issue 11)', () => {
  const secret = 'S3CRET-4f9a2c7e81';
  const both = () => [...lines, ...jsonLines].join('\n');
  /** The same request against the text-log and the JSON-log mock. */
  async function each(send: (app: typeof text.app) => Promise<unknown>): Promise<void> {
    await send(text.app);
    await send(json.app);
    await new Promise((resolve) => setImmediate(resolve));
  }

  it.each([
    [
      'mcp-session-id',
      (app: typeof text.app) => request(app).delete('/mcp').auth('demo-key', '').set('mcp-session-id', secret),
    ],
    [
      'x-account-id',
      (app: typeof text.app) =>
        mcpClient(app)
          .initialize({ headers: { 'x-account-id': secret } })
          .catch(() => undefined),
    ],
    [
      'Prefer',
      (app: typeof text.app) =>
        request(app)
          .delete('/connect/demo/conn-1')
          .set('Authorization', 'Bearer demo-key')
          .set('Prefer', `example=${secret}`),
    ],
    ['Host', (app: typeof text.app) => request(app).get('/__mock/state').set('Host', `${secret}.example.com`)],
    [
      'Origin',
      (app: typeof text.app) => request(app).get('/__mock/state').set('Origin', `http://${secret}.example.com`),
    ],
    ['JSON-RPC method', async (app: typeof text.app) => mcpClient(app).rpc(secret, {}, { session: 'demo-session' })],
    ['tool name', async (app: typeof text.app) => mcpClient(app).call(secret, {}, { session: 'demo-session' })],
  ])('a secret in %s: the reason is logged, the value masked to its first 4 characters', async (_where, send) => {
    await each(send as (app: typeof text.app) => Promise<unknown>);
    expect(both().toLowerCase()).not.toContain(secret.slice(4).toLowerCase());
    expect(lines.at(-1)).toMatch(/ms [^…]+…/);
    expect(JSON.parse(jsonLines.at(-1) ?? '{}').reason).toContain('…');
  });

  it('control characters in a method or tool name are escaped: no forged line, no escape code', async () => {
    const forged = 'x\n10:00:00 POST /mcp 200 0.1ms\r\u001b[2J\u009b\u2028';
    for (const app of [text.app, json.app]) {
      await mcpClient(app).rpc(forged, {}, { session: 'demo-session' });
      await mcpClient(app).call(forged, {}, { session: 'demo-session' });
    }
    await new Promise((resolve) => setImmediate(resolve));
    for (const line of [...lines, ...jsonLines]) {
      const controls = [...line].filter((c) => {
        const code = c.charCodeAt(0);
        return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
      });
      expect(controls).toEqual([]);
    }
    expect(lines).toHaveLength(2);
    expect(jsonLines).toHaveLength(2);
  });

  it('a plain value of the spec’s own is not masked: a known method, a documented media type', async () => {
    await request(text.app)
      .post('/mcp')
      .auth('demo-key', '')
      .set('mcp-session-id', 'demo-session')
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(await lastLine(lines)).toMatch(/Content-Type must be application\/json/);
  });
});

describe('a client that leaves mid-body', () => {
  it('is one `aborted` line, and no `error:` line blaming the mock', async () => {
    const logged: string[] = [];
    const mock = await createMockApp({ log: (l) => logged.push(l) });
    const server = mockHttpServer(mock.app);
    const port = await listen(server, 0, '127.0.0.1');
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ZGVtby1rZXk6\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc"',
          );
          setTimeout(() => socket.destroy(), 100);
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      const deadline = Date.now() + 2000;
      while (!logged.some((l) => l.includes('aborted')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(logged.filter((l) => / POST \/mcp aborted /.test(l))).toHaveLength(1);
      expect(logged.filter((l) => l.startsWith('error:'))).toEqual([]);
    } finally {
      await closeServer(server);
      await mock.close();
    }
  });
});
