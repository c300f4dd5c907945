import { describe, expect, it } from 'vitest';
import type { ConformanceEvent } from '../../conformance/types.js';
import { runReferenceConformance } from '../../drift/reference.js';

/**
 * Issue 10 item 9: the progress line's total was the first phase's cases only ("55/33"): the Prefer and property
 * phases finish cases too. Against the reference implementation, in process: the total is recounted as each phase
 * starts, the count never passes it, and it ends exact.
 */
describe('progress events', () => {
  it('plan the total of every phase: done ends at the total, never above it', async () => {
    const events: ConformanceEvent[] = [];
    const result = await runReferenceConformance({ onEvent: (e) => events.push(e) });
    // The total is recounted as each phase starts (Prefer sends only what no natural case reached): the last
    // count announced is exact.
    const planned = events.filter((e) => e.type === 'planned');
    const finished = events.filter((e) => e.type === 'case-finished');
    expect(planned.length).toBeGreaterThan(1);
    expect(planned.at(-1)?.type === 'planned' && planned.at(-1)).toMatchObject({ cases: result.summary.cases });
    expect(finished).toHaveLength(result.summary.cases);
    for (const e of finished) if (e.type === 'case-finished') expect(e.done).toBeLessThanOrEqual(e.total);
    const last = finished.at(-1);
    expect(last?.type === 'case-finished' && last.done).toBe(result.summary.cases);
    // More than the first phase: Prefer cases are counted in the total.
    expect(result.cases.some((c) => c.kind === 'prefer')).toBe(true);
  }, 60_000);
});
