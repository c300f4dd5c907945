import { describe, expect, it } from 'vitest';
import { ToolError } from '../../core/errors.js';
import type { CompiledSpec } from '../../core/validators.js';
import {
  compiled,
  compiledFromText,
  context,
  event,
  exchange,
  fixtureSpec,
  json,
  operation,
  response,
  rpc,
  sse,
  verdict,
} from '../test-helpers.js';
import type { Check, CheckContext, Exchange, HttpResponse, Operation, Severity } from '../types.js';
import { allChecks, selectChecks } from './index.js';

/**
 * One table per check of the registry: `[name, { given, want }]`, each with at least a pass (no outcome), a
 * fail (severity plus what was expected and what came back) and a skip (`applies` false). Exchanges are built
 * on real operations of the bundled specs, so the tests break when a spec change changes what a check sees.
 */

const stackone = await compiled('stackone');
const smithery = await compiled('smithery');
const langsmith = await compiled('langsmith');
/** Documents `200` and `4XX` (a range) for GET /things/{id}. */
const external = await compiled(fixtureSpec('external-root.yaml'));
/** `2XX` and `default`, wildcard media types, a required and an integer response header. */
const ranges = await compiledFromText(
  `openapi: 3.1.0
info: { title: ranges and wildcards, version: "1" }
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "2XX":
          description: any success
          headers:
            X-Request-Id: { required: true, schema: { type: string } }
            X-Remaining: { schema: { type: integer, minimum: 0 } }
          content:
            application/*:
              schema: { type: object, required: [id], properties: { id: { type: string } } }
        default:
          description: anything else
          content:
            "*/*":
              schema: { type: string }
`,
  'ranges',
);

/** Petstore-like gaps: a secured write without any success status or 401, a read without any 4xx, redirects. */
const gaps = await compiled(fixtureSpec('spec-gaps.yaml'));
const [addPet, getPet, deletePet, getPhoto, getAvatar, getCard] = [
  'addPet',
  'getPet',
  'deletePet',
  'getPhoto',
  'getAvatar',
  'getCard',
].map((id) => operation(gaps, id)) as [Operation, Operation, Operation, Operation, Operation, Operation];
const cdn = (status: number) => response(status, { headers: { location: 'https://cdn.example.net/p/1.png' } });
/** A table row on the spec-gaps fixture: an exchange of `op` answered with `res`. */
const onGaps = (name: string, op: Operation, res: HttpResponse | undefined, want: Want): Row => [
  name,
  { given: { spec: gaps, exchange: exchange({ operation: op, response: res }) }, want },
];
const optionalEnum = { name: 'param-style', in: 'query' as const, required: false };
const stackoneStrict = { strict: true };
/** POST /mcp with one parameter given an invalid value, answered with `res`. */
const invalidParameter = (parameter: Exchange['parameter'], res: HttpResponse, options = {}): Given => ({
  spec: stackone,
  exchange: exchange({ operation: stackonePost, kind: 'invalid-parameter', parameter, response: res }),
  options,
});

const stackoneDelete = operation(stackone, 'stackone_mcp_delete');
const stackonePost = operation(stackone, 'stackone_mcp_post');
const smitheryDelete = operation(smithery, 'deleteSmithery.run:namespace:connectionId');
const langsmithDelete = operation(langsmith, 'deleteMcpServer');
const getThing = operation(external, 'getThing');
const getItem = operation(ranges, 'getItem');

const notFound = { statusCode: 404, message: 'Not Found', timestamp: '2023-05-30T00:00:00.000Z' };
const pingRequest = rpc({ method: 'ping', id: 4 });
const pingResult = { jsonrpc: '2.0', id: 4, result: {} };
const invalidRequest = { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request' } };

interface Given {
  spec: CompiledSpec;
  exchange: Exchange;
  options?: Partial<CheckContext['options']>;
}
interface WantOutcome {
  severity: Severity;
  expected: string | RegExp;
  actual: string | RegExp;
  details?: string | RegExp;
  hint?: string | RegExp;
}
type Want = 'skip' | 'pass' | WantOutcome[];
type Row = [name: string, { given: Given; want: Want }];

const text = (s: string | RegExp) => (typeof s === 'string' ? expect.stringContaining(s) : expect.stringMatching(s));
const failure = (expected: string | RegExp, actual: string | RegExp, more: Partial<WantOutcome> = {}): WantOutcome => ({
  severity: 'failure',
  expected,
  actual,
  ...more,
});
const warning = (expected: string | RegExp, actual: string | RegExp): WantOutcome => ({
  severity: 'warning',
  expected,
  actual,
});

function assertVerdict(check: Check, { given, want }: { given: Given; want: Want }): void {
  const got = verdict(check, context(given.spec, given.exchange, given.options));
  if (want === 'skip') {
    expect(got).toBe('skip');
    return;
  }
  expect(got).not.toBe('skip');
  if (want === 'pass') {
    expect(got).toEqual([]);
    return;
  }
  expect(got).toEqual(
    want.map((w) =>
      expect.objectContaining({
        severity: w.severity,
        expected: text(w.expected),
        actual: text(w.actual),
        ...(w.details ? { details: expect.arrayContaining([text(w.details)]) } : {}),
        ...(w.hint ? { hint: text(w.hint) } : {}),
      }),
    ),
  );
}

const tables: Record<string, Row[]> = {
  'status-code-conformance': [
    [
      'a documented exact code passes',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(404, notFound) }) },
        want: 'pass',
      },
    ],
    [
      'a code inside a documented 4XX range passes',
      {
        given: {
          spec: external,
          exchange: exchange({ operation: getThing, response: json(418, { title: 'teapot' }) }),
        },
        want: 'pass',
      },
    ],
    [
      'a code inside a documented 2XX range passes',
      {
        given: { spec: ranges, exchange: exchange({ operation: getItem, response: json(206, { id: 'a' }) }) },
        want: 'pass',
      },
    ],
    [
      'any code passes where `default` is documented',
      { given: { spec: ranges, exchange: exchange({ operation: getItem, response: response(503) }) }, want: 'pass' },
    ],
    [
      'an undocumented code fails and names the documented ones',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(418, {}) }) },
        want: [
          failure(
            'one of the documented statuses 200, 400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502',
            /^418 application\/json/,
          ),
        ],
      },
    ],
    [
      'a 5xx is not covered by a 4XX range',
      {
        given: { spec: external, exchange: exchange({ operation: getThing, response: response(500) }) },
        want: [failure('one of the documented statuses 200, 4XX', '500, no body')],
      },
    ],
    [
      'an undocumented 403 to wrong credentials points at the spec in the hint',
      {
        given: {
          spec: smithery,
          exchange: exchange({
            operation: smitheryDelete,
            credentials: 'wrong',
            response: json(403, { error: 'forbidden', message: 'no' }),
          }),
        },
        want: [failure('200, 400, 401, 404', '403', { hint: /spec is the likely culprit.*document 403/ })],
      },
    ],
    onGaps(
      'a status a spec gap explains is left to spec-gap (a 200 where the operation documents no success)',
      addPet,
      response(200),
      'pass',
    ),
    onGaps(
      'an undocumented status the gap does not explain stays a failure (a 500 where no success is documented)',
      addPet,
      response(500),
      [failure('one of the documented statuses 405', '500, no body')],
    ),
    onGaps('an undocumented 4xx where the operation documents some 4xx stays a failure', deletePet, response(422), [
      failure('one of the documented statuses 400, 401, 2XX', '422, no body'),
    ]),
    [
      'skipped for an errored exchange (no response)',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: undefined }) },
        want: 'skip',
      },
    ],
    [
      'skipped for a method the spec does not define (no operation)',
      {
        given: {
          spec: stackone,
          exchange: exchange({ label: 'PATCH /mcp', kind: 'unsupported-method', response: response(405) }),
        },
        want: 'skip',
      },
    ],
  ],

  'spec-gap': [
    [
      "a 2xx where the operation documents no success status is the spec's gap: a warning naming the rule and both fixes",
      {
        given: { spec: gaps, exchange: exchange({ operation: addPet, response: json(200, { id: 1 }) }) },
        want: [
          {
            severity: 'warning',
            expected:
              /^a documented status \(405\); the spec has a gap here \(lint rule mcp-contracts:operation-without-success-status: /,
            actual: /^200 application\/json/,
            hint: /document 200 \(with its body schema\) under \/paths\/~1pets\/post\/responses, or change the deployment/,
          },
        ],
      },
    ],
    [
      'the same gap fails the run under --strict',
      {
        given: {
          spec: gaps,
          exchange: exchange({ operation: addPet, response: response(201) }),
          options: { strict: true },
        },
        want: [failure(/operation-without-success-status/, '201, no body')],
      },
    ],
    [
      "a 401 to missing credentials on a secured operation without 401 is the spec's gap",
      {
        given: {
          spec: gaps,
          exchange: exchange({ operation: addPet, credentials: 'none', response: response(401) }),
        },
        want: [warning(/secured-operation-without-401/, '401, no body')],
      },
    ],
    [
      'a 403 to wrong credentials on that operation is the same gap',
      {
        given: {
          spec: gaps,
          exchange: exchange({ operation: addPet, credentials: 'wrong', response: response(403) }),
        },
        want: [warning(/secured-operation-without-401/, '403, no body')],
      },
    ],
    [
      "a 404 where the operation documents no client error is the spec's gap",
      {
        given: {
          spec: gaps,
          exchange: exchange({ operation: getPet, kind: 'nonexistent-id', response: response(404) }),
        },
        want: [warning(/operation-without-client-error/, '404, no body')],
      },
    ],
    onGaps('a documented status passes on an operation with gaps', addPet, response(405), 'pass'),
    [
      "an undocumented status no gap explains is not the spec's (a 500; status-code-conformance fails it)",
      { given: { spec: gaps, exchange: exchange({ operation: getPet, response: response(500) }) }, want: 'pass' },
    ],
    [
      'a 401 with valid credentials is not the auth gap (a 4xx where 4xx are documented)',
      {
        given: { spec: gaps, exchange: exchange({ operation: addPet, credentials: 'valid', response: response(401) }) },
        want: 'pass',
      },
    ],
    onGaps('skipped on an operation without gaps', deletePet, response(418), 'skip'),
    onGaps('skipped for an errored exchange (no response)', addPet, undefined, 'skip'),
  ],
  'content-type-conformance': [
    [
      // The MCP transport: a client that asked for JSON only cannot read an event stream.
      'a documented event stream where the request accepted only JSON is a warning (HTTP lets a server disregard Accept)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest, headers: { accept: 'application/json' } },
            response: sse(200, event(JSON.stringify(pingResult))),
          }),
        },
        want: [warning(/accepted \(Accept: application\/json\)/, /cannot read it/)],
      },
    ],
    [
      'the same stream fails under --strict',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest, headers: { accept: 'application/json' } },
            response: sse(200, event(JSON.stringify(pingResult))),
          }),
          options: { strict: true },
        },
        want: [failure(/accepted \(Accept: application\/json\)/, /cannot read it/)],
      },
    ],
    [
      'the same stream passes where the request accepted it (with a q-value), or anything',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest, headers: { accept: 'application/json, text/event-stream;q=0.9' } },
            response: sse(200, event(JSON.stringify(pingResult))),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'the documented type with a charset parameter passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: json(404, notFound, { 'content-type': 'application/json; charset=utf-8' }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a subtype under a documented `application/*` passes',
      {
        given: {
          spec: ranges,
          exchange: exchange({
            operation: getItem,
            response: json(200, { id: 'a' }, { 'content-type': 'application/vnd.item+json' }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'any type under a documented `*/*` passes',
      {
        given: {
          spec: ranges,
          exchange: exchange({
            operation: getItem,
            response: response(500, { body: 'oops', headers: { 'content-type': 'text/plain' } }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a 204 without a body passes',
      {
        given: { spec: langsmith, exchange: exchange({ operation: langsmithDelete, response: response(204) }) },
        want: 'pass',
      },
    ],
    [
      'an undocumented type fails with both types named',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(404, { body: '<h1>no</h1>', headers: { 'content-type': 'text/html' } }),
          }),
        },
        want: [failure('Content-Type application/json', 'Content-Type text/html')],
      },
    ],
    [
      'a `*/*`-only wildcard does not cover the wrong type family',
      {
        given: {
          spec: ranges,
          exchange: exchange({
            operation: getItem,
            response: response(200, { body: 'id', headers: { 'content-type': 'text/plain', 'x-request-id': 'r' } }),
          }),
        },
        want: [failure('Content-Type application/*', 'Content-Type text/plain')],
      },
    ],
    [
      'a body without a Content-Type fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(404, { body: JSON.stringify(notFound) }),
          }),
        },
        want: [failure('Content-Type application/json', 'no Content-Type header')],
      },
    ],
    [
      'a documented body that is missing altogether fails',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: response(404) }) },
        want: [failure('a body of type application/json', 'no body and no Content-Type')],
      },
    ],
    [
      'a body where the spec documents none fails, with a hint naming the spec pointer',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(200, { ok: true }) }) },
        want: [
          failure('no body: the spec documents no content for 200', 'a 11 byte application/json body', {
            hint: '/paths/~1mcp/delete/responses/200/content',
          }),
        ],
      },
    ],
    [
      'skipped for an undocumented status',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(418, {}) }) },
        want: 'skip',
      },
    ],
  ],

  'response-schema-conformance': [
    [
      'a body matching the documented schema passes',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(404, notFound) }) },
        want: 'pass',
      },
    ],
    [
      'a body matching a schema reached through a 4XX range passes',
      {
        given: {
          spec: external,
          exchange: exchange({ operation: getThing, response: json(409, { title: 'conflict' }) }),
        },
        want: 'pass',
      },
    ],
    [
      'a body breaking the schema fails with each violation and its spec pointer',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, response: json(404, { statusCode: '404' }) }),
        },
        want: [
          failure(
            /^a body matching \/components\/schemas\/NotFoundResponse \(404 application\/json\)$/,
            '{"statusCode":"404"}',
            {
              details: "/: must have required property 'message'",
            },
          ),
        ],
      },
    ],
    [
      'a JSON media type with a body that is not JSON fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(404, { body: 'Not Found', headers: { 'content-type': 'application/json' } }),
          }),
        },
        want: [failure('a JSON body (404 application/json)', /^not JSON \(.*\): Not Found$/)],
      },
    ],
    [
      'SSE: a valid event carrying a JSON-RPC response passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            response: sse(200, event(JSON.stringify(pingResult)), {
              'content-type': 'text/event-stream; charset=utf-8',
            }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'SSE: a notification event followed by the response passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            response: sse(
              200,
              event(rpc({ method: 'notifications/progress', params: { progress: 1 } })) +
                event(JSON.stringify(pingResult)),
            ),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'SSE: data that is not JSON fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, response: sse(200, event('{"jsonrpc": "2.0", oops')) }),
        },
        want: [failure('event 1 data to be JSON', '{"jsonrpc": "2.0", oops')],
      },
    ],
    [
      'SSE: JSON data that is not a JSON-RPC message fails against the contentSchema',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, response: sse(200, event('{"hello":"world"}')) }),
        },
        want: [
          failure('event 1 data to match /components/schemas/McpServerMessage', '{"hello":"world"}', {
            details: /^\/: must match/,
          }),
        ],
      },
    ],
    [
      'SSE: an event type other than `message` fails against the item schema',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            response: sse(200, event(JSON.stringify(pingResult), 'update')),
          }),
        },
        want: [
          failure('event 1 to match /components/schemas/McpSseEvent', 'event 1:', {
            details: '/event: must be equal to constant: "message"',
          }),
        ],
      },
    ],
    [
      'SSE: a malformed stream fails (an unknown field line)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            response: sse(200, `${event(JSON.stringify(pingResult))}bogus line\n\n`),
          }),
        },
        want: [failure('a well-formed event stream', "line 4: unknown field 'bogus line'")],
      },
    ],
    [
      'SSE: a stream that ends inside an event has no complete event',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, response: sse(200, `data: ${JSON.stringify(pingResult)}`) }),
        },
        want: [
          failure('a well-formed event stream', 'the stream ends inside an event'),
          failure('at least one event (200 text/event-stream)', 'an event stream with no events'),
        ],
      },
    ],
    [
      'a truncated body is not validated (it is incomplete by construction)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(404, {
              body: '{"statusCo',
              bodyBytes: 5_000_000,
              truncated: true,
              headers: { 'content-type': 'application/json' },
            }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'skipped for a status documented without content (202)',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackonePost, response: response(202) }) },
        want: 'skip',
      },
    ],
  ],

  'response-headers-conformance': [
    [
      'Retry-After present on a 408 passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, response: json(408, {}, { 'retry-after': '5' }) }),
        },
        want: 'pass',
      },
    ],
    [
      'Retry-After missing on a 408 fails although the spec does not mark it required',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(408, {}) }) },
        want: [failure('header Retry-After (documented on 408; clients need it to back off)', 'no Retry-After header')],
      },
    ],
    [
      'Retry-After missing on a 429 fails',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackonePost, response: json(429, {}) }) },
        want: [failure('header Retry-After', 'no Retry-After header')],
      },
    ],
    [
      'an optional header that is missing elsewhere passes (mcp-session-id on a non-initialize 200)',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackonePost, response: json(200, pingResult) }) },
        want: 'pass',
      },
    ],
    [
      'a present header that breaks its schema fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, response: json(200, pingResult, { 'mcp-session-id': '' }) }),
        },
        want: [
          failure('header mcp-session-id to match', 'mcp-session-id: ', {
            details: 'must NOT have fewer than 1 characters',
          }),
        ],
      },
    ],
    [
      'a required header that is missing fails (and says it is required)',
      {
        given: { spec: ranges, exchange: exchange({ operation: getItem, response: json(200, { id: 'a' }) }) },
        want: [failure('header X-Request-Id (required)', 'no X-Request-Id header')],
      },
    ],
    [
      'an integer header is compared as a number',
      {
        given: {
          spec: ranges,
          exchange: exchange({
            operation: getItem,
            response: json(200, { id: 'a' }, { 'x-request-id': 'r', 'x-remaining': '7' }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'an integer header that is not a number fails',
      {
        given: {
          spec: ranges,
          exchange: exchange({
            operation: getItem,
            response: json(200, { id: 'a' }, { 'x-request-id': 'r', 'x-remaining': 'lots' }),
          }),
        },
        want: [failure('header X-Remaining to match', 'X-Remaining: lots')],
      },
    ],
    [
      'skipped for a response that documents no headers',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(404, notFound) }) },
        want: 'skip',
      },
    ],
  ],

  'no-content-body': [
    [
      'a bare 204 passes',
      {
        given: { spec: langsmith, exchange: exchange({ operation: langsmithDelete, response: response(204) }) },
        want: 'pass',
      },
    ],
    [
      'a 204 with Content-Length: 0 passes',
      {
        given: {
          spec: langsmith,
          exchange: exchange({
            operation: langsmithDelete,
            response: response(204, { headers: { 'content-length': '0' } }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a 204 with Content-Length: 2 fails even though the client read zero body bytes',
      {
        given: {
          spec: langsmith,
          exchange: exchange({
            operation: langsmithDelete,
            response: response(204, { headers: { 'content-length': '2' } }),
          }),
        },
        want: [failure('no body on 204', 'Content-Length: 2')],
      },
    ],
    [
      'a 204 with body bytes fails',
      {
        given: {
          spec: langsmith,
          exchange: exchange({ operation: langsmithDelete, response: response(204, { body: '{}' }) }),
        },
        want: [failure('no body on 204', '2 body bytes')],
      },
    ],
    [
      'a chunked 204 fails',
      {
        given: {
          spec: langsmith,
          exchange: exchange({
            operation: langsmithDelete,
            response: response(204, { headers: { 'transfer-encoding': 'chunked' } }),
          }),
        },
        want: [failure('no body on 204', 'Transfer-Encoding: chunked')],
      },
    ],
    [
      'skipped for a 200',
      {
        given: { spec: langsmith, exchange: exchange({ operation: langsmithDelete, response: json(200, {}) }) },
        want: 'skip',
      },
    ],
  ],

  'not-a-server-error': [
    [
      'a 4xx passes',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(404, notFound) }) },
        want: 'pass',
      },
    ],
    [
      'a 5xx asked for with Prefer passes',
      {
        given: {
          spec: langsmith,
          exchange: exchange({
            operation: langsmithDelete,
            kind: 'prefer',
            preferredStatus: 503,
            response: json(503, {}),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a 5xx nobody asked for fails',
      {
        given: { spec: langsmith, exchange: exchange({ operation: langsmithDelete, response: json(500, {}) }) },
        want: [failure('no server error', '500')],
      },
    ],
    [
      'a different 5xx than the one asked for fails',
      {
        given: {
          spec: langsmith,
          exchange: exchange({
            operation: langsmithDelete,
            kind: 'prefer',
            preferredStatus: 502,
            response: json(503, {}),
          }),
        },
        want: [failure('no server error', '503')],
      },
    ],
    [
      'skipped when there is no response',
      {
        given: { spec: langsmith, exchange: exchange({ operation: langsmithDelete, response: undefined }) },
        want: 'skip',
      },
    ],
  ],

  'negative-data-rejection': [
    [
      'a 400 to a schema-invalid body passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            kind: 'invalid-body',
            request: { body: '{}' },
            response: json(400, {}),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a JSON-RPC error at HTTP 200 counts as a rejection',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, kind: 'malformed-body', response: json(200, invalidRequest) }),
        },
        want: 'pass',
      },
    ],
    [
      'a JSON-RPC error inside an SSE event counts as a rejection',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            kind: 'invalid-body',
            response: sse(200, event(JSON.stringify(invalidRequest))),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a JSON-RPC result at 200 to a malformed body fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, kind: 'malformed-body', response: json(200, pingResult) }),
        },
        want: [
          failure(
            'a 4xx rejecting the invalid input',
            /^200 application\/json, \d+ byte body: the invalid input was accepted$/,
          ),
        ],
      },
    ],
    [
      'lenient policy: an accepted invalid value of an optional query parameter is a warning naming it',
      {
        given: invalidParameter(optionalEnum, json(200, pingResult)),
        want: [
          warning(
            "a 4xx rejecting the invalid value of optional query parameter 'param-style'",
            /^200 application\/json, \d+ byte body: the invalid value was accepted/,
          ),
        ],
      },
    ],
    [
      'strict policy: the same accepted optional value fails',
      {
        given: invalidParameter(
          { name: 'x-account-id', in: 'header', required: false },
          json(200, pingResult),
          stackoneStrict,
        ),
        want: [failure("optional header parameter 'x-account-id'", 'the invalid value was accepted')],
      },
    ],
    [
      'an accepted malformed required parameter fails even when lenient',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            kind: 'invalid-parameter',
            parameter: { name: 'mcp-session-id', in: 'header', required: true },
            response: response(200),
          }),
        },
        want: [failure('a 4xx rejecting the invalid input', '200, no body: the invalid input was accepted')],
      },
    ],
    [
      'an accepted invalid path parameter fails even when lenient',
      {
        given: {
          spec: gaps,
          exchange: exchange({
            operation: getPet,
            kind: 'invalid-parameter',
            parameter: { name: 'id', in: 'path', required: true },
            response: json(200, {}),
          }),
        },
        want: [failure('a 4xx rejecting the invalid input', 'the invalid input was accepted')],
      },
    ],
    [
      'an accepted schema-invalid body fails even when lenient',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, kind: 'invalid-body', response: json(200, pingResult) }),
        },
        want: [failure('a 4xx rejecting the invalid input', 'the invalid input was accepted')],
      },
    ],
    [
      'an optional parameter rejected with a 400 passes under --strict',
      {
        given: invalidParameter(optionalEnum, json(400, {}), stackoneStrict),
        want: 'pass',
      },
    ],
    [
      'a 200 to a missing required header fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, kind: 'missing-parameter', response: response(200) }),
        },
        want: [failure('a 4xx rejecting the invalid input', '200, no body: the invalid input was accepted')],
      },
    ],
    [
      'skipped for a valid request',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, kind: 'valid', response: json(200, pingResult) }),
        },
        want: 'skip',
      },
    ],
    [
      'skipped when there is no response',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, kind: 'invalid-body', response: undefined }),
        },
        want: 'skip',
      },
    ],
  ],

  'positive-data-acceptance': [
    [
      // readme's http-status-codes spec: GET /status/400 documents only a 400.
      'a documented 400 where the operation documents no success at all passes',
      {
        given: {
          spec: smithery,
          exchange: exchange({
            operation: {
              ...smitheryDelete,
              responses: smitheryDelete.responses.filter((r) => !r.status.startsWith('2')),
            },
            kind: 'valid',
            response: json(400, { error: 'bad_request', message: 'always' }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      // Issue 9, class 3: a valid request whose id the run made up is a not-found case, judged by
      // nonexistent-id-not-found — a 400 to it is not "valid input rejected".
      'skipped for a valid request naming an id the run made up',
      {
        given: {
          spec: smithery,
          exchange: exchange({
            operation: smitheryDelete,
            kind: 'valid',
            namesNothing: true,
            response: json(400, { error: 'bad_request', message: 'unknown connection id format' }),
          }),
        },
        want: 'skip',
      },
    ],
    [
      'a 400 to a valid request naming real values still fails',
      {
        given: {
          spec: smithery,
          exchange: exchange({
            operation: smitheryDelete,
            kind: 'valid',
            response: json(400, { error: 'bad_request', message: 'nope' }),
          }),
        },
        want: [failure('the valid request to be accepted (not 400/422)', /valid input rejected/)],
      },
    ],
    [
      'a tools/call of a tool tools/list did not offer is a warning, not a failure',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            role: 'use',
            offeredTools: ['ats_list_jobs'],
            request: {
              body: JSON.stringify({
                jsonrpc: '2.0',
                id: 3,
                method: 'tools/call',
                params: { name: 'hris_list_employees' },
              }),
            },
            response: json(200, { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'Unknown tool' } }),
          }),
        },
        want: [
          warning(
            "the documented example's tool 'hris_list_employees' to be callable",
            /not offered 'hris_list_employees'/,
          ),
        ],
      },
    ],
    [
      'a tools/call of an offered tool rejected with -32602 fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            role: 'use',
            offeredTools: ['hris_list_employees'],
            request: {
              body: JSON.stringify({
                jsonrpc: '2.0',
                id: 3,
                method: 'tools/call',
                params: { name: 'hris_list_employees' },
              }),
            },
            response: json(200, { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'Invalid params' } }),
          }),
        },
        want: [failure('the documented JSON-RPC message to be processed', /-32602/)],
      },
    ],
    [
      'a 200 to a valid request passes',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackonePost, response: json(200, pingResult) }) },
        want: 'pass',
      },
    ],
    [
      'a 404 to a valid request naming nothing passes (it is not a rejection of the input)',
      {
        given: { spec: langsmith, exchange: exchange({ operation: langsmithDelete, response: json(404, {}) }) },
        want: 'pass',
      },
    ],
    [
      'an application-level JSON-RPC error is not a rejection of the message',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            response: json(200, { jsonrpc: '2.0', id: 4, error: { code: -32001, message: 'busy' } }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a 422 to a valid request fails with a hint',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackonePost, response: json(422, {}) }) },
        want: [failure('the valid request to be accepted (not 400/422)', '422 application/json', { hint: '--param' })],
      },
    ],
    [
      'a JSON-RPC "invalid params" to a documented message fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            response: json(200, { jsonrpc: '2.0', id: 4, error: { code: -32602, message: 'bad params' } }),
          }),
        },
        want: [
          failure(
            'the documented JSON-RPC message to be processed',
            'JSON-RPC error -32602 (invalid params): bad params',
          ),
        ],
      },
    ],
    [
      'a lifecycle use step is held to it too',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, kind: 'lifecycle', role: 'use', response: json(400, {}) }),
        },
        want: [failure('the valid request to be accepted', '400')],
      },
    ],
    [
      'skipped outside the link context (no session id: a rejection is expected)',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, outsideLinkContext: true, response: json(400, {}) }),
        },
        want: 'skip',
      },
    ],
    [
      'skipped without credentials for a secured operation',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, credentials: 'unavailable', response: json(400, {}) }),
        },
        want: 'skip',
      },
    ],
    [
      'skipped for a negative case',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, kind: 'invalid-body', response: json(400, {}) }),
        },
        want: 'skip',
      },
    ],
  ],

  'ignored-auth': [
    [
      'a 401 without credentials passes',
      {
        given: {
          spec: smithery,
          exchange: exchange({ operation: smitheryDelete, credentials: 'none', response: json(401, {}) }),
        },
        want: 'pass',
      },
    ],
    [
      'a 403 with wrong credentials passes',
      {
        given: {
          spec: langsmith,
          exchange: exchange({ operation: langsmithDelete, credentials: 'wrong', response: json(403, {}) }),
        },
        want: 'pass',
      },
    ],
    [
      'a 2xx without credentials fails',
      {
        given: {
          spec: langsmith,
          exchange: exchange({ operation: langsmithDelete, credentials: 'none', response: response(204) }),
        },
        want: [
          failure('401 or 403 for a request without credentials', '204, no body: the credentials were not enforced'),
        ],
      },
    ],
    [
      'a 404 without credentials is a warning, not a failure',
      {
        given: {
          spec: smithery,
          exchange: exchange({ operation: smitheryDelete, credentials: 'none', response: json(404, {}) }),
        },
        want: [
          warning(
            '401 or 403 for a request without credentials',
            '404: the request was rejected, but not for its credentials',
          ),
        ],
      },
    ],
    [
      'a redirect with wrong credentials is a warning',
      {
        given: {
          spec: smithery,
          exchange: exchange({
            operation: smitheryDelete,
            credentials: 'wrong',
            response: response(302, { headers: { location: '/login' } }),
          }),
        },
        want: [warning('401 or 403 for a request with wrong credentials', 'redirected instead of refused')],
      },
    ],
    [
      'a 5xx is left to not-a-server-error',
      {
        given: {
          spec: smithery,
          exchange: exchange({ operation: smitheryDelete, credentials: 'none', response: json(500, {}) }),
        },
        want: 'pass',
      },
    ],
    [
      'skipped with valid credentials',
      {
        given: {
          spec: smithery,
          exchange: exchange({ operation: smitheryDelete, credentials: 'valid', response: json(200, {}) }),
        },
        want: 'skip',
      },
    ],
    [
      'skipped when there is no response',
      {
        given: {
          spec: smithery,
          exchange: exchange({ operation: smitheryDelete, credentials: 'none', response: undefined }),
        },
        want: 'skip',
      },
    ],
  ],

  'nonexistent-id-not-found': [
    [
      'a 400 for a made-up but well-formed id is a warning (the id format may be one the schema does not state)',
      {
        given: {
          spec: smithery,
          exchange: exchange({
            operation: smitheryDelete,
            kind: 'valid',
            namesNothing: true,
            response: json(400, { error: 'bad_request', message: 'bad id' }),
          }),
        },
        want: [warning(/^not found \(404 or 410\)/, /rejected as invalid rather than not found/)],
      },
    ],
    [
      'a 404 for a made-up connection id passes',
      {
        given: {
          spec: smithery,
          exchange: exchange({
            operation: smitheryDelete,
            kind: 'nonexistent-id',
            namesNothing: true,
            response: json(404, { error: 'not_found', message: 'gone' }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'success for a made-up connection id fails',
      {
        given: {
          spec: smithery,
          exchange: exchange({
            operation: smitheryDelete,
            kind: 'nonexistent-id',
            namesNothing: true,
            response: json(200, { success: true }),
          }),
        },
        want: [failure('not found (404 or 410)', 'success reported for a resource that does not exist')],
      },
    ],
    [
      'success for a made-up StackOne session fails too',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, namesNothing: true, response: response(200) }),
        },
        want: [failure('not found (404 or 410)', 'success reported for a resource that does not exist')],
      },
    ],
    [
      'skipped where the operation documents itself idempotent (LangSmith answers 204 for any UUID)',
      {
        given: {
          spec: langsmith,
          exchange: exchange({
            operation: langsmithDelete,
            kind: 'nonexistent-id',
            namesNothing: true,
            response: response(204),
          }),
        },
        want: 'skip',
      },
    ],
    [
      'skipped when the request names a real resource',
      {
        given: {
          spec: smithery,
          exchange: exchange({ operation: smitheryDelete, response: json(200, { success: true }) }),
        },
        want: 'skip',
      },
    ],
  ],

  'use-after-delete': [
    [
      'a 404 to a repeated delete passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, role: 'delete-again', response: json(404, notFound) }),
        },
        want: 'pass',
      },
    ],
    [
      'a repeated delete that succeeds fails where the operation does not say it is idempotent (StackOne)',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, role: 'delete-again', response: response(200) }),
        },
        want: [
          failure(
            /^deleting it again after a successful delete to be answered 404 \(the operation documents 404/,
            '200, no body: the deleted resource still answers',
          ),
        ],
      },
    ],
    [
      'a repeated delete that succeeds passes where the operation documents itself idempotent (LangSmith)',
      {
        given: {
          spec: langsmith,
          exchange: exchange({ operation: langsmithDelete, role: 'delete-again', response: response(204) }),
        },
        want: 'pass',
      },
    ],
    [
      'using a deleted session that still answers fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            role: 'use-after-delete',
            request: { body: pingRequest },
            response: json(200, pingResult),
          }),
        },
        want: [failure(/^using it after a successful delete to be answered 404/, 'the deleted resource still answers')],
      },
    ],
    [
      // The MCP transport: a terminated session is 404, and POST /mcp documents 404 — a JSON-RPC error in a 200
      // tells a client nothing about the session being gone.
      'using a deleted session answered by a JSON-RPC error at 200 fails where the operation documents 404',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            role: 'use-after-delete',
            response: json(200, invalidRequest),
          }),
        },
        want: [failure(/to be answered 404/, /refused, but not as gone/)],
      },
    ],
    [
      'using a deleted session answered with a documented 400 fails: it is not "gone"',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            role: 'use-after-delete',
            response: json(400, { statusCode: 400, message: 'Bad Request' }),
          }),
        },
        want: [failure(/to be answered 404/, /^400 application\/json.*refused, but not as gone/)],
      },
    ],
    [
      'using a deleted session answered 404 passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackonePost, role: 'use-after-delete', response: json(404, notFound) }),
        },
        want: 'pass',
      },
    ],
    [
      'a 410 after delete passes too (gone is gone)',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, role: 'delete-again', response: response(410) }),
        },
        want: 'pass',
      },
    ],
    [
      'skipped for the first delete',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, role: 'delete', response: response(200) }),
        },
        want: 'skip',
      },
    ],
    [
      'skipped outside a lifecycle',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: response(200) }) },
        want: 'skip',
      },
    ],
  ],

  'unsupported-method': [
    [
      'a 405 with Allow passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            label: 'PATCH /mcp',
            kind: 'unsupported-method',
            response: response(405, { headers: { allow: 'POST, DELETE' } }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a 405 without Allow is a warning',
      {
        given: {
          spec: stackone,
          exchange: exchange({ label: 'PATCH /mcp', kind: 'unsupported-method', response: response(405) }),
        },
        want: [warning('405 with an Allow header', '405 without Allow')],
      },
    ],
    [
      'an undocumented method that is accepted fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            label: 'PATCH /mcp',
            kind: 'unsupported-method',
            request: { method: 'PATCH', path: '/mcp' },
            response: response(200),
          }),
        },
        want: [
          failure(
            '405 for PATCH, which the spec does not define for this path',
            '200, no body: the undocumented method was accepted',
          ),
        ],
      },
    ],
    [
      'a 404 is a warning',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            label: 'PATCH /mcp',
            kind: 'unsupported-method',
            request: { method: 'PATCH', path: '/mcp' },
            response: response(404),
          }),
        },
        want: [warning('405 for PATCH', '404')],
      },
    ],
    [
      'a 501 passes (the method is not implemented)',
      {
        given: {
          spec: stackone,
          exchange: exchange({ label: 'PATCH /mcp', kind: 'unsupported-method', response: response(501) }),
        },
        want: 'pass',
      },
    ],
    [
      'skipped for a documented method',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: response(405) }) },
        want: 'skip',
      },
    ],
  ],

  'response-time': [
    [
      'a response within --max-response-time passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, response: response(200, { elapsedMs: 100 }) }),
          options: { maxResponseTimeMs: 100 },
        },
        want: 'pass',
      },
    ],
    [
      'a slow response passes when no limit was set',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, response: response(200, { elapsedMs: 9_000 }) }),
        },
        want: 'pass',
      },
    ],
    [
      'a response over --max-response-time fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({ operation: stackoneDelete, response: response(200, { elapsedMs: 250 }) }),
          options: { maxResponseTimeMs: 100 },
        },
        want: [failure('a response within 100 ms', '250 ms')],
      },
    ],
    [
      'a target that hung fails with the timeout',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: undefined,
            timedOut: true,
            error: { code: 'ETIMEDOUT', message: 'x' },
          }),
          options: { timeoutMs: 750 },
        },
        want: [failure('a complete response within 750 ms', 'hung')],
      },
    ],
    [
      'never skipped: it applies even to an exchange that errored without timing out (which then passes)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: undefined,
            error: { code: 'ECONNRESET', message: 'x' },
          }),
        },
        want: 'pass',
      },
    ],
  ],

  'response-body-size': [
    [
      'a complete body passes',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(404, notFound) }) },
        want: 'pass',
      },
    ],
    [
      'a body cut off at the cap fails with its declared size',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(404, { body: 'x'.repeat(10), bodyBytes: 2_000_000, truncated: true }),
          }),
          options: { maxBodyBytes: 1_000_000 },
        },
        want: [failure('a body of at most 1000000 bytes', '2000000 bytes; reading stopped at the cap')],
      },
    ],
    [
      'a streamed body cut off at the cap fails without a size',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(404, { body: 'x', bodyBytes: 1_000, truncated: true }),
          }),
          options: { maxBodyBytes: 1_000 },
        },
        want: [failure('a body of at most 1000 bytes', 'more than 1000 bytes')],
      },
    ],
    [
      'skipped when there is no response',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: undefined }) },
        want: 'skip',
      },
    ],
  ],

  'off-host-redirect': [
    [
      'a relative redirect on the same host passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(307, { headers: { location: '/elsewhere' } }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'an absolute redirect to the same origin passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(301, { headers: { location: 'http://127.0.0.1:4010/mcp/' } }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a 304 without Location passes',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: response(304) }) },
        want: 'pass',
      },
    ],
    [
      'a redirect to another host fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(302, { headers: { location: 'https://evil.example/steal' } }),
          }),
        },
        want: [failure('no redirect away from http://127.0.0.1:4010', '302 to https://evil.example (not followed)')],
      },
    ],
    [
      'a protocol-relative redirect to another host fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(302, { headers: { location: '//evil.example/x' } }),
          }),
        },
        want: [failure('no redirect away from http://127.0.0.1:4010', 'to http://evil.example')],
      },
    ],
    [
      'a redirect to another port of the same host fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(308, { headers: { location: 'http://127.0.0.1:9999/mcp' } }),
          }),
        },
        want: [failure('no redirect away from http://127.0.0.1:4010', '308 to http://127.0.0.1:9999')],
      },
    ],
    onGaps(
      'a documented 302 to another host passes (the contract says so; it is not followed)',
      getPhoto,
      cdn(302),
      'pass',
    ),
    onGaps('a redirect inside a documented 3XX range to another host passes', getAvatar, cdn(307), 'pass'),
    onGaps('an undocumented 301 to another host fails where the operation documents 302 only', getPhoto, cdn(301), [
      failure('(the operation documents no 301)', '301 to https://cdn.example.net (not followed)'),
    ]),
    onGaps('a `default` response does not document a redirect', getCard, cdn(302), [
      failure('no redirect away from http://127.0.0.1:4010', '302 to https://cdn.example.net'),
    ]),
    [
      'a Location that is not a URL fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackoneDelete,
            response: response(302, { headers: { location: 'http://[::1' } }),
          }),
        },
        want: [failure('a valid Location', 'Location: http://[::1')],
      },
    ],
    [
      'skipped for a non-redirect',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: response(200) }) },
        want: 'skip',
      },
    ],
  ],

  'jsonrpc-id-echo': [
    [
      // JSON-RPC 2.0 §5: an Invalid Request whose id the server could not detect is answered with id null — the
      // MCP SDK judges `"method": 12345` invalid before it reads the id.
      'null passes on a -32600 Invalid Request at HTTP 200, even where the id was a string',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: rpc({ id: 'init-1', method: 12345 }) },
            response: json(200, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request' } }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'null still fails on any other error at HTTP 200 (the id was readable, and the server lost it)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: rpc({ id: 'init-1', method: 'tools/call' }) },
            response: json(200, { jsonrpc: '2.0', id: null, error: { code: -32602, message: 'Invalid params' } }),
          }),
        },
        want: [failure('a JSON-RPC response with id "init-1"', 'id null')],
      },
    ],
    [
      'the same id passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: json(200, pingResult),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'the id echoed in an SSE event after a notification passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: sse(200, event(rpc({ method: 'notifications/progress' })) + event(JSON.stringify(pingResult))),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'null passes where the request id could not be read',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: rpc({ method: 'ping', id: { x: 1 } }) },
            response: json(200, invalidRequest),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'another id fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: json(200, { ...pingResult, id: 5 }),
          }),
        },
        want: [failure('a JSON-RPC response with id 4', 'id 5')],
      },
    ],
    [
      'the id as a string where the request sent a number fails',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: json(200, { ...pingResult, id: '4' }),
          }),
        },
        want: [failure('a JSON-RPC response with id 4', 'id "4"')],
      },
    ],
    [
      'null fails where the request id was readable',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: rpc({ method: 'initialize', id: 'init-1' }) },
            response: json(200, invalidRequest),
          }),
        },
        want: [failure('a JSON-RPC response with id "init-1"', 'id null')],
      },
    ],
    [
      'a JSON-RPC error with id null in an HTTP 4xx passes (JSON-RPC 2.0 §5; MCP answers HTTP errors so)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: json(400, invalidRequest),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a JSON-RPC error without an id member in an HTTP 4xx passes',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: json(404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' } }),
          }),
        },
        want: 'pass',
      },
    ],
    [
      'a result without an id member at 200 fails, saying "no id member" (never an empty id)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: json(200, { jsonrpc: '2.0', result: {} }),
          }),
        },
        want: [failure('a JSON-RPC response with id 4', /^no id member$/)],
      },
    ],
    [
      'a result with id null in an HTTP 4xx still fails (only an error may go without the id)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: json(400, { jsonrpc: '2.0', id: null, result: {} }),
          }),
        },
        want: [failure('a JSON-RPC response with id 4', /^id null$/)],
      },
    ],
    [
      'skipped for a notification (no id to echo)',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: rpc({ method: 'notifications/initialized' }) },
            response: response(202),
          }),
        },
        want: 'skip',
      },
    ],
    [
      'skipped when the response carries no JSON-RPC response',
      {
        given: {
          spec: stackone,
          exchange: exchange({
            operation: stackonePost,
            request: { body: pingRequest },
            response: json(404, notFound),
          }),
        },
        want: 'skip',
      },
    ],
    [
      'skipped when the request is not JSON-RPC',
      {
        given: { spec: stackone, exchange: exchange({ operation: stackoneDelete, response: json(200, pingResult) }) },
        want: 'skip',
      },
    ],
  ],
};

describe('the check registry', () => {
  it('has a table here for every registered check, and no table for a check it does not have', () => {
    expect(Object.keys(tables).sort()).toEqual(allChecks.map((c) => c.id).sort());
  });

  it('gives every check a unique kebab-case id and a description', () => {
    const ids = allChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of allChecks) {
      expect(c.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(c.description.length).toBeGreaterThan(10);
    }
  });

  it.each([
    ['no selection keeps every check', { only: undefined, exclude: undefined }, allChecks.map((c) => c.id)],
    [
      '--check keeps only those',
      { only: ['ignored-auth', 'response-time'], exclude: undefined },
      ['ignored-auth', 'response-time'],
    ],
    [
      '--exclude-check drops those',
      { only: [], exclude: ['response-time'] },
      allChecks.map((c) => c.id).filter((id) => id !== 'response-time'),
    ],
  ])('selectChecks: %s', (_name, { only, exclude }, want) => {
    expect(selectChecks(only, exclude).map((c) => c.id)).toEqual(want);
  });

  it('selectChecks: an unknown id is a usage error that lists the valid ids', () => {
    expect(() => selectChecks(['status-codes'], undefined)).toThrow(ToolError);
    try {
      selectChecks(undefined, ['status-codes']);
    } catch (error) {
      expect((error as ToolError).code).toBe('MCPC_USAGE');
      expect((error as ToolError).hint).toContain('status-code-conformance');
    }
    expect.assertions(3);
  });
});

for (const check of allChecks) {
  describe(check.id, () => {
    const rows = tables[check.id] ?? [];
    it('has a pass, a fail and (unless it applies to everything) a skip case', () => {
      const wants = rows.map(([, row]) => row.want);
      expect(wants).toContain('pass');
      expect(wants.some((w) => Array.isArray(w) && w.some((o) => o.severity === 'failure'))).toBe(true);
      if (check.id !== 'response-time') expect(wants).toContain('skip');
    });
    it.each(rows)('%s', (_name, row) => assertVerdict(check, row));
  });
}

describe('checks: documented defects', () => {
  const contentType = allChecks.find((c) => c.id === 'content-type-conformance')!;
  const noContent = allChecks.find((c) => c.id === 'no-content-body')!;
  const useAfterDelete = allChecks.find((c) => c.id === 'use-after-delete')!;

  // Regression (was a bug): content-type-conformance.ts:34 only fails a missing documented body when the Content-Type is missing
  // too; with `Content-Type: application/json` and zero bytes it passes, and response-schema-conformance skips
  // empty bodies (response-schema-conformance.ts:16), so an empty body where a JSON object is documented
  // passes every check.
  it('content-type-conformance: a documented body that is empty fails even when a Content-Type is sent', () => {
    assertVerdict(contentType, {
      given: {
        spec: stackone,
        exchange: exchange({
          operation: stackoneDelete,
          response: response(404, { headers: { 'content-type': 'application/json' } }),
        }),
      },
      want: [failure('a body of type application/json', 'no body')],
    });
  });

  // Regression (was a bug): no-content-body.ts:10 treats any Content-Length > 0 as a body, but RFC 9110 §8.6 lets a 304 carry the
  // Content-Length the 200 would have had; only 204 (and 1xx) must not send one.
  it('no-content-body: a 304 may carry the Content-Length of the 200 it stands for', () => {
    assertVerdict(noContent, {
      given: {
        spec: stackone,
        exchange: exchange({
          operation: stackoneDelete,
          response: response(304, { headers: { 'content-length': '1234' } }),
        }),
      },
      want: 'pass',
    });
  });

  // Regression (was a bug): use-after-delete.ts:17 tests /idempotent/i, so a description saying the call is NOT idempotent also
  // excuses a repeated delete that succeeds.
  it('use-after-delete: "not idempotent" in the description does not excuse a repeated delete', () => {
    const notIdempotent = {
      ...stackoneDelete,
      description: 'Close the session. This call is not idempotent: a second call answers 404.',
    };
    assertVerdict(useAfterDelete, {
      given: {
        spec: stackone,
        exchange: exchange({ operation: notIdempotent, role: 'delete-again', response: response(200) }),
      },
      want: [
        failure(
          /^deleting it again after a successful delete to be answered 404/,
          'the deleted resource still answers',
        ),
      ],
    });
  });
});

describe('a spec gap is the spec’s finding only', () => {
  const html = (status: number) => response(status, { body: '<h1>x</h1>', headers: { 'content-type': 'text/html' } });
  it.each([
    ['a 2xx where no success status is documented', exchange({ operation: addPet, response: html(201) })],
    [
      'a 401 to missing credentials where no 401 is documented',
      exchange({ operation: addPet, kind: 'no-auth', credentials: 'none', response: html(401) }),
    ],
    [
      'a 404 where no client error is documented',
      exchange({ operation: getPet, kind: 'nonexistent-id', namesNothing: true, response: html(404) }),
    ],
  ])('%s: spec-gap fires and no other check piles on its status or body', (_name, ex) => {
    for (const strict of [false, true]) {
      const fired = allChecks.flatMap((check) => {
        const got = verdict(check, context(gaps, ex, { strict }));
        return got === 'skip' ? [] : got.map((o) => `${check.id}:${o.severity}`);
      });
      expect(fired).toEqual([`spec-gap:${strict ? 'failure' : 'warning'}`]);
    }
  });
});
