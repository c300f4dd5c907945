import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkClient } from './client.js';

/** The network client against a server that misbehaves at the HTTP level. */
describe('createNetworkClient', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (req.url === '/hang') {
        // never answers
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('x'.repeat(64 * 1024));
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://elsewhere.invalid/' });
        res.end();
      } else if (req.url === '/no-content') {
        res.writeHead(204, { 'content-length': '5' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const client = () => createNetworkClient({ timeoutMs: 300, maxBodyBytes: 1024, concurrency: 2 });
  const get = (path: string) => client().send({ method: 'GET', url: `${base}${path}`, headers: {}, body: undefined });

  it.each([
    ['a complete response', '/ok', { ok: true, status: 200, body: '{"ok":true}', truncated: false }],
    ['a redirect, not followed', '/redirect', { ok: true, status: 302, body: '', truncated: false }],
    ['a body over the cap, cut at the cap', '/big', { ok: true, status: 200, bodyLength: 1024, truncated: true }],
    ['a 204 whose headers announce a body', '/no-content', { ok: true, status: 204, body: '', truncated: false }],
  ])('%s', async (_name, path, want) => {
    const result = await get(path);
    expect(result.ok).toBe(want.ok);
    if (!result.ok) return;
    expect(result.response.status).toBe(want.status);
    if ('body' in want) expect(result.response.body).toBe(want.body);
    if ('bodyLength' in want) expect(result.response.body.length).toBe(want.bodyLength);
    expect(result.response.truncated).toBe(want.truncated);
  });

  it('reports a connection cut mid-body as a network error, not a short body', async () => {
    const result = await get('/cut');
    expect(result).toMatchObject({ ok: false, timedOut: false, error: { code: 'ECONNRESET' } });
  });

  it('gives up on a target that hangs, and says it timed out', async () => {
    const result = await get('/hang');
    expect(result).toMatchObject({ ok: false, timedOut: true, error: { code: 'ETIMEDOUT' } });
  });

  it('reports a refused connection as a network error', async () => {
    const result = await client().send({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {}, body: undefined });
    expect(result).toMatchObject({ ok: false, timedOut: false, error: { code: 'ECONNREFUSED' } });
  });

  it('ends a request in flight when its signal aborts (EABORTED), without waiting for the timeout', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 30);
    const result = await createNetworkClient({ timeoutMs: 5000, maxBodyBytes: 1024, concurrency: 1 }).send(
      { method: 'GET', url: `${base}/hang`, headers: {}, body: undefined },
      controller.signal,
    );
    expect(result).toMatchObject({ ok: false, timedOut: false, error: { code: 'EABORTED' } });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
