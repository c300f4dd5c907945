import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isToolError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { schemaPointersOf } from '../../core/validators.js';
import { selectedSchemaPointers } from '../test-helpers.js';
import { defaultRunOptions, prepareConformance } from './run.js';

const galaxy = join(packageRoot, 'node_modules/@scalar/galaxy/dist/latest.json');
const base = {
  target: 'http://127.0.0.1:4010',
  credentials: new Map<string, string>(),
  params: new Map<string, string>(),
  allowDestructive: false,
  ...defaultRunOptions,
};

describe('a selection pays only for what it selects', () => {
  it('--tag compiles the schemas of the tagged operations and no others (Scalar Galaxy)', async () => {
    const prepared = await prepareConformance({ ...base, specs: [galaxy], tags: ['Authentication'] });
    const { compiled } = prepared.plans[0]!;
    const selected = compiled.operations.filter((op) => op.tags.includes('Authentication'));
    const allowed = selectedSchemaPointers(compiled, selected);
    const done = compiled.compiledSchemas();
    expect(done.length).toBeGreaterThan(0);
    expect(done.filter((p) => !allowed.has(p))).toEqual([]);
    // The rest of the spec is left alone: Galaxy has more schemas than the three operations use.
    expect(schemaPointersOf(compiled.operations).length).toBeGreaterThan(done.length);
  });

  it('plans the same requests for an operation whether it is selected alone or with the whole spec (one --seed replays)', async () => {
    const whole = await prepareConformance({ ...base, specs: [galaxy], seed: 11 });
    const requestsOf = (cases: Array<{ id: string; request: unknown }>, id: (s: string) => boolean) =>
      cases.filter((c) => id(c.id)).map((c) => JSON.stringify([c.id, c.request]));
    const operations = [...whole.plans[0]!.operations.keys()].filter((op) => op.parameters.length > 0).slice(0, 3);
    expect(operations.length).toBe(3);
    for (const op of operations) {
      const alone = await prepareConformance({ ...base, specs: [galaxy], seed: 11, operations: [op.operationId] });
      // A lifecycle needs the operation that creates (not selected here): every other case must be the same.
      const mine = (id: string) =>
        id.startsWith(`${whole.plans[0]!.compiled.spec.name}:${op.operationId}:`) && !id.includes(':lifecycle');
      const planned = requestsOf(alone.plans[0]!.cases, mine);
      expect(planned.length).toBeGreaterThan(2);
      expect(planned).toEqual(requestsOf(whole.plans[0]!.cases, mine));
    }
    // And the seed matters: another seed draws other made-up values somewhere.
    const other = await prepareConformance({ ...base, specs: [galaxy], seed: 12 });
    expect(requestsOf(other.plans[0]!.cases, () => true)).not.toEqual(requestsOf(whole.plans[0]!.cases, () => true));
  });

  it("an unknown --tag names the nearest tag the spec has ('planet' → 'Planets'), and a far one names none", async () => {
    const attempt = (tag: string) =>
      prepareConformance({ ...base, specs: [galaxy], tags: [tag] }).then(
        () => undefined,
        (error: unknown) => (isToolError(error) ? error.message : String(error)),
      );
    expect(await attempt('planet')).toBe("--tag 'planet' matches no operation: did you mean 'Planets'?");
    expect(await attempt('zzzzzzzzzzzz')).toBe("--tag 'zzzzzzzzzzzz' matches no operation");
  });

  describe('a schema that cannot be compiled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpc-selection-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'openapi: 3.1.0',
        'info: { title: t, version: "1" }',
        'paths:',
        '  /fine:',
        '    get:',
        '      tags: [fine]',
        '      parameters:',
        '        - { name: q, in: query, schema: { type: string } }',
        '      responses:',
        "        '200': { description: ok }",
        '  /broken:',
        '    get:',
        '      tags: [broken]',
        '      parameters:',
        '        - name: q',
        '          in: query',
        '          schema: { type: strnig }',
        '      responses:',
        "        '200': { description: ok }",
        '',
      ].join('\n'),
    );

    it('is not compiled, and does not stop the run, when its operation is not selected', async () => {
      const prepared = await prepareConformance({ ...base, specs: [file], tags: ['fine'] });
      expect(prepared.plans[0]!.cases.length).toBeGreaterThan(0);
    });

    it('is a coded error naming its place when its operation is selected', async () => {
      const error = await prepareConformance({ ...base, specs: [file], tags: ['broken'] }).catch((e: unknown) => e);
      expect(isToolError(error) && error.code).toBe('MCPC_SPEC_SCHEMA');
      expect((error as Error).message).toMatch(
        /broken\.yaml:17:\d+: the schema at \/paths\/~1broken\/get\/parameters\/0\/schema/,
      );
    });
  });
});
