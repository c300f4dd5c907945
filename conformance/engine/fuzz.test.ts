import { describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../types.js';
import { checkStandin } from './cases/standin.test-server.js';

/**
 * The property-based phase through the engine, against the stand-in deployment: it finds a crash on an emoji
 * that no planned case sends, shrinks it to a small input printed with the seed, replays the same with the
 * same seed, and finds nothing on the conformant deployment.
 */

const property = (r: ConformanceResult) => r.cases.filter((c) => c.kind === 'property');

describe('the property-based phase', () => {
  it('varies only the free string parameters of the safe operation (GET), never the POST', async () => {
    const result = await checkStandin('none', { maxExamples: 5, seed: 1 });
    expect(property(result).map((c) => c.operation)).toEqual(['GET /items/{itemId}']);
    expect(property(result)[0]?.title).toContain("query parameter 'q'");
    expect(property(result)[0]?.title).toContain('5 example(s) of unusual legal values held (seed 1)');
  });

  it('finds nothing on a conformant deployment, over many examples', async () => {
    const result = await checkStandin('none', { maxExamples: 60, seed: 7 });
    expect(result.findings.filter((f) => f.severity === 'failure')).toEqual([]);
    expect(property(result).map((c) => c.outcome)).toEqual(['passed']);
  });

  it('finds a crash on an emoji that no planned case sends, shrunk and printed with the seed', async () => {
    const planned = await checkStandin('emoji-crash', { maxExamples: 0, seed: 3 });
    expect(planned.findings.filter((f) => f.severity === 'failure')).toEqual([]);

    const result = await checkStandin('emoji-crash', { maxExamples: 60, seed: 3 });
    const failures = result.findings.filter((f) => f.severity === 'failure');
    // A 500 is a server error, and one this operation does not document: both say so, of one request.
    expect(failures.map((f) => f.check).sort()).toEqual(['not-a-server-error', 'status-code-conformance']);
    expect(new Set(failures.map((f) => f.caseTitle)).size).toBe(1);
    const title = failures[0]!.caseTitle;
    expect(title).toMatch(/replay with --seed 3 --max-examples 60/);
    // Shrunk: the value of q is no more than the emoji itself (one grapheme, maybe a modifier).
    const q = /query parameter 'q' = ("(?:[^"\\]|\\.)*")/.exec(title)?.[1];
    expect(q).toBeDefined();
    const value = JSON.parse(q!) as string;
    expect(value).toMatch(/\p{Extended_Pictographic}/u);
    expect([...value].length).toBeLessThanOrEqual(2);
    expect(failures[0]!.curl).toContain('%F0%9F');
    expect(property(result)[0]?.outcome).toBe('failed');

    // The same seed replays the same finding.
    const again = await checkStandin('emoji-crash', { maxExamples: 60, seed: 3 });
    expect(again.findings.filter((f) => f.severity === 'failure').map((f) => f.caseTitle)).toEqual([title, title]);
  });

  it('is off with --max-examples 0', async () => {
    expect(property(await checkStandin('emoji-crash', { maxExamples: 0, seed: 3 }))).toEqual([]);
  });
});
