import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../app.js';

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
