import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../generated/operations.js';
import { createMockApp } from './app.js';
import type { MockContext, MockResponse } from './types.js';

/**
 * A self-check that never fails proves nothing: each broken handler below answers something the spec does not
 * document, and the check must catch it, replace it with a 500 and say why.
 */

type Broken = Partial<Handlers<MockContext>>;
// Deliberately outside the generated types: this is what `tsc` would refuse in a real handler.
const breaking = (response: MockResponse) => (() => response) as unknown as Broken[keyof Broken];

const langsmithPath = '/v1/deepagents/mcp-servers/0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d';

describe('the response self-check', () => {
  it.each([
    [
      'an undocumented status',
      { status: 418 },
      /status 418 is not documented for DELETE \/mcp-servers\/\{mcp_server_id\}/,
    ],
    ['a body on 204', { status: 204, contentType: 'application/json', body: { ok: true } }, /204 documents no body/],
    [
      'no body where one is documented',
      { status: 404 },
      /404 documents a body \(application\/json\), but none was sent/,
    ],
    [
      'an undocumented content type',
      { status: 404, contentType: 'text/plain', body: 'gone' },
      /content type text\/plain is not documented/,
    ],
    [
      'a body against the schema',
      { status: 404, contentType: 'application/json', body: { status: 'four' } },
      /body \/status: must be integer/,
    ],
  ])(
    'catches %s: 500 in the API’s error schema, a log line and a recorded violation',
    async (_name, response, problem) => {
      const logged: string[] = [];
      const mock = await createMockApp({
        selfCheck: true,
        log: (l) => logged.push(l),
        handlers: { deleteMcpServer: breaking(response) } as Broken,
      });
      const res = await request(mock.app).delete(langsmithPath).set('X-Api-Key', 'demo-key');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'mock_self_check_failed', status: 500 });
      expect(res.body.detail).toMatch(problem);
      expect(mock.violations).toHaveLength(1);
      expect(mock.violations[0]).toMatchObject({ spec: 'langsmith', status: response.status });
      expect(mock.violations[0]?.problems.join('\n')).toMatch(problem);
      expect(logged.find((l) => l.startsWith('self-check:'))).toMatch(problem);
      expect(logged.some((l) => / 500 .*\(self-check failed\)$/.test(l))).toBe(true);
      await mock.close();
    },
  );

  it('checks documented headers: a Retry-After that is missing on 408', async () => {
    const mock = await createMockApp({
      selfCheck: true,
      handlers: {
        stackone_mcp_delete: breaking({
          status: 408,
          contentType: 'application/json',
          body: { statusCode: 408, message: 'slow', timestamp: '2024-01-01T00:00:00.000Z' },
        }),
      } as Broken,
    });
    const res = await request(mock.app).delete('/mcp').auth('demo-key', '').set('mcp-session-id', 'demo-session');
    expect(res.status).toBe(500);
    expect(mock.violations[0]?.problems).toEqual(['header Retry-After is documented for 408 but missing']);
    await mock.close();
  });

  it('checks each event of an event stream against the item schema', async () => {
    const mock = await createMockApp({
      selfCheck: true,
      handlers: {
        stackone_mcp_post: breaking({
          status: 200,
          contentType: 'text/event-stream',
          body: 'data: {"jsonrpc":"1.0"}\n\n',
        }),
      } as Broken,
    });
    const res = await request(mock.app)
      .post('/mcp')
      .auth('demo-key', '')
      .send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(res.status).toBe(500);
    expect(mock.violations[0]?.problems.join('\n')).toMatch(/event 1 data: /);
    await mock.close();
  });

  it('lets a violating answer through when the self-check is off (the CLI default)', async () => {
    const mock = await createMockApp({ handlers: { deleteMcpServer: breaking({ status: 418 }) } as Broken });
    expect((await request(mock.app).delete(langsmithPath).set('X-Api-Key', 'demo-key')).status).toBe(418);
    expect(mock.violations).toEqual([]);
    await mock.close();
  });

  it('answers a plain JSON 500 where the spec documents no 500 at all (Smithery)', async () => {
    const mock = await createMockApp({
      selfCheck: true,
      handlers: { 'deleteSmithery.run:namespace:connectionId': breaking({ status: 204 }) } as Broken,
    });
    const res = await request(mock.app).delete('/connect/demo/conn-1').set('Authorization', 'Bearer demo-key');
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('mock_self_check_failed');
    expect(mock.violations).toHaveLength(1);
    await mock.close();
  });
});
