// Throughput of the runner on a big run (issue 12, item 4): a full conformance run of the first N operations of
// GitHub's spec (cut by `sliceSpec`) against Prism (one Prism process, launched by `launchPrism`), at each given
// --concurrency, in this process. Prints one JSON line per run: requests/s, and the runner's own CPU per request
// (this process's CPU time over the run — Prism runs in another process — planning and checking included), and
// Prism's CPU per request and the busy share of each side (near 1.0 on one side: that side binds the run).
//
//   npm run build && node bench/throughput.js [--ops 200] [--concurrency 1,8] [--rounds 1]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, processTree } from './lib.js';
import { githubSpec, sliceSpec } from './scale.js';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1,8' },
    rounds: { type: 'string', default: '1' },
  },
});
const { launchPrism, stopChild } = await import('../dist/mock/prism/engine.js');
const { runConformance, defaultRunOptions } = await import('../dist/conformance/engine/run.js');

const dir = mkdtempSync(join(tmpdir(), 'mcpc-throughput-'));
const file = join(dir, 'github.json');
writeFileSync(file, JSON.stringify(sliceSpec(JSON.parse(readFileSync(githubSpec, 'utf8')), Number(values.ops))));
const prism = launchPrism(file, 'github', 300_000);
const stop = () => stopChild(prism.child).finally(() => rmSync(dir, { recursive: true, force: true }));
process.once('SIGINT', () => stop().then(() => process.exit(130)));
try {
  const port = await prism.ready;
  const target = `http://127.0.0.1:${port}`;
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const concurrency of values.concurrency.split(',').map(Number)) {
      const load = loadavg().map((l) => l.toFixed(2));
      const started = performance.now();
      const cpu0 = process.cpuUsage();
      const prismPids = processTree(prism.child.pid);
      const prism0 = cpuSeconds(prismPids);
      const result = await runConformance({
        ...defaultRunOptions,
        specs: [file],
        target,
        credentials: new Map(),
        params: new Map(),
        allowDestructive: true,
        concurrency,
      });
      const cpu = process.cpuUsage(cpu0);
      const prismCpu = cpuSeconds(prismPids) - prism0;
      const wallMs = performance.now() - started;
      const s = result.summary;
      process.stdout.write(
        `${JSON.stringify({
          ops: Number(values.ops),
          concurrency,
          round,
          requests: s.requests,
          cases: s.cases,
          wallMs: Math.round(wallMs),
          reqPerSec: Math.round((s.requests / wallMs) * 1000),
          runnerCpuUsPerRequest: Math.round((cpu.user + cpu.system) / Math.max(1, s.requests)),
          prismCpuUsPerRequest: Math.round((prismCpu * 1e6) / Math.max(1, s.requests)),
          // Busy share of one core over the run: the side near 1 is the one that binds.
          runnerBusy: Number(((cpu.user + cpu.system) / 1000 / wallMs).toFixed(2)),
          prismBusy: Number(((prismCpu * 1000) / wallMs).toFixed(2)),
          failures: s.failures,
          errored: s.errored,
          loadavg: load,
        })}\n`,
      );
    }
  }
} finally {
  await stop();
}
