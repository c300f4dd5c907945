import { describe, expect, it } from 'vitest';
import { ToolError } from '../../core/errors.js';
import { type ConformanceResult, decideVerdict } from '../types.js';
import { mergeReports, parseReport, type ReportFile } from './merge.js';

/** Merging shards: how statuses, inconclusive runs, coverage and exchange pointers combine; what is refused. */
function shard(index: number, over: Partial<ConformanceResult> = {}): { file: string; report: ReportFile } {
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
    report: { format: 'mcp-contracts-report', formatVersion: 1, ...base, verdict: decideVerdict(base) },
  };
}

describe('mergeReports', () => {
  it('shifts each finding’s exchange index past the earlier shards’ exchanges', () => {
    const finding = {
      check: 'a',
      severity: 'failure' as const,
      specName: 's',
      operation: 'GET /2',
      caseId: 'c2',
      caseTitle: 't',
      expected: 'e',
      actual: 'x',
      details: [],
      hint: undefined,
      curl: 'c',
      exchange: 0,
    };
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
      [shard(1), { ...shard(2), report: { ...shard(2).report, policy: 'strict' as const } }],
      /verdict policy strict vs lenient/,
    ],
    [
      'other checks',
      [shard(1), { ...shard(2), report: { ...shard(2).report, checks: ['b'] } }],
      /the selected checks differ/,
    ],
    [
      'a report without a shard among several',
      [shard(1), { ...shard(2), report: { ...shard(2).report, shard: undefined } }],
      /is not a shard/,
    ],
  ])('refuses %s with MCPC_REPORT', (_name, reports, message) => {
    expect(() => mergeReports(reports)).toThrow(ToolError);
    expect(() => mergeReports(reports)).toThrow(message);
  });

  it('parseReport: refuses another format version and text that is not JSON', () => {
    expect(() => parseReport('{"format":"mcp-contracts-report","formatVersion":2}', 'a.json')).toThrow(
      /format version 2/,
    );
    expect(() => parseReport('not json', 'a.json')).toThrow(/a\.json is not JSON/);
  });
});
