import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    ['header', { 'x-account-id': 'bamboohr-demo' }, ''],
    ['query', {}, '?x-account-id=bamboohr-demo'],
  ])('binds the session to x-account-id given as %s', async (_where, headers, query) => {
    const id = (await initialize('demo-key', headers, query)).headers['mcp-session-id'] as string;
    expect(mock.state.stackone.sessions.get(id)).toMatchObject({
      accountId: 'bamboohr-demo',
      accountIds: ['bamboohr-demo'],
    });
    // Another account of the same key is not this session's: 404, as for any session the caller cannot see.
    const wrongAccount = await agent()
      .delete('/mcp?x-account-id=greenhouse-demo')
      .auth('demo-key', '')
      .set('mcp-session-id', id);
    expect(wrongAccount.status).toBe(404);
    const right = await agent()
      .delete('/mcp')
      .auth('demo-key', '')
      .set('x-account-id', 'bamboohr-demo')
      .set('mcp-session-id', id);
    expect(right.status).toBe(200);
  });

  it('a session opened without x-account-id reaches every account of the key, and only those', async () => {
    const id = (await initialize()).headers['mcp-session-id'] as string;
    expect(mock.state.stackone.sessions.get(id)?.accountIds).toEqual(['bamboohr-demo', 'greenhouse-demo']);
    const foreign = await agent()
      .delete('/mcp?x-account-id=hibob-other')
      .auth('demo-key', '')
      .set('mcp-session-id', id);
    expect(foreign.status).toBe(404);
    const own = await agent()
      .delete('/mcp?x-account-id=greenhouse-demo')
      .auth('demo-key', '')
      .set('mcp-session-id', id);
    expect(own.status).toBe(200);
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
