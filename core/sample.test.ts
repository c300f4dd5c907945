import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findResponse } from './operations.js';
import { packageRoot } from './paths.js';
import { sampleAtPointer, sampleCandidates, sampleSchema, stringMatching } from './sample.js';
import { loadSpec } from './spec.js';
import { compileSpec } from './validators.js';

const doc = {
  components: {
    schemas: {
      Id: { type: 'string', format: 'uuid' },
      Node: {
        type: 'object',
        required: ['id', 'child'],
        properties: { id: { $ref: '#/components/schemas/Id' }, child: { $ref: '#/components/schemas/Node' } },
      },
    },
  },
};

describe('sampleSchema', () => {
  it.each([
    ['a plain string', { type: 'string' }, 'string'],
    ['minLength', { type: 'string', minLength: 8 }, 'stringxx'],
    ['maxLength', { type: 'string', maxLength: 3 }, 'str'],
    ['date-time', { type: 'string', format: 'date-time' }, '2024-01-01T00:00:00.000Z'],
    ['uuid', { type: 'string', format: 'uuid' }, '00000000-0000-4000-8000-000000000000'],
    ['const over everything', { type: 'string', const: 'x', example: 'y' }, 'x'],
    ['an example', { type: 'integer', example: 42 }, 42],
    ['enum without null', { enum: [null, 'a', 'b'] }, 'a'],
    ['integer bounds', { type: 'integer', minimum: 3, maximum: 9 }, 3],
    ['exclusive bounds (3.1)', { type: 'integer', exclusiveMinimum: 3 }, 4],
    ['exclusive bounds (3.0)', { type: 'number', minimum: 1, exclusiveMinimum: true, multipleOf: 2 }, 2],
    ['a negative maximum', { type: 'number', maximum: -5 }, -5],
    ['a type list', { type: ['null', 'boolean'] }, false],
    ['minItems', { type: 'array', minItems: 2, items: { type: 'integer' } }, [0, 0]],
    [
      'required properties only',
      { type: 'object', required: ['a'], properties: { a: { type: 'string' }, b: { type: 'string' } } },
      { a: 'string' },
    ],
    ['minProperties', { type: 'object', minProperties: 1, properties: { b: { type: 'boolean' } } }, { b: false }],
    [
      'dependentRequired',
      {
        type: 'object',
        required: ['a'],
        properties: { a: {}, b: { type: 'integer' } },
        dependentRequired: { a: ['b'] },
      },
      { a: null, b: 0 },
    ],
    [
      'allOf merged',
      {
        allOf: [
          { type: 'object', required: ['a'], properties: { a: { const: 1 } } },
          { required: ['b'], properties: { b: { type: 'string' } } },
        ],
      },
      { a: 1, b: 'string' },
    ],
    ['oneOf skipping null', { oneOf: [{ type: 'null' }, { type: 'integer' }] }, 0],
    ['a $ref', { $ref: '#/components/schemas/Id' }, '00000000-0000-4000-8000-000000000000'],
    [
      'a recursive $ref stops',
      { $ref: '#/components/schemas/Node' },
      { id: '00000000-0000-4000-8000-000000000000', child: null },
    ],
    [
      'JSON content',
      {
        type: 'string',
        contentMediaType: 'application/json',
        contentSchema: { type: 'object', required: ['n'], properties: { n: { const: 1 } } },
      },
      '{"n":1}',
    ],
  ])('%s', (_name, schema, want) => {
    expect(sampleSchema(doc, schema)).toEqual(want);
  });

  it('ignores examples when asked', () => {
    expect(sampleSchema(doc, { type: 'integer', example: 42, minimum: 1 }, { useExamples: false })).toBe(1);
  });

  it('builds a valid body for every documented response of the bundled specs', async () => {
    for (const name of ['stackone', 'smithery', 'langsmith']) {
      const compiled = compileSpec(await loadSpec(name));
      for (const op of compiled.operations) {
        for (const status of op.responses.map((r) => Number(r.status))) {
          for (const media of findResponse(op, status)?.content ?? []) {
            if (!media.schemaPointer || media.itemSchemaPointer) continue;
            const sample = sampleAtPointer(compiled.spec.document, media.schemaPointer);
            expect(compiled.validator(media.schemaPointer).validate(sample), `${op.label} ${status}`).toEqual([]);
          }
        }
      }
    }
  });
});

describe('sampleSchema: readOnly and writeOnly per direction', async () => {
  const specs = {
    '3.1': compileSpec(await loadSpec(join(packageRoot, 'test/fixtures/specs/read-write-only.yaml'))),
    '3.0': compileSpec(await loadSpec(join(packageRoot, 'test/fixtures/specs/read-write-only-30.yaml'))),
  };
  it.each([
    ['3.1', 'request', ['name', 'password']],
    ['3.1', 'response', ['id', 'name', 'createdAt']],
    ['3.1', undefined, ['id', 'name', 'password', 'createdAt']],
    ['3.0', 'request', ['name', 'password']],
    ['3.0', 'response', ['id', 'name']],
  ] as const)('OpenAPI %s, direction %s: a User has %j, and validates', (version, direction, keys) => {
    const compiled = specs[version];
    const sample = sampleAtPointer(compiled.spec.document, '/components/schemas/User', { direction });
    expect(Object.keys(sample as object)).toEqual(keys);
    const op = compiled.index.byId.get('createUser')!;
    const pointer =
      direction === 'request'
        ? op.requestBody!.content[0]!.schemaPointer!
        : findResponse(op, 201)!.content[0]!.schemaPointer!;
    if (direction) expect(compiled.validator(pointer, direction).validate(sample)).toEqual([]);
  });

  it('leaves readOnly properties out of minProperties filling for requests', () => {
    const schema = {
      type: 'object',
      minProperties: 1,
      properties: { id: { readOnly: true, type: 'string' }, n: { type: 'integer' } },
    };
    expect(sampleSchema({}, schema, { direction: 'request' })).toEqual({ n: 0 });
    expect(sampleSchema({}, schema)).toEqual({ id: 'string' });
  });
});

describe('sampleSchema: pattern, oneOf, discriminator, uniqueItems, multipleOf', () => {
  const pets = {
    components: {
      schemas: {
        Pet: {
          oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
          discriminator: {
            propertyName: 'petType',
            mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' },
          },
        },
        Unmapped: {
          oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
          discriminator: { propertyName: 'petType' },
        },
        Cat: { type: 'object', required: ['petType'], properties: { petType: { type: 'string' }, meow: {} } },
        Dog: {
          type: 'object',
          required: ['petType', 'bark'],
          properties: { petType: { type: 'string' }, bark: { type: 'boolean' } },
        },
        Base: {
          type: 'object',
          required: ['kind'],
          properties: { kind: { type: 'string' } },
          discriminator: { propertyName: 'kind' },
        },
        Lion: {
          allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', properties: { roar: { type: 'integer' } } }],
        },
      },
    },
  };

  it('draws a string matching `pattern`, within the length bounds', () => {
    const schema = { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' };
    for (let variant = 0; variant < 5; variant++) {
      expect(sampleSchema({}, schema, { variant })).toMatch(/^[A-Z]{3}-\d{4}$/);
    }
    const bounded = sampleSchema({}, { type: 'string', pattern: '^[a-z]+$', minLength: 12, maxLength: 14 }) as string;
    expect(bounded).toMatch(/^[a-z]{12,14}$/);
  });

  it('keeps the format sample where it already matches the pattern', () => {
    expect(sampleSchema({}, { type: 'string', format: 'uuid', pattern: '^[0-9a-f-]+$' })).toBe(
      '00000000-0000-4000-8000-000000000000',
    );
  });

  it('reads a pattern the u flag refuses in the legacy dialect, as the validators do, and gives up where none compiles', () => {
    // `{` unescaped is a SyntaxError under `u`, a literal brace without it.
    const legacy = stringMatching('^(?:{[0-9]})$', () => 0.5);
    expect(legacy).toMatch(/^\{[0-9]\}$/);
    expect(stringMatching('[z-a]', () => 0.5)).toBeUndefined();
    expect(sampleSchema({}, { type: 'string', pattern: '[z-a]' })).toBe('string');
  });

  it('names the chosen oneOf branch in the discriminator property: its mapping key, else its schema name', () => {
    expect(sampleSchema(pets, { $ref: '#/components/schemas/Pet' })).toEqual({ petType: 'cat' });
    expect(sampleSchema(pets, { $ref: '#/components/schemas/Unmapped' })).toEqual({ petType: 'Cat' });
    const dogs = sampleCandidates(pets, { $ref: '#/components/schemas/Pet' }).filter(
      (c) => (c as { bark?: unknown }).bark !== undefined,
    );
    expect(dogs[0]).toEqual({ petType: 'dog', bark: false });
  });

  it('names an allOf child of a schema with a discriminator after itself', () => {
    expect(sampleSchema(pets, { $ref: '#/components/schemas/Lion' })).toEqual({ kind: 'Lion' });
  });

  it('makes the items of a uniqueItems array differ', () => {
    const strings = sampleSchema({}, { type: 'array', minItems: 3, uniqueItems: true, items: { type: 'string' } });
    expect(new Set(strings as string[]).size).toBe(3);
    const bounded = sampleSchema(
      {},
      { type: 'array', minItems: 3, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: 3 } },
    );
    expect([...(bounded as number[])].sort()).toEqual([1, 2, 3]);
    // Without uniqueItems repeating is fine, and cheaper to read.
    expect(sampleSchema({}, { type: 'array', minItems: 2, items: { type: 'string' } })).toEqual(['string', 'string']);
  });

  it('lands exactly on a decimal multipleOf', () => {
    expect(sampleSchema({}, { type: 'number', minimum: 0.25, multipleOf: 0.1 })).toBe(0.3);
    expect(sampleSchema({}, { type: 'number', minimum: 0.25, maximum: 0.29, multipleOf: 0.1 })).toBe(0.2);
  });

  it('offers other branches as further candidates, deterministically', () => {
    const schema = { oneOf: [{ type: 'integer' }, { type: 'string' }, { type: 'boolean' }] };
    const candidates = sampleCandidates({}, schema, { count: 8 });
    expect(candidates[0]).toBe(0);
    expect(new Set(candidates.map((c) => typeof c))).toEqual(new Set(['number', 'string', 'boolean']));
    expect(sampleCandidates({}, schema, { count: 8 })).toEqual(candidates);
  });
});
