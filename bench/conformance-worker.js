// Runs full conformance runs of the three bundled specs in this (fresh) process and prints one JSON line with
// the figures of each run. Spawned by bench/run.js so that the load generator's process stays out of the way.
//
//   node bench/conformance-worker.js reference RUNS   the reference mock in-process, as `npm start` does
//   node bench/conformance-worker.js URL RUNS         a running target (e.g. `mock --engine prism`), same options
const [mode = 'reference', runsArg = '3'] = process.argv.slice(2);
const runs = Math.max(1, Number(runsArg) || 1);

const importStarted = performance.now();
const { referenceRunOptions, runReferenceConformance } = await import('../dist/drift/reference.js');
const { runConformance } = await import('../dist/conformance/engine/run.js');
const importMs = performance.now() - importStarted;

const results = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const result =
    mode === 'reference'
      ? await runReferenceConformance()
      : // The options the reference run uses (drift/reference.ts), against the given target: the same plan.
        await runConformance(referenceRunOptions(mode));
  const cpu = process.cpuUsage(cpu0);
  const s = result.summary;
  results.push({
    // Against a target in another process (Prism) this is the runner's own CPU: plan, send, check, report.
    cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, s.requests),
    wallMs: performance.now() - started,
    runMs: s.durationMs,
    requests: s.requests,
    cases: s.cases,
    failures: s.failures,
    errored: s.errored,
    coveragePercent: s.coveragePercent,
  });
}
process.stdout.write(`${JSON.stringify({ importMs, runs: results })}\n`);
