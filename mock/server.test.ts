import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeServer, listen, startMockServer } from './server.js';

/**
 * The listening server (issue 11 item 2): bound to loopback by default, slow or stalled clients cut off without
 * starving others, and Node's own protocol errors in the mock's JSON error shape.
 */

const server = await startMockServer({
  port: 0,
  logRequests: false,
  timeouts: { headersMs: 2000, requestMs: 3000, checkEveryMs: 200 },
});
const { port } = new URL(server.url);
afterAll(() => server.close());

/** Write raw bytes and collect whatever comes back until the server closes the socket. */
function raw(text: string, keepOpen = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(text);
      if (!keepOpen) socket.end();
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the listening server', () => {
  it('binds 127.0.0.1 unless --host says otherwise', () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('keeps answering a normal client while 500 clients stall mid-headers, and cuts the stalled ones off', async () => {
    const stalled: Socket[] = [];
    const closed: Promise<string>[] = [];
    for (let i = 0; i < 500; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      socket.on('data', (c) => {
        answer += c.toString();
      });
      socket.on('error', () => {});
      closed.push(new Promise((resolve) => socket.on('close', () => resolve(answer))));
      socket.write('GET /__mock/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      stalled.push(socket);
    }
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.url}/__mock/state`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    // Well inside headersTimeout: the normal client did not wait for the stalled ones to be cut off.
    expect(Date.now() - started).toBeLessThan(1500);
    const answers = await Promise.all(closed);
    // Every stalled socket is closed by the server (within headersTimeout plus a check interval), with a 408.
    expect(answers.filter((a) => a.startsWith('HTTP/1.1 408')).length).toBe(500);
    expect(answers[0]).toContain('"error":"request_timeout"');
    for (const s of stalled) s.destroy();
  });

  it('answers a broken request line with JSON 400, not Node’s bare status', async () => {
    const answer = await raw('BREW /\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(answer.split('\r\n\r\n')[1] ?? '')).toMatchObject({ error: 'bad_request' });
  });

  it('answers headers over Node’s limit with JSON 431', async () => {
    const answer = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1] ?? '')).toMatchObject({ error: 'headers_too_large' });
  });

  it('an HTTP/1.1 request without Host is a 400 in the JSON error shape, not an empty body', async () => {
    const answer = await raw('GET /__mock/state HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(answer.split('\r\n\r\n')[1] ?? '')).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('Host header'),
    });
  });

  it('HTTP/1.0 may leave Host out (no such rule there): not refused as malformed; the Host check answers in JSON', async () => {
    const answer = await raw('GET /__mock/state HTTP/1.0\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.[01] 403 /);
  });

  it('a well-formed request on a raw socket is served as usual (the handler is not too eager)', async () => {
    const answer = await raw('GET /__mock/state HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('requests and responses are born with the app’s prototypes', () => {
  /** One of each kind of request: an operation, a body read, an unknown path, the mock's own route, a preflight, a refusal. */
  async function sendEach(url: string): Promise<number[]> {
    const langsmith = `${url}/v1/deepagents/mcp-servers/3fa85f64-5717-4562-b3fc-2c963f66afa6`;
    const answers = await Promise.all([
      fetch(langsmith, { method: 'DELETE', headers: { 'x-api-key': 'demo-key' } }),
      fetch(`${url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('demo-key:').toString('base64')}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      }),
      fetch(`${url}/no/such/path`),
      fetch(`${url}/__mock/state`),
      fetch(langsmith, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'DELETE' },
      }),
      fetch(`${url}/__mock/state`, { headers: { origin: 'http://evil.example' } }),
    ]);
    await Promise.all(answers.map((a) => a.arrayBuffer()));
    return answers.map((a) => a.status);
  }

  /** Prototype swaps of Node's request and response objects while `run` runs (Express makes two per request). */
  async function swapsDuring(run: () => Promise<number[]>): Promise<{ swaps: number; statuses: number[] }> {
    const original = Object.setPrototypeOf;
    let swaps = 0;
    const spy = vi.spyOn(Object, 'setPrototypeOf').mockImplementation((object: object, proto: object | null) => {
      if (
        (object instanceof IncomingMessage || object instanceof ServerResponse) &&
        Object.getPrototypeOf(object) !== proto
      )
        swaps++;
      return original(object, proto);
    });
    try {
      const statuses = await run();
      return { swaps, statuses };
    } finally {
      spy.mockRestore();
    }
  }

  it('the mock’s server: no swap on any route, with the same answers as under a plain Node server, which swaps two per request', async () => {
    const ours = await swapsDuring(() => sendEach(server.url));
    expect(ours.statuses).toEqual([204, 400, 404, 200, 204, 403]);
    expect(ours.swaps).toBe(0);

    // The same app under a server that makes plain Node objects: the spy sees Express's swaps there, so the 0 above is real.
    const plain = createServer(server.mock.app);
    const port = await listen(plain, 0, '127.0.0.1');
    try {
      const theirs = await swapsDuring(() => sendEach(`http://127.0.0.1:${port}`));
      expect(theirs.statuses).toEqual(ours.statuses);
      expect(theirs.swaps).toBe(2 * ours.statuses.length);
    } finally {
      await closeServer(plain);
    }
  });
});
