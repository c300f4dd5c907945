// Throughput of the runner on a big run (issue 12, item 4): a full conformance run of the first N operations of
// GitHub's spec (cut by `sliceSpec`) against Prism (one Prism process, launched by `launchPrism`), at each given
// --concurrency, in this process. For each run: requests/s, the runner's own CPU per request (this process's CPU
// time over the run — Prism runs in another process — planning and checking included), Prism's CPU per request,
// and the busy share of one core each side had over the run (the side near 1.0 binds the run).
//
// In `npm run bench` as the `throughput` phase (200 operations, concurrency 1 and 8); alone:
//   npm run build && node bench/throughput.js [--ops 200] [--concurrency 1,8] [--rounds 1]   (one JSON line a run)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds, processTree, round } from './lib.js';
import { githubSpec, sliceSpec } from './scale.js';

export async function measureThroughput({ ops, concurrencies, rounds = 1 }, onRow = () => {}) {
  const { launchPrism, stopChild } = await import('../dist/mock/prism/engine.js');
  const { runConformance, defaultRunOptions } = await import('../dist/conformance/engine/run.js');
  const dir = mkdtempSync(join(tmpdir(), 'mcpc-throughput-'));
  const file = join(dir, 'github.json');
  writeFileSync(file, JSON.stringify(sliceSpec(JSON.parse(readFileSync(githubSpec, 'utf8')), ops)));
  const prism = launchPrism(file, 'github', 300_000);
  const rows = [];
  try {
    const port = await prism.ready;
    const prismPids = processTree(prism.child.pid);
    for (let round_ = 0; round_ < rounds; round_++) {
      for (const concurrency of concurrencies) {
        const load = loadavg().map((l) => round(l, 2));
        const started = performance.now();
        const cpu0 = process.cpuUsage();
        const prism0 = cpuSeconds(prismPids);
        const result = await runConformance({
          ...defaultRunOptions,
          specs: [file],
          target: `http://127.0.0.1:${port}`,
          credentials: new Map(),
          params: new Map(),
          allowDestructive: true,
          concurrency,
        });
        const cpu = process.cpuUsage(cpu0);
        const runnerS = (cpu.user + cpu.system) / 1e6;
        const prismS = cpuSeconds(prismPids) - prism0;
        const wallS = (performance.now() - started) / 1000;
        const s = result.summary;
        const row = {
          ops,
          concurrency,
          round: round_,
          requests: s.requests,
          cases: s.cases,
          wallMs: Math.round(wallS * 1000),
          reqPerSec: Math.round(s.requests / wallS),
          runnerCpuUsPerRequest: Math.round((runnerS * 1e6) / Math.max(1, s.requests)),
          prismCpuUsPerRequest: Math.round((prismS * 1e6) / Math.max(1, s.requests)),
          runnerBusy: round(runnerS / wallS, 2),
          prismBusy: round(prismS / wallS, 2),
          failures: s.failures,
          errored: s.errored,
          loadavg: load,
        };
        rows.push(row);
        onRow(row);
      }
    }
  } finally {
    await stopChild(prism.child);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export async function throughputPhase(options, log) {
  const rows = await measureThroughput(
    { ops: options.throughputOps, concurrencies: options.throughputConcurrency },
    (row) => log(`throughput: ${row.ops} operations at --concurrency ${row.concurrency}: ${row.reqPerSec} req/s`),
  );
  return { spec: '@octokit/openapi api.github.com.json', ops: options.throughputOps, rows };
}

export function renderThroughput(throughput) {
  const out = [
    `### The runner on a big run: the first ${throughput.ops} operations of GitHub's spec against Prism`,
    '',
    'A full conformance run (every phase, `--allow-destructive`) in the bench process against one Prism 5.14 process on the same cut of the spec (`bench/throughput.js`). CPU per request is each process’s user + system time over the run divided by the requests sent; busy is that CPU time over the wall time (1.0 = one core all the time). The side whose busy share is near 1 binds the run.',
    '',
    '| --concurrency | requests | wall | req/s | runner CPU / request | Prism CPU / request | runner busy | Prism busy |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of throughput.rows) {
    out.push(
      `| ${r.concurrency} | ${r.requests.toLocaleString('en-US')} | ${round(r.wallMs / 1000, 1)} s | ${r.reqPerSec} | ${round(r.runnerCpuUsPerRequest / 1000, 2)} ms | ${round(r.prismCpuUsPerRequest / 1000, 2)} ms | ${r.runnerBusy} | ${r.prismBusy} |`,
    );
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      ops: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '1,8' },
      rounds: { type: 'string', default: '1' },
    },
  });
  await measureThroughput(
    {
      ops: Number(values.ops),
      concurrencies: values.concurrency.split(',').map(Number),
      rounds: Number(values.rounds),
    },
    (row) => process.stdout.write(`${JSON.stringify(row)}\n`),
  );
}
