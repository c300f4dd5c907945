import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunOptions, prepareConformance } from '../../conformance/engine/run.js';
import { selectedSchemaPointers } from '../../conformance/test-helpers.js';
import { packageRoot } from '../../core/paths.js';
import { schemaPointersOf } from '../../core/validators.js';

const github = join(packageRoot, 'node_modules/@octokit/openapi/generated/api.github.com.json');

/** GitHub's 13 MB, 1,223-operation spec: a --tag run compiles the schemas of its operations, and no others. */
describe("--tag on GitHub's spec", () => {
  it('compiles only the issues operations’ schemas, a small share of the spec’s', async () => {
    const prepared = await prepareConformance({
      specs: [github],
      target: 'http://127.0.0.1:9',
      credentials: new Map(),
      params: new Map(),
      allowDestructive: false,
      ...defaultRunOptions,
      tags: ['issues'],
    });
    const { compiled } = prepared.plans[0]!;
    const selected = compiled.operations.filter((op) => op.tags.includes('issues'));
    const allowed = selectedSchemaPointers(compiled, selected);
    const done = compiled.compiledSchemas();
    expect(selected.length).toBeGreaterThan(40);
    expect(done.length).toBeGreaterThan(0);
    expect(done.filter((p) => !allowed.has(p))).toEqual([]);
    const total = schemaPointersOf(compiled.operations).length;
    expect(done.length).toBeLessThan(total / 10);
  }, 120_000);
});
