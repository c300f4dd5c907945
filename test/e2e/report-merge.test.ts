import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConformanceResult, decideVerdict } from '../../conformance/types.js';
import { type ContractServer, startContractServer } from '../servers/contract-server.js';
import { runCli } from './cli.js';

/**
 * `merge-reports` (issue 12 item 5) with the built CLI. One real run against a deployment with a defect is split
 * by operation into three shard reports — what `--shard 1/3 … 3/3` writes — and merged back: the merged verdict,
 * counts and exit code are the whole run's. Reports that do not belong together are refused with a coded error.
 */
const dir = mkdtempSync(join(tmpdir(), 'mcpc-merge-'));
let server: ContractServer;
let whole: ConformanceResult & Record<string, unknown>;
let wholeCode: number | null;
const auth = ['--auth', 'basic=demo-key:', '--auth', 'bearerAuth=demo-key', '--auth', 'apiKeyAuth=demo-key'];

/** The part of a report that covers `operations`, as a shard run would have written it. */
function shardOf(report: typeof whole, operations: Set<string>, index: number, total: number) {
  const mine = (x: { operation: string }) => operations.has(x.operation);
  const exchanges = report.exchanges.filter(mine);
  const cases = report.cases.filter(mine);
  const findings = report.findings.filter(mine).map((f) => ({
    ...f,
    exchange: f.exchange === undefined ? undefined : exchanges.indexOf(report.exchanges[f.exchange]!),
  }));
  const coverage = report.coverage.filter(mine);
  const count = (o: string) => cases.filter((c) => c.outcome === o).length;
  const failures = findings.filter((f) => f.severity === 'failure').length;
  const summary = {
    cases: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    errored: count('errored'),
    skipped: count('skipped'),
    // Requests are not per case (cleanup sends some): the first shard carries them all, so the sum is whole.
    requests: index === 1 ? report.summary.requests : 0,
    failures,
    warnings: findings.length - failures,
    coveragePercent: coverage.length
      ? (coverage.filter((c) => c.state === 'passed').length / coverage.length) * 100
      : 100,
    durationMs: report.summary.durationMs,
  };
  const base = {
    ...report,
    shard: { index, total },
    cases,
    findings,
    exchanges,
    coverage,
    applied: report.applied.filter(mine),
    summary,
  };
  return { ...base, verdict: decideVerdict(base) };
}

function writeShards(report: typeof whole, prefix: string): string[] {
  const operations = [...new Set(report.cases.map((c) => c.operation))].sort();
  return [1, 2, 3].map((index) => {
    const mine = new Set(operations.filter((_, i) => i % 3 === index - 1));
    const file = join(dir, `${prefix}-${index}.json`);
    writeFileSync(file, JSON.stringify(shardOf(report, mine, index, 3)));
    return file;
  });
}

beforeAll(async () => {
  server = await startContractServer({ defects: ['undocumented-status'] });
  const file = join(dir, 'whole.json');
  const run = await runCli(['conformance', '--target', server.url, ...auth, '--report', `json=${file}`], {
    timeoutMs: 60_000,
  });
  wholeCode = run.code;
  whole = JSON.parse(readFileSync(file, 'utf8'));
}, 90_000);
afterAll(async () => {
  await server.close();
});

describe('merge-reports', () => {
  it('three shards merge into the verdict, counts and exit code of the whole run, in every format', async () => {
    expect(wholeCode).toBe(1);
    const shards = writeShards(whole, 'shard');
    const out = (ext: string) => join(dir, `merged.${ext}`);
    const run = await runCli([
      'merge-reports',
      // Order does not matter.
      shards[2]!,
      shards[0]!,
      shards[1]!,
      '--report',
      `json=${out('json')}`,
      '--report',
      `junit=${out('xml')}`,
      '--report',
      `html=${out('html')}`,
    ]);
    expect(run.code, run.stderr).toBe(wholeCode);
    const merged = JSON.parse(readFileSync(out('json'), 'utf8')) as ConformanceResult;
    expect(merged.verdict.status).toBe(whole.verdict.status);
    const { durationMs: _a, ...counts } = merged.summary;
    const { durationMs: _b, ...wholeCounts } = whole.summary;
    expect(counts).toEqual(wholeCounts);
    expect(merged.cases.map((c) => c.id).sort()).toEqual(whole.cases.map((c) => c.id).sort());
    for (const f of merged.findings) expect(merged.exchanges[f.exchange!]!.caseId).toBe(f.caseId);
    expect(run.stdout).toMatch(/^FAILED: \d+ failure\(s\)/m);
    expect(readFileSync(out('xml'), 'utf8')).toMatch(
      new RegExp(`tests="${whole.summary.cases}" failures="${whole.summary.failed}" errors="${whole.summary.errored}"`),
    );
    expect(readFileSync(out('html'), 'utf8')).toContain('id="verdict">FAILED</span>');
  });

  it.each([
    ['a shard given twice', (s: string[]) => [s[0]!, s[0]!, s[1]!, s[2]!], /^MCPC_REPORT: shard 1\/3 is given twice/],
    ['a shard missing', (s: string[]) => [s[0]!, s[2]!], /^MCPC_REPORT: shard\(s\) 2\/3 missing/],
    [
      'a shard of another run (another --seed)',
      (s: string[]) => {
        const other = join(dir, 'other.json');
        const report = JSON.parse(readFileSync(s[1]!, 'utf8'));
        writeFileSync(other, JSON.stringify({ ...report, plan: { ...report.plan, seed: 7 } }));
        return [s[0]!, other, s[2]!];
      },
      /^MCPC_REPORT: .*other\.json and .*refuse-1\.json are not shards of the same run: .*other\.json was planned with --seed 7, .*refuse-1\.json with --seed 1/,
    ],
    [
      'a file that is not a report',
      () => {
        const plan = join(dir, 'plan.json');
        writeFileSync(plan, JSON.stringify({ format: 'mcp-contracts-plan', version: 1 }));
        return [plan];
      },
      /^MCPC_REPORT: .*plan\.json is not an mcp-contracts conformance report/,
    ],
    ['a file that does not exist', () => [join(dir, 'nope.json')], /^MCPC_REPORT: cannot read .*nope\.json: ENOENT/],
  ])('refuses %s: exit 2 and one coded line', async (_name, files, message) => {
    const shards = writeShards(whole, 'refuse');
    const run = await runCli(['merge-reports', ...files(shards)]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('merge-reports without files is a usage error', async () => {
    const run = await runCli(['merge-reports']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing required argument 'reports'/);
  });
});
