import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getAtPointer } from './json-pointer.js';
import { findResponse } from './operations.js';
import { packageRoot } from './paths.js';
import { convertDocument, createConverter } from './schema-dialect.js';
import { loadSpec, loadSpecFromText } from './spec.js';
import { compileSpec, schemaPointersOf } from './validators.js';

const fixture = (name: string) => join(packageRoot, 'test', 'fixtures', 'specs', name);

describe('compileSpec: StackOne (OpenAPI 3.1 with 3.0 nullable)', async () => {
  const compiled = compileSpec(await loadSpec('stackone'));
  const del = compiled.index.byId.get('stackone_mcp_delete')!;
  const badRequest = compiled.validator(findResponse(del, 400)!.content[0]!.schemaPointer!);
  const valid = { statusCode: 400, message: 'Bad Request', timestamp: '2023-05-30T00:00:00.000Z' };

  it.each([
    ['a minimal error body', valid, []],
    [
      'null where the 3.1 document says nullable (the author meant it)',
      { ...valid, data: null, provider_errors: null },
      [],
    ],
    ['nested nullable fields set to null', { ...valid, data: { statusCode: null, message: null, headers: null } }, []],
  ])('accepts %s', (_name, body, want) => {
    expect(badRequest.validate(body)).toEqual(want);
  });

  it('names instance path, message and the spec pointer of each violation', () => {
    const violations = badRequest.validate({ statusCode: '400', timestamp: 'yesterday' });
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          instancePath: '/statusCode',
          message: 'must be number',
          schemaPointer: '/components/schemas/BadRequestResponse/properties/statusCode/type',
        }),
        expect.objectContaining({
          instancePath: '/',
          keyword: 'required',
          message: "must have required property 'message'",
        }),
        expect.objectContaining({ instancePath: '/timestamp', keyword: 'format' }),
      ]),
    );
  });

  it('rejects a JSON-RPC result that matches no documented result shape', () => {
    const post = compiled.index.byId.get('stackone_mcp_post')!;
    const ok = findResponse(post, 200)!.content.find((m) => m.mediaType === 'application/json')!;
    const v = compiled.validator(ok.schemaPointer!);
    expect(v.validate({ jsonrpc: '2.0', id: 1, result: { tools: [] } })).toEqual([]);
    expect(v.validate({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })).toEqual([]);
    expect(v.validate({ jsonrpc: '2.0', id: 1, result: { unexpected: true } }).length).toBeGreaterThan(0);
    expect(
      v.validate({ jsonrpc: '2.0', id: 1, result: { tools: [] }, error: { code: 1, message: 'x' } }).length,
    ).toBeGreaterThan(0);
  });

  it('compiles the schema inside SSE events (x-itemSchema contentSchema) once, up front', () => {
    expect(compiled.validator('/components/schemas/McpServerMessage')).toBe(
      compiled.validator('/components/schemas/McpServerMessage'),
    );
    expect(compiled.validator('/components/schemas/McpSseEvent').validate({ data: '{}' })).toEqual([]);
  });

  it('reports the spec defects with how they are treated', () => {
    const rules = compiled.defects.map((d) => d.rule);
    expect(rules).toContain('undefined-security-scheme');
    expect(rules.filter((r) => r === 'nullable-in-openapi-3.1')).toHaveLength(9);
    for (const d of compiled.defects) expect(d.treatment.length).toBeGreaterThan(20);
  });
});

describe('compileSpec: OpenAPI 3.0', async () => {
  const compiled = compileSpec(await loadSpec(fixture('openapi30.yaml')));
  const op = compiled.operations[0]!;
  const body = compiled.validator(op.requestBody!.content[0]!.schemaPointer!);

  it.each([
    ['nullable: true allows null', { name: null, price: 1 }, 0],
    ['exclusiveMinimum: true excludes the minimum', { name: 'a', price: 0 }, 1],
    ['int32 is range-checked', { name: 'a', price: 1, count: 2 ** 31 }, 1],
    ['recursive $ref validates', { name: 'a', price: 1, parent: { name: 'b', price: 'x' } }, 1],
    ['an unknown format is accepted', { name: 'a', price: 1, tag: 'anything' }, 0],
  ])('%s', (_name, data, count) => {
    expect(body.validate(data)).toHaveLength(count);
  });

  it('lists formats it cannot check, 4xx/5xx without a schema, and an operation without any 4xx', () => {
    expect(compiled.unknownFormats).toEqual(['made-up-format']);
    expect(compiled.defects.map((d) => d.rule)).toEqual([
      'operation-without-client-error',
      'error-status-without-schema',
    ]);
  });
});

describe('compileSpec: external refs', async () => {
  const compiled = compileSpec(await loadSpec(fixture('external-root.yaml')));
  it('validates through bundled, circular refs and 4XX ranges', () => {
    const op = compiled.operations[0]!;
    expect(op.basePath).toBe('/v2');
    expect(op.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id']);
    const ok = compiled.validator(findResponse(op, 200)!.content[0]!.schemaPointer!);
    expect(ok.validate({ id: 'a', children: [{ id: 'b', children: [] }] })).toEqual([]);
    expect(ok.validate({ id: 'a', children: [{ id: 'b' }] })).toHaveLength(1);
    expect(findResponse(op, 404)?.status).toBe('4XX');
    expect(findResponse(op, 500)).toBeUndefined();
  });
});

describe('compileSpec: readOnly and writeOnly per direction', async () => {
  const specs = {
    '3.1': compileSpec(await loadSpec(fixture('read-write-only.yaml'))),
    '3.0': compileSpec(await loadSpec(fixture('read-write-only-30.yaml'))),
  };
  const user = {
    '3.1': { id: 'u1', name: 'Ada', password: 'secret', createdAt: '2024-01-01T00:00:00Z' },
    '3.0': { id: 1, name: 'Ada', password: 'secret' },
  };
  const without = (o: Record<string, unknown>, ...keys: string[]) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
  const pointers = (version: '3.1' | '3.0') => {
    const op = specs[version].index.byId.get('createUser')!;
    return {
      request: op.requestBody!.content[0]!.schemaPointer!,
      response: findResponse(op, 201)!.content[0]!.schemaPointer!,
    };
  };

  it.each([
    ['3.1', 'request', 'without the readOnly id', ['id'], []],
    ['3.1', 'request', 'without the readOnly-through-$ref createdAt', ['createdAt'], []],
    ['3.1', 'response', 'without the writeOnly password', ['password'], []],
    ['3.1', 'response', 'without the readOnly id', ['id'], ["must have required property 'id'"]],
    ['3.1', 'request', 'without the writeOnly password', ['password'], ["must have required property 'password'"]],
    ['3.1', 'response', 'complete', [], []],
    ['3.1', 'request', 'complete', [], []],
    ['3.0', 'request', 'without the readOnly (nullable) id', ['id'], []],
    ['3.0', 'response', 'without the writeOnly password', ['password'], []],
    ['3.0', 'response', 'without the readOnly id', ['id'], ["must have required property 'id'"]],
    ['3.0', 'request', 'without the writeOnly password', ['password'], ["must have required property 'password'"]],
    ['3.0', 'request', 'without name (neither flag)', ['name'], ["must have required property 'name'"]],
  ] as const)('OpenAPI %s: a %s %s', (version, direction, _name, omit, messages) => {
    const v = specs[version].validator(pointers(version)[direction], direction);
    expect(v.validate(without(user[version], ...omit)).map((x) => x.message)).toEqual(messages);
  });

  it('defaults to the response direction and names the spec pointer of a violation', () => {
    const { response } = pointers('3.1');
    const v = specs['3.1'].validator(response);
    expect(v).toBe(specs['3.1'].validator(response, 'response'));
    expect(v.validate(without(user['3.1'], 'password'))).toEqual([]);
    expect(v.validate(without(user['3.1'], 'id'))).toEqual([
      expect.objectContaining({ keyword: 'required', schemaPointer: '/components/schemas/User/required' }),
    ]);
  });

  it('applies the direction through arrays of a readOnly/writeOnly schema', () => {
    const list = specs['3.1'].index.byId.get('listUsers')!;
    const v = specs['3.1'].validator(findResponse(list, 200)!.content[0]!.schemaPointer!, 'response');
    expect(v.validate([without(user['3.1'], 'password')])).toEqual([]);
  });

  it('compiles one shared validator for schemas without readOnly/writeOnly', () => {
    const op = specs['3.1'].index.byId.get('createUser')!;
    const error = findResponse(op, 400)!.content[0]!.schemaPointer!;
    expect(specs['3.1'].validator(error, 'request')).toBe(specs['3.1'].validator(error, 'response'));
    const { request } = pointers('3.1');
    expect(specs['3.1'].validator(request, 'request')).not.toBe(specs['3.1'].validator(request, 'response'));
  });
});

describe('compileSpec: validators are compiled on first use', () => {
  it('compiles nothing up front, then each schema once, however often it is asked for', async () => {
    const { loadSpecFromText } = await import('./spec.js');
    const text = (await import('node:fs')).readFileSync(fixture('openapi30.yaml'), 'utf8');
    // A name of its own: the compiled-spec cache must not hand back another test's validators.
    const compiled = compileSpec(await loadSpecFromText(text, fixture('openapi30.yaml'), 'lazy-compile'));
    expect(compiled.compiledSchemas()).toEqual([]);
    const pointer = compiled.operations.flatMap((op) => op.responses.flatMap((r) => r.content))[0]!.schemaPointer!;
    const first = compiled.validator(pointer);
    expect(compiled.validator(pointer)).toBe(first);
    expect(compiled.compiledSchemas()).toEqual([pointer]);
  });
});

describe('the converted copy is filled on demand', () => {
  const thirdParty = [
    'node_modules/@scalar/galaxy/dist/latest.json',
    'node_modules/@readme/oas-examples/3.0/json/petstore.json',
    'node_modules/@readme/oas-examples/3.1/json/train-travel.json',
    'node_modules/@readme/oas-examples/3.1/json/schema-types.json',
    'test/fixtures/specs/openapi30.yaml',
    'test/fixtures/specs/read-write-only-30.yaml',
  ];

  it.each(thirdParty)('holds at every schema of %s what a whole-document conversion holds', async (file) => {
    const spec = await loadSpec(join(packageRoot, file));
    const { index } = compileSpec(spec);
    for (const direction of [undefined, 'request', 'response'] as const) {
      const whole = convertDocument(spec.document, spec.version, direction);
      const lazy = createConverter(spec.document, spec.version, direction);
      const pointers = schemaPointersOf(index.operations);
      expect(pointers.length).toBeGreaterThan(0);
      for (const pointer of pointers) {
        lazy.ensure(pointer);
        expect(getAtPointer(lazy.document, pointer), `${file} ${direction} ${pointer}`).toEqual(
          getAtPointer(whole.document, pointer),
        );
      }
    }
  });

  it('converts only the schema asked for and what its $refs reach', async () => {
    const spec = await loadSpecFromText(
      [
        'openapi: 3.0.3',
        'info: { title: t, version: "1" }',
        'paths: {}',
        'components:',
        '  schemas:',
        '    A: { type: object, properties: { b: { $ref: "#/components/schemas/B" } } }',
        '    B: { type: string, nullable: true, x-note: dropped }',
        '    Unrelated: { type: integer }',
        '  examples:',
        '    E: { value: { $ref: "#/components/schemas/Unrelated" } }',
      ].join('\n'),
      'reach.yaml',
      'reach',
    );
    const lazy = createConverter(spec.document, spec.version);
    expect(lazy.empty).toBe(true);
    lazy.ensure('/components/schemas/A');
    expect(Object.keys((lazy.document.components as { schemas: object }).schemas)).toEqual(['A', 'B']);
    expect(getAtPointer(lazy.document, '/components/schemas/B')).toEqual({ type: ['string', 'null'] });
    expect(lazy.document.paths).toBeUndefined();
    lazy.ensureAll();
    expect(lazy.document.paths).toEqual({});
    expect(getAtPointer(lazy.document, '/components/schemas/Unrelated')).toEqual({ type: 'integer' });
    expect(getAtPointer(lazy.document, '/components/examples')).toBeUndefined();
  });

  it('resolves a $dynamicRef to an anchor of the copy, though AJV saw the copy empty when it was registered', async () => {
    const spec = await loadSpecFromText(
      [
        'openapi: 3.1.0',
        'info: { title: t, version: "1" }',
        'paths:',
        '  /tree:',
        '    get:',
        '      responses:',
        "        '200':",
        '          description: ok',
        '          content:',
        '            application/json:',
        '              schema: { $ref: "#/components/schemas/Tree" }',
        'components:',
        '  schemas:',
        '    Tree:',
        '      $dynamicAnchor: node',
        '      type: object',
        '      required: [value]',
        '      properties:',
        '        value: { type: integer }',
        '        children: { type: array, items: { $dynamicRef: "#node" } }',
      ].join('\n'),
      'dynamic.yaml',
      'dynamic-anchor',
    );
    const compiled = compileSpec(spec);
    const v = compiled.validator(compiled.operations[0]!.responses[0]!.content[0]!.schemaPointer!);
    expect(v.validate({ value: 1, children: [{ value: 2, children: [] }] })).toEqual([]);
    expect(v.validate({ value: 1, children: [{ children: [] }] }).map((x) => x.keyword)).toEqual(['required']);
  });

  it('lists the whole spec’s unknown formats and defects even after compiling only part of it', async () => {
    const spec = await loadSpecFromText(
      [
        'openapi: 3.1.0',
        'info: { title: t, version: "1" }',
        'paths:',
        '  /a:',
        '    get:',
        '      parameters: [{ name: q, in: query, schema: { type: string, format: first-made-up } }]',
        "      responses: { '200': { description: ok }, '400': { description: bad } }",
        '  /b:',
        '    get:',
        '      parameters: [{ name: q, in: query, schema: { type: string, format: second-made-up, nullable: true } }]',
        "      responses: { '200': { description: ok }, '400': { description: bad } }",
      ].join('\n'),
      'facts.yaml',
      'facts-after-compile',
    );
    const compiled = compileSpec(spec);
    compiled.validator(compiled.operations[0]!.parameters[0]!.schemaPointer!, 'request');
    expect(compiled.unknownFormats).toEqual(['first-made-up', 'second-made-up']);
    expect(compiled.defects.filter((d) => d.rule === 'nullable-in-openapi-3.1').map((d) => d.pointer)).toEqual([
      '/paths/~1b/get/parameters/0/schema/nullable',
    ]);
    // The format learnt from the whole spec is known to the validators too (anything goes).
    const b = compiled.validator(compiled.operations[1]!.parameters[0]!.schemaPointer!, 'request');
    expect(b.validate('anything')).toEqual([]);
    expect(b.validate(null)).toEqual([]);
  });
});

describe('schemas written alike share one compiled function', () => {
  it('and each violation still names the place of its own schema', async () => {
    const spec = await loadSpecFromText(
      [
        'openapi: 3.0.3',
        'info: { title: t, version: "1" }',
        'paths:',
        '  /a:',
        '    get:',
        '      parameters:',
        '        - { name: p, in: query, schema: { type: object, properties: { n: { type: integer, nullable: true } } } }',
        '        - { name: q, in: query, schema: { type: object, properties: { n: { type: integer, nullable: true } } } }',
        '        - { name: r, in: query, schema: { type: object, properties: { n: { type: string } } } }',
        "      responses: { '200': { description: ok } }",
      ].join('\n'),
      'twins.yaml',
      'twins',
    );
    const compiled = compileSpec(spec);
    const [p, q, r] = compiled.operations[0]!.parameters.map((x) => compiled.validator(x.schemaPointer!, 'request'));
    const bad = { n: 'x' };
    expect(p!.validate(bad).map((v) => v.schemaPointer)).toEqual([
      '/paths/~1a/get/parameters/0/schema/properties/n/type',
    ]);
    expect(q!.validate(bad).map((v) => v.schemaPointer)).toEqual([
      '/paths/~1a/get/parameters/1/schema/properties/n/type',
    ]);
    expect(q!.validate({ n: null })).toEqual([]);
    expect(r!.validate(bad)).toEqual([]);
    expect(r!.validate({ n: 1 }).map((v) => v.schemaPointer)).toEqual([
      '/paths/~1a/get/parameters/2/schema/properties/n/type',
    ]);
    expect(compiled.compiledSchemas()).toHaveLength(3);
  });
});
