import { describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../types.js';
import { checkStandin as check } from './standin.test-server.js';

/**
 * Each generator of engine/cases/ through the engine, against a local stand-in deployment: it fires on the
 * defect it is for (and only the expected check fails), and does not fire on the conformant deployment.
 */

const failing = (r: ConformanceResult) => r.findings.filter((f) => f.severity === 'failure');

describe('case generators against a conformant deployment', () => {
  it('plan and pass every generated case: no failure at all', async () => {
    const result = await check('none');
    expect(failing(result)).toEqual([]);
    const titles = result.cases.map((c) => c.title);
    // Each generator did plan something here (so "no failure" means something).
    for (const fragment of [
      "optional query parameter 'limit'",
      "'summary' (enum value)",
      '(at maximum)',
      '(an upper-case UUID)',
      '(a date-time with offset and fraction)',
      '(a unicode string)',
      "(a valid value other than the spec's example)",
      "body field 'count' = 'mcpc-wrong-type' (breaks type integer)",
      "query parameter 'limit' = '101' (breaks maximum 100)",
      "body field 'count' = '-1' (breaks minimum 0)",
    ]) {
      expect(
        titles.some((t) => t.includes(fragment)),
        fragment,
      ).toBe(true);
    }
    expect(result.cases.filter((c) => c.outcome !== 'passed')).toEqual([]);
  });
});

describe('case generators fire on the defect each is for', () => {
  // defect → the check(s) that must fail, and the titles of exactly the cases that must fail it
  it.each([
    ['upper-case-uuid', 'positive-data-acceptance', ["'3F0E6C1E-0000-4000-8000-000000000001' (an upper-case UUID)"]],
    ['one-enum-value', 'positive-data-acceptance', ["'summary' (enum value)"]],
    [
      'optional-parameter',
      'positive-data-acceptance',
      ["optional query parameter 'limit' = '1'", "'limit' = '100' (at maximum)"],
    ],
    [
      // The other id names nothing, so it is a not-found case (a 400 to a well-formed uuid is not "not found");
      // the upper-cased example names the real item, so its 400 is a valid input rejected.
      'non-example-id',
      ['nonexistent-id-not-found', 'positive-data-acceptance'],
      [
        "(a valid value other than the spec's example)",
        "path parameter 'itemId' names nothing that exists",
        "'3F0E6C1E-0000-4000-8000-000000000001' (an upper-case UUID)",
      ],
    ],
    ['at-maximum', 'positive-data-acceptance', ["'limit' = '100' (at maximum)"]],
    ['offset-date-time', 'positive-data-acceptance', ["'2024-02-29T23:59:59.123+05:30' (a date-time with offset"]],
    ['unicode', 'positive-data-acceptance', ["query parameter 'q' = 'Grüße, 世界 — ✓' (a unicode string)"]],
    [
      'field-types',
      'negative-data-rejection',
      [
        "body field 'name' = '12345' (breaks type string)",
        "body field 'count' = 'mcpc-wrong-type' (breaks type integer)",
        // A deployment that checks no field's type checks no field's limits either (boundary-values).
        "body field 'name' = 'stringstringstringstr' (breaks maxLength 20)",
        "body field 'name' = '' (breaks minLength 1)",
        "body field 'count' = '11' (breaks maximum 10)",
        "body field 'count' = '-1' (breaks minimum 0)",
      ],
    ],
  ] as const)('%s → %s', async (defect, checkId, titles) => {
    const failures = failing(await check(defect));
    expect(new Set(failures.map((f) => f.check))).toEqual(new Set(typeof checkId === 'string' ? [checkId] : checkId));
    const failed = failures.map((f) => f.caseTitle);
    for (const title of titles)
      expect(
        failed.filter((t) => t.includes(title)),
        title,
      ).toHaveLength(1);
    expect(failed).toHaveLength(titles.length);
  });
});
