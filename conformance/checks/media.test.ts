import { describe, expect, it } from 'vitest';
import { compiledFromText, context, exchange, operation, response, verdict } from '../test-helpers.js';
import type { CheckOutcome } from '../types.js';
import { contentTypeConformance } from './content-type-conformance.js';
import { responseMedia, responseSchemaConformance } from './response-schema-conformance.js';

/**
 * response-schema-conformance beyond JSON: XML bodies go through the `xml` mapping into the same validator;
 * a `text/*` body with a plain string schema is validated as that string; every other media type (images,
 * octet streams, CSV tables, text with an object schema) is checked for its Content-Type only — the schema check
 * does not apply, so a non-JSON body is never failed with "must be object".
 */

const spec = await compiledFromText(
  `openapi: 3.0.3
info: { title: media, version: "1" }
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [ { name: id, in: path, required: true, schema: { type: integer } } ]
      responses:
        "200":
          description: a pet
          content:
            application/xml: { schema: { $ref: "#/components/schemas/Pet" } }
            application/json: { schema: { $ref: "#/components/schemas/Pet" } }
            text/plain: { schema: { type: string, maxLength: 20 } }
        "400":
          description: as text, but an object schema (cannot be read)
          content:
            text/plain: { schema: { type: object, properties: { code: { type: integer } } } }
  /pets/{id}/photo:
    get:
      operationId: getPhoto
      parameters: [ { name: id, in: path, required: true, schema: { type: integer } } ]
      responses:
        "200":
          description: the photo
          content:
            image/png: { schema: { type: string, format: binary } }
            application/octet-stream: { schema: { type: string, format: binary } }
            text/csv: { schema: { type: array, items: { type: object } } }
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      xml: { name: Pet }
      properties:
        id: { type: integer, format: int64 }
        name: { type: string }
        tags:
          type: array
          xml: { wrapped: true }
          items: { type: string, xml: { name: tag } }
`,
  'media',
);
const getPet = operation(spec, 'getPet');
const getPhoto = operation(spec, 'getPhoto');
const body = (status: number, type: string, text: string) =>
  response(status, { body: text, headers: { 'content-type': type } });
const run = (op: typeof getPet, status: number, type: string, text: string) =>
  verdict(responseSchemaConformance, context(spec, exchange({ operation: op, response: body(status, type, text) })));
const failures = (v: 'skip' | CheckOutcome[]) =>
  v === 'skip' ? 'skip' : v.map((o) => [o.expected, o.actual, ...(o.details ?? [])]);

describe('response-schema-conformance: XML', () => {
  it.each([
    ['application/xml', '<Pet><id>10</id><name>Rex</name><tags><tag>a</tag></tags></Pet>'],
    ['application/xml; charset=utf-8', '<?xml version="1.0"?>\n<Pet>\n  <id>10</id>\n  <name>Rex</name>\n</Pet>'],
  ])('passes a conformant %s body', (type, xml) => {
    expect(run(getPet, 200, type, xml)).toEqual([]);
  });

  it('fails a wrong type and a missing element through the same validator as JSON', () => {
    expect(failures(run(getPet, 200, 'application/xml', '<Pet><id>ten</id></Pet>'))).toEqual([
      [
        'a body matching /components/schemas/Pet (200 application/xml)',
        '<Pet><id>ten</id></Pet>',
        "/: must have required property 'name' (schema /components/schemas/Pet/required)",
        '/id: must be integer (schema /components/schemas/Pet/properties/id/type)',
      ],
    ]);
  });

  it('fails an unparseable body with the parser message, and a wrong root element', () => {
    expect(failures(run(getPet, 200, 'application/xml', '<Pet><id>1</id>'))).toEqual([
      [
        'an XML body (200 application/xml)',
        expect.stringMatching(/^not well-formed XML \(Unclosed tag 'Pet'.*\): <Pet><id>1<\/id>$/),
      ],
    ]);
    expect(failures(run(getPet, 200, 'application/xml', '<Dog><id>1</id><name>R</name></Dog>'))).toEqual([
      [
        expect.any(String),
        expect.any(String),
        '/: root element must be <Pet>, got <Dog> (schema /components/schemas/Pet/xml/name)',
      ],
    ]);
  });
});

describe('response-schema-conformance: text and content-type-only media', () => {
  it('validates text/plain with a string schema as the string itself', () => {
    expect(run(getPet, 200, 'text/plain', 'Rex, 10')).toEqual([]);
    expect(failures(run(getPet, 200, 'text/plain; charset=utf-8', 'Rex the very good dog, 10'))).toEqual([
      [
        'a body matching /paths/~1pets~1{id}/get/responses/200/content/text~1plain/schema (200 text/plain)',
        'Rex the very good dog, 10',
        '/: must NOT have more than 20 characters (schema /paths/~1pets~1{id}/get/responses/200/content/text~1plain/schema/maxLength)',
      ],
    ]);
  });

  it.each([
    ['getPet', 400, 'text/plain', 'code=7'],
    ['getPhoto', 200, 'image/png', '\u0089PNG\r\n\u001a\n binary'],
    ['getPhoto', 200, 'application/octet-stream', 'anything at all'],
    ['getPhoto', 200, 'text/csv', 'id,name\n1,Rex\n'],
  ] as const)('checks only the content type of %s %s %s', (id, status, type, text) => {
    const ctx = context(spec, exchange({ operation: operation(spec, id), response: body(status, type, text) }));
    expect(responseMedia(spec, ctx.exchange)?.reading).toBe('content-type-only');
    expect(verdict(responseSchemaConformance, ctx)).toBe('skip');
    expect(verdict(contentTypeConformance, ctx)).toEqual([]);
  });

  it('an undocumented content type is still content-type-conformance’s failure', () => {
    const ctx = context(spec, exchange({ operation: getPhoto, response: body(200, 'image/jpeg', 'x') }));
    expect(verdict(contentTypeConformance, ctx)).toEqual([
      expect.objectContaining({ severity: 'failure', actual: 'Content-Type image/jpeg' }),
    ]);
  });
});
