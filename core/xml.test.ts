import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './paths.js';
import { loadSpec, loadSpecFromText } from './spec.js';
import { type CompiledSpec, compileSpec } from './validators.js';
import { isXmlMediaType, xmlToJson } from './xml.js';

/**
 * XML bodies through the `xml` object into the same compiled validator as JSON. Both directions for every
 * rule: a conformant body (with the unusual-but-legal forms: attributes, wrapping, a single repeated element,
 * prefixes) passes; a body with a wrong type, a missing element or the wrong name/namespace fails, naming why.
 */

const examples = (file: string) => join(packageRoot, 'node_modules', '@readme', 'oas-examples', file);

/** Convert and validate: the violations the response check would report, or the parse error. */
function check(compiled: CompiledSpec, pointer: string, xml: string): { value?: unknown; errors: string[] } {
  const converted = xmlToJson(xml, compiled.spec.document, pointer);
  if (!converted.ok) return { errors: [`unparseable: ${converted.error}`] };
  const violations = [...converted.problems, ...compiled.validator(pointer).validate(converted.value)];
  return { value: converted.value, errors: violations.map((v) => `${v.instancePath}: ${v.message}`) };
}

describe('Petstore 3.0 (@readme/oas-examples): Pet, Order and the findByStatus array', async () => {
  const petstore = compileSpec(await loadSpec(examples('3.0/yaml/petstore.yaml')));
  const pet = '/components/schemas/Pet';
  const findByStatus = petstore.operations.find((o) => o.operationId === 'findPetsByStatus')!;
  const petList = findByStatus.responses[0]!.content.find((m) => m.mediaType === 'application/xml')!.schemaPointer!;

  it.each([
    [
      'wrapped arrays as OpenAPI writes them (the wrapper carries xml.name)',
      '<Pet><id>1</id><name>doggie</name><photoUrl><photoUrl>a.png</photoUrl></photoUrl><tag><tag><id>3</id><name>t</name></tag></tag></Pet>',
      { id: 1, name: 'doggie', photoUrls: ['a.png'], tags: [{ id: 3, name: 't' }] },
    ],
    [
      'wrappers named after the property, as Swagger servers send them; Category named by its $ref',
      '<?xml version="1.0" encoding="UTF-8"?><Pet><Category><id>2</id><name>Dogs</name></Category><name>doggie</name><photoUrls><photoUrl>a</photoUrl><photoUrl>b</photoUrl></photoUrls><status>sold</status></Pet>',
      { category: { id: 2, name: 'Dogs' }, name: 'doggie', photoUrls: ['a', 'b'], status: 'sold' },
    ],
    [
      'an empty wrapper is an empty array; whitespace and comments are not content',
      '<Pet>\n  <!-- a comment -->\n  <name>doggie</name>\n  <photoUrls/>\n</Pet>',
      { name: 'doggie', photoUrls: [] },
    ],
  ])('accepts %s', (_name, xml, want) => {
    expect(check(petstore, pet, xml)).toEqual({ value: want, errors: [] });
  });

  it.each([
    ['a non-numeric id', '<Pet><id>ten</id><name>d</name><photoUrls/></Pet>', ['/id: must be integer']],
    ['a missing required element', '<Pet><id>1</id><photoUrls/></Pet>', ["/: must have required property 'name'"]],
    [
      'a status outside the enum',
      '<Pet><name>d</name><photoUrls/><status>lost</status></Pet>',
      ['/status: must be equal to one of the allowed values: ["available","pending","sold"]'],
    ],
    ['the wrong root element', '<Dog><name>d</name><photoUrls/></Dog>', ['/: root element must be <Pet>, got <Dog>']],
    [
      'an object where a scalar belongs',
      '<Pet><name><first>d</first></name><photoUrls/></Pet>',
      ['/name: must be string'],
    ],
  ])('fails %s', (_name, xml, want) => {
    expect(check(petstore, pet, xml).errors).toEqual(want);
  });

  it('an unparseable body is a failure carrying the parser message', () => {
    expect(check(petstore, pet, '<Pet><name>d</Pet>').errors).toEqual([
      expect.stringMatching(/^unparseable: Expected closing tag 'name'.*\(line 1, column \d+\)$/),
    ]);
    expect(check(petstore, pet, '{"name":"d"}').errors[0]).toMatch(/^unparseable: /);
  });

  it('an array response: the root wraps the items, whatever its name; one item is a one-item array', () => {
    expect(check(petstore, petList, '<pets><Pet><name>a</name><photoUrls/></Pet></pets>')).toEqual({
      value: [{ name: 'a', photoUrls: [] }],
      errors: [],
    });
    expect(
      check(petstore, petList, '<pets><Pet><photoUrls/></Pet><Pet><name>b</name><photoUrls/></Pet></pets>').errors,
    ).toEqual(["/0: must have required property 'name'"]);
  });

  it('scalars are coerced only as the schema says: an Order', () => {
    const order = '/components/schemas/Order';
    expect(
      check(
        petstore,
        order,
        '<Order><id>10</id><quantity>2</quantity><status>placed</status><complete>true</complete></Order>',
      ),
    ).toEqual({ value: { id: 10, quantity: 2, status: 'placed', complete: true }, errors: [] });
    expect(check(petstore, order, '<Order><complete>yes</complete><quantity>2.5</quantity></Order>').errors).toEqual([
      '/quantity: must be integer',
      '/complete: must be boolean',
    ]);
  });
});

describe('Train Travel 3.1 (@readme/oas-examples): allOf wrappers, wrapped arrays of $ref items', async () => {
  const train = compileSpec(await loadSpec(examples('3.1/yaml/train-travel.yaml')));
  const stations = train.operations.find((o) => o.path === '/stations' && o.method === 'get')!;
  const pointer = stations.responses[0]!.content.find((m) => m.mediaType === 'application/xml')!.schemaPointer!;
  const station = (extra = '') =>
    `<station><id>efdbb9d1-02c2-4bc3-afb7-6788d8782b1e</id><name>Berlin Hbf</name><address>Invalidenstraße 10557 Berlin</address>${extra}</station>`;

  it('accepts the wrapped list under the allOf branch that names it', () => {
    const got = check(
      train,
      pointer,
      `<data><stations>${station('<country_code>DE</country_code>')}</stations></data>`,
    );
    expect(got.errors).toEqual([]);
    expect(got.value).toEqual({
      data: [
        {
          id: 'efdbb9d1-02c2-4bc3-afb7-6788d8782b1e',
          name: 'Berlin Hbf',
          address: 'Invalidenstraße 10557 Berlin',
          country_code: 'DE',
        },
      ],
    });
  });

  it('fails a station without its required country code, and a malformed uuid', () => {
    const errors = check(
      train,
      pointer,
      `<data><stations>${station().replace('efdbb9d1-', 'x')}</stations></data>`,
    ).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        "/data/0: must have required property 'country_code'",
        '/data/0/id: must match format "uuid"',
      ]),
    );
  });
});

describe('the xml object: attribute, unwrapped arrays, namespace and prefix, extra elements, nil', async () => {
  const spec = compileSpec(
    await loadSpecFromText(
      `openapi: 3.1.0
info: { title: books, version: "1" }
paths:
  /book:
    get:
      responses:
        "200":
          description: a book
          content:
            application/xml: { schema: { $ref: "#/components/schemas/Book" } }
components:
  schemas:
    Book:
      type: object
      additionalProperties: false
      required: [id, title]
      xml: { name: book, namespace: "urn:books", prefix: b }
      properties:
        id: { type: integer, xml: { attribute: true } }
        lang: { type: string, xml: { attribute: true, name: language } }
        title: { type: string }
        isbn: { type: string }
        price: { type: [number, "null"] }
        authors:
          type: array
          items: { type: string, xml: { name: author } }
`,
      join(packageRoot, 'books.inline.yaml'),
      'books',
    ),
  );
  const book = '/components/schemas/Book';
  const ns = 'xmlns:b="urn:books" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

  it.each([
    [
      'attributes (one renamed), a repeated unwrapped element, a numeric-looking string kept as text',
      `<b:book ${ns} id="7" language="en"><b:title>T</b:title><isbn>0123</isbn><author>A</author><author>B</author></b:book>`,
      { id: 7, lang: 'en', title: 'T', isbn: '0123', authors: ['A', 'B'] },
    ],
    [
      'a single unwrapped element as a one-item array, xsi:nil as null, a decimal',
      `<b:book ${ns} id="8"><title>T</title><author>A</author><price xsi:nil="true"/></b:book>`,
      { id: 8, title: 'T', authors: ['A'], price: null },
    ],
    [
      'a decimal price',
      `<b:book ${ns} id="9"><title>T</title><price>12.50</price></b:book>`,
      { id: 9, title: 'T', price: 12.5 },
    ],
  ])('accepts %s', (_name, xml, want) => {
    expect(check(spec, book, xml)).toEqual({ value: want, errors: [] });
  });

  it.each([
    ['a non-numeric attribute', `<b:book ${ns} id="x"><title>T</title></b:book>`, ['/id: must be integer']],
    ['a missing attribute', `<b:book ${ns}><title>T</title></b:book>`, ["/: must have required property 'id'"]],
    [
      'the wrong namespace',
      '<b:book xmlns:b="urn:other" id="1"><title>T</title></b:book>',
      ['/: element <b:book> must be in namespace urn:books, got urn:other'],
    ],
    [
      'the right namespace without the prefix',
      '<book xmlns="urn:books" id="1"><title>T</title></book>',
      ["/: element <book> must carry the prefix 'b'"],
    ],
    [
      'an element the schema does not know (additionalProperties: false)',
      `<b:book ${ns} id="1"><title>T</title><pages>3</pages></b:book>`,
      ["/: must NOT have additional properties: 'pages'"],
    ],
    [
      'an element repeated where one value belongs',
      `<b:book ${ns} id="1"><title>T</title><title>U</title></b:book>`,
      ['/title: must be string'],
    ],
  ])('fails %s', (_name, xml, want) => {
    expect(check(spec, book, xml).errors).toEqual(want);
  });
});

describe('isXmlMediaType', () => {
  it.each([
    ['application/xml', true],
    ['text/xml', true],
    ['application/atom+xml', true],
    ['application/json', false],
    ['application/xml-dtd', false],
  ])('%s → %s', (type, want) => {
    expect(isXmlMediaType(type)).toBe(want);
  });
});
