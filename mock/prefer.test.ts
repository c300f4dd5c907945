import request from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMockApp } from './app.js';
import { parsePreferHeader, readPreference } from './prefer.js';

describe('parsePreferHeader (RFC 7240, as Prism reads it)', () => {
  it.each([
    ['code=404', { code: '404' }],
    ['code=429, example=limited', { code: '429', example: 'limited' }],
    ['CODE = 500 ;foo=bar, return=minimal', { code: '500', return: 'minimal' }],
    ['example="a,b", code=400', { example: 'a,b', code: '400' }],
    ['code=400, code=500', { code: '400' }],
    ['respond-async', { 'respond-async': '' }],
  ])('%s', (header, want) => {
    expect(Object.fromEntries(parsePreferHeader(header))).toEqual(want);
  });
});

describe('readPreference', () => {
  it.each([
    ['a header', 'code=404', {}, { preference: { code: 404 } }],
    ['query fallback', undefined, { __code: '503', __example: 'x' }, { preference: { code: 503, example: 'x' } }],
    ['the header winning over the query', 'example=y', { __code: '503' }, { preference: { example: 'y' } }],
    ['nothing asked', 'return=minimal', {}, { preference: undefined }],
    ['a bad code', 'code=4040', {}, { error: "Prefer: code must be a three-digit HTTP status, got '4040'" }],
    ['an empty example', 'example=', {}, { error: 'Prefer: example needs a name, e.g. example=notFound' }],
  ])('reads %s', (_name, header, query, want) => {
    expect(readPreference(header, query)).toEqual(want);
  });
});

const mock = await createMockApp({ selfCheck: true });
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());
const langsmith = (prefer: string, key = 'demo-key') =>
  request(mock.app)
    .delete('/v1/deepagents/mcp-servers/0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d')
    .set('X-Api-Key', key)
    .set('Prefer', prefer);

describe('Prefer on the mock', () => {
  it('answers a named example of the spec', async () => {
    const res = await langsmith('example=upstreamAuthFailed');
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream_auth_failed');
  });

  it('answers code and example together', async () => {
    const res = await langsmith('code=400, example=invalidRequestBody');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request_body');
  });

  it('uses the API’s own error body where the spec has no example', async () => {
    const res = await langsmith('code=503');
    expect(res.body).toEqual({
      type: 'https://docs.langchain.com/errors/service_unavailable',
      code: 'service_unavailable',
      detail: 'Service Unavailable (answered because the request asked for it with Prefer: code=503)',
      status: 503,
    });
    const stackone = await request(mock.app)
      .post('/mcp')
      .auth('demo-key', '')
      .set('Prefer', 'code=429')
      .send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(stackone.status).toBe(429);
    expect(stackone.headers['retry-after']).toBe('1');
    expect(stackone.body).toMatchObject({ statusCode: 429 });
  });

  it('answers an undocumented code with 400 listing the documented ones', async () => {
    const res = await langsmith('code=418');
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe(
      'Prefer: code=418 is not documented for DELETE /mcp-servers/{mcp_server_id}; documented: 204, 400, 401, 403, 404, 500, 502, 503',
    );
  });

  it('answers an unknown example with 400 listing the named examples', async () => {
    const res = await langsmith('example=nope');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(
      /^Prefer: example=nope: named examples of DELETE \/mcp-servers\/\{mcp_server_id\} are 400: missingRequiredField, invalidRequestBody; 401: missingApiKey; /,
    );
    const wrongStatus = await langsmith('code=404, example=missingApiKey');
    expect(wrongStatus.status).toBe(400);
    expect(wrongStatus.body.detail).toMatch(/is not an example of 404/);
  });

  it('never hides a credential failure (as in Prism, validation comes first)', async () => {
    expect((await langsmith('code=204', 'wrong')).status).toBe(403);
  });

  it('changes no state', async () => {
    await langsmith('code=204');
    expect(mock.state.langsmith.mcpServers.size).toBe(1);
  });

  it('picks the media type by Accept: an event stream of the spec’s example', async () => {
    const res = await request(mock.app)
      .post('/mcp')
      .auth('demo-key', '')
      .set('Accept', 'text/event-stream')
      .set('Prefer', 'example=invalidRequest')
      .send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.text).toBe(
      'event: message\ndata: {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request"}}\n\n',
    );
  });

  it('reads __code from the query when there is no Prefer header', async () => {
    const res = await request(mock.app)
      .delete('/connect/demo/conn-1?__code=404')
      .set('Authorization', 'Bearer demo-key');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'not_found',
      message: 'Not Found (answered because the request asked for it with Prefer: code=404)',
    });
  });
});
