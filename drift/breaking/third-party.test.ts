import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { loadSpec } from '../../core/spec.js';
import { compareSpecs } from './compare.js';

/**
 * Specs nobody here wrote: ReadMe's OpenAPI examples (3.0 and 3.1, every feature the format has: callbacks,
 * webhooks, discriminators, parameter styles, security) and Scalar's Galaxy. A spec against itself is no change;
 * the same example written in 3.0 and in 3.1 is compared without an error.
 */
const examples = join(packageRoot, 'node_modules/@readme/oas-examples');
const files = (version: string) =>
  readdirSync(join(examples, version, 'yaml'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(examples, version, 'yaml', f));
const loadable = async (file: string) => loadSpec(file).catch(() => undefined);

describe('third-party specs', () => {
  it('finds no change between any of them and itself', async () => {
    const all = [...files('3.0'), ...files('3.1'), join(packageRoot, 'node_modules/@scalar/galaxy/dist/3.1.yaml')];
    let compared = 0;
    for (const file of all) {
      const spec = await loadable(file);
      if (!spec) continue;
      compared += 1;
      expect(compareSpecs(spec, spec), file).toEqual([]);
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('compares each example written in 3.0 with its 3.1 version without an error', async () => {
    const newer = new Set(files('3.1').map((f) => f.split('/').pop()));
    let compared = 0;
    for (const file of files('3.0')) {
      const name = file.split('/').pop() ?? '';
      if (!newer.has(name)) continue;
      const before = await loadable(file);
      const after = await loadable(join(examples, '3.1', 'yaml', name));
      if (!before || !after) continue;
      compared += 1;
      const changes = compareSpecs(before, after);
      for (const change of changes) expect(change.pointer.startsWith('/'), `${name}: ${change.pointer}`).toBe(true);
    }
    expect(compared).toBeGreaterThan(5);
  });
});
