import { describe, expect, it } from 'vitest';
import type { ParameterSpec } from './operations.js';
import { coerceBySchema, coerceParameter, cookieValue } from './parameters.js';

const param = (
  schema: Record<string, unknown> | undefined,
  location: ParameterSpec['in'] = 'query',
): ParameterSpec => ({
  name: 'p',
  in: location,
  required: false,
  pointer: '',
  schemaPointer: undefined,
  schema,
  examples: [],
  deprecated: false,
  ignoredByOpenApi: false,
});

describe('coerceParameter', () => {
  it.each([
    ['integer', { type: 'integer' }, '42', 42],
    ['a non-number stays text for the validator', { type: 'integer' }, '4x', '4x'],
    ['number', { type: 'number' }, '-1.5e2', -150],
    ['boolean', { type: 'boolean' }, 'true', true],
    ['a type list', { type: ['null', 'integer'] }, '7', 7],
    ['string', { type: 'string' }, '007', '007'],
    ['no schema', undefined, 'x', 'x'],
    ['an array from a repeated query', { type: 'array', items: { type: 'integer' } }, ['1', '2'], [1, 2]],
    ['an array from one comma-separated value', { type: 'array', items: { type: 'string' } }, 'a,b', ['a', 'b']],
    ['a repeated scalar stays a list', { type: 'string' }, ['a', 'b'], ['a', 'b']],
    ['absent', { type: 'string' }, undefined, undefined],
  ])('%s', (_name, schema, raw, want) => {
    expect(coerceParameter({}, param(schema), raw)).toEqual(want);
  });

  it('resolves a $ref to find the type', () => {
    const doc = { components: { schemas: { N: { type: 'integer' } } } };
    expect(coerceBySchema(doc, { $ref: '#/components/schemas/N' }, 'header', '3')).toBe(3);
  });

  it('trims folded header lists', () => {
    expect(coerceBySchema({}, { type: 'array' }, 'header', 'a, b')).toEqual(['a', 'b']);
  });
});

describe('cookieValue', () => {
  it.each([
    ['a=1; b=two', 'b', 'two'],
    ['a=1', 'b', undefined],
    ['k=%20x', 'k', ' x'],
    [undefined, 'k', undefined],
  ])('%s → %s', (header, name, want) => {
    expect(cookieValue(header, name)).toBe(want);
  });
});
