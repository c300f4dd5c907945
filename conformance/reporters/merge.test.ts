import { describe, expect, it } from 'vitest';
import { ToolError } from '../../core/errors.js';
import { type CaseResult, type ConformanceResult, decideVerdict } from '../types.js';
import { mergeReports, type PlanFingerprint, parseReport, type ReportFile } from './merge.js';

/** Merging shards: how statuses, inconclusive runs, coverage and exchange pointers combine; what is refused. */
const plan: PlanFingerprint = {
  tool: '0.1.0',
  target: 'http://x',
  specs: [{ name: 's', sha256: 'ab'.repeat(32) }],
  operations: [],
  tags: [],
  seed: 1,
  maxExamples: 2,
  checks: ['a'],
  policy: 'lenient',
  allowDestructive: false,
  params: 'cd'.repeat(32),
};

function shard(
  index: number,
  over: Partial<ConformanceResult> = {},
  planned: Partial<PlanFingerprint> = {},
): { file: string; report: ReportFile } {
  const base: Omit<ConformanceResult, 'verdict'> = {
    shard: { index, total: 2 },
    exchanges: [
      {
        caseId: `c${index}`,
        specName: 's',
        operation: `GET /${index}`,
        step: undefined,
        startedAt: '2026-01-01T00:00:00.000Z',
        request: { method: 'GET', url: `http://x/${index}`, headers: {}, body: undefined },
        response: undefined,
        error: { code: 'ECONNRESET', message: 'reset' },
      },
    ],
    status: 'completed',
    targets: [{ specName: 's', file: 's.yaml', baseUrl: 'http://x' }],
    cases: [],
    findings: [],
    coverage: [],
    notes: [],
    remarks: [],
    policy: 'lenient',
    checks: ['a'],
    applied: [],
    summary: {
      cases: 1,
      passed: 1,
      failed: 0,
      errored: 0,
      skipped: 0,
      requests: 1,
      failures: 0,
      warnings: 0,
      coveragePercent: 100,
      durationMs: index * 100,
    },
    ...over,
  };
  return {
    file: `s${index}.json`,
    report: {
      format: 'mcp-contracts-report',
      formatVersion: 1,
      plan: { ...plan, ...planned },
      ...base,
      verdict: decideVerdict(base),
    },
  };
}

/** A case result of a shard's report. */
const caseOf = (id: string): CaseResult => ({
  id,
  specName: 's',
  operation: 'GET /x',
  kind: 'valid',
  title: id,
  outcome: 'passed',
  statuses: [200],
  reason: undefined,
  preferredStatus: undefined,
});

/** A finding of case `caseId` pointing at its shard's exchange `exchange`. */
const findingOf = (caseId: string, check: string, exchange: number, severity: 'failure' | 'warning' = 'warning') => ({
  check,
  severity,
  specName: 's',
  operation: 'GET /2',
  caseId,
  caseTitle: 't',
  expected: 'e',
  actual: 'x',
  details: [],
  hint: undefined,
  curl: 'c',
  exchange,
});

describe('mergeReports', () => {
  it('shifts each finding’s exchange index past the earlier shards’ exchanges', () => {
    const finding = findingOf('c2', 'a', 0, 'failure');
    const merged = mergeReports([
      shard(2, { findings: [finding], summary: { ...shard(2).report.summary, failures: 1, failed: 1 } }),
      shard(1),
    ]);
    expect(merged.findings[0]!.exchange).toBe(1);
    expect(merged.exchanges[1]!.caseId).toBe('c2');
    expect(merged.verdict.status).toBe('failed');
    expect(merged.summary.durationMs).toBe(200);
  });

  it('is interrupted when any shard was, and inconclusive only when every shard was', () => {
    expect(mergeReports([shard(1, { status: 'interrupted' }), shard(2)]).verdict.status).toBe('interrupted');
    // The cases an interrupted shard never sent are carried over, summed.
    const cut = mergeReports([
      shard(1, { status: 'interrupted', notSent: 4 }),
      shard(2, { status: 'interrupted', notSent: 3 }),
    ]);
    expect(cut.notSent).toBe(7);
    expect(mergeReports([shard(1), shard(2)]).notSent).toBeUndefined();
    const one = mergeReports([shard(1, { inconclusive: 'nothing accepted' }), shard(2)]);
    expect([one.inconclusive, one.verdict.status]).toEqual([undefined, 'passed']);
    const both = mergeReports([
      shard(1, { inconclusive: 'nothing accepted' }),
      shard(2, { inconclusive: 'nothing accepted' }),
    ]);
    expect(both.verdict).toMatchObject({ status: 'errored', inconclusive: true });
  });

  it('takes a status as failed over passed over not provoked, and recomputes coverage', () => {
    const row = { specName: 's', operation: 'GET /1', how: 'natural' };
    const merged = mergeReports([
      shard(1, {
        coverage: [
          { ...row, status: '200', state: 'passed' },
          { ...row, status: '404', state: 'not-provoked' },
        ],
      }),
      shard(2, {
        coverage: [
          { ...row, status: '200', state: 'failed' },
          { ...row, status: '404', state: 'passed' },
        ],
      }),
    ]);
    expect(merged.coverage.map((r) => `${r.status} ${r.state}`)).toEqual(['200 failed', '404 passed']);
    expect(merged.summary.coveragePercent).toBe(50);
  });

  it('holds the merged run to the coverage bar the shards were held to', () => {
    const held = (i: number) => {
      const s = shard(i, {
        coverage: [{ specName: 's', operation: `GET /${i}`, status: '200', state: 'not-provoked', how: 'x' }],
      });
      s.report.verdict = { ...s.report.verdict, requireCoverage: 50 };
      return s;
    };
    expect(mergeReports([held(1), held(2)]).verdict).toMatchObject({ status: 'failed', requireCoverage: 50 });
  });

  it.each([
    [
      'a split into another number of shards',
      [shard(1), { ...shard(2), report: { ...shard(2).report, shard: { index: 2, total: 3 } } }],
      /split into 2/,
    ],
    [
      'another verdict policy',
      [shard(1), shard(2, {}, { policy: 'strict' })],
      /with --strict, s1\.json with no --strict/,
    ],
    ['other checks', [shard(1), shard(2, {}, { checks: ['b'] })], /with the checks b, s1\.json with the checks a$/],
    [
      'another seed',
      [shard(1), shard(2, {}, { seed: 7 })],
      /s2\.json was planned with --seed 7, s1\.json with --seed 1/,
    ],
    [
      'another --tag',
      [shard(1, {}, { tags: ['meta'] }), shard(2)],
      /s2\.json was planned with no --tag, s1\.json with --tag meta/,
    ],
    [
      'another --operation',
      [shard(1), shard(2, {}, { operations: ['getX'] })],
      /with --operation getX, s1\.json with no --operation/,
    ],
    [
      'another --max-examples',
      [shard(1), shard(2, {}, { maxExamples: 9 })],
      /with --max-examples 9, s1\.json with --max-examples 2/,
    ],
    [
      'another target',
      [shard(1), shard(2, {}, { target: 'http://y' })],
      /with --target http:\/\/y, s1\.json with --target http:\/\/x/,
    ],
    [
      'another tool version',
      [shard(1), shard(2, {}, { tool: '0.2.0' })],
      /with mcp-contracts 0\.2\.0, s1\.json with mcp-contracts 0\.1\.0/,
    ],
    [
      'an edited spec file',
      [shard(1), shard(2, {}, { specs: [{ name: 's', sha256: 'ef'.repeat(32) }] })],
      /with --spec s \(sha256 efefefefefef…\)/,
    ],
    [
      'other --param values',
      [shard(1), shard(2, {}, { params: 'ee'.repeat(32) })],
      /--param values hashing to eeeeeeeeeeee…/,
    ],
    [
      '--allow-destructive in one shard',
      [shard(1), shard(2, {}, { allowDestructive: true })],
      /with --allow-destructive, s1\.json with no --allow-destructive/,
    ],
    [
      'a report without a shard among several',
      [shard(1), { ...shard(2), report: { ...shard(2).report, shard: undefined } }],
      /s2\.json is the report of a whole run \(it has no shard index\)/,
    ],
    [
      'a shard without a plan fingerprint',
      [shard(1), { ...shard(2), report: { ...shard(2).report, plan: undefined } }],
      /s2\.json carries no plan fingerprint/,
    ],
    ['one shard of two alone', [shard(2)], /^shard\(s\) 1\/2 missing/],
    [
      'one empty shard alone',
      [shard(1, { cases: [], summary: { ...shard(1).report.summary, cases: 0 } })],
      /^shard\(s\) 2\/2 missing/,
    ],
    [
      'a case in two shards',
      [shard(1, { cases: [caseOf('s:getX:0'), caseOf('s:getY:0')] }), shard(2, { cases: [caseOf('s:getX:0')] })],
      /case s:getX:0 is in both s1\.json and s2\.json/,
    ],
  ])('refuses %s with MCPC_REPORT', (_name, reports, message) => {
    expect(() => mergeReports(reports)).toThrow(ToolError);
    expect(() => mergeReports(reports)).toThrow(message);
  });

  it('merges what belongs together: a whole run alone, a split into one, shards of one plan with distinct cases', () => {
    const whole = { ...shard(1), report: { ...shard(1).report, shard: undefined, plan: undefined } };
    expect(mergeReports([whole]).verdict.status).toBe('passed');
    expect(
      mergeReports([{ ...shard(1), report: { ...shard(1).report, shard: { index: 1, total: 1 } } }]).summary.cases,
    ).toBe(1);
    // The spec files' paths differ from job to job (each CI checkout has its own): compared by content, they agree.
    const merged = mergeReports([
      shard(1, { cases: [caseOf('s:getX:0')], targets: [{ specName: 's', file: '/a/s.yaml', baseUrl: 'http://x' }] }),
      shard(2, { cases: [caseOf('s:getY:0')], targets: [{ specName: 's', file: '/b/s.yaml', baseUrl: 'http://x' }] }),
    ]);
    expect(merged.cases.map((c) => c.id)).toEqual(['s:getX:0', 's:getY:0']);
    expect(merged.plan).toEqual(plan);
  });

  it('a shard whose target answered nothing makes the merged run inconclusive; an empty shard does not', () => {
    const down = shard(2, {
      inconclusive: 'the target could not be reached, so nothing was checked',
      exchanges: [],
      summary: { ...shard(2).report.summary, cases: 0, passed: 0, requests: 0, coveragePercent: 0 },
    });
    const merged = mergeReports([shard(1), down]);
    expect(merged.verdict).toMatchObject({ status: 'errored', inconclusive: true });
    expect(merged.inconclusive).toMatch(/^shard 2\/2 checked nothing: the target could not be reached/);
    // A shard left with no cases (fewer groups of operations than shards) sent nothing and claims nothing.
    const empty = shard(2, {
      exchanges: [],
      summary: { ...shard(2).report.summary, cases: 0, passed: 0, requests: 0 },
    });
    expect(mergeReports([shard(1), empty]).verdict.status).toBe('passed');
    // With no coverage rows at all, a shard that reached nothing does not turn into "coverage 100% (0/0)".
    expect(mergeReports([shard(1), down]).summary.coveragePercent).toBe(0);
    expect(mergeReports([shard(1), empty]).summary.coveragePercent).toBe(100);
  });

  it('orders the findings as one run does: by case id, each case’s own in the order they were made', () => {
    const merged = mergeReports([
      shard(1, { findings: [findingOf('s:b', 'z', 0), findingOf('s:d', 'a', 0)] }),
      shard(2, { findings: [findingOf('s:a', 'y', 0), findingOf('s:c', 'x', 0), findingOf('s:c', 'b', 0)] }),
    ]);
    expect(merged.findings.map((f) => `${f.caseId} ${f.check} ${f.exchange}`)).toEqual([
      's:a y 1',
      's:b z 0',
      's:c x 1',
      's:c b 1',
      's:d a 0',
    ]);
  });

  it('parseReport: refuses another format version and text that is not JSON', () => {
    expect(() => parseReport('{"format":"mcp-contracts-report","formatVersion":2}', 'a.json')).toThrow(
      /format version 2/,
    );
    expect(() => parseReport('not json', 'a.json')).toThrow(/a\.json is not JSON/);
  });
});
