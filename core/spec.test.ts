import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolError } from './errors.js';
import { getAtPointer } from './json-pointer.js';
import { packageRoot } from './paths.js';
import { expandedNodes, fastYaml, loadSpec, loadSpecFromText } from './spec.js';

const fixture = (name: string) => join(packageRoot, 'test', 'fixtures', 'specs', name);

async function loadError(ref: string): Promise<ToolError> {
  try {
    await loadSpec(ref);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return error as ToolError;
  }
  throw new Error(`expected ${ref} to fail`);
}

describe('loadSpec', () => {
  it.each([
    ['stackone', '3.1', ''],
    ['smithery', '3.1', ''],
    ['langsmith', '3.1', ''],
  ])('loads the bundled spec %s', async (name, version) => {
    const spec = await loadSpec(name);
    expect(spec.name).toBe(name);
    expect(spec.version).toBe(version);
    expect(spec.document.paths).toBeTypeOf('object');
  });

  it.each([
    ['a missing file', 'no-such-spec.yaml', 'MCPC_SPEC_NOT_FOUND', /no-such-spec\.yaml.*not found/],
    [
      'invalid YAML, with line and column',
      fixture('invalid-yaml.yaml'),
      'MCPC_SPEC_PARSE',
      /invalid-yaml\.yaml:9:1: invalid YAML/,
    ],
    ['a Swagger 2.0 document', fixture('swagger2.yaml'), 'MCPC_SPEC_VERSION', /Swagger 2\.0 document/],
    [
      'an unresolvable internal $ref',
      fixture('missing-ref.yaml'),
      'MCPC_SPEC_REF',
      /missing-ref\.yaml:12:17: \$ref '#\/components\/schemas\/Nope'/,
    ],
    ['an unresolvable external $ref', fixture('external-missing.yaml'), 'MCPC_SPEC_REF', /a \$ref cannot be resolved/],
    ['a document that is not a mapping', fixture('not-a-mapping.yaml'), 'MCPC_SPEC_INVALID', /not a mapping/],
    ['a directory', join(packageRoot, 'specs'), 'MCPC_SPEC_NOT_FOUND', /is a directory/],
  ])('rejects %s with a one-line coded error', async (_what, ref, code, message) => {
    const error = await loadError(ref);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.toLine()).not.toContain('\n');
    expect(error.hint).toBeTruthy();
  });

  it('bundles external $refs and tolerates circular ones', async () => {
    const spec = await loadSpec(fixture('external-root.yaml'));
    const json = JSON.stringify(spec.document);
    expect(json).not.toContain('external-parts.yaml');
    expect(spec.name).toBe('external-root');
  });

  it('keeps $ref keys inside example values as literal data, bundling only the real references', async () => {
    const spec = await loadSpec(fixture('literal-example-refs.yaml'));
    const at = (pointer: string) => getAtPointer(spec.document, pointer);
    const media = '/paths/~1stats/get/responses/200/content/application~1json';
    const errorSchema = '/paths/~1stats/get/responses/4XX/content/application~1json/schema';
    // The real external reference was bundled …
    expect(JSON.stringify(spec.document)).not.toContain('external-parts.yaml');
    // … and every example value is exactly as written, its `$ref` keys untouched.
    expect(at(`${media}/example`)).toEqual({ $ref: 'no-such-file.yaml', title: 'inline' });
    expect(at(`${media}/examples/named`)).toEqual({ $ref: '#/components/examples/stats' });
    expect(at(`${media}/examples/inline/value/nested`)).toEqual([{ $ref: '#/nowhere/at/all' }]);
    expect(at('/components/examples/stats/value')).toEqual([
      { packages_stats: { $ref: 'server-statistics-packages.yaml' } },
    ]);
    expect(at(`${errorSchema}/examples`)).toEqual([{ $ref: 'server-statistics-packages.yaml' }]);
    expect(at(`${errorSchema}/x-examples`)).toEqual({ broken: { $ref: './missing.yaml' } });
  });

  it('still checks a $ref under a property named `example` (a schema, not data)', async () => {
    const text = (await import('node:fs')).readFileSync(fixture('literal-example-refs.yaml'), 'utf8');
    const broken = text.replace('#/components/schemas/Detail', '#/components/schemas/Nope');
    const error = await loadSpecFromText(broken, fixture('literal-example-refs.yaml'), 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toMatch(/\$ref '#\/components\/schemas\/Nope'/);
  });

  it('reads OpenAPI 3.0 documents', async () => {
    const spec = await loadSpec(fixture('openapi30.yaml'));
    expect(spec.version).toBe('3.0');
  });

  it('locates a JSON pointer at its line and column', async () => {
    const spec = await loadSpec('stackone');
    const loc = spec.locate('/paths/~1mcp/delete/security/1/ApiKey');
    expect(spec.source.split('\n')[(loc?.line ?? 0) - 1]).toContain('ApiKey');
  });

  describe('JSON text', () => {
    const json = (paths: string) =>
      `{\n  "openapi": "3.1.0",\n  "info": {"title": "t", "version": "1"},\n  "paths": {${paths}}\n}\n`;
    const op = '"/a": {"get": {"description": "says \\"x\\": y", "responses": {"200": {"description": "ok"}}}}';

    it('is read as written, key-like text inside strings included, and still locates pointers', async () => {
      const source = json(op);
      const spec = await loadSpecFromText(source, '/virtual/a.json', 'json-ok');
      expect(getAtPointer(spec.document, '/paths/~1a/get/description')).toBe('says "x": y');
      expect(spec.locate('/paths/~1a/get/responses')).toEqual({ line: 4, column: expect.any(Number) });
    });

    it('with a syntax error names its line and column', async () => {
      const error = await loadSpecFromText(json(`${op} "oops": 1`), '/virtual/b.json', 'json-bad').catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ToolError);
      expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
      expect((error as ToolError).message).toMatch(/^\/virtual\/b\.json:4:\d+: invalid JSON/);
    });

    it('with a key given twice is refused, as in YAML (JSON.parse alone would keep the last)', async () => {
      const twice = '"/a": {"get": {"responses": {"200": {"description": "ok"}}}}, "/a": {}';
      const error = await loadSpecFromText(json(twice), '/virtual/c.json', 'json-dup').catch((e: unknown) => e);
      expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
      expect((error as ToolError).message).toMatch(/c\.json:4:\d+: .*"\/a" is given twice .*map keys must be unique/);
    });

    it('counts keys right past escaped quotes and backslashes, and refuses a key given twice inside an example', async () => {
      const tricky =
        '"/a": {"get": {"description": "C:\\\\", "summary": "\\"q\\":", "responses": {"200": {"description": "ok"}}}}';
      const fine = await loadSpecFromText(json(tricky), '/virtual/d.json', 'json-escapes');
      expect(getAtPointer(fine.document, '/paths/~1a/get/description')).toBe('C:\\');
      expect(getAtPointer(fine.document, '/paths/~1a/get/summary')).toBe('"q":');
      const inExample =
        '"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"example": {"k": 1, "k": 2}}}}}}}';
      const error = await loadSpecFromText(json(inExample), '/virtual/e.json', 'json-dup-example').catch(
        (e: unknown) => e,
      );
      expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
      expect((error as ToolError).message).toMatch(/e\.json:4:\d+: .*"k" is given twice .*map keys must be unique/);
    });

    it('names the line and column of a $ref that points to nothing', async () => {
      const broken = '"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}';
      const error = await loadSpecFromText(json(broken), '/virtual/f.json', 'json-ref').catch((e: unknown) => e);
      expect((error as ToolError).code).toBe('MCPC_SPEC_REF');
      expect((error as ToolError).message).toMatch(/^\/virtual\/f\.json:4:\d+: \$ref '#\/components\/responses\/Nope'/);
    });

    // The reviewer's case: `"type": "User", oops` is a YAML flow map, so a YAML reading accepted it and changed the data.
    it.each([
      [
        'a bare word after a value',
        '{\n  "openapi": "3.1.0",\n  "info": {"title": "User", oops},\n  "paths": {}\n}',
        3,
        29,
        /Expected double-quoted property name/,
      ],
      [
        'an unquoted value (Node names no position)',
        '{\n  "openapi": "3.1.0",\n  "info": {"title": t, "version": "1"}\n}',
        3,
        21,
        /Unexpected token 't'$/,
      ],
      ['a trailing comma', '{\n  "openapi": "3.1.0",\n  "paths": {},\n}', 4, 1, /Expected double-quoted property name/],
      [
        'a text cut short',
        '{\n  "openapi": "3.1.0",\n  "paths": {',
        3,
        13,
        /:3:13: invalid JSON: Expected property name or '}'/,
      ],
      ['a comment', '{\n  // note\n  "openapi": "3.1.0"\n}', 2, 3, /Expected property name or '}'/],
    ])(
      'refuses %s in a .json file as JSON, with its line and column, never reading it as YAML',
      async (_what, text, line, column, reason) => {
        const error = await loadSpecFromText(text, '/virtual/g.json', 'json-strict').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ToolError);
        expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
        const [first] = (error as ToolError).message.split(': invalid JSON: ');
        expect(first).toBe(`/virtual/g.json:${line}:${column}`);
        expect((error as ToolError).message).toMatch(reason);
      },
    );

    it('reads JSON text by its first character when the file has no YAML name, and as YAML when it has one', async () => {
      const flow = '{ openapi: 3.1.0, info: {title: t, version: "1"}, paths: {} }';
      // A `.yaml` file may be a YAML flow map that JSON.parse refuses: it is YAML.
      const yamlSpec = await loadSpecFromText(flow, '/virtual/flow.yaml', 'flow-yaml');
      expect(yamlSpec.document.info).toEqual({ title: 't', version: '1' });
      // The same text with no extension (or `.json`) starts with `{`: JSON only.
      for (const file of ['/virtual/flow', '/virtual/flow.json']) {
        const error = await loadSpecFromText(flow, file, 'flow-json').catch((e: unknown) => e);
        expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
        expect((error as ToolError).message).toContain(`${file}:1:3: invalid JSON`);
      }
    });

    it('reads a JSON file that starts with a byte order mark, and counts columns past it', async () => {
      const spec = await loadSpecFromText(`\uFEFF${json(op)}`, '/virtual/bom.json', 'json-bom');
      expect(getAtPointer(spec.document, '/paths/~1a/get/description')).toBe('says "x": y');
      const error = await loadSpecFromText('\uFEFF{"openapi": x}', '/virtual/bom2.json', 'json-bom-bad').catch(
        (e: unknown) => e,
      );
      expect((error as ToolError).message).toContain('/virtual/bom2.json:1:14: invalid JSON');
    });

    it('reads a file as UTF-8 whether or not it is pure ASCII', async () => {
      const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const dir = mkdtempSync(join(tmpdir(), 'mcpc-spec-text-'));
      try {
        for (const [name, title] of [
          ['ascii', 'plain'],
          ['unicode', 'Grüße, 世界 — ✓ 🚀'],
        ]) {
          const file = join(dir, `${name}.json`);
          writeFileSync(file, json('').replace('"title": "t"', `"title": ${JSON.stringify(title)}`));
          const spec = await loadSpec(file);
          expect(getAtPointer(spec.document, '/info/title')).toBe(title);
          expect(spec.source).toBe((await import('node:fs')).readFileSync(file, 'utf8'));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('YAML anchors, aliases and merge keys', () => {
    const spec = (extra: string, ops: number) =>
      [
        'openapi: 3.0.3',
        'info: {title: t, version: "1"}',
        'x-shared:',
        '  errors: &errs',
        "    '400': {description: bad}",
        "    '404': {description: missing}",
        extra,
        'paths:',
        ...Array.from({ length: ops }, (_, i) =>
          [
            `  /r${i}:`,
            '    get:',
            '      responses:',
            "        '200': {description: ok}",
            '        <<: *errs',
            '    delete:',
            '      responses: *errs',
          ].join('\n'),
        ),
      ].join('\n');

    it('merges `<<: *anchor` into the map (the merged statuses are documented) and locates them where written', async () => {
      const loaded = await loadSpecFromText(spec('', 1), '/virtual/merge.yaml', 'merge');
      expect(Object.keys(getAtPointer(loaded.document, '/paths/~1r0/get/responses') as object)).toEqual([
        '200',
        '400',
        '404',
      ]);
      expect(loaded.locate('/paths/~1r0/get/responses/404')).toEqual({ line: 6, column: 5 });
      // A key written next to the merge wins over the merged one, as YAML says.
      const own = spec('', 1).replace("'200': {description: ok}", "'404': {description: own}");
      const ownLoaded = await loadSpecFromText(own, '/virtual/merge-own.yaml', 'merge-own');
      expect(getAtPointer(ownLoaded.document, '/paths/~1r0/get/responses/404/description')).toBe('own');
    });

    it('loads a spec with 2,400 aliases (the yaml library refused past ~1,000)', async () => {
      const loaded = await loadSpecFromText(spec('', 1200), '/virtual/many.yaml', 'many-aliases');
      expect(Object.keys(loaded.document.paths ?? {})).toHaveLength(1200);
      expect(getAtPointer(loaded.document, '/paths/~1r1199/delete/responses/400/description')).toBe('bad');
    });

    it('reads aliases as the yaml library does: an anchor name given twice, anchors inside anchors, merges of lists', async () => {
      const { parse } = await import('yaml');
      const text = [
        'openapi: 3.0.3',
        'info: {title: t, version: "1"}',
        'x-a: &n {v: first}',
        'x-b: *n',
        'x-c: &n {v: second, inner: &i [1, 2]}',
        'x-d: *n',
        'x-e: *i',
        'x-f: {<<: [*n, {w: 1}], v: own}',
        'x-g: &outer {self: 1, list: [*n]}',
        'x-h: {<<: *outer, extra: true}',
        'paths: {}',
      ].join('\n');
      const loaded = await loadSpecFromText(text, '/virtual/anchors.yaml', 'anchors');
      expect(loaded.document).toEqual(parse(text, { merge: true, maxAliasCount: -1 }));
      expect(getAtPointer(loaded.document, '/x-b/v')).toBe('first');
      expect(getAtPointer(loaded.document, '/x-d/v')).toBe('second');
      expect(getAtPointer(loaded.document, '/x-f')).toEqual({ v: 'own', inner: [1, 2], w: 1 });
    });

    it('refuses a billion-laughs document with a coded error naming the alias, quickly', async () => {
      const laughs = ['  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i < 10; i++)
        laughs.push(
          `  a${i}: &a${i} [${Array(10)
            .fill(`*a${i - 1}`)
            .join(', ')}]`,
        );
      const bomb = spec(['x-laughs:', ...laughs].join('\n'), 1);
      const started = Date.now();
      const error = await loadSpecFromText(bomb, '/virtual/bomb.yaml', 'bomb').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(error).toBeInstanceOf(ToolError);
      expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
      expect((error as ToolError).message).toMatch(
        /^\/virtual\/bomb\.yaml:\d+:\d+: the YAML aliases expand to more than 10,000,000 nodes by \*a\d/,
      );
    });

    it('refuses an alias to no anchor with a coded error, not an internal one', async () => {
      const error = await loadSpecFromText(
        spec('', 1).replace('<<: *errs', '<<: *nope'),
        '/virtual/u.yaml',
        'unresolved',
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolError);
      expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
    });
  });

  describe('YAML read by js-yaml, as the yaml library reads it', () => {
    /** Every YAML OpenAPI document the installed packages ship (ReadMe's examples, Galaxy, Redocly's Rebilly…) and ours. */
    const corpus = execFileSync(
      'find',
      [
        join(packageRoot, 'specs'),
        join(packageRoot, 'test', 'fixtures'),
        join(packageRoot, 'node_modules', '@readme', 'oas-examples'),
        join(packageRoot, 'node_modules', '@scalar', 'galaxy'),
        join(packageRoot, 'node_modules', '@redocly', 'openapi-core', 'src', 'benchmark'),
        '-name',
        '*.yaml',
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .filter((file) => /^(openapi|swagger):/m.test(readFileSync(file, 'utf8')));

    it('gives the same document as the yaml library for every YAML spec installed here', async () => {
      const { parseDocument } = await import('yaml');
      expect(corpus.length).toBeGreaterThan(50);
      let compared = 0;
      for (const file of corpus) {
        const text = readFileSync(file, 'utf8');
        const theirs = parseDocument(text, { uniqueKeys: true, merge: true });
        if (theirs.errors.length > 0) continue;
        // Read by js-yaml itself (not handed on to the yaml library), and the same value.
        const ours = fastYaml(text);
        expect(ours, file).toBeDefined();
        expect(ours, file).toEqual(theirs.toJS({ maxAliasCount: -1 }));
        compared++;
      }
      expect(compared).toBeGreaterThan(50);
    });

    it('reads a property named null as "null", as Spectral does (the yaml library made it "")', async () => {
      const text = [
        'openapi: 3.1.0',
        'info: {title: t, version: "1"}',
        'paths: {}',
        'components:',
        '  schemas:',
        '    Thing:',
        '      properties:',
        '        null: {type: string}',
        '        ok: {type: string}',
      ].join('\n');
      const loaded = await loadSpecFromText(text, '/virtual/null-key.yaml', 'null-key');
      expect(Object.keys(getAtPointer(loaded.document, '/components/schemas/Thing/properties') as object)).toEqual([
        'null',
        'ok',
      ]);
      // The same key where something else in the file sends it to the yaml library (a tag js-yaml does not know):
      // still "null", so an unrelated line cannot rename it (a false breaking change in `diff`).
      const tagged = `${text}\nx-logo: !!binary aGVsbG8=`;
      expect(fastYaml(tagged)).toBeUndefined();
      const viaYaml = await loadSpecFromText(tagged, '/virtual/null-key-tagged.yaml', 'null-key-tagged');
      expect(Object.keys(getAtPointer(viaYaml.document, '/components/schemas/Thing/properties') as object)).toEqual([
        'null',
        'ok',
      ]);
      expect(viaYaml.locate('/components/schemas/Thing/properties/null')).toEqual({ line: 8, column: 9 });
    });

    it('a %YAML 1.1 document is read by 1.1’s rules (yes is true, 0755 octal), as before', async () => {
      const text =
        '%YAML 1.1\n---\nopenapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\nx-flags: [yes, no]\nx-mode: 0755\n';
      expect(fastYaml(text)).toBeUndefined();
      const loaded = await loadSpecFromText(text, '/virtual/v11.yaml', 'v11');
      expect(loaded.document['x-flags']).toEqual([true, false]);
      expect(loaded.document['x-mode']).toBe(493);
    });

    it('merges of a big map into many maps: refused quickly with the coded alias error, not gigabytes of copies', async () => {
      const keys = Array.from({ length: 4000 }, (_, i) => `k${i}: ${i}`).join(', ');
      const maps = Array.from({ length: 4000 }, (_, i) => `  m${i}: {<<: *b}`).join('\n');
      const text = `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-base: &b {${keys}}\nx-maps:\n${maps}\n`;
      const started = Date.now();
      const error = await loadSpecFromText(text, '/virtual/merge-bomb.yaml', 'merge-bomb').catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(8000);
      expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
      expect((error as ToolError).message).toMatch(/expand to more than 10,000,000 nodes by \*b/);
    });

    it('what js-yaml refuses or cannot say goes to the yaml library: nesting past 100 loads, a duplicate key is worded with its line', async () => {
      const deep = `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-deep: ${'['.repeat(150)}1${']'.repeat(150)}\n`;
      const loaded = await loadSpecFromText(deep, '/virtual/deep.yaml', 'deep');
      let node = loaded.document['x-deep'];
      let depth = 0;
      while (Array.isArray(node)) {
        node = node[0];
        depth++;
      }
      expect(depth).toBe(150);
      const duplicate = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\npaths: {}\n';
      const error = await loadSpecFromText(duplicate, '/virtual/dup.yaml', 'dup').catch((e: unknown) => e);
      expect((error as ToolError).code).toBe('MCPC_SPEC_PARSE');
      expect((error as ToolError).message).toMatch(/^\/virtual\/dup\.yaml:4:1: invalid YAML: Map keys must be unique/);
    });

    it('expandedNodes counts a shared object each time it is reached, a cycle once, and stops past the limit', () => {
      const leaf = { a: 1, b: 2 }; // 1 + 2 keys + 2 values = 5
      expect(expandedNodes(leaf, 1e9)).toBe(5);
      expect(expandedNodes([leaf, leaf, leaf], 1e9)).toBe(1 + 3 * 5);
      const loop: unknown[] = [1];
      loop.push(loop);
      expect(expandedNodes(loop, 1e9)).toBe(3);
      let bomb: unknown = ['lol'];
      for (let i = 0; i < 40; i++) bomb = [bomb, bomb];
      expect(expandedNodes(bomb, 1000)).toBeGreaterThan(1000);
      expect(expandedNodes(bomb, 1000)).toBeLessThan(1e6);
    });
  });
});
