import { describe, expect, it } from 'vitest';
import { compiled, exchange, json, operation, response } from '../conformance/test-helpers.js';
import { evaluateExpression } from './runtime-expression.js';

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

  // Regression (was a bug): evaluateExpression (then in run.ts) handles only header and body sources (and $statusCode). OpenAPI's runtime
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
