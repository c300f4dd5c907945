import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';

/** ARCHITECTURE.md's import table, held against the code (tests excepted: they may import anything). */
const allowed: Record<string, string[]> = {
  core: [],
  generated: [],
  codegen: ['core'],
  lint: ['core'],
  mock: ['core', 'generated'],
  conformance: ['core'],
  drift: ['core', 'codegen', 'lint', 'conformance', 'mock'],
  cli: ['core', 'codegen', 'lint', 'conformance', 'mock', 'drift', 'generated'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const imports = Object.keys(allowed).flatMap((folder) =>
  sourceFiles(join(packageRoot, folder))
    .filter((file) => !/\/(testing|test-helpers)[./]/.test(file))
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => {
        const target = relative(packageRoot, resolve(dirname(file), m[1]!)).split('/')[0]!;
        return { folder, file: relative(packageRoot, file), target };
      }),
    ),
);

describe('ARCHITECTURE.md: who may import whom', () => {
  it('finds the imports it checks', () => {
    expect(imports.length).toBeGreaterThan(100);
  });

  it.each(Object.keys(allowed))('%s/ imports only what the table allows', (folder) => {
    const wrong = imports
      .filter((i) => i.folder === folder && i.target !== folder && !allowed[folder]!.includes(i.target))
      .map((i) => `${i.file} → ${i.target}/`);
    expect(wrong).toEqual([]);
  });

  it('generated/ imports nothing but types', () => {
    const generated = sourceFiles(join(packageRoot, 'generated')).map((f) => readFileSync(f, 'utf8'));
    for (const text of generated) expect(text).not.toMatch(/^import (?!type )/m);
  });
});
