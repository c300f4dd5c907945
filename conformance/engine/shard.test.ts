import { describe, expect, it } from 'vitest';
import { isToolError } from '../../core/errors.js';
import { demoCredentials } from '../test-helpers.js';
import type { PlannedCase } from '../types.js';
import { defaultRunOptions, prepareConformance } from './run.js';
import { parseShard } from './shard.js';

const options = {
  specs: ['stackone', 'smithery', 'langsmith'],
  target: 'http://127.0.0.1:4010',
  credentials: demoCredentials(),
  params: new Map([['namespace', 'demo']]),
  allowDestructive: true,
  ...defaultRunOptions,
};

const ids = (cases: PlannedCase[]) => cases.map((c) => `${c.specName} ${c.id}`);
const stepsOf = (c: PlannedCase) => (c.steps ?? []).map((s) => `${s.role} ${s.operation.label}`);

describe('--shard i/n', () => {
  it('plans, over 1/3, 2/3 and 3/3, exactly the cases of the unsharded run, none twice, lifecycles whole', async () => {
    const whole = await prepareConformance(options);
    const shards = await Promise.all(
      [1, 2, 3].map((index) => prepareConformance({ ...options, shard: { index, total: 3 } })),
    );
    const all = whole.plans.flatMap((p) => p.cases);
    const parts = shards.map((s) => s.plans.flatMap((p) => p.cases));
    expect(ids(parts.flat()).sort()).toEqual(ids(all).sort());
    expect(new Set(ids(parts.flat())).size).toBe(all.length);
    // Each lifecycle (the bundled specs have them) sits whole in one shard, steps as planned.
    const lifecycles = all.filter((c) => (c.steps?.length ?? 0) > 1);
    expect(lifecycles.length).toBeGreaterThan(0);
    for (const c of lifecycles) {
      const holders = parts.filter((cases) => cases.some((x) => x.specName === c.specName && x.id === c.id));
      expect(holders).toHaveLength(1);
      expect(stepsOf(holders[0]!.find((x) => x.specName === c.specName && x.id === c.id)!)).toEqual(stepsOf(c));
    }
    // Every shard has work, and the Prefer probes are split the same way (each with its operation's cases).
    for (const cases of parts) expect(cases.length).toBeGreaterThan(0);
    const prefer = (run: typeof whole) => run.plans.flatMap((p) => ids(p.preferCandidates));
    expect(shards.flatMap(prefer).sort()).toEqual(prefer(whole).sort());
    expect(shards.map((s) => s.shard?.index)).toEqual([1, 2, 3]);
  });

  it('is deterministic: the same shard plans the same cases every time', async () => {
    const a = await prepareConformance({ ...options, shard: { index: 2, total: 3 } });
    const b = await prepareConformance({ ...options, shard: { index: 2, total: 3 } });
    expect(ids(b.plans.flatMap((p) => p.cases))).toEqual(ids(a.plans.flatMap((p) => p.cases)));
  });

  it('leaves a shard with nothing to do empty, with a remark, when there are more shards than groups', async () => {
    const last = await prepareConformance({ ...options, specs: ['smithery'], shard: { index: 50, total: 50 } });
    expect(last.plans.flatMap((p) => p.cases)).toEqual([]);
    expect(last.remarks.join('\n')).toMatch(/shard 50\/50 has no cases/);
  });

  it.each(['0/3', '4/3', '1/0', 'a/b', '2', '1/3/5', '-1/3'])('refuses --shard %s with one coded line', (raw) => {
    let error: unknown;
    try {
      parseShard(raw);
    } catch (e) {
      error = e;
    }
    expect(isToolError(error) && error.code).toBe('MCPC_USAGE');
    expect((error as Error).message).toBe(`--shard must be i/n with 1 ≤ i ≤ n, got '${raw}'`);
  });

  it.each([
    ['1/1', 1, 1],
    [' 3 / 12 ', 3, 12],
  ])('reads --shard %s', (raw, index, total) => {
    expect(parseShard(raw)).toEqual({ index, total });
  });
});
