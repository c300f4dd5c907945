import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundledSpecNames, packageRoot, upstreamSpecFile } from '../core/paths.js';

/** The published contracts are kept byte for byte, and the working contracts only ever add to them. */

const seedsDir = join(packageRoot, '..', 'shared', 'seeds');
const seeds: Record<string, string> = {
  stackone: '000_9014f02a4383f9ee.txt',
  smithery: '002_265a3b83b4737716.txt',
  langsmith: '003_dada2f1aa47e6a60.txt',
};

type Doc = Record<string, unknown> & {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, Record<string, unknown>>;
};
const load = (file: string): Doc => {
  const doc = parse(readFileSync(file, 'utf8')) as Doc;
  return { ...doc, paths: doc.paths ?? {}, components: doc.components ?? {} };
};

describe.each(bundledSpecNames)('%s', (name) => {
  const upstream = load(upstreamSpecFile(name));
  const working = load(join(packageRoot, 'specs', `${name}.yaml`));

  it.skipIf(!existsSync(seedsDir))('specs/upstream holds the YAML of the seed byte for byte', () => {
    const seed = readFileSync(join(seedsDir, seeds[name]!), 'utf8');
    const fenced = /^````yaml[^\n]*\n([\s\S]*?)^````/m.exec(seed)?.[1];
    expect(fenced).toBeDefined();
    expect(readFileSync(upstreamSpecFile(name), 'utf8')).toBe(fenced);
  });

  const upstreamOperations = Object.entries(upstream.paths).flatMap(([path, item]) =>
    Object.keys(item as object).map((method) => [path, method] as const),
  );

  it.each(upstreamOperations)('keeps %s %s unchanged: parameters, responses, security and the rest', (path, method) => {
    const up = upstream.paths[path]![method]!;
    const wk = working.paths[path]![method]!;
    expect(wk).toBeDefined();
    for (const [key, value] of Object.entries(up)) {
      if (key === 'responses') {
        for (const [status, response] of Object.entries(value as object)) {
          expect(wk.responses, `${method} ${path} response ${status}`).toHaveProperty([status]);
          expect((wk.responses as Record<string, unknown>)[status], `${method} ${path} response ${status}`).toEqual(
            response,
          );
        }
      } else {
        expect(wk[key], `${method} ${path} ${key}`).toEqual(value);
      }
    }
  });

  const upstreamComponents = Object.entries(upstream.components).flatMap(([kind, entries]) =>
    Object.keys(entries as object).map((entry) => [kind, entry] as const),
  );

  it.each(upstreamComponents)('keeps component %s/%s unchanged', (kind, entry) => {
    const up = upstream.components[kind]![entry];
    expect(working.components[kind]?.[entry]).toEqual(up);
  });

  it('keeps the document-level fields unchanged', () => {
    for (const key of ['openapi', 'info', 'servers', 'security', 'tags']) {
      expect(working[key], key).toEqual(upstream[key]);
    }
  });
});

describe('working-contract additions are marked with x-source', () => {
  it('StackOne POST /mcp was authored from the docs page', () => {
    const working = load(join(packageRoot, 'specs', 'stackone.yaml'));
    const post = working.paths['/mcp']!.post!;
    expect(post['x-source']).toBeDefined();
  });

  it('Smithery 401 is a marked spec-gap fill', () => {
    const working = load(join(packageRoot, 'specs', 'smithery.yaml'));
    const op = working.paths['/connect/{namespace}/{connectionId}']!.delete!;
    expect((op.responses as Record<string, Record<string, unknown>>)['401']?.['x-source']).toMatch(/spec-gap/);
  });
});
