import { describe, expect, it } from 'vitest';
import { compiled, operation } from '../test-helpers.js';
import { createRandom, invalidBody, invalidParameterValues, nonexistentValue, serialiseParameter } from './values.js';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const noDocument = {};

describe('createRandom', () => {
  it('gives the same sequence for the same seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(a.hex(16)).toBe(b.hex(16));
  });

  it('gives another sequence for another seed', () => {
    expect(createRandom(1).hex(16)).not.toBe(createRandom(2).hex(16));
  });

  it('yields numbers in [0, 1) and hex of exactly the asked length', () => {
    const r = createRandom(7);
    for (let i = 0; i < 200; i++) {
      const n = r.next();
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThan(1);
    }
    for (const length of [1, 8, 13, 32]) expect(r.hex(length)).toMatch(new RegExp(`^[0-9a-f]{${length}}$`));
  });

  // Regression (was a bug): values.ts:18 maps seed 0 to 1 (`seed >>> 0 || 1`), so `--seed 0` and `--seed 1` plan the very same
  // "random" ids. mulberry32 needs no non-zero state (it adds its increment before mixing).
  it('gives another sequence for seed 0 than for seed 1', () => {
    expect(createRandom(0).hex(16)).not.toBe(createRandom(1).hex(16));
  });
});

describe('invalidParameterValues', () => {
  it.each([
    ['uuid format', { type: 'string', format: 'uuid' }, [{ value: 'not-a-uuid', breaks: 'format uuid' }]],
    [
      'enum',
      { type: 'string', enum: ['nested', 'flat'] },
      [{ value: 'mcpc-not-in-enum', breaks: 'enum ["nested","flat"]' }],
    ],
    [
      'integer',
      { type: 'integer' },
      [
        { value: 'not-a-number', breaks: 'type integer' },
        { value: '1.5', breaks: 'type integer' },
      ],
    ],
    ['number (1.5 is a number)', { type: 'number' }, [{ value: 'not-a-number', breaks: 'type number' }]],
    ['boolean', { type: 'boolean' }, [{ value: 'not-a-boolean', breaks: 'type boolean' }]],
    ['maxLength', { type: 'string', maxLength: 3 }, [{ value: 'xxxx', breaks: 'maxLength 3' }]],
    ['minLength', { type: 'string', minLength: 4 }, [{ value: 'xxx', breaks: 'minLength 4' }]],
    ['pattern', { type: 'string', pattern: '^[a-z]+$' }, [{ value: 'mcpc invalid !', breaks: 'pattern ^[a-z]+$' }]],
    [
      'an array of enumerated items (Petstore findByStatus)',
      { type: 'array', items: { type: 'string', enum: ['available', 'sold'] } },
      [{ value: 'mcpc-not-in-enum', breaks: 'items enum ["available","sold"]' }],
    ],
    ['an array of free strings: nothing breaks it', { type: 'array', items: { type: 'string' } }, []],
    ['an unconstrained string: nothing breaks it', { type: 'string' }, []],
    ['a schema without a type: nothing safely breaks it', {}, []],
    ['string or integer: a string breaks neither', { type: ['string', 'integer'] }, []],
  ])('%s', (_name, schema, want) => {
    expect(invalidParameterValues(noDocument, schema)).toEqual(want);
  });

  it('follows a $ref to the schema', async () => {
    const langsmith = await compiled('langsmith');
    const id = operation(langsmith, 'deleteMcpServer').parameters[0]!;
    expect(invalidParameterValues(langsmith.spec.document, { $ref: `#${id.schemaPointer}` })).toEqual([
      { value: 'not-a-uuid', breaks: 'format uuid' },
    ]);
  });

  it('every value it returns is rejected by the schema it was made for', async () => {
    const stackone = await compiled('stackone');
    const post = operation(stackone, 'stackone_mcp_post');
    let checked = 0;
    for (const p of post.parameters) {
      if (!p.schemaPointer) continue;
      for (const invalid of invalidParameterValues(stackone.spec.document, p.schema)) {
        expect(stackone.validator(p.schemaPointer).validate(invalid.value)).not.toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});

describe('nonexistentValue', () => {
  it('is a well-formed v4 uuid for a uuid parameter', () => {
    expect(nonexistentValue(noDocument, { type: 'string', format: 'uuid' }, createRandom(1))).toMatch(uuidV4);
  });

  it('is the same for the same seed and differs for another', () => {
    const schema = { type: 'string', format: 'uuid' };
    const a = nonexistentValue(noDocument, schema, createRandom(3));
    expect(nonexistentValue(noDocument, schema, createRandom(3))).toBe(a);
    expect(nonexistentValue(noDocument, schema, createRandom(4))).not.toBe(a);
  });

  it('differs between two draws of one run (two cases never share an id)', () => {
    const random = createRandom(5);
    expect(nonexistentValue(noDocument, { type: 'string' }, random)).not.toBe(
      nonexistentValue(noDocument, { type: 'string' }, random),
    );
  });

  it.each([
    ['a string is recognisably ours', { type: 'string' }, /^mcpc-nonexistent-[0-9a-f]{8}$/],
    ['an integer is a large integer', { type: 'integer' }, /^2\d{9}$/],
    ['maxLength is honoured', { type: 'string', maxLength: 10 }, /^mcpc-nonex$/],
  ])('%s', (_name, schema, want) => {
    expect(nonexistentValue(noDocument, schema, createRandom(1))).toMatch(want);
  });

  // Regression (was a bug): values.ts:136 honours maxLength but not minLength, so an id with `minLength: 32` gets a 25-character
  // value the target rejects as malformed (400) instead of looking it up (404) — the case then tests nothing.
  it('honours minLength, so the value is well-formed', () => {
    expect(
      nonexistentValue(noDocument, { type: 'string', minLength: 32 }, createRandom(1)).length,
    ).toBeGreaterThanOrEqual(32);
  });
});

describe('invalidBody', () => {
  it.each([
    [
      'a required property: {} breaks it',
      { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      { value: {}, breaks: 'required name' },
    ],
    [
      'a oneOf where every branch requires something: {} breaks all of them',
      {
        oneOf: [
          { type: 'object', required: ['a'] },
          { type: 'object', required: ['b', 'c'] },
        ],
      },
      { value: {}, breaks: 'required a, b, c' },
    ],
    [
      'a oneOf where one branch requires nothing: {} may be valid, so no body is offered',
      { oneOf: [{ type: 'object', required: ['a'] }, { type: 'object' }] },
      undefined,
    ],
    [
      'an object that requires nothing: the wrong type breaks it',
      { type: 'object', properties: { a: { type: 'string' } } },
      { value: [], breaks: 'type object' },
    ],
    [
      'an array: an object breaks it',
      { type: 'array', items: { type: 'string' } },
      { value: {}, breaks: 'type array' },
    ],
    ['a schema that accepts anything: nothing breaks it', {}, undefined],
  ])('%s', (_name, schema, want) => {
    expect(invalidBody(noDocument, schema)).toEqual(want);
  });

  it('breaks the StackOne JSON-RPC body (a oneOf of $refs) and the body really is invalid', async () => {
    const stackone = await compiled('stackone');
    const media = operation(stackone, 'stackone_mcp_post').requestBody!.content[0]!;
    const broken = invalidBody(stackone.spec.document, { $ref: `#${media.schemaPointer}` });
    expect(broken).toEqual({ value: {}, breaks: expect.stringMatching(/^required .*jsonrpc.*method/) });
    expect(stackone.validator(media.schemaPointer!).validate(broken!.value)).not.toEqual([]);
  });
});

describe('serialiseParameter', () => {
  it.each([
    ['a string as is', 'abc', 'abc'],
    ['a number', 42, '42'],
    ['a boolean', false, 'false'],
    ['an array, comma-separated (simple/form, no explode)', ['a', 1, true], 'a,1,true'],
    ['an object as key,value pairs', { role: 'admin', first: 'Alex' }, 'role,admin,first,Alex'],
    ['null', null, 'null'],
  ])('%s', (_name, value, want) => {
    expect(serialiseParameter(value)).toBe(want);
  });
});
