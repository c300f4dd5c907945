import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../app.js';
import { stateSnapshot } from '../state.js';

const mock = await createMockApp({ selfCheck: true });
const agent = () => request(mock.app);
const registered = '0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d';
beforeEach(() => mock.reset());
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

describe('LangSmith DELETE /v1/deepagents/mcp-servers/{mcp_server_id}', () => {
  it('is idempotent: 204 for a registered server (removed), again, and for any other UUID', async () => {
    const path = `/v1/deepagents/mcp-servers/${registered}`;
    const first = await agent().delete(path).set('X-Api-Key', 'demo-key');
    expect(first.status).toBe(204);
    expect(first.text).toBe('');
    expect(mock.state.langsmith.mcpServers.size).toBe(0);
    expect((await agent().delete(path).set('X-Api-Key', 'demo-key')).status).toBe(204);
    const other = await agent()
      .delete('/v1/deepagents/mcp-servers/3FA85F64-5717-4562-B3FC-2C963F66AFA6')
      .set('X-Api-Key', 'demo-key');
    expect(other.status).toBe(204);
  });

  it('answers 401 {"error":"Unauthorized"} without a key and 403 {"error":"Forbidden"} with a wrong one', async () => {
    const path = `/v1/deepagents/mcp-servers/${registered}`;
    const none = await agent().delete(path);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: 'Unauthorized' });
    const wrong = await agent().delete(path).set('X-Api-Key', 'nope');
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ error: 'Forbidden' });
    expect(mock.state.langsmith.mcpServers.size).toBe(1);
  });

  it.each(['not-a-uuid', '12345', '0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5'])(
    'answers 400 ErrorResponse for the non-UUID id %s',
    async (id) => {
      const res = await agent().delete(`/v1/deepagents/mcp-servers/${id}`).set('X-Api-Key', 'demo-key');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        type: 'https://docs.langchain.com/errors/invalid_parameter',
        code: 'invalid_parameter',
        detail: 'path parameter \'mcp_server_id\' must match format "uuid"',
        status: 400,
      });
    },
  );

  it('is served only under its base path', async () => {
    const res = await agent().delete(`/mcp-servers/${registered}`).set('X-Api-Key', 'demo-key');
    expect(res.status).toBe(404);
  });
});

describe('servers belong to the key that registered them', () => {
  const a = '0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d';
  const b = '7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e5f';
  const twoKeys = {
    langsmith: {
      apiKeys: ['key-a-123456', 'key-b-654321'],
      mcpServers: [
        { id: a, name: 'a-tools', owner: 'key-a-123456' },
        { id: b, name: 'b-tools', owner: 'key-b-654321' },
      ],
    },
  };

  it('key B cannot delete key A’s server (204, idempotent, but nothing changes); key A can', async () => {
    const two = await createMockApp({ selfCheck: true, fixtures: twoKeys });
    try {
      const path = `/v1/deepagents/mcp-servers/${a}`;
      const byB = await request(two.app).delete(path).set('X-Api-Key', 'key-b-654321');
      expect(byB.status).toBe(204);
      expect([...two.state.langsmith.mcpServers.keys()]).toEqual([a, b]);
      const byA = await request(two.app).delete(path).set('X-Api-Key', 'key-a-123456');
      expect(byA.status).toBe(204);
      expect([...two.state.langsmith.mcpServers.keys()]).toEqual([b]);
      expect(two.violations).toEqual([]);
    } finally {
      await two.close();
    }
  });

  it('a server without an owner in the fixtures belongs to the first key', async () => {
    expect(mock.state.langsmith.mcpServers.get(registered)?.owner).toBe('demo-key');
  });

  it('refuses fixtures whose server owner is not one of the keys', async () => {
    await expect(
      createMockApp({ fixtures: { langsmith: { apiKeys: ['k1'], mcpServers: [{ id: a, name: 'x', owner: 'k2' }] } } }),
    ).rejects.toThrow(/\/langsmith\/mcpServers\/0\/owner: 'k2' is not one of langsmith.apiKeys/);
  });

  it('/__mock/state shows no character of a key, and tells two keys apart', () => {
    const snapshot = JSON.stringify(stateSnapshot(mock.state));
    expect(snapshot).not.toContain('demo-key');
    expect(snapshot).not.toMatch(/"owner":"(?!key#[0-9a-f]{6}")/);
    const owners = new Set(
      [...JSON.stringify(stateSnapshot(mock.state)).matchAll(/"owner":"(key#[0-9a-f]{6})"/g)].map((m) => m[1]),
    );
    // demo-key and other-key own StackOne accounts: two distinct fingerprints.
    expect(owners.size).toBe(2);
  });
});
