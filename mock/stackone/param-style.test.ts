import { describe, expect, it } from 'vitest';
import { createSchemaCompiler } from '../json-schema.js';
import type { ParamStyle } from '../state.js';
import { type ArgumentGroups, describeViolations, styleArguments } from './param-style.js';

/**
 * The three param styles on an action whose argument `id` sits in two places (path and body, as in an update
 * call): the case `flat_smart` exists for. The demo catalogue has no such collision, so it is shown here.
 */

const update: ArgumentGroups = {
  path: { properties: { id: { type: 'string' } }, required: ['id'] },
  query: { properties: { dry_run: { type: 'boolean' } }, required: [] },
  body: {
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['name'],
  },
};

describe('styleArguments', () => {
  it.each([
    ['nested', ['path', 'query', 'body'], ['path', 'body']],
    ['flat_prefixed', ['path_id', 'query_dry_run', 'body_id', 'body_name', 'body_tags'], ['path_id', 'body_name']],
    ['flat_smart', ['path_id', 'dry_run', 'body_id', 'name', 'tags'], ['path_id', 'name']],
  ] as const)('%s lays the arguments out as %j', (style, names, required) => {
    const { inputSchema } = styleArguments(update, style);
    expect(Object.keys(inputSchema.properties as object)).toEqual(names);
    expect(inputSchema.required).toEqual(required);
    expect(inputSchema.additionalProperties).toBe(false);
  });

  it.each([
    ['nested', { path: { id: 'p' }, query: { dry_run: true }, body: { id: 'b', name: 'n' } }],
    ['flat_prefixed', { path_id: 'p', query_dry_run: true, body_id: 'b', body_name: 'n' }],
    ['flat_smart', { path_id: 'p', dry_run: true, body_id: 'b', name: 'n' }],
  ] as const)('%s groups the arguments back by location', (style, args) => {
    expect(styleArguments(update, style).group(args)).toEqual({
      grouped: { path: { id: 'p' }, query: { dry_run: true }, body: { id: 'b', name: 'n' } },
    });
  });

  it.each([
    ['nested', { id: 'p' }, "unknown argument 'id' (param-style nested takes: path, query, body)"],
    [
      'flat_smart',
      { id: 'p' },
      "unknown argument 'id' (param-style flat_smart takes: path_id, dry_run, body_id, name, tags)",
    ],
    ['nested', { path: ['p'] }, 'path must be an object'],
  ] as const)('%s refuses %j', (style, args, message) => {
    expect(styleArguments(update, style).group(args)).toEqual({ invalid: message });
  });

  it('leaves out groups without arguments', () => {
    const { inputSchema } = styleArguments({ path: { properties: {}, required: [] } }, 'nested');
    expect(inputSchema).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });
});

describe('describeViolations', () => {
  const validate = createSchemaCompiler().compile(styleArguments(update, 'nested').inputSchema);

  it.each([
    ['nested', 'path.id is required; body.name is required'],
    ['flat_prefixed', 'path_id is required; body_name is required'],
    ['flat_smart', 'path_id is required; name is required'],
  ] as const)('names what is missing as %s calls it', (style: ParamStyle, message) => {
    validate({});
    expect(describeViolations(validate.errors ?? [], update, styleArguments(update, style))).toBe(message);
  });

  it('names a wrong value by its place, with array indexes', () => {
    validate({ path: { id: 1 }, body: { name: 'n', tags: ['a', 2], extra: true } });
    expect(describeViolations(validate.errors ?? [], update, styleArguments(update, 'flat_smart'))).toBe(
      "path_id must be string; unknown argument 'extra'; tags[1] must be string",
    );
  });
});
