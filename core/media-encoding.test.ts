import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { getAtPointer } from './json-pointer.js';
import {
  decodeForm,
  type EncodingObject,
  encodeBody,
  encodeForm,
  encodeMultipart,
  malformedBody,
  preferredRequestMedia,
  sampleFileBytes,
} from './media-encoding.js';
import { packageRoot } from './paths.js';
import { loadSpec, loadSpecFromText } from './spec.js';

/**
 * Request bodies on the wire. Forms follow OpenAPI's style table (the expected strings are the spec's own
 * examples); multipart bodies are parsed back with Node's own multipart parser (undici's `Request#formData()`)
 * and compared byte for byte with what Node's `FormData` writes for the same fields.
 */

const color = { R: 100, G: 200, B: 150 };
const colors = ['blue', 'black', 'brown'];

describe('encodeForm: OpenAPI style × explode (the spec’s style-values table)', () => {
  it.each([
    ['form, explode (the default): array', { color: colors }, {}, 'color=blue&color=black&color=brown'],
    ['form, no explode: array', { color: colors }, { color: { explode: false } }, 'color=blue,black,brown'],
    ['form, explode: object', { color }, {}, 'R=100&G=200&B=150'],
    ['form, no explode: object', { color }, { color: { explode: false } }, 'color=R,100,G,200,B,150'],
    ['spaceDelimited: array', { color: colors }, { color: { style: 'spaceDelimited' } }, 'color=blue%20black%20brown'],
    ['pipeDelimited: array', { color: colors }, { color: { style: 'pipeDelimited' } }, 'color=blue|black|brown'],
    ['deepObject: object', { color }, { color: { style: 'deepObject' } }, 'color[R]=100&color[G]=200&color[B]=150'],
    ['a primitive, percent-encoded', { q: 'a b&c=d/é' }, {}, 'q=a%20b%26c%3Dd%2F%C3%A9'],
    ['allowReserved keeps reserved characters', { q: 'a/b?c=d' }, { q: { allowReserved: true } }, 'q=a/b?c=d'],
    [
      'a contentType makes an object JSON text',
      { meta: { a: 1 } },
      { meta: { contentType: 'application/json' } },
      'meta=%7B%22a%22%3A1%7D',
    ],
    ['null is empty, undefined is left out', { a: null, b: undefined, c: true }, {}, 'a=&c=true'],
  ])('%s', (_name, value, encoding, want) => {
    expect(encodeForm(value, encoding)).toBe(want);
  });

  it('decodes back to the same fields with URLSearchParams', () => {
    const value = { name: 'Rex "the" dog', tags: ['a+b', 'c d'], age: 3 };
    const parsed = new URLSearchParams(encodeForm(value));
    expect([...parsed]).toEqual([
      ['name', 'Rex "the" dog'],
      ['tags', 'a+b'],
      ['tags', 'c d'],
      ['age', '3'],
    ]);
  });
});

/** Parse a multipart body the way a Node server (undici) does. */
async function parseMultipart(body: string, contentType: string): Promise<FormData> {
  return new Request('http://127.0.0.1/', {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  }).formData();
}

describe('encodeMultipart', async () => {
  const spec = await loadSpecFromText(
    `openapi: 3.1.0
info: { title: uploads, version: "1" }
paths:
  /upload:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                orderId: { type: integer }
                note: { type: string }
                meta: { type: object }
                tags: { type: array, items: { type: string } }
                document: { type: string, format: binary }
                photos: { type: array, items: { type: string, format: binary } }
                csv: { type: string }
            encoding:
              csv: { contentType: text/csv }
              photos: { contentType: image/png }
      responses: { "200": { description: ok } }
`,
    join(packageRoot, 'uploads.inline.yaml'),
    'uploads',
  );
  const context = {
    document: spec.document,
    mediaPointer: '/paths/~1upload/post/requestBody/content/multipart~1form-data',
  };
  const value = {
    orderId: 7,
    note: 'a "quoted" note\r\nwith lines',
    meta: { a: [1] },
    tags: ['x', 'y'],
    document: 'string',
    photos: ['binary', 'binary'],
    csv: 'a,b\n1,2',
  };

  it('writes one part per field, arrays as repeated parts, with a real boundary in the Content-Type', async () => {
    const encoded = encodeMultipart(value, context);
    const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(encoded.contentType)?.[1];
    expect(boundary).toMatch(/^----mcp-contracts-[0-9a-f]{24}$/);
    expect(encoded.body.endsWith(`--${boundary}--\r\n`)).toBe(true);
    const form = await parseMultipart(encoded.body, encoded.contentType);
    expect(form.get('orderId')).toBe('7');
    expect(form.get('note')).toBe(value.note);
    expect(form.getAll('tags')).toEqual(['x', 'y']);
    expect(form.get('csv')).toBe('a,b\n1,2');
  });

  it('a JSON part for an object, file parts (with a filename and type) for binary fields', async () => {
    const encoded = encodeMultipart(value, context);
    expect(encoded.body).toContain(
      'Content-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"a":[1]}\r\n',
    );
    expect(encoded.body).toContain('name="csv"\r\nContent-Type: text/csv\r\n\r\n');
    const form = await parseMultipart(encoded.body, encoded.contentType);
    const document = form.get('document') as File;
    expect([document.name, document.type, await document.text()]).toEqual([
      'document.bin',
      'application/octet-stream',
      sampleFileBytes,
    ]);
    const photos = form.getAll('photos') as File[];
    expect(photos.map((p) => [p.name, p.type])).toEqual([
      ['photos.bin', 'image/png'],
      ['photos.bin', 'image/png'],
    ]);
  });

  it('is byte for byte what Node’s FormData writes for the same text and file fields', async () => {
    const fields = { name: 'Rex', note: 'a "b"\r\nc', file: 'binary' };
    const ours = encodeMultipart(fields, {
      document: {
        paths: {
          '/x': {
            post: {
              requestBody: {
                content: { m: { schema: { properties: { file: { type: 'string', format: 'binary' } } } } },
              },
            },
          },
        },
      },
      mediaPointer: '/paths/~1x/post/requestBody/content/m',
    });
    const form = new FormData();
    form.append('name', 'Rex');
    form.append('note', 'a "b"\r\nc');
    form.append('file', new Blob([sampleFileBytes], { type: 'application/octet-stream' }), 'file.bin');
    const reference = new Response(form);
    const theirBoundary = /boundary=(\S+)/.exec(reference.headers.get('content-type') ?? '')![1]!;
    const ourBoundary = /boundary=(\S+)/.exec(ours.contentType)![1]!;
    expect(ours.body).toBe((await reference.text()).split(theirBoundary).join(ourBoundary));
  });

  it('is deterministic, and the boundary never occurs in the content', () => {
    expect(encodeMultipart(value, context)).toEqual(encodeMultipart(value, context));
    const first = encodeMultipart({ a: '1' }, context);
    const boundary = /boundary=(\S+)/.exec(first.contentType)![1]!;
    const tricky = encodeMultipart({ a: '1', b: boundary }, context);
    const trickyBoundary = /boundary=(\S+)/.exec(tricky.contentType)![1]!;
    expect(tricky.body.split(`--${trickyBoundary}`)).toHaveLength(4);
  });
});

describe('encodeBody and the media type chosen', async () => {
  const uploads = await loadSpec(join(packageRoot, 'node_modules/@readme/oas-examples/3.0/yaml/file-uploads.yaml'));

  it.each([
    ['JSON first', ['application/xml', 'multipart/form-data', 'application/json'], 'application/json'],
    [
      'a form before multipart and XML',
      ['application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded'],
      'application/x-www-form-urlencoded',
    ],
    ['multipart before XML', ['application/xml', 'multipart/form-data'], 'multipart/form-data'],
    ['text before XML', ['application/xml', 'text/plain'], 'text/plain'],
    ['otherwise the first', ['application/xml', 'image/png'], 'application/xml'],
  ])('%s', (_name, types, want) => {
    expect(preferredRequestMedia(types.map((mediaType) => ({ mediaType })))?.mediaType).toBe(want);
  });

  it.each([
    ['JSON as JSON text', { a: 1 }, 'application/json', '{"a":1}'],
    ['a string as text', 'hello', 'text/plain', 'hello'],
    ['an already serialised form as it is', 'a=1&b=2', 'application/x-www-form-urlencoded', 'a=1&b=2'],
    ['a binary placeholder as the sample file', 'string', 'image/png', sampleFileBytes],
    ['an object form as pairs', { a: 1, b: 'x y' }, 'application/x-www-form-urlencoded', 'a=1&b=x%20y'],
  ])('%s', (_name, value, mediaType, want) => {
    expect(encodeBody(value, mediaType, { document: uploads.document })).toEqual({
      body: want,
      contentType: mediaType,
    });
  });
});

describe('decodeForm: the inverse of encodeForm, per schema and style', async () => {
  const spec = await loadSpecFromText(
    `openapi: 3.1.0
info: { title: forms, version: "1" }
paths:
  /f:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                name: { type: string }
                count: { type: integer }
                ratio: { type: number }
                on: { type: boolean }
                tags: { type: array, items: { type: string } }
                ids: { type: array, items: { type: integer } }
                pipes: { type: array, items: { type: string } }
                filter: { type: object, properties: { age: { type: integer }, name: { type: string } } }
            encoding:
              ids: { explode: false }
              pipes: { style: pipeDelimited }
              filter: { style: deepObject }
      responses: { "200": { description: ok } }
`,
    join(packageRoot, 'forms.inline.yaml'),
    'forms',
  );
  const context = {
    document: spec.document,
    mediaPointer: '/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded',
  };
  const encoding = (getAtPointer(spec.document, context.mediaPointer) as { encoding: Record<string, EncodingObject> })
    .encoding;

  it('types scalars as the schema says, and leaves text that does not fit as text', () => {
    expect(decodeForm('name=3&count=3&ratio=2.5&on=true&tags=x', context)).toEqual({
      name: '3',
      count: 3,
      ratio: 2.5,
      on: true,
      tags: ['x'],
    });
    expect(decodeForm('count=three&on=yes', context)).toEqual({ count: 'three', on: 'yes' });
  });

  it('an exploded form object spreads over the body and comes back whole', () => {
    const objectForm = { ...context, document: structuredClone(spec.document) };
    const media = getAtPointer(objectForm.document, context.mediaPointer) as { encoding: Record<string, unknown> };
    delete media.encoding.filter;
    expect(decodeForm('name=a&age=3&name2=b', objectForm)).toEqual({ name: 'a', filter: { age: 3, name2: 'b' } });
  });

  it('round-trips every value of the schema (fast-check, seeded)', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !/[,|]/.test(s));
    const value = fc.record(
      {
        name: fc.string({ unit: 'grapheme', maxLength: 12 }),
        count: fc.integer(),
        ratio: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
        on: fc.boolean(),
        tags: fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { minLength: 2, maxLength: 4 }),
        ids: fc.array(fc.integer(), { minLength: 1, maxLength: 4 }),
        pipes: fc.array(text, { minLength: 1, maxLength: 4 }),
        filter: fc.record({ age: fc.integer(), name: fc.string({ maxLength: 8 }) }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(decodeForm(encodeForm(v, encoding), context)).toEqual(v);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe('malformedBody: a body its parser must refuse', () => {
  it('JSON and XML: the parsers reject it', () => {
    expect(() => JSON.parse(malformedBody('application/json')!.body)).toThrow();
    expect(XMLValidator.validate(malformedBody('application/xml')!.body)).not.toBe(true);
  });

  it('multipart: Node’s own parser rejects parts under an undeclared boundary', async () => {
    const { body, contentType } = malformedBody('multipart/form-data')!;
    await expect(parseMultipart(body, contentType)).rejects.toThrow();
    const good = encodeMultipart({ a: '1' }, { document: {} });
    await expect(parseMultipart(good.body, good.contentType)).resolves.toBeInstanceOf(FormData);
  });

  it('none for a form: any text decodes', () => {
    expect(malformedBody('application/x-www-form-urlencoded')).toBeUndefined();
  });
});
