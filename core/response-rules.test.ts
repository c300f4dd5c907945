import { describe, expect, it } from 'vitest';
import { findResponse } from './operations.js';
import {
  bodyValueRule,
  contentTypeRule,
  documentedMedia,
  headersRule,
  mediaTypeMatches,
  noContentBodyRule,
  type ResponseView,
  responseProblems,
  schemaRule,
  statusRule,
} from './response-rules.js';
import { loadSpecFromText } from './spec.js';
import { compileSpec } from './validators.js';

/**
 * The shared response rules on their own: each fires on a broken response and stays silent on a conformant
 * but unusual one. (test/response-rules-agreement.test.ts shows the mock and the runner reach the same verdicts.)
 */

const compiled = compileSpec(
  await loadSpecFromText(
    `openapi: 3.1.0
info: { title: rules, version: "1" }
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: things
          headers:
            X-Count: { required: true, schema: { type: integer, minimum: 0 } }
            X-Tags: { schema: { type: array, items: { type: string }, maxItems: 2 } }
          content:
            application/*: { schema: { type: string } }
            application/json: { schema: { type: array, items: { type: integer } } }
            text/xml: { schema: { type: object, required: [id], properties: { id: { type: integer } }, xml: { name: thing } } }
        "2XX": { description: other success }
        "304": { description: not modified }
`,
    '/tmp/rules.inline.yaml',
    'rules',
  ),
);
const op = compiled.index.byId.get('listThings')!;
const ok = findResponse(op, 200)!;
const view = (init: Partial<ResponseView> & { status: number }): ResponseView => {
  const body = init.body ?? '';
  return { headers: {}, body, bodyBytes: Buffer.byteLength(body), method: 'GET', ...init };
};
const json = (value: unknown, headers: Record<string, string> = { 'x-count': '2' }) =>
  view({ status: 200, body: JSON.stringify(value), headers: { 'content-type': 'application/json', ...headers } });

describe('statusRule', () => {
  it('fires on an undocumented status, with a summary and the hint for a 404', () => {
    const [problem] = statusRule(op, view({ status: 404 }));
    expect(problem).toMatchObject({
      rule: 'status',
      actual: '404, no body',
      summary: 'status 404 is not documented for GET /things (documented: 200, 304)',
    });
    expect(problem?.hint).toMatch(/document 404/);
  });
  it('is silent on a status covered only by its range', () => {
    expect(statusRule(op, view({ status: 206 }))).toEqual([]);
  });
});

describe('noContentBodyRule', () => {
  it.each([
    ['a 204 announcing a length', { status: 204, headers: { 'content-length': '3' } }, 'Content-Length: 3'],
    [
      'a 204 that is chunked',
      { status: 204, headers: { 'transfer-encoding': 'chunked' } },
      'Transfer-Encoding: chunked',
    ],
    ['a 304 with bytes', { status: 304, body: '{}' }, '2 body bytes'],
  ])('fires on %s', (_name, init, evidence) => {
    expect(noContentBodyRule(view(init))).toMatchObject([{ rule: 'no-content-body', actual: evidence }]);
  });
  it('lets a 304 carry the Content-Length and Content-Type of its 200', () => {
    expect(
      noContentBodyRule(
        view({ status: 304, headers: { 'content-length': '120', 'content-type': 'application/json' } }),
      ),
    ).toEqual([]);
  });
});

describe('contentTypeRule and documentedMedia', () => {
  it('prefers the exact media type to a wildcard listed before it, and reads by the type that came back', () => {
    expect(documentedMedia(compiled, ok, 'application/json; charset=utf-8')?.media.mediaType).toBe('application/json');
    expect(documentedMedia(compiled, ok, 'application/problem+json')).toMatchObject({
      media: { mediaType: 'application/*' },
      reading: 'json',
    });
    expect(documentedMedia(compiled, ok, 'image/png')).toBeUndefined();
  });
  it('matches wildcards on both halves, never a bare type', () => {
    expect(mediaTypeMatches('*/*', 'image/png')).toBe(true);
    expect(mediaTypeMatches('application/*', 'APPLICATION/JSON; charset=utf-8')).toBe(true);
    expect(mediaTypeMatches('application/*', 'text/plain')).toBe(false);
    expect(mediaTypeMatches('application/json', 'application/jsonp')).toBe(false);
  });
  it('fires on an undocumented type and on a missing body', () => {
    expect(
      contentTypeRule(ok, view({ status: 200, body: 'x', headers: { 'content-type': 'text/plain' } })),
    ).toMatchObject([
      {
        summary:
          'content type text/plain is not documented for 200 (documented: application/*, application/json, text/xml)',
      },
    ]);
    expect(contentTypeRule(ok, view({ status: 200 }))).toMatchObject([{ actual: 'no body and no Content-Type' }]);
  });
  it('is silent on a HEAD answer without a body', () => {
    expect(contentTypeRule(ok, view({ status: 200, method: 'HEAD' }))).toEqual([]);
  });
});

describe('schemaRule', () => {
  it('fires on a JSON body against its schema and on text that is not JSON', () => {
    expect(schemaRule(compiled, ok, json(['a']))).toMatchObject([
      { details: [expect.stringMatching(/^\/0: must be integer/)] },
    ]);
    expect(
      schemaRule(compiled, ok, view({ status: 200, body: '[1,', headers: { 'content-type': 'application/json' } })),
    ).toMatchObject([{ summary: expect.stringMatching(/^body is not JSON/) }]);
  });
  it('takes an already parsed value as it is (the mock has it before serializing)', () => {
    expect(schemaRule(compiled, ok, { ...json([1]), value: [1, 2] })).toEqual([]);
    expect(schemaRule(compiled, ok, { ...json([1]), value: ['x'] })).toHaveLength(1);
  });
  it('reads XML through the xml object, and fails malformed XML with the parser message', () => {
    const xml = (body: string) => view({ status: 200, body, headers: { 'content-type': 'text/xml' } });
    expect(schemaRule(compiled, ok, xml('<thing><id>7</id></thing>'))).toEqual([]);
    expect(schemaRule(compiled, ok, xml('<thing><id>seven</id></thing>'))).toHaveLength(1);
    expect(schemaRule(compiled, ok, xml('<thing><id>'))).toMatchObject([{ expected: 'an XML body (200 text/xml)' }]);
  });
  it('is silent on a truncated body and on HEAD', () => {
    expect(schemaRule(compiled, ok, { ...json(['a']), truncated: true })).toEqual([]);
    expect(schemaRule(compiled, ok, { ...json(['a']), method: 'HEAD' })).toEqual([]);
  });
  it('validates a body value of a media type directly (canned bodies and spec examples)', () => {
    const media = ok.content.find((m) => m.mediaType === 'application/json')!;
    expect(bodyValueRule(compiled, media, 'json', [1])).toEqual([]);
    expect(bodyValueRule(compiled, media, 'json', {})[0]?.summary).toMatch(/^body \/: must be array/);
  });
});

describe('headersRule', () => {
  it.each([
    ['a required header missing', {}, 'header X-Count is documented for 200 but missing'],
    [
      'a number header that is text',
      { 'x-count': 'many' },
      expect.stringMatching(/^header X-Count \/: must be integer/),
    ],
    ['a number below its minimum', { 'x-count': '-1' }, expect.stringMatching(/^header X-Count \/: must be >= 0/)],
    [
      'an array header with too many items',
      { 'x-count': '1', 'x-tags': 'a,b,c' },
      expect.stringMatching(/must NOT have more than 2 items/),
    ],
  ])('fires on %s', (_name, headers, summary) => {
    expect(headersRule(compiled, ok, json([1], headers))).toMatchObject([{ rule: 'headers', summary }]);
  });
  it('reads an array header in simple style, spaces after commas allowed', () => {
    expect(headersRule(compiled, ok, json([1], { 'x-count': ' 3', 'x-tags': 'a, b' }))).toEqual([]);
  });
});

describe('responseProblems (what the mock applies)', () => {
  it('stops at an undocumented status and otherwise gathers every rule', () => {
    expect(responseProblems(compiled, op, view({ status: 500, body: 'x' })).map((p) => p.rule)).toEqual(['status']);
    expect(responseProblems(compiled, op, json(['a'], { 'x-tags': 'a,b,c' })).map((p) => p.rule)).toEqual([
      'schema',
      'headers',
      'headers',
    ]);
  });
});
