import { describe, expect, it } from 'vitest';
import { isToolError } from '../../core/errors.js';
import { compiled, demoCredentials, exchange, json, operation, response } from '../test-helpers.js';
import { baseUrlFor, defaultRunOptions, evaluateExpression, prepareConformance } from './run.js';

const stackone = await compiled('stackone');

describe('evaluateExpression', () => {
  const initialize = exchange({
    operation: operation(stackone, 'stackone_mcp_post'),
    request: {
      method: 'POST',
      path: '/mcp',
      query: [['tool-mode', 'individual']],
      headers: { 'mcp-protocol-version': '2025-03-26', 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'initialize', id: 'init-1', params: { 'a/b': 'slash' } }),
      url: 'http://127.0.0.1:4010/mcp?tool-mode=individual',
    },
    response: json(
      200,
      {
        jsonrpc: '2.0',
        id: 'init-1',
        result: { protocolVersion: '2025-03-26', capabilities: {}, count: 0, gone: null },
      },
      { 'mcp-session-id': 'sess-42' },
    ),
  });

  it.each([
    ['a response header', '$response.header.mcp-session-id', 'sess-42'],
    ['a response header, case-insensitively', '$response.header.Mcp-Session-Id', 'sess-42'],
    ['a request header', '$request.header.MCP-Protocol-Version', '2025-03-26'],
    ['a response body pointer to a string', '$response.body#/result/protocolVersion', '2025-03-26'],
    ['a response body pointer to a number', '$response.body#/result/count', '0'],
    ['a response body pointer to an object, as JSON', '$response.body#/result/capabilities', '{}'],
    ['the whole response body', '$response.body', initialize.response!.body],
    ['a request body pointer, with ~1 for a slash', '$request.body#/params/a~1b', 'slash'],
    ['the status code', '$statusCode', '200'],
    ['a constant (not an expression)', 'session', 'session'],
    ['a missing header', '$response.header.x-missing', undefined],
    ['a pointer to nothing', '$response.body#/result/nothing', undefined],
    ['a pointer to null', '$response.body#/result/gone', undefined],
  ])('%s: %s', (_name, expression, want) => {
    expect(evaluateExpression(expression, initialize)).toBe(want);
  });

  it('is undefined for a body pointer when the body is not JSON', () => {
    const ex = exchange({ response: response(200, { body: 'event: message\ndata: {}\n\n' }) });
    expect(evaluateExpression('$response.body#/id', ex)).toBeUndefined();
  });

  it('is undefined for response expressions when there was no response', () => {
    const ex = exchange({ response: undefined, error: { code: 'ECONNREFUSED', message: 'refused' } });
    expect(evaluateExpression('$response.header.mcp-session-id', ex)).toBeUndefined();
    expect(evaluateExpression('$statusCode', ex)).toBeUndefined();
  });

  // Regression (was a bug): run.ts:368-393 (evaluateExpression) handles only header and body sources (and $statusCode). OpenAPI's runtime
  // expression grammar also has `$url`, `$method`, `$request.query.<name>` and `$request.path.<name>` — the
  // last is the usual way a link passes an id on (`userId: $request.path.id`). Such a link makes every
  // lifecycle step after create "skipped" with a misleading "the create step's response carried no value".
  it('evaluates $url, $method, $request.query.<name> and $request.path.<name>', async () => {
    const smithery = await compiled('smithery');
    const del = exchange({
      operation: operation(smithery, 'deleteSmithery.run:namespace:connectionId'),
      request: {
        method: 'DELETE',
        path: '/connect/ns-1/conn-1',
        query: [['force', 'true']],
        url: 'http://127.0.0.1:4010/connect/ns-1/conn-1?force=true',
      },
      response: response(200),
    });
    const want: Record<string, string> = {
      $url: 'http://127.0.0.1:4010/connect/ns-1/conn-1?force=true',
      $method: 'DELETE',
      '$request.query.force': 'true',
      '$request.path.connectionId': 'conn-1',
    };
    const got = Object.fromEntries(Object.keys(want).map((e) => [e, evaluateExpression(e, del)]));
    expect(got).toEqual(want);
  });
});

describe('baseUrlFor', () => {
  it.each([
    [
      'a target without a path keeps the spec base path',
      'http://127.0.0.1:4010',
      '/v1/deepagents',
      'http://127.0.0.1:4010/v1/deepagents',
    ],
    [
      'a bare trailing slash is no path',
      'http://127.0.0.1:4010/',
      '/v1/deepagents',
      'http://127.0.0.1:4010/v1/deepagents',
    ],
    [
      'a target with a path replaces the base path',
      'https://staging.example.com/langsmith',
      '/v1/deepagents',
      'https://staging.example.com/langsmith',
    ],
    [
      'its trailing slashes are dropped',
      'https://staging.example.com/langsmith//',
      '/v1/deepagents',
      'https://staging.example.com/langsmith',
    ],
    ['a spec without a base path', 'http://localhost:4010', '', 'http://localhost:4010'],
    ['an IPv6 host keeps its brackets and port', 'http://[::1]:4010', '/v1', 'http://[::1]:4010/v1'],
  ])('%s', (_name, target, basePath, want) => {
    expect(baseUrlFor(new URL(target), basePath)).toBe(want);
  });
});

describe('prepareConformance (plans, sends nothing)', () => {
  const options = {
    specs: ['stackone', 'smithery', 'langsmith'],
    target: 'http://127.0.0.1:4010',
    credentials: demoCredentials(),
    params: new Map<string, string>(),
    allowDestructive: false,
    ...defaultRunOptions,
  };

  it('gives each spec its base URL on the target', async () => {
    const prepared = await prepareConformance(options);
    expect(prepared.plans.map((p) => [p.compiled.spec.name, p.baseUrl])).toEqual([
      ['stackone', 'http://127.0.0.1:4010'],
      ['smithery', 'http://127.0.0.1:4010'],
      ['langsmith', 'http://127.0.0.1:4010/v1/deepagents'],
    ]);
  });

  it.each([
    [
      'an --operation that matches nothing',
      { operations: ['noSuchOperation'] },
      "--operation 'noSuchOperation' matches no operation",
    ],
    ['a --target that is not a URL', { target: '127.0.0.1:4010' }, "--target '127.0.0.1:4010' is not a URL"],
    ['a --target that is not http', { target: 'ftp://127.0.0.1' }, 'is not http or https'],
    ['an unknown --check', { checks: ['status-codes'] }, "unknown check 'status-codes'"],
  ])('%s is a usage error', async (_name, override, message) => {
    const error = await prepareConformance({ ...options, specs: ['smithery'], ...override }).catch((e: unknown) => e);
    expect(isToolError(error) && error.code).toBe('MCPC_USAGE');
    expect((error as Error).message).toContain(message);
  });

  it('remarks on a --param that no selected operation has', async () => {
    const prepared = await prepareConformance({
      ...options,
      specs: ['smithery'],
      params: new Map([['no-such-param', 'x']]),
    });
    expect(prepared.remarks).toContain('--param no-such-param matched no parameter of the selected operations');
  });
});
