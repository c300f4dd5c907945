import { describe, expect, it } from 'vitest';
import { compilePathTemplate, documentedCodes, fillPathTemplate, indexOperations } from './operations.js';
import { loadSpec } from './spec.js';

describe('indexOperations', () => {
  it.each([
    ['stackone', ['POST /mcp', 'DELETE /mcp'], ''],
    ['smithery', ['DELETE /connect/{namespace}/{connectionId}'], ''],
    ['langsmith', ['DELETE /mcp-servers/{mcp_server_id}'], '/v1/deepagents'],
  ])('%s: labels and base path', async (name, labels, basePath) => {
    const index = indexOperations(await loadSpec(name));
    expect(index.operations.map((o) => o.label)).toEqual(labels);
    expect(index.basePath).toBe(basePath);
  });

  it('resolves parameter, response and security references', async () => {
    const index = indexOperations(await loadSpec('stackone'));
    const del = index.byId.get('stackone_mcp_delete')!;
    expect(del.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      'header:x-account-id:false',
      'query:x-account-id:false',
      'header:mcp-session-id:true',
    ]);
    expect(documentedCodes(del)).toEqual([200, 400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502]);
    expect(del.security.map((alt) => alt.map((r) => [r.scheme, r.definition?.scheme]))).toEqual([
      [['basic', 'basic']],
      [['ApiKey', undefined]],
    ]);
    const post = index.byId.get('stackone_mcp_post')!;
    const ok = post.responses.find((r) => r.status === '200')!;
    expect(ok.headers.map((h) => h.name)).toEqual(['mcp-session-id']);
    expect(ok.links.map((l) => [l.operationId, l.parameters])).toEqual([
      ['stackone_mcp_delete', { 'header.mcp-session-id': '$response.header.mcp-session-id' }],
      ['stackone_mcp_post', { 'header.mcp-session-id': '$response.header.mcp-session-id' }],
    ]);
    expect(post.parameters.find((p) => p.name === 'Accept')?.ignoredByOpenApi).toBe(true);
    const timeout = post.responses.find((r) => r.status === '408')!;
    expect(timeout.pointer).toBe('/components/responses/StackOneRequestTimedOut');
    expect(timeout.headers.map((h) => h.name)).toEqual(['Retry-After']);
  });

  it('matches and fills path templates', () => {
    const match = compilePathTemplate('/connect/{namespace}/{connectionId}');
    expect(match('/connect/demo/conn-1')).toEqual({ namespace: 'demo', connectionId: 'conn-1' });
    expect(match('/connect/a%20b/c')).toEqual({ namespace: 'a b', connectionId: 'c' });
    expect(match('/connect/demo')).toBeUndefined();
    expect(fillPathTemplate('/connect/{namespace}/{connectionId}', { namespace: 'a/b', connectionId: 'c' })).toBe(
      '/connect/a%2Fb/c',
    );
  });
});
