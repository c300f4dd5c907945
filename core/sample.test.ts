import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findResponse } from './operations.js';
import { packageRoot } from './paths.js';
import { sampleAtPointer, sampleSchema } from './sample.js';
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
