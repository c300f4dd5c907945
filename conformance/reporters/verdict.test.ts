import { describe, expect, it } from 'vitest';
import { type ConformanceResult, decideVerdict } from '../types.js';

/** The verdict is decided once, in this order: interrupted, failed, errored (inconclusive first), coverage, passed. */
const summary: ConformanceResult['summary'] = {
  cases: 10,
  passed: 10,
  failed: 0,
  errored: 0,
  skipped: 0,
  requests: 12,
  failures: 0,
  warnings: 0,
  coveragePercent: 60,
  durationMs: 5,
};
const run = (over: Partial<ConformanceResult['summary']>, extra: Partial<ConformanceResult> = {}) => ({
  status: 'completed' as const,
  inconclusive: undefined,
  ...extra,
  summary: { ...summary, ...over },
});

describe('decideVerdict', () => {
  it.each([
    [
      'nothing wrong, warnings allowed',
      run({ warnings: 3 }),
      undefined,
      'passed',
      /^every one of 10 case\(s\) .* \(3 warning\(s\)\)$/,
    ],
    ['a failure', run({ failures: 2, failed: 1 }), undefined, 'failed', /^2 failure\(s\) in 1 case\(s\)$/],
    [
      'a failure and an errored case: failed',
      run({ failures: 1, failed: 1, errored: 1 }),
      undefined,
      'failed',
      /failure/,
    ],
    ['an errored case', run({ errored: 1 }), undefined, 'errored', /^1 case\(s\) errored \(no response\)/],
    [
      'inconclusive',
      run({}, { inconclusive: 'no valid request accepted' }),
      undefined,
      'errored',
      /^inconclusive: no valid/,
    ],
    ['coverage below the bar', run({}), 80, 'failed', /^coverage 60% is below --require-coverage 80%$/],
    ['coverage at the bar', run({}), 60, 'passed', /^every one/],
    [
      'interrupted with failures',
      run({ failures: 1 }, { status: 'interrupted' }),
      undefined,
      'interrupted',
      /and 1 failure/,
    ],
  ])('%s', (_name, result, requireCoverage, status, reason) => {
    const verdict = decideVerdict(result, requireCoverage);
    expect(verdict.status).toBe(status);
    expect(verdict.reason).toMatch(reason);
    expect(verdict.inconclusive === true).toBe(_name === 'inconclusive');
  });

  it('keeps the coverage bar it was held to, so merged shards are held to it too', () => {
    expect(decideVerdict(run({}), 50).requireCoverage).toBe(50);
    expect(decideVerdict(run({})).requireCoverage).toBeUndefined();
  });
});
