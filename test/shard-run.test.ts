import { describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../conformance/types.js';
import { runReferenceConformance } from '../drift/reference.js';

/**
 * The three shards of a run, each against its own fresh reference mock (as three CI jobs would be), add up to
 * the unsharded run: the same cases with the same outcomes, the same findings, and together every coverage row.
 */
describe('--shard against the reference implementation', () => {
  const key = (r: ConformanceResult) => r.cases.map((c) => `${c.specName} ${c.id} ${c.outcome}`);
  const best = (rows: ConformanceResult['coverage']) => {
    const rank = { failed: 3, passed: 2, 'not-provoked': 1 } as const;
    const out = new Map<string, string>();
    for (const r of rows) {
      const k = `${r.specName} ${r.operation} ${r.status}`;
      const prev = out.get(k);
      if (!prev || rank[r.state] > rank[prev as keyof typeof rank]) out.set(k, r.state);
    }
    return Object.fromEntries([...out].sort());
  };

  it('1/3 + 2/3 + 3/3 give the cases, outcomes, findings and coverage of one run', async () => {
    const whole = await runReferenceConformance();
    const shards: ConformanceResult[] = [];
    for (const index of [1, 2, 3]) shards.push(await runReferenceConformance({ shard: { index, total: 3 } }));
    expect(shards.map((s) => s.shard)).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })));
    expect(whole.shard).toBeUndefined();
    expect(shards.flatMap(key).sort()).toEqual(key(whole).sort());
    for (const field of ['cases', 'passed', 'failed', 'errored', 'skipped', 'failures'] as const) {
      expect(shards.reduce((n, s) => n + s.summary[field], 0)).toBe(whole.summary[field]);
    }
    expect(best(shards.flatMap((s) => s.coverage))).toEqual(best(whole.coverage));
    expect(whole.summary.failures).toBe(0);
  });
});
