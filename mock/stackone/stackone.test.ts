import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSse } from '../../core/sse.js';
import { createMockApp } from '../app.js';
import { initializeBody } from '../examples.js';

const mock = await createMockApp({ selfCheck: true });
const agent = () => request(mock.app);
beforeEach(() => mock.reset());
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

async function initialize(key = 'demo-key', extra: Record<string, string> = {}, query = '') {
  const res = await agent().post(`/mcp${query}`).auth(key, '').set(extra).type('json').send(initializeBody);
  expect(res.status).toBe(200);
  return res;
}

describe('StackOne session lifecycle', () => {
  it('initialize → DELETE 200 → DELETE again 404', async () => {
    const init = await initialize();
    const id = init.headers['mcp-session-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(init.body).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: { protocolVersion: '2025-06-18', serverInfo: { name: 'stackone-mcp' }, capabilities: { tools: {} } },
    });
    expect(mock.state.stackone.sessions.get(id)).toMatchObject({ owner: 'demo-key', closedAt: undefined });

    const closed = await agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', id);
    expect(closed.status).toBe(200);
    expect(closed.text).toBe('');
    expect(mock.state.stackone.sessions.get(id)?.closedAt).toBeDefined();

    const again = await agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', id);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ statusCode: 404, message: expect.stringContaining(id) });
    expect(new Date(again.body.timestamp as string).toISOString()).toBe(again.body.timestamp);
  });

  it('a session belongs to the key that opened it: another key gets 404 and cannot close it', async () => {
    const id = (await initialize('demo-key')).headers['mcp-session-id'] as string;
    const other = await agent().delete('/mcp').auth('other-key', '').set('mcp-session-id', id);
    expect(other.status).toBe(404);
    const otherPing = await agent()
      .post('/mcp')
      .auth('other-key', '')
      .set('mcp-session-id', id)
      .send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(otherPing.status).toBe(404);
    // Still open for its owner.
    expect((await agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', id)).status).toBe(200);
  });

  it('the seeded fixture session can be closed once', async () => {
    const first = await agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', 'demo-session');
    expect(first.status).toBe(200);
    const second = await agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', 'demo-session');
    expect(second.status).toBe(404);
    mock.reset();
    const afterReset = await agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', 'demo-session');
    expect(afterReset.status).toBe(200);
  });

  it.each([
    ['header', { 'x-account-id': 'acc-1' }, ''],
    ['query', {}, '?x-account-id=acc-1'],
  ])('binds the session to x-account-id given as %s', async (_where, headers, query) => {
    const id = (await initialize('demo-key', headers, query)).headers['mcp-session-id'] as string;
    expect(mock.state.stackone.sessions.get(id)?.accountId).toBe('acc-1');
    const wrongAccount = await agent().delete('/mcp?x-account-id=acc-2').auth('demo-key', '').set('mcp-session-id', id);
    expect(wrongAccount.status).toBe(404);
    const right = await agent()
      .delete('/mcp')
      .auth('demo-key', '')
      .set('x-account-id', 'acc-1')
      .set('mcp-session-id', id);
    expect(right.status).toBe(200);
  });

  it('rejects x-account-id given twice with different values (400)', async () => {
    const res = await agent()
      .delete('/mcp?x-account-id=a')
      .auth('demo-key', '')
      .set('x-account-id', 'b')
      .set('mcp-session-id', 'demo-session');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/x-account-id/);
  });
});

describe('StackOne credentials and validation', () => {
  it.each([
    ['no credentials', {}, /Missing credentials: send HTTP Basic/],
    ['a wrong key', { Authorization: `Basic ${Buffer.from('nope:').toString('base64')}` }, /Invalid API key/],
    ['a bearer token instead of Basic', { Authorization: 'Bearer demo-key' }, /Invalid API key/],
    ['a malformed Basic header', { Authorization: 'Basic !!!' }, /Invalid API key/],
  ])('401 with the UnauthorizedResponse schema for %s', async (_name, headers, message) => {
    const res = await agent().delete('/mcp').set(headers).set('mcp-session-id', 'demo-session');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ statusCode: 401, message: expect.stringMatching(message) });
    expect(JSON.stringify(res.body)).not.toContain('nope');
  });

  it('ignores the Basic password (the key is the username)', async () => {
    const res = await agent().delete('/mcp').auth('demo-key', 'anything').set('mcp-session-id', 'demo-session');
    expect(res.status).toBe(200);
  });

  it('checks credentials before parameters: no key and no session id is 401, not 400', async () => {
    expect((await agent().delete('/mcp')).status).toBe(401);
  });

  it('400 without mcp-session-id, naming the header', async () => {
    const res = await agent().delete('/mcp').auth('demo-key', '');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("header parameter 'mcp-session-id' is required");
  });
});

describe('StackOne POST /mcp (the part the lifecycle needs)', () => {
  const post = (body: unknown, session?: string, accept?: string) => {
    const req = agent().post('/mcp').auth('demo-key', '');
    if (session) req.set('mcp-session-id', session);
    if (accept) req.set('Accept', accept);
    return typeof body === 'string' ? req.type('json').send(body) : req.send(body as object);
  };

  it('answers ping, tools/list and notifications/initialized inside a session', async () => {
    const id = (await initialize()).headers['mcp-session-id'] as string;
    expect((await post({ jsonrpc: '2.0', id: 'p', method: 'ping' }, id)).body).toEqual({
      jsonrpc: '2.0',
      id: 'p',
      result: {},
    });
    const list = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, id);
    expect(list.body.result.tools.map((t: { name: string }) => t.name)).toEqual(['hris_list_employees']);
    const notified = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, id);
    expect(notified.status).toBe(202);
    expect(notified.text).toBe('');
  });

  it('calls the tool of the contract’s own toolsCall example', async () => {
    const id = (await initialize()).headers['mcp-session-id'] as string;
    const call = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'hris_list_employees', arguments: { query: { page_size: 2 } } },
    };
    const res = await post(call, id);
    expect(res.body.result.isError).toBe(false);
    expect(res.body.result.structuredContent.data).toHaveLength(2);
    expect(JSON.parse(res.body.result.content[0].text).data[0].first_name).toBe('Ada');
  });

  it.each([
    ['an unknown tool', { name: 'nope' }, 'Unknown tool: nope'],
    [
      'invalid arguments',
      { name: 'hris_list_employees', arguments: { query: { page_size: 0 } } },
      'Invalid arguments for hris_list_employees: query.page_size must be an integer from 1 to 100',
    ],
  ])('answers %s with invalid params (-32602)', async (_name, params, message) => {
    const id = (await initialize()).headers['mcp-session-id'] as string;
    const res = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params }, id);
    expect(res.body).toMatchObject({ id: 3, error: { code: -32602, message } });
  });

  it('answers with an event stream when the client accepts only that', async () => {
    const res = await post(initializeBody, undefined, 'text/event-stream');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['mcp-session-id']).toBeDefined();
    const { events, problems } = parseSse(res.text);
    expect(problems).toEqual([]);
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.data ?? '')).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'stackone-mcp' } },
    });
  });

  it.each([
    ['not JSON', '{"jsonrpc":', null, -32700],
    ['a batch', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', null, -32600],
    ['no jsonrpc', '{"id":5,"method":"ping"}', 5, -32600],
    ['an unknown method', '{"jsonrpc":"2.0","id":"u","method":"resources/list"}', 'u', -32601],
    ['bad params', '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{}}', 9, -32602],
    ['a request without id', '{"jsonrpc":"2.0","method":"ping"}', null, -32600],
  ])('answers %s with a JSON-RPC error in a 200', async (_name, body, id, code) => {
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jsonrpc: '2.0', id, error: { code } });
  });

  it.each([
    ['an unknown notification', '{"jsonrpc":"2.0","method":"notifications/cancelled"}'],
    ['a client response', '{"jsonrpc":"2.0","id":1,"result":{}}'],
  ])('accepts %s with 202 and no body', async (_name, body) => {
    const res = await post(body);
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
  });

  it('refuses a body that is not JSON by Content-Type (400)', async () => {
    const res = await agent().post('/mcp').auth('demo-key', '').type('text/plain').send('ping');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/Content-Type must be application\/json/);
  });

  it('needs a session for everything but initialize (400), and an open one (404)', async () => {
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'ping' })).status).toBe(400);
    const id = (await initialize()).headers['mcp-session-id'] as string;
    await agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', id);
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, id)).status).toBe(404);
  });

  it('negotiates the protocol version: the client’s when supported, else the newest', async () => {
    const older = JSON.parse(initializeBody);
    older.params.protocolVersion = '2025-03-26';
    expect((await post(older)).body.result.protocolVersion).toBe('2025-03-26');
    older.params.protocolVersion = '1999-01-01';
    expect((await post(older)).body.result.protocolVersion).toBe('2025-06-18');
  });
});
