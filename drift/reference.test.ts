import { describe, expect, it } from 'vitest';
import { referenceConformanceForDrift } from './reference.js';
import { runDrift } from './run.js';

/** The drift gate's fourth step, with the real runner against the real reference implementation. */
describe('drift: the reference implementation conforms', () => {
  it('fails the gate when a handler no longer conforms, and names the fix', async () => {
    const result = await runDrift({
      steps: ['conformance'],
      conformance: () =>
        referenceConformanceForDrift({
          specs: ['smithery'],
          // A logic bug that still type-checks: every delete "succeeds", so a deleted connection is never gone.
          mock: {
            handlers: {
              'deleteSmithery.run:namespace:connectionId': () => ({
                status: 200,
                contentType: 'application/json',
                body: { success: true },
              }),
            },
          },
        }),
    });
    expect(result.ok).toBe(false);
    const step = result.steps.find((s) => s.id === 'conformance')!;
    expect(step.status).toBe('failed');
    const failed = step.checks.filter((c) => c.status === 'failed');
    expect(failed.map((c) => c.rule)).toContain('use-after-delete');
    expect(failed[0]?.fix).toMatch(/fix the handler in mock\//);
    expect(failed.find((c) => c.rule === 'use-after-delete')?.message).toMatch(/reproduce: curl /);
  });

  it('holds for a handler that keeps its promise', async () => {
    const conformance = await referenceConformanceForDrift({ specs: ['smithery', 'langsmith'] });
    expect(conformance.failures).toEqual([]);
    expect(conformance.ok).toBe(true);
    expect(conformance.summary).toMatch(/coverage 100% \(12\/12 documented statuses\)/);
  });
});
