import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSse } from '../../core/sse.js';
import { createMockApp, type MockApp } from '../app.js';
import { responseFormat } from './mcp.js';
import { initializeMessage, mcpClient, readMessage } from './test-helpers.js';

/**
 * `POST /mcp` as a JSON-RPC 2.0 endpoint over MCP's Streamable HTTP transport, in-process with the self-check on:
 * every answer here — JSON, each SSE event, every HTTP error — was validated against the authored contract
 * before it left (`violations` stays empty).
 */

const mock = await createMockApp({ selfCheck: true });
const mcp = mcpClient(mock.app);
beforeEach(() => mock.reset());
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

describe('initialize', () => {
  it.each([
    [
      '2025-06-18',
      '2025-06-18',
      { name: 'stackone-mcp', title: 'StackOne MCP (mcp-contracts mock)', version: '1.0.0' },
    ],
    ['2025-03-26', '2025-03-26', { name: 'stackone-mcp', version: '1.0.0' }],
    [
      '2025-11-25',
      '2025-11-25',
      { name: 'stackone-mcp', title: 'StackOne MCP (mcp-contracts mock)', version: '1.0.0' },
    ],
    [
      '1999-01-01',
      '2025-11-25',
      { name: 'stackone-mcp', title: 'StackOne MCP (mcp-contracts mock)', version: '1.0.0' },
    ],
  ])('asked for %s, answers %s and opens a session', async (asked, answered, info) => {
    const res = await mcp.post(initializeMessage(asked, 'init-1'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const id = res.headers['mcp-session-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({
      jsonrpc: '2.0',
      id: 'init-1',
      result: {
        protocolVersion: answered,
        capabilities: { tools: { listChanged: false } },
        serverInfo: info,
        instructions: expect.stringContaining('bamboohr-demo (bamboohr hris), greenhouse-demo (greenhouse ats)'),
      },
    });
    expect(mock.state.stackone.sessions.get(id)).toMatchObject({ owner: 'demo-key', protocolVersion: answered });
  });

  it('opens a new session even when a session id is sent along', async () => {
    const res = await mcp.post(initializeMessage(), { session: 'demo-session' });
    expect(res.headers['mcp-session-id']).not.toBe('demo-session');
  });

  it('says so when the key has no linked account (no tools)', async () => {
    const lonely = await createMockApp({
      selfCheck: true,
      fixtures: { stackone: { apiKeys: ['k'], accounts: [] } },
    });
    const client = mcpClient(lonely.app);
    const session = await client.initialize({ key: 'k' });
    expect((await client.rpc('tools/list', {}, { key: 'k', session })).result?.tools).toEqual([]);
    expect(lonely.violations).toEqual([]);
    await lonely.close();
  });

  it.each([
    ['an account that does not exist', 'nope'],
    ["another key's account", 'hibob-other'],
  ])('404 for x-account-id naming %s (the same answer: accounts cannot be probed)', async (_name, account) => {
    const res = await mcp.post(initializeMessage(), { headers: { 'x-account-id': account } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      statusCode: 404,
      message: `Linked account '${account}' not found for this API key`,
    });
  });

  it('400 for x-account-id given as header and query with different values', async () => {
    const res = await mcp.post(initializeMessage(), {
      query: '?x-account-id=bamboohr-demo',
      headers: { 'x-account-id': 'greenhouse-demo' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/x-account-id is given as header and as query/);
  });
});

describe('messages in a session', () => {
  it('answers ping with an empty result, echoing a string or a number id', async () => {
    const session = await mcp.initialize();
    for (const id of ['p-1', 0, 42]) {
      const res = await mcp.post({ jsonrpc: '2.0', id, method: 'ping' }, { session });
      expect(res.body).toEqual({ jsonrpc: '2.0', id, result: {} });
    }
  });

  it.each([
    ['notifications/initialized', { jsonrpc: '2.0', method: 'notifications/initialized' }],
    ['an unknown notification', { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } }],
    ['a client response (result)', { jsonrpc: '2.0', id: 'srv-1', result: {} }],
    ['a client response (error)', { jsonrpc: '2.0', id: 'srv-2', error: { code: -32601, message: 'no' } }],
  ])('accepts %s with 202 and no body', async (_name, body) => {
    const session = await mcp.initialize();
    const res = await mcp.post(body, { session, accept: 'text/event-stream' });
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('notes when the client confirmed initialization', async () => {
    const session = await mcp.initialize();
    await mcp.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { session });
    expect(mock.state.stackone.sessions.get(session)?.initializedAt).toEqual(expect.any(String));
  });
});

describe('every JSON-RPC error path: an `error` in a 200, the id echoed where it could be read', () => {
  it.each([
    ['text that is not JSON', '{"jsonrpc":', null, -32700, /^Parse error: /],
    ['a JSON string', '"ping"', null, -32600, /must be a JSON object/],
    ['no jsonrpc member', '{"id":5,"method":"ping"}', 5, -32600, /jsonrpc must be "2.0"/],
    ['jsonrpc 1.0', '{"jsonrpc":"1.0","id":"a","method":"ping"}', 'a', -32600, /jsonrpc must be "2.0"/],
    ['a method that is not a string', '{"jsonrpc":"2.0","id":6,"method":7}', 6, -32600, /method must be a string/],
    ['a request without id', '{"jsonrpc":"2.0","method":"ping"}', null, -32600, /ping needs an id/],
    ['an id that is an object', '{"jsonrpc":"2.0","id":{},"method":"ping"}', null, -32600, /needs an id/],
    [
      'a notification with an id',
      '{"jsonrpc":"2.0","id":8,"method":"notifications/initialized"}',
      8,
      -32600,
      /is a notification and must not have an id/,
    ],
    [
      'initialize with invalid params',
      '{"jsonrpc":"2.0","id":"i","method":"initialize","params":{"protocolVersion":"2025-06-18"}}',
      'i',
      -32602,
      /^Invalid params for initialize: /,
    ],
  ])('without a session: %s', async (_name, body, id, code, message) => {
    const res = await mcp.post(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ jsonrpc: '2.0', id, error: { code, message: expect.stringMatching(message) } });
  });

  it('-32600 for an empty body', async () => {
    const res = await request(mock.app).post('/mcp').auth('demo-key', '').set('Content-Type', 'application/json');
    expect(res.body).toMatchObject({ id: null, error: { code: -32600 } });
  });

  it.each([
    [
      'an unknown method',
      { jsonrpc: '2.0', id: 'u', method: 'resources/list' },
      -32601,
      'Method not found: resources/list',
    ],
    [
      'tools/call without a name',
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: {} },
      -32602,
      /^Invalid params for tools\/call: /,
    ],
    [
      'a tools/list cursor never issued',
      { jsonrpc: '2.0', id: 10, method: 'tools/list', params: { cursor: 'x' } },
      -32602,
      'Invalid params: unknown cursor',
    ],
    [
      'an unknown tool',
      { jsonrpc: '2.0', id: 11, method: 'tools/call', params: { name: 'nope' } },
      -32602,
      'Unknown tool: nope',
    ],
    [
      'arguments that break the input schema',
      {
        jsonrpc: '2.0',
        id: 12,
        method: 'tools/call',
        params: { name: 'hris_list_employees', arguments: { query: { page_size: 101 } } },
      },
      -32602,
      'Invalid arguments for hris_list_employees: query.page_size must be <= 100',
    ],
    [
      'an argument the tool does not have',
      {
        jsonrpc: '2.0',
        id: 13,
        method: 'tools/call',
        params: { name: 'hris_get_employee', arguments: { path: { id: 'emp-001', x: 1 } } },
      },
      -32602,
      "Invalid arguments for hris_get_employee: unknown argument 'path.x'",
    ],
  ])('in a session: %s', async (_name, body, code, message) => {
    const session = await mcp.initialize();
    const res = await mcp.post(body, { session });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      jsonrpc: '2.0',
      id: body.id,
      error: { code, message: typeof message === 'string' ? message : expect.stringMatching(message) },
    });
  });

  it('sends the error as an event when the client accepts only a stream', async () => {
    const res = await mcp.post('{"jsonrpc":', { accept: 'text/event-stream' });
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(readMessage(res.text, res.headers['content-type'])).toMatchObject({ id: null, error: { code: -32700 } });
  });
});

describe('HTTP-level failures, in the contract’s StackOne error schemas', () => {
  it.each([
    ['ping', { jsonrpc: '2.0', id: 1, method: 'ping' }],
    ['tools/list', { jsonrpc: '2.0', id: 1, method: 'tools/list' }],
    ['an unknown method', { jsonrpc: '2.0', id: 1, method: 'prompts/list' }],
    ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }],
    ['a client response', { jsonrpc: '2.0', id: 1, result: {} }],
  ])('400 for %s without mcp-session-id', async (_name, body) => {
    const res = await mcp.post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      message: expect.stringMatching(
        /^mcp-session-id header is required for .+: send the id that initialize returned$/,
      ),
      timestamp: expect.any(String),
    });
  });

  it('404 for an unknown, a closed, or another key’s session', async () => {
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    expect((await mcp.post(ping, { session: 'no-such-session' })).status).toBe(404);
    const session = await mcp.initialize();
    expect((await mcp.post(ping, { session, key: 'other-key' })).status).toBe(404);
    await request(mock.app).delete('/mcp').auth('demo-key', '').set('mcp-session-id', session);
    const closed = await mcp.post(ping, { session });
    expect(closed.status).toBe(404);
    expect(closed.body).toEqual({
      statusCode: 404,
      message: `MCP session '${session}' not found or already closed`,
      timestamp: expect.any(String),
    });
  });

  it('401 without credentials, before anything else is looked at', async () => {
    const res = await request(mock.app).post('/mcp').type('json').send('{"jsonrpc":');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401 });
  });

  it('400 for a body that is not JSON by Content-Type', async () => {
    const res = await request(mock.app).post('/mcp').auth('demo-key', '').type('text/plain').send('ping');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Content-Type must be application/json (got text/plain)');
  });

  it.each([
    ['GET', /^GET is not supported on \/mcp: this server offers no server-initiated event stream/],
    ['PUT', /^PUT is not supported on \/mcp: use DELETE or POST$/],
    ['PATCH', /^PATCH is not supported on \/mcp/],
  ])('405 with Allow for %s (the transport’s answer when no server stream is offered)', async (method, message) => {
    const res = await request(mock.app)
      [method.toLowerCase() as 'get' | 'put' | 'patch']('/mcp')
      .auth('demo-key', '')
      .set('Accept', 'text/event-stream');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('DELETE, POST, OPTIONS');
    expect(res.body).toEqual({
      statusCode: 405,
      message: expect.stringMatching(message),
      timestamp: expect.any(String),
    });
  });
});

describe('JSON or an event stream, by Accept', () => {
  it.each([
    [undefined, 'json'],
    ['application/json', 'json'],
    ['text/event-stream', 'sse'],
    ['application/json, text/event-stream', 'json'],
    ['text/event-stream, application/json', 'json'],
    ['text/event-stream, application/json;q=0.5', 'sse'],
    ['application/json;q=0, text/event-stream', 'sse'],
    ['text/*', 'sse'],
    ['*/*', 'json'],
    ['text/*, application/json;q=0.9', 'sse'],
    ['text/html', 'json'],
  ] as const)('Accept %s → %s', (accept, format) => {
    expect(responseFormat(accept)).toBe(format);
  });

  it('streams initialize as one `message` event, session id in the header, then ends', async () => {
    const res = await mcp.post(initializeMessage('2025-06-18', 'init-sse'), { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
    const { events, problems } = parseSse(res.text);
    expect(problems).toEqual([]);
    expect(events).toEqual([
      {
        event: 'message',
        data: expect.stringContaining('"id":"init-sse"'),
        id: undefined,
        retry: undefined,
      },
    ]);
    expect(JSON.parse(events[0]?.data ?? '').result.protocolVersion).toBe('2025-06-18');
  });

  it('streams tools/list and tools/call too', async () => {
    const session = await mcp.initialize();
    const list = await mcp.rpc('tools/list', {}, { session, accept: 'text/event-stream' });
    expect(list.result?.tools).toHaveLength(9);
    const call = await mcp.call(
      'hris_list_employees',
      { query: { page_size: 1 } },
      { session, accept: 'text/event-stream' },
    );
    expect(call.result?.structuredContent?.data).toHaveLength(1);
  });
});

describe('protocol versions', () => {
  it('shapes answers for a 2025-03-26 session: tool titles in annotations, no structuredContent', async () => {
    const session = await mcp.initialize({ protocolVersion: '2025-03-26' });
    const list = await mcp.rpc('tools/list', {}, { session });
    const tool = list.result?.tools?.[0] as Record<string, unknown>;
    expect(tool.title).toBeUndefined();
    expect(tool.annotations).toMatchObject({ title: 'List employees', readOnlyHint: true });
    const call = await mcp.call('hris_list_employees', { query: { page_size: 1 } }, { session });
    expect(call.result?.structuredContent).toBeUndefined();
    expect(JSON.parse(call.result?.content?.[0]?.text ?? '').data).toHaveLength(1);
  });

  it.each([
    ['2025-06-18', '2025-03-26'],
    ['2025-03-26', '2025-06-18'],
  ])('a %s session sent MCP-Protocol-Version %s: answered in the negotiated version', async (negotiated, sent) => {
    const session = await mcp.initialize({ protocolVersion: negotiated });
    const call = await mcp.call('hris_list_employees', {}, { session, headers: { 'MCP-Protocol-Version': sent } });
    expect(call.result?.structuredContent === undefined).toBe(negotiated === '2025-03-26');
    // A batch follows the session too: refused in a 2025-06-18 session whatever the header says, run in 2025-03-26.
    const batch = await mcp.post([{ jsonrpc: '2.0', id: 1, method: 'ping' }], {
      session,
      headers: { 'MCP-Protocol-Version': sent },
    });
    expect(batch.status).toBe(200);
    expect(Array.isArray(batch.body)).toBe(negotiated === '2025-03-26');
  });

  it('a session with no negotiated version (seeded) follows MCP-Protocol-Version where a request sends one', async () => {
    const session = 'demo-session';
    const older = await mcp.call(
      'hris_list_employees',
      {},
      { session, headers: { 'MCP-Protocol-Version': '2025-03-26' } },
    );
    expect(older.result?.structuredContent).toBeUndefined();
    const newer = await mcp.call(
      'hris_list_employees',
      {},
      { session, headers: { 'MCP-Protocol-Version': '2025-06-18' } },
    );
    expect(newer.result?.structuredContent).toBeDefined();
  });

  it('400 for an MCP-Protocol-Version this server does not speak', async () => {
    const session = await mcp.initialize();
    const res = await mcp.post(
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { session, headers: { 'MCP-Protocol-Version': '2024-11-05' } },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.stringContaining("'MCP-Protocol-Version'") });
  });
});

describe('session limits', () => {
  let limited: MockApp;
  let client: ReturnType<typeof mcpClient>;
  beforeEach(async () => {
    limited = await createMockApp({
      selfCheck: true,
      fixtures: {
        stackone: {
          apiKeys: ['demo-key', 'other-key'],
          sessions: [{ id: 'seeded', owner: 'demo-key' }],
          sessionLimits: { idleTimeoutSeconds: 60, maxSessions: 2 },
        },
      },
    });
    client = mcpClient(limited.app);
  });
  afterEach(async () => {
    vi.useRealTimers();
    expect(limited.violations).toEqual([]);
    await limited.close();
  });
  const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };

  it('closes a session idle past the timeout (404 saying so); using it keeps it open', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
    const busy = await client.initialize();
    const idle = await client.initialize();
    vi.setSystemTime(new Date('2026-01-01T10:00:50Z'));
    expect((await client.post(ping, { session: busy })).status).toBe(200);
    vi.setSystemTime(new Date('2026-01-01T10:01:30Z'));
    expect((await client.post(ping, { session: busy })).status).toBe(200);
    const gone = await client.post(ping, { session: idle });
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe(`MCP session '${idle}' expired after 60 s without requests; initialize a new one`);
    expect(limited.state.stackone.sessions.get(idle)).toMatchObject({
      closedReason: 'expired',
      closedAt: '2026-01-01T10:01:00.000Z',
    });
    // Anyone else is told only "not found".
    const foreign = await client.post(ping, { session: idle, key: 'other-key' });
    expect(foreign.body.message).toBe(`MCP session '${idle}' not found or already closed`);
    // The seeded session is exempt.
    vi.setSystemTime(new Date('2026-01-02T10:00:00Z'));
    expect((await client.post(ping, { session: 'seeded' })).status).toBe(200);
  });

  it('keeps at most maxSessions open: one more closes the one unused the longest', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
    const first = await client.initialize();
    vi.setSystemTime(new Date('2026-01-01T10:00:01Z'));
    const second = await client.initialize();
    vi.setSystemTime(new Date('2026-01-01T10:00:02Z'));
    await client.post(ping, { session: first }); // now `second` is the least recently used
    vi.setSystemTime(new Date('2026-01-01T10:00:03Z'));
    const third = await client.initialize();
    const evicted = await client.post(ping, { session: second });
    expect(evicted.status).toBe(404);
    expect(evicted.body.message).toMatch(/was closed to make room: this server keeps at most 2 sessions open/);
    expect((await client.post(ping, { session: first })).status).toBe(200);
    expect((await client.post(ping, { session: third })).status).toBe(200);
    expect((await client.post(ping, { session: 'seeded' })).status).toBe(200);
  });

  it('takes limits from the options over the fixtures (--session-idle-timeout, --max-sessions)', async () => {
    const one = await createMockApp({ selfCheck: true, sessionLimits: { maxSessions: 1 } });
    const onlyOne = mcpClient(one.app);
    const first = await onlyOne.initialize();
    await onlyOne.initialize();
    expect((await onlyOne.post(ping, { session: first })).status).toBe(404);
    expect(one.fixtures().stackone.sessionLimits).toEqual({ idleTimeoutSeconds: 1800, maxSessions: 1 });
    await one.close();
  });

  it('shows expired sessions as closed on /__mock/state, and forgets closed ones beyond the cap', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
    const opened = [];
    for (let i = 0; i < 5; i++) opened.push(await client.initialize());
    vi.setSystemTime(new Date('2026-01-01T11:00:00Z'));
    const state = await request(limited.app).get('/__mock/state');
    const sessions = state.body.stackone.sessions as Array<{ id: string; open: boolean; closedReason: string | null }>;
    expect(sessions.filter((s) => s.open).map((s) => s.id)).toEqual(['seeded']);
    // 5 opened, 3 evicted on the way, 2 expired: only the 2 most recent closed ones are kept.
    expect(sessions.filter((s) => !s.open).map((s) => s.id)).toEqual(opened.slice(3));
  });
});
