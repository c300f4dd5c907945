import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { bufferOutput } from '../cli/output.js';
import type { ConformanceResult } from '../conformance/types.js';

/**
 * The three shards of a run, each against its own fresh reference mock (as three CI jobs would be), add up to
 * the unsharded run: the same cases with the same outcomes, the same findings, and together every coverage row.
 * Through the CLI (in-process, as a CI job runs it: `conformance --shard i/3 --report json=…`), so the reports
 * carry what merge-reports checks, and merge-reports of the three gives the whole run's verdict, counts and exit.
 */
const dir = mkdtempSync(join(tmpdir(), 'mcpc-shard-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = bufferOutput();
  const code = await main(args, output);
  return { code, stdout: output.stdout.join('\n'), stderr: output.stderr.join('\n') };
}

async function run(name: string, extra: string[] = []): Promise<{ code: number; report: ConformanceResult }> {
  const file = join(dir, `${name}.json`);
  const { code } = await cli(['conformance', ...extra, '--report', `json=${file}`]);
  return { code, report: JSON.parse(readFileSync(file, 'utf8')) as ConformanceResult };
}

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

  it('1/3 + 2/3 + 3/3 give the cases, outcomes, findings and coverage of one run, and merge into its verdict', async () => {
    const whole = await run('whole');
    const shards: ConformanceResult[] = [];
    for (const index of [1, 2, 3]) shards.push((await run(`shard-${index}`, ['--shard', `${index}/3`])).report);
    expect(shards.map((s) => s.shard)).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })));
    expect(whole.report.shard).toBeUndefined();
    expect(shards.flatMap(key).sort()).toEqual(key(whole.report).sort());
    for (const field of ['cases', 'passed', 'failed', 'errored', 'skipped', 'failures'] as const) {
      expect(shards.reduce((n, s) => n + s.summary[field], 0)).toBe(whole.report.summary[field]);
    }
    expect(best(shards.flatMap((s) => s.coverage))).toEqual(best(whole.report.coverage));
    expect(whole.report.summary.failures).toBe(0);

    const mergedFile = join(dir, 'merged.json');
    const files = [3, 1, 2].map((i) => join(dir, `shard-${i}.json`));
    const merge = await cli(['merge-reports', ...files, '--report', `json=${mergedFile}`]);
    expect(merge.code, merge.stderr).toBe(whole.code);
    const merged = JSON.parse(readFileSync(mergedFile, 'utf8')) as ConformanceResult;
    expect(merged.verdict.status).toBe(whole.report.verdict.status);
    const { durationMs: _m, ...counts } = merged.summary;
    const { durationMs: _w, ...wholeCounts } = whole.report.summary;
    expect(counts).toEqual(wholeCounts);
    expect(key(merged)).toEqual(key(whole.report));
    expect(merged.findings.map((f) => `${f.caseId} ${f.check}`)).toEqual(
      whole.report.findings.map((f) => `${f.caseId} ${f.check}`),
    );

    // One shard alone is not the run: refused, exit 2, naming what is missing.
    const alone = await cli(['merge-reports', files[0]!]);
    expect([alone.code, alone.stderr]).toEqual([
      2,
      expect.stringMatching(/^MCPC_REPORT: shard\(s\) 1\/3, 2\/3 missing/),
    ]);
  }, 120_000);

  it('a dry run with --shard says which shard it plans, lists the setting and what its cleanup deletes', async () => {
    const planFile = join(dir, 'plan-1-2.json');
    const sharded = await cli([
      'conformance',
      '--dry-run',
      '--spec',
      'stackone',
      '--shard',
      '1/2',
      '--report',
      `json=${planFile}`,
    ]);
    expect(sharded.code, sharded.stderr).toBe(0);
    expect(sharded.stdout).toMatch(/^shard 1\/2: only this shard's part of the plan/m);
    expect(sharded.stdout).toMatch(/^ {2}shard = "1\/2" — cli: --shard$/m);
    expect(sharded.stdout).toMatch(/phase cleanup\n {2}\(shard 1\/2 deletes only what its own cases created/);
    expect(JSON.parse(readFileSync(planFile, 'utf8')).shard).toEqual({ index: 1, total: 2 });
    const whole = await cli(['conformance', '--dry-run', '--spec', 'stackone']);
    expect(whole.stdout).toMatch(/phase cleanup/);
    expect(whole.stdout).not.toMatch(/shard/);
  }, 60_000);

  it('an unreachable target still gets a shard report: which shard, errored as the exit code says, and its plan', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const file = join(dir, 'down-2.json');
    const down = await cli([
      'conformance',
      '--spec',
      'langsmith',
      '--target',
      `http://127.0.0.1:${port}`,
      '--shard',
      '2/3',
      '--report',
      `json=${file}`,
    ]);
    expect(down.code).toBe(2);
    const report = JSON.parse(readFileSync(file, 'utf8')) as ConformanceResult & { plan?: { target: string } };
    expect(report.shard).toEqual({ index: 2, total: 3 });
    expect(report.verdict).toMatchObject({ status: 'errored', inconclusive: true });
    expect(report.plan?.target).toBe(`http://127.0.0.1:${port}`);
  }, 60_000);
});
