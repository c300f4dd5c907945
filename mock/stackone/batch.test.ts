import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSse } from '../../core/sse.js';
import { createMockApp } from '../app.js';
import { maxBatchLength } from './mcp.js';
import { mcpClient } from './test-helpers.js';

/**
 * Protocol versions and JSON-RPC batches (issue 11 item 4): batches are part of the 2025-03-26 transport and
 * gone from 2025-06-18 on; 2025-11-25 is negotiated; an invalid or unsupported MCP-Protocol-Version is a 400.
 */

const mock = await createMockApp({ selfCheck: true });
const mcp = mcpClient(mock.app);
beforeEach(() => mock.reset());
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

const ping = (id: number | string) => ({ jsonrpc: '2.0', id, method: 'ping' });
const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
const mixed = [
  ping(1),
  initialized,
  { jsonrpc: '2.0', id: 'list', method: 'tools/list', params: {} },
  { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'nope', arguments: {} } },
  { jsonrpc: '1.0', id: 4, method: 'ping' },
  { jsonrpc: '2.0', id: 'r', result: {} },
];

describe('a batch in a 2025-03-26 session', () => {
  it('answers requests in order in one JSON array; notifications and responses get no entry', async () => {
    const session = await mcp.initialize({ protocolVersion: '2025-03-26' });
    const res = await mcp.post(mixed, { session, headers: { 'MCP-Protocol-Version': '2025-03-26' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body.map((m: { id: unknown }) => m.id)).toEqual([1, 'list', 3, 4]);
    expect(res.body[0]).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(res.body[1].result.tools.length).toBeGreaterThan(0);
    // 2025-03-26 shapes: the title sits in annotations.
    expect(res.body[1].result.tools[0].title).toBeUndefined();
    expect(res.body[2].error).toMatchObject({ code: -32602, message: 'Unknown tool: nope' });
    expect(res.body[3].error).toMatchObject({ code: -32600 });
    expect(mock.state.stackone.sessions.get(session)?.initializedAt).toBeDefined();
  });

  it('answers in one event stream, an event per answer, when the client prefers a stream', async () => {
    const session = await mcp.initialize({ protocolVersion: '2025-03-26' });
    const res = await mcp.post([ping('a'), initialized, ping('b')], { session, accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const { events } = parseSse(res.text);
    expect(events.map((e) => JSON.parse(e.data).id)).toEqual(['a', 'b']);
  });

  it('a batch of notifications and responses only is a 202 without a body', async () => {
    const session = await mcp.initialize({ protocolVersion: '2025-03-26' });
    const res = await mcp.post([initialized, { jsonrpc: '2.0', id: 9, result: {} }], { session });
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
  });

  it('refuses initialize inside a batch, and answers the rest', async () => {
    const session = await mcp.initialize({ protocolVersion: '2025-03-26' });
    const init = {
      jsonrpc: '2.0',
      id: 'i',
      method: 'initialize',
      params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const res = await mcp.post([init, ping(2)], { session });
    expect(res.body[0]).toMatchObject({ id: 'i', error: { code: -32600, message: /initialize must not be part/ } });
    expect(res.body[1]).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
  });

  it('a session seeded from the fixtures, with no header, is read as 2025-03-26 and takes batches', async () => {
    const res = await mcp.post([ping(1)], { session: 'demo-session' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
  });

  it('an empty batch is -32600; one over the cap is a 400; one without a session a 400', async () => {
    const session = await mcp.initialize({ protocolVersion: '2025-03-26' });
    const empty = await mcp.post([], { session });
    expect(empty.body).toMatchObject({ id: null, error: { code: -32600, message: /empty batch/ } });
    const long = await mcp.post(
      Array.from({ length: maxBatchLength + 1 }, (_, i) => ping(i)),
      { session },
    );
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(`at most ${maxBatchLength} messages`);
    const exactly = await mcp.post(
      Array.from({ length: maxBatchLength }, (_, i) => ping(i)),
      { session },
    );
    expect(exactly.body).toHaveLength(maxBatchLength);
    const none = await mcp.post([ping(1)]);
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/mcp-session-id header is required for a batch/);
  });
});

describe('batches after 2025-03-26', () => {
  it.each(['2025-06-18', '2025-11-25'])(
    'a %s session refuses a batch with -32600 and runs none of it',
    async (version) => {
      const session = await mcp.initialize({ protocolVersion: version });
      const res = await mcp.post([ping(1), initialized], {
        session,
        headers: { 'MCP-Protocol-Version': version },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: null,
        error: {
          code: -32600,
          message: `Invalid request: JSON-RPC batches are not supported in protocol version ${version} (only in 2025-03-26); send one message per POST`,
        },
      });
      expect(mock.state.stackone.sessions.get(session)?.initializedAt).toBeUndefined();
    },
  );
});

describe('MCP-Protocol-Version', () => {
  it('2025-11-25 is negotiated and accepted on later requests, with the newer shapes', async () => {
    const session = await mcp.initialize({ protocolVersion: '2025-11-25' });
    const list = await mcp.rpc('tools/list', {}, { session, headers: { 'MCP-Protocol-Version': '2025-11-25' } });
    expect(list.result?.tools?.[0]?.title).toBeDefined();
  });

  it.each(['2024-11-05', 'banana', ''])(
    'after initialize, %j is a 400 that names the supported ones',
    async (version) => {
      const session = await mcp.initialize({ protocolVersion: '2025-06-18' });
      const res = await mcp.post(ping(1), { session, headers: { 'MCP-Protocol-Version': version } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/MCP-Protocol-Version/);
    },
  );
});

describe('JSON depth', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'x';
    for (let i = 1; i < depth; i++) value = { a: value };
    return value;
  };

  it('a body nested deeper than 64 levels is a parse error (-32700), not a crash', async () => {
    const session = await mcp.initialize();
    const deep = `{"jsonrpc":"2.0","id":1,"method":"ping","params":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_001)}`;
    const res = await mcp.post(deep, { session });
    expect(res.status).toBe(200);
    expect(res.body.error).toMatchObject({ code: -32700, message: /nested deeper than 64 levels/ });
  });

  it('a body nested 60 levels deep is read (and then judged by the schema)', async () => {
    const session = await mcp.initialize();
    const res = await mcp.post({ ...ping(1), params: { _meta: nested(58) } }, { session });
    expect(res.body).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });
});
