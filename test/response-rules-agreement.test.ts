import { describe, expect, it } from 'vitest';
import { contentTypeConformance } from '../conformance/checks/content-type-conformance.js';
import { noContentBody } from '../conformance/checks/no-content-body.js';
import { responseHeadersConformance } from '../conformance/checks/response-headers-conformance.js';
import { responseSchemaConformance } from '../conformance/checks/response-schema-conformance.js';
import { statusCodeConformance } from '../conformance/checks/status-code-conformance.js';
import { compiledFromText, context, exchange, operation, response, verdict } from '../conformance/test-helpers.js';
import { createResponseChecker, viewOfMockResponse } from '../mock/self-check.js';
import type { MockResponse } from '../mock/types.js';

/**
 * The mock's self-check and the runner's response checks judge with the same rules (core/response-rules.ts).
 * Each row is one answer: the mock's checker gets it as a handler returns it, the runner's checks get it as the
 * mock writes it on the wire (a HEAD answer without its bytes). Both must come to the same verdict — a response
 * one side passes and the other fails is the bug this table prevents — and the verdict must be the expected one.
 * The rows marked "was:" are where the two sides used to disagree.
 */

const spec = await compiledFromText(
  `openapi: 3.1.0
info: { title: agreement, version: "1" }
paths:
  /things/{id}:
    parameters: [ { name: id, in: path, required: true, schema: { type: integer } } ]
    get:
      operationId: getThing
      responses:
        "200":
          description: a thing
          headers:
            X-Rate-Limit: { required: true, schema: { type: integer, minimum: 0 } }
            X-Flags: { schema: { type: array, items: { type: integer } } }
            X-Enabled: { schema: { type: boolean } }
          content:
            application/json: { schema: { $ref: "#/components/schemas/Thing" } }
            application/xml: { schema: { $ref: "#/components/schemas/Thing" } }
        "304":
          description: not modified
          headers:
            ETag: { schema: { type: string } }
        "404":
          description: none
          content:
            application/json: { schema: { type: object, required: [message], properties: { message: { type: string } } } }
    delete:
      operationId: deleteThing
      responses:
        "204": { description: deleted }
        "429":
          description: slow down
          headers:
            Retry-After: { schema: { type: integer } }
          content:
            application/json: { schema: { type: object } }
  /files/{id}:
    get:
      operationId: getFile
      parameters: [ { name: id, in: path, required: true, schema: { type: integer } } ]
      responses:
        "200":
          description: the file, as JSON metadata or as anything
          content:
            "*/*": { schema: { type: string, format: binary } }
            application/json: { schema: { $ref: "#/components/schemas/Thing" } }
  /events:
    post:
      operationId: events
      responses:
        "200":
          description: a stream of things
          content:
            text/event-stream:
              schema: { type: string }
              x-itemSchema:
                type: object
                required: [data]
                properties:
                  event: { const: thing }
                  data: { type: string, contentMediaType: application/json, contentSchema: { $ref: "#/components/schemas/Thing" } }
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: { type: integer }
        name: { type: string }
      xml: { name: thing }
`,
  'agreement',
);

const ok = { 'X-Rate-Limit': '10' };
const thing = { id: 1, name: 'x' };

type Row = [name: string, operationId: string, method: string, answer: MockResponse, fires: string[]];

const rows: Row[] = [
  [
    'a valid JSON answer',
    'getThing',
    'GET',
    { status: 200, contentType: 'application/json', body: thing, headers: ok },
    [],
  ],
  [
    'a JSON body against its schema',
    'getThing',
    'GET',
    { status: 200, contentType: 'application/json', body: { name: 'x' }, headers: ok },
    ['response-schema-conformance'],
  ],
  [
    'an undocumented status',
    'getThing',
    'GET',
    { status: 418, contentType: 'application/json', body: thing },
    ['status-code-conformance'],
  ],
  [
    'an undocumented content type',
    'getThing',
    'GET',
    { status: 200, contentType: 'text/plain', body: 'a thing', headers: ok },
    ['content-type-conformance'],
  ],
  ['no body where one is documented', 'getThing', 'GET', { status: 404 }, ['content-type-conformance']],
  [
    'a required header missing',
    'getThing',
    'GET',
    { status: 200, contentType: 'application/json', body: thing },
    ['response-headers-conformance'],
  ],
  [
    'an integer header that is not a number',
    'getThing',
    'GET',
    { status: 200, contentType: 'application/json', body: thing, headers: { 'X-Rate-Limit': 'soon' } },
    ['response-headers-conformance'],
  ],
  [
    // was: the runner read any non-"true" boolean as false and passed it
    'a boolean header that says "yes"',
    'getThing',
    'GET',
    { status: 200, contentType: 'application/json', body: thing, headers: { ...ok, 'X-Enabled': 'yes' } },
    ['response-headers-conformance'],
  ],
  [
    // was: the runner validated the raw text against an array schema and failed it
    'an array header in simple style, with spaces after the commas',
    'getThing',
    'GET',
    {
      status: 200,
      contentType: 'application/json',
      body: thing,
      headers: { ...ok, 'X-Flags': '1, 2,3', 'X-Enabled': 'false' },
    },
    [],
  ],
  [
    // was: the mock validated the XML text as a string against the object schema
    'a valid XML answer',
    'getThing',
    'GET',
    { status: 200, contentType: 'application/xml', body: '<thing><id>1</id><name>x</name></thing>', headers: ok },
    [],
  ],
  [
    'an XML answer against its schema',
    'getThing',
    'GET',
    { status: 200, contentType: 'application/xml', body: '<thing><id>one</id></thing>', headers: ok },
    ['response-schema-conformance'],
  ],
  [
    // was: the mock checked the body a GET handler made for HEAD; a HEAD answer has none, nothing to judge
    'HEAD with no body',
    'getThing',
    'HEAD',
    { status: 200, headers: ok },
    [],
  ],
  ['HEAD still needs its documented headers', 'getThing', 'HEAD', { status: 200 }, ['response-headers-conformance']],
  // was: the mock passed a 304 with a Content-Type but failed it only when it had a content type of its own
  [
    'a 304 with the Content-Length of the 200 it stands for',
    'getThing',
    'GET',
    { status: 304, headers: { 'Content-Length': '120', ETag: '"a"' } },
    [],
  ],
  [
    'a 304 with a body',
    'getThing',
    'GET',
    { status: 304, contentType: 'application/json', body: thing },
    ['no-content-body'],
  ],
  ['a 204 without a body', 'deleteThing', 'DELETE', { status: 204 }, []],
  [
    // was: the mock looked at the body only and passed a 204 that announces 12 bytes
    'a 204 that announces a body',
    'deleteThing',
    'DELETE',
    { status: 204, headers: { 'Content-Length': '12' } },
    ['no-content-body'],
  ],
  [
    'a 204 with a body',
    'deleteThing',
    'DELETE',
    { status: 204, contentType: 'application/json', body: { ok: true } },
    ['no-content-body'],
  ],
  [
    'a 429 without Retry-After (not required, but clients need it)',
    'deleteThing',
    'DELETE',
    { status: 429, contentType: 'application/json', body: {} },
    ['response-headers-conformance'],
  ],
  [
    'a 429 with Retry-After',
    'deleteThing',
    'DELETE',
    { status: 429, contentType: 'application/json', body: {}, headers: { 'Retry-After': '1' } },
    [],
  ],
  [
    // was: the mock took the first match (*/*, a binary string) and failed the JSON metadata
    'JSON under an exact media type listed after */*',
    'getFile',
    'GET',
    { status: 200, contentType: 'application/json', body: thing },
    [],
  ],
  [
    'an image under */*: content type only',
    'getFile',
    'GET',
    { status: 200, contentType: 'image/png', body: '\u0089PNG' },
    [],
  ],
  [
    'a stream whose events match',
    'events',
    'POST',
    { status: 200, contentType: 'text/event-stream', body: `event: thing\ndata: ${JSON.stringify(thing)}\n\n` },
    [],
  ],
  [
    'a stream with an event against the item schema',
    'events',
    'POST',
    { status: 200, contentType: 'text/event-stream', body: 'event: thing\ndata: {"name":"x"}\n\n' },
    ['response-schema-conformance'],
  ],
];

const checks = [
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  responseHeadersConformance,
  noContentBody,
];
const mockChecker = createResponseChecker(spec);

describe('the mock self-check and the runner checks agree on every response', () => {
  it.each(rows)('%s', (_name, operationId, method, answer, fires) => {
    const op = operation(spec, operationId);
    const mockProblems = mockChecker(op, answer, method);

    const wire = viewOfMockResponse(answer, method);
    const body = method === 'HEAD' ? '' : wire.body;
    const ex = exchange({
      operation: op,
      request: { method },
      response: response(answer.status, { headers: wire.headers, body }),
    });
    const fired = checks.filter((check) => {
      const outcome = verdict(check, context(spec, ex));
      return outcome !== 'skip' && outcome.length > 0;
    });

    expect(fired.map((c) => c.id)).toEqual(fires);
    expect(mockProblems.length > 0).toBe(fires.length > 0);
  });
});
