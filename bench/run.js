// `npm run bench`: the performance of mcp-contracts, measured against peers run side by side in the same run.
//
//   1. Mock serving: req/s and p50/p99 latency for the same requests against the reference mock (plain and with
//      --self-check), Prism (`mock --engine prism`) and a bare Express 5 handler, each server in its own child
//      process, load from this process over keep-alive connections at a fixed concurrency.
//   2. Conformance run time: a full run of the three bundled specs against the reference mock in-process (what
//      `npm start` does) and against Prism, plus the CLI end to end (`node bin/mcp-contracts.js conformance`).
//   3. Start-up: spawn → first successful response, for the mock, Prism and bare Express.
//
// Results: a table on stdout (progress goes to stderr), bench/results.json, and the generated section of
// BENCHMARKS.md. Options: --quick (a short smoke run that writes nothing), --duration MS, --rounds N, --prewarm MS,
// --warmup MS, --concurrency N, --only startup,load,conformance,mockSpec,scale,throughput,serving, --no-write, --budget SECONDS, --cpu-prof
// (profiles every server of the serving phase; implies --no-write; summarise with bench/profile-summary.js).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cpuSeconds,
  geomean,
  keepAliveAgent,
  killAllChildrenNow,
  machineCpuSeconds,
  median,
  ownTreeCpuSeconds,
  processTree,
  ratio,
  request,
  round,
  runLoad,
  runToExit,
  spreadPercent,
  startServer,
  stopAllChildren,
  stopChild,
} from './lib.js';
import { loadPhase, renderLoad } from './load.js';
import { formatJson, renderResults, updateBenchmarksMarkdown } from './report.js';
import { renderScale, scalePhase } from './scale.js';
import { renderThroughput, throughputPhase } from './throughput.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Other load (in cores) below which a run counts as quiet: on 2 cores, more than this visibly moves the figures. */
const quietBelowCores = 0.25;
const benchStarted = performance.now();
const log = (line) =>
  process.stderr.write(`[${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Options

export function parseOptions(argv) {
  const o = {
    durationMs: 2000,
    rounds: 3,
    warmupMs: 250,
    prewarmMs: 3000,
    retryBudgetMs: 20_000,
    concurrency: 16,
    startupRuns: 3,
    conformanceRuns: 5,
    prismConformanceRuns: 3,
    cliRuns: 3,
    // `serving` (the hand-written load loop in this process) is no longer run by default: it shares a process and
    // the two cores with what it measures and flatters the result. `load` measures with autocannon instead.
    phases: ['startup', 'load', 'conformance', 'mockSpec', 'scale', 'throughput'],
    throughputOps: 200,
    throughputConcurrency: [1, 8],
    loadConnections: [16, 50],
    loadDurationS: 3,
    loadWarmupS: 1,
    scaleSizes: [50, 200, 500],
    write: true,
    budgetSeconds: 900,
    cpuProfDir: undefined,
  };
  const number = (flag, value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got '${value}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (arg === '--quick') {
      Object.assign(o, {
        durationMs: 300,
        rounds: 1,
        warmupMs: 100,
        prewarmMs: 400,
        retryBudgetMs: 0,
        startupRuns: 1,
        conformanceRuns: 1,
        prismConformanceRuns: 1,
        cliRuns: 1,
        loadDurationS: 1,
        loadWarmupS: 1,
        scaleSizes: [50],
        throughputOps: 20,
        throughputConcurrency: [8],
        write: false,
      });
    } else if (arg === '--duration') o.durationMs = number(arg, next());
    else if (arg === '--rounds') o.rounds = Math.round(number(arg, next()));
    else if (arg === '--warmup') o.warmupMs = number(arg, next());
    else if (arg === '--prewarm') o.prewarmMs = number(arg, next());
    else if (arg === '--retry-budget') o.retryBudgetMs = Number(next()) || 0;
    else if (arg === '--concurrency') o.concurrency = Math.round(number(arg, next()));
    else if (arg === '--budget') o.budgetSeconds = number(arg, next());
    else if (arg === '--no-write') o.write = false;
    else if (arg === '--write') o.write = true;
    else if (arg === '--cpu-prof') {
      // Every server of the serving phase runs under `node --cpu-prof`; the profiles are written when it stops.
      o.cpuProfDir = join(tmpdir(), `mcp-contracts-bench-profiles-${Date.now()}`);
      o.write = false;
    } else if (arg === '--only') {
      o.phases = String(next() ?? '')
        .split(',')
        .filter(Boolean);
      for (const p of o.phases) {
        if (!['startup', 'serving', 'load', 'conformance', 'mockSpec', 'scale', 'throughput'].includes(p))
          throw new Error(`--only: unknown phase '${p}'`);
      }
    } else throw new Error(`unknown option '${arg}' (see the comment at the top of bench/run.js)`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// What is served, and what is asked

const cli = 'bin/mcp-contracts.js';
const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
const basic = `Basic ${Buffer.from('demo-key:').toString('base64')}`;

export const targets = [
  {
    id: 'mock',
    label: 'mock (reference)',
    command: 'mcp-contracts mock --port 0 --quiet',
    args: [cli, 'mock', '--port', '0', '--quiet'],
  },
  {
    id: 'mockSelfCheck',
    label: 'mock --self-check',
    command: 'mcp-contracts mock --port 0 --quiet --self-check',
    args: [cli, 'mock', '--port', '0', '--quiet', '--self-check'],
  },
  {
    id: 'prism',
    label: 'Prism 5.14 (mock --engine prism)',
    command: 'mcp-contracts mock --engine prism --port 0 --quiet',
    args: [cli, 'mock', '--engine', 'prism', '--port', '0', '--quiet'],
  },
  {
    id: 'bare',
    label: 'bare Express 5',
    command: 'node bench/bare-server.js',
    args: ['bench/bare-server.js'],
  },
];

const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'mcp-contracts-bench', version: '1' },
  },
});

/**
 * The requests. `session: true` sends the session this target gave the bench on `initialize` (Prism's is its
 * example value, and Prism does not look at it). `prism` lists what differs for Prism and why.
 */
export const requests = [
  {
    id: 'langsmithDelete',
    label: 'LangSmith DELETE /v1/deepagents/mcp-servers/{uuid} → 204',
    method: 'DELETE',
    path: '/v1/deepagents/mcp-servers/3fa85f64-5717-4562-b3fc-2c963f66afa6',
    headers: { 'x-api-key': 'demo-key' },
    expect: 204,
  },
  {
    id: 'stackoneDelete404',
    label: 'StackOne DELETE /mcp, unknown mcp-session-id → 404 JSON',
    method: 'DELETE',
    path: '/mcp',
    headers: { authorization: basic, 'mcp-session-id': 'bench-unknown-session' },
    expect: 404,
    prism: {
      headers: { prefer: 'code=404' },
      expect: 404,
      note: 'Prism keeps no sessions and answers 200 to any DELETE /mcp; the bench adds `Prefer: code=404` so that it answers the same 404 JSON error',
    },
  },
  {
    id: 'stackonePing',
    label: 'StackOne POST /mcp ping (in a session) → 200 JSON-RPC',
    method: 'POST',
    path: '/mcp',
    headers: { authorization: basic, 'content-type': 'application/json', accept: 'application/json' },
    session: true,
    body: '{"jsonrpc":"2.0","id":7,"method":"ping"}',
    expect: 200,
    prism: { note: 'Prism answers every POST /mcp with the spec’s first example (an initialize result, id "init-1")' },
  },
  {
    id: 'stackoneToolsList',
    label: 'StackOne POST /mcp tools/list (in a session) → 200 JSON-RPC',
    method: 'POST',
    path: '/mcp',
    headers: { authorization: basic, 'content-type': 'application/json', accept: 'application/json' },
    session: true,
    body: '{"jsonrpc":"2.0","id":8,"method":"tools/list"}',
    expect: 200,
    prism: { note: 'as for ping: the first example, whatever the method' },
  },
];

/** The request as sent to one target: its URL, headers (session included) and the status expected back. */
function requestFor(server, req) {
  const override = server.target.id === 'prism' ? req.prism : undefined;
  const headers = { ...req.headers, ...override?.headers };
  if (req.session) headers['mcp-session-id'] = server.session;
  return {
    url: `${server.url}${req.path}`,
    method: req.method,
    headers,
    body: req.body,
    expect: override?.expect ?? req.expect,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Servers kept for the serving and conformance phases

const running = new Map();

async function ensureServer(target, env = {}, cpuProfDir = undefined) {
  if (!running.has(target.id)) {
    const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, target.id)}`] : [];
    running.set(
      target.id,
      (async () => {
        const started = await startServer({
          args: [...profile, ...target.args],
          cwd: root,
          ready: listening,
          timeoutMs: 90_000,
          env,
        });
        const server = { target, child: started.child, url: started.url, tail: started.tail, exit: undefined };
        started.child.once('exit', (code, signal) => {
          server.exit = signal ?? `code ${code}`;
        });
        return server;
      })(),
    );
  }
  return running.get(target.id);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Mock serving

async function openSession(server) {
  const answer = await request(`${server.url}/mcp`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json', accept: 'application/json' },
    body: initializeBody,
  });
  const session = answer.headers['mcp-session-id'];
  if (answer.status !== 200 || typeof session !== 'string') {
    throw new Error(`${server.target.label}: initialize answered ${answer.status} without an mcp-session-id`);
  }
  return session;
}

/** Compare bare Express's answer with the mock's: status, header names and values, body (timestamps aside). */
function sameAnswer(mock, bare) {
  const differences = [];
  if (mock.status !== bare.status) differences.push(`status ${mock.status} vs ${bare.status}`);
  const ignored = new Set(['date', 'connection', 'keep-alive', 'mcp-session-id']);
  const names = new Set([...Object.keys(mock.headers), ...Object.keys(bare.headers)]);
  for (const name of names) {
    if (ignored.has(name)) continue;
    if (mock.headers[name] !== bare.headers[name]) {
      differences.push(`header ${name}: ${mock.headers[name] ?? '(none)'} vs ${bare.headers[name] ?? '(none)'}`);
    }
  }
  const normal = (body) => body.replace(/"timestamp":"[^"]*"/g, '"timestamp":"…"');
  if (normal(mock.body) !== normal(bare.body)) differences.push(`body ${mock.body} vs ${bare.body}`);
  return differences;
}

async function measureCell(server, req, options, warmupMs) {
  try {
    return await measureCellOnce(server, req, options, warmupMs);
  } catch (error) {
    if (server.exit === undefined) throw error;
    // A server that died under load is a finding in itself: say so, with its last words.
    throw new Error(
      `${server.target.label} (${server.target.command}) exited (${server.exit}) while serving ${req.label}; its last output: ${server.tail() || '(none)'}`,
    );
  }
}

async function measureCellOnce(server, req, options, warmupMs) {
  const spec = requestFor(server, req);
  const agent = keepAliveAgent(options.concurrency);
  try {
    await runLoad({ ...spec, agent, concurrency: options.concurrency, durationMs: warmupMs });
    const pids = processTree(server.child.pid);
    const machine0 = machineCpuSeconds();
    const serverCpu0 = cpuSeconds(pids);
    const frontCpu0 = cpuSeconds([server.child.pid]);
    const clientCpu0 = process.cpuUsage();
    const load = await runLoad({ ...spec, agent, concurrency: options.concurrency, durationMs: options.durationMs });
    const clientCpu = process.cpuUsage(clientCpu0);
    const serverCpu = cpuSeconds(pids) - serverCpu0;
    const frontCpu = cpuSeconds([server.child.pid]) - frontCpu0;
    const machine1 = machineCpuSeconds();
    const seconds = load.elapsedMs / 1000;
    const clientSeconds = (clientCpu.user + clientCpu.system) / 1e6;
    return {
      rps: load.rps,
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      maxMs: load.maxMs,
      requests: load.requests,
      unexpected: load.unexpected,
      errors: load.errors,
      lastError: load.lastError,
      serverCpuUsPerRequest: (serverCpu * 1e6) / load.requests,
      // The process the bench spawned, without its children: for Prism, the routing front process alone.
      frontCpuUsPerRequest: (frontCpu * 1e6) / load.requests,
      serverCores: serverCpu / seconds,
      clientCores: clientSeconds / seconds,
      // Everything else on the machine meanwhile (other processes, the kernel's share not charged to either).
      otherCores: Math.max(0, (machine1.busy - machine0.busy - serverCpu - clientSeconds) / seconds),
      stealCores: (machine1.steal - machine0.steal) / seconds,
    };
  } finally {
    agent.destroy();
  }
}

async function servingPhase(options) {
  log('serving: starting the four servers…');
  const [mock, ...others] = await Promise.all(
    targets.filter((t) => t.id !== 'bare').map((t) => ensureServer(t, {}, options.cpuProfDir)),
  );
  // Bare Express answers tools/list with the mock's current catalogue, read from the mock itself.
  const toolsList = requests.find((r) => r.id === 'stackoneToolsList');
  const tools = JSON.parse(
    (
      await request(`${mock.url}/mcp`, {
        method: 'POST',
        headers: { ...toolsList.headers, 'mcp-session-id': await openSession(mock) },
        body: toolsList.body,
      })
    ).body,
  ).result.tools;
  const bare = await ensureServer(
    targets.find((t) => t.id === 'bare'),
    { BENCH_BARE_TOOLS: JSON.stringify(tools) },
    options.cpuProfDir,
  );
  const servers = [mock, ...others, bare];
  for (const server of servers) server.session = await openSession(server);

  // What each target answers to each request, once, before any load: the bench must measure the right thing.
  const answers = {};
  const identity = {};
  for (const req of requests) {
    answers[req.id] = {};
    for (const server of servers) {
      const spec = requestFor(server, req);
      const answer = await request(spec.url, spec);
      if (answer.status !== spec.expect) {
        throw new Error(
          `${server.target.label} answered ${answer.status} to ${req.label} (expected ${spec.expect}): ${answer.body.slice(0, 200)}`,
        );
      }
      answers[req.id][server.target.id] = answer;
    }
    identity[req.id] = sameAnswer(answers[req.id].mock, answers[req.id].bare);
    if (identity[req.id].length > 0) {
      log(`WARNING: bare Express does not answer ${req.label} as the mock does: ${identity[req.id].join('; ')}`);
    }
  }

  // V8 needs a few seconds of load before a server reaches its steady speed (measured here: the first 2–3 s of
  // load run at a third to a half of it). So every server first gets `prewarmMs` of all the requests in turn.
  for (const server of servers) {
    log(`serving: warming up ${server.target.label} for ${options.prewarmMs} ms…`);
    for (const req of requests) {
      const agent = keepAliveAgent(options.concurrency);
      try {
        await runLoad({
          ...requestFor(server, req),
          agent,
          concurrency: options.concurrency,
          durationMs: options.prewarmMs / requests.length,
        });
      } finally {
        agent.destroy();
      }
    }
  }

  // A cell measured while something else took a good share of the CPU says more about that than about the server:
  // it is measured again, at most twice, within a bounded total (the table still says how many stayed contended).
  let retryBudgetMs = options.retryBudgetMs;
  let retried = 0;
  const cells = {};
  for (const req of requests) {
    cells[req.id] = {};
    for (const t of targets) cells[req.id][t.id] = [];
  }
  for (let r = 0; r < options.rounds; r++) {
    for (const req of requests) {
      // Rotate the order of the targets from round to round, so no target always runs first (or right after Prism).
      const order = servers.map((_, i) => servers[(i + r) % servers.length]);
      for (const server of order) {
        let cell = await measureCell(server, req, options, options.warmupMs);
        let tries = 0;
        while (cell.otherCores >= quietBelowCores && tries < 2 && retryBudgetMs > 0) {
          log(
            `serving: ${req.id} ${server.target.id}: ${cell.otherCores.toFixed(2)} cores of other load meanwhile; measuring again`,
          );
          retryBudgetMs -= options.durationMs + options.warmupMs;
          tries++;
          retried++;
          cell = await measureCell(server, req, options, options.warmupMs);
        }
        cell.retries = tries;
        cells[req.id][server.target.id].push(cell);
        log(
          `serving: round ${r + 1}/${options.rounds} ${req.id} ${server.target.id}: ${Math.round(cell.rps)} req/s, p50 ${cell.p50Ms.toFixed(2)} ms, p99 ${cell.p99Ms.toFixed(2)} ms${cell.errors + cell.unexpected > 0 ? ` (${cell.errors} errors, ${cell.unexpected} unexpected)` : ''}`,
        );
      }
    }
  }

  const rows = requests.map((req) => {
    const byTarget = {};
    for (const t of targets) {
      const rounds = cells[req.id][t.id];
      const answer = answers[req.id][t.id];
      byTarget[t.id] = {
        rps: round(median(rounds.map((c) => c.rps))),
        rpsSpreadPercent: round(spreadPercent(rounds.map((c) => c.rps)), 1),
        p50Ms: round(median(rounds.map((c) => c.p50Ms)), 3),
        p99Ms: round(median(rounds.map((c) => c.p99Ms)), 3),
        serverCpuUsPerRequest: round(median(rounds.map((c) => c.serverCpuUsPerRequest)), 1),
        frontCpuUsPerRequest: round(median(rounds.map((c) => c.frontCpuUsPerRequest)), 1),
        serverCores: round(median(rounds.map((c) => c.serverCores)), 2),
        clientCores: round(median(rounds.map((c) => c.clientCores)), 2),
        otherCores: round(median(rounds.map((c) => c.otherCores)), 2),
        stealCores: round(median(rounds.map((c) => c.stealCores)), 2),
        requests: rounds.reduce((s, c) => s + c.requests, 0),
        errors: rounds.reduce((s, c) => s + c.errors, 0),
        unexpected: rounds.reduce((s, c) => s + c.unexpected, 0),
        contendedRounds: rounds.filter((c) => c.otherCores >= quietBelowCores).length,
        retries: rounds.reduce((s, c) => s + c.retries, 0),
        answered: {
          status: answer.status,
          contentType: answer.headers['content-type'] ?? null,
          bodyBytes: Buffer.byteLength(answer.body),
        },
        rounds: rounds.map((c) => ({
          rps: round(c.rps),
          p50Ms: round(c.p50Ms, 3),
          p99Ms: round(c.p99Ms, 3),
          serverCpuUsPerRequest: round(c.serverCpuUsPerRequest, 1),
          clientCores: round(c.clientCores, 2),
          otherCores: round(c.otherCores, 2),
        })),
      };
    }
    const rps = (id) => byTarget[id].rps;
    const cost = (id) => byTarget[id].serverCpuUsPerRequest;
    return {
      id: req.id,
      label: req.label,
      prismNote: req.prism?.note ?? null,
      bareIdenticalToMock: identity[req.id].length === 0,
      bareDifferences: identity[req.id],
      targets: byTarget,
      throughputRatios: {
        mockOverBare: round(ratio(rps('mock'), rps('bare')), 3),
        mockSelfCheckOverBare: round(ratio(rps('mockSelfCheck'), rps('bare')), 3),
        prismOverBare: round(ratio(rps('prism'), rps('bare')), 3),
        mockOverPrism: round(ratio(rps('mock'), rps('prism')), 3),
      },
      cpuCostRatios: {
        mockOverBare: round(ratio(cost('mock'), cost('bare')), 2),
        mockSelfCheckOverBare: round(ratio(cost('mockSelfCheck'), cost('bare')), 2),
        prismOverBare: round(ratio(cost('prism'), cost('bare')), 2),
        mockOverPrism: round(ratio(cost('mock'), cost('prism')), 2),
      },
    };
  });
  const overall = (key, ratioKey) => round(geomean(rows.map((row) => row[key][ratioKey])), 3);
  return {
    targets: targets.map((t) => ({ id: t.id, label: t.label, command: t.command })),
    remeasured: retried,
    contendedCells: rows.reduce(
      (n, row) => n + Object.values(row.targets).reduce((m, c) => m + c.contendedRounds, 0),
      0,
    ),
    cellCount: rows.length * targets.length * options.rounds,
    rows,
    geomean: {
      throughputRatios: Object.fromEntries(
        Object.keys(rows[0].throughputRatios).map((k) => [k, overall('throughputRatios', k)]),
      ),
      cpuCostRatios: Object.fromEntries(
        Object.keys(rows[0].cpuCostRatios).map((k) => [k, overall('cpuCostRatios', k)]),
      ),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Conformance run time

function parseWorker(result, what) {
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${what}: no result (exit ${result.code}): ${result.stderr.trim().slice(-400)}`);
  }
}

function summariseRuns(runs) {
  const warm = runs.length > 1 ? runs.slice(1) : runs;
  const wall = median(warm.map((r) => r.wallMs));
  const requestsSent = median(warm.map((r) => r.requests));
  return {
    runs: runs.length,
    firstRunWallMs: round(runs[0].wallMs),
    medianWallMs: round(wall),
    medianRunMs: round(median(warm.map((r) => r.runMs))),
    wallSpreadPercent: round(spreadPercent(warm.map((r) => r.wallMs)), 1),
    requests: requestsSent,
    requestsPerSecond: round((requestsSent / wall) * 1000),
    cases: runs[0].cases,
    failures: runs.map((r) => r.failures),
    errored: runs.map((r) => r.errored),
    coveragePercent: runs[0].coveragePercent,
    wallMs: runs.map((r) => round(r.wallMs)),
    cpuUsPerRequest: round(median(warm.map((r) => r.cpuUsPerRequest))),
  };
}

async function conformancePhase(options) {
  log(`conformance: ${options.conformanceRuns} in-process run(s) against the reference mock…`);
  const reference = parseWorker(
    await runToExit({
      args: ['bench/conformance-worker.js', 'reference', String(options.conformanceRuns)],
      cwd: root,
      timeoutMs: 120_000,
    }),
    'reference conformance',
  );
  const prismTarget = targets.find((t) => t.id === 'prism');
  const prism = await ensureServer(prismTarget);
  log(`conformance: ${options.prismConformanceRuns} run(s) against Prism at ${prism.url}…`);
  const againstPrism = parseWorker(
    await runToExit({
      args: ['bench/conformance-worker.js', prism.url, String(options.prismConformanceRuns)],
      cwd: root,
      timeoutMs: 120_000,
    }),
    'Prism conformance',
  );

  const timed = async (label, args, runs) => {
    const out = [];
    for (let i = 0; i < runs; i++) {
      log(`conformance: ${label} (${i + 1}/${runs})…`);
      const result = await runToExit({ args, cwd: root, timeoutMs: 60_000 });
      out.push({ wallMs: result.wallMs, code: result.code });
    }
    return {
      command: `node ${args.join(' ')}`,
      runs,
      medianWallMs: round(median(out.map((r) => r.wallMs))),
      minWallMs: round(Math.min(...out.map((r) => r.wallMs))),
      maxWallMs: round(Math.max(...out.map((r) => r.wallMs))),
      exitCodes: out.map((r) => r.code),
    };
  };
  const cliConformance = await timed('CLI end to end', [cli, 'conformance'], options.cliRuns);
  const cliVersion = await timed('CLI --version', [cli, '--version'], options.cliRuns);
  const nodeEmpty = await timed('node -e ""', ['-e', ''], options.cliRuns);
  nodeEmpty.command = 'node -e ""';
  const budgetMs = 2000;
  return {
    referenceInProcess: { importMs: round(reference.importMs), ...summariseRuns(reference.runs) },
    prism: { importMs: round(againstPrism.importMs), ...summariseRuns(againstPrism.runs) },
    ratios: {
      referenceOverPrismWall: round(
        ratio(summariseRuns(reference.runs).medianWallMs, summariseRuns(againstPrism.runs).medianWallMs),
        3,
      ),
    },
    cli: {
      conformance: { ...cliConformance, budgetMs, withinBudget: cliConformance.maxWallMs < budgetMs },
      version: cliVersion,
      nodeEmpty,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Start-up

async function firstSuccess(server, req, deadlineMs) {
  const spec = requestFor(server, req);
  for (;;) {
    try {
      const answer = await request(spec.url, { ...spec, timeoutMs: 2000 });
      if (answer.status === spec.expect) return;
    } catch {
      // not yet
    }
    if (performance.now() > deadlineMs) throw new Error(`${server.target.label}: no ${spec.expect} in time`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function startupPhase(options) {
  const ids = ['mock', 'prism', 'bare'];
  const samples = Object.fromEntries(ids.map((id) => [id, []]));
  const probe = requests[0];
  for (let i = 0; i < options.startupRuns; i++) {
    for (const id of ids) {
      const target = targets.find((t) => t.id === id);
      log(`startup: ${target.label} (${i + 1}/${options.startupRuns})…`);
      const started = await startServer({ args: target.args, cwd: root, ready: listening, timeoutMs: 90_000 });
      try {
        await firstSuccess({ target, url: started.url }, probe, performance.now() + 10_000);
        samples[id].push({ readyMs: performance.now() - started.started, listeningLineMs: started.readyLineMs });
      } finally {
        const stopping = performance.now();
        await stopChild(started.child);
        log(`startup: ${target.label} stopped in ${Math.round(performance.now() - stopping)} ms`);
      }
    }
  }
  const result = {};
  for (const id of ids) {
    const ready = samples[id].map((s) => s.readyMs);
    result[id] = {
      label: targets.find((t) => t.id === id).label,
      runs: ready.length,
      medianReadyMs: round(median(ready)),
      minReadyMs: round(Math.min(...ready)),
      maxReadyMs: round(Math.max(...ready)),
      readyMs: ready.map((v) => round(v)),
    };
  }
  result.ratios = {
    mockOverBare: round(ratio(result.mock.medianReadyMs, result.bare.medianReadyMs), 2),
    prismOverBare: round(ratio(result.prism.medianReadyMs, result.bare.medianReadyMs), 2),
    prismOverMock: round(ratio(result.prism.medianReadyMs, result.mock.medianReadyMs), 2),
  };
  result.probe = probe.label;
  return result;
}

// ---------------------------------------------------------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    loadAverageAtStart: os.loadavg().map((v) => round(v, 2)),
  };
}

/** The commit measured, and whether the work tree had changes outside bench/ and BENCHMARKS.md. */
function revision() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain')
      .split('\n')
      .filter((line) => line && !/ (bench\/|BENCHMARKS\.md|package\.json|node_modules)/.test(line));
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedChanges: changed.length };
  } catch {
    return { commit: null, uncommittedChanges: null };
  }
}

function commandLine(argv) {
  const extra = argv.length > 0 ? ` -- ${argv.join(' ')}` : '';
  return process.env.npm_lifecycle_event === 'bench' ? `npm run bench${extra}` : `node bench/run.js ${argv.join(' ')}`;
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const results = {
    date: startedAt.toISOString(),
    command: commandLine(argv),
    revision: revision(),
    machine: machine(),
    settings: {
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      rounds: options.rounds,
      warmupMs: options.warmupMs,
      prewarmMs: options.prewarmMs,
      retryBudgetMs: options.retryBudgetMs,
      quietBelowCores,
      startupRuns: options.startupRuns,
      conformanceRuns: options.conformanceRuns,
      prismConformanceRuns: options.prismConformanceRuns,
      cliRuns: options.cliRuns,
    },
  };
  // How much CPU everything else on the machine took during each phase: with 2 cores, another test suite running
  // meanwhile halves what the servers get, and the figures say more about that than about the servers.
  const otherLoad = {};
  const phase = async (name, run) => {
    if (!options.phases.includes(name)) return;
    const machine0 = machineCpuSeconds();
    const own0 = ownTreeCpuSeconds();
    const started = performance.now();
    results[name] = await run(options);
    const seconds = (performance.now() - started) / 1000;
    const other = (machineCpuSeconds().busy - machine0.busy - (ownTreeCpuSeconds() - own0)) / seconds;
    otherLoad[name] = round(Math.max(0, other), 2);
  };
  // Start-up first, while nothing else of ours runs; then serving; conformance last (it reuses Prism).
  await phase('startup', startupPhase);
  await phase('serving', servingPhase);
  await phase('load', (o) => loadPhase(o, ensureServer, targets, log));
  await phase('conformance', conformancePhase);
  await phase('mockSpec', async (o) => (await import('./mock-spec.js')).mockSpecPhase(o, log));
  // Last, with every server stopped: the big-spec commands want the cores to themselves.
  await stopAllChildren();
  await phase('scale', (o) => scalePhase(o, log));
  await phase('throughput', (o) => throughputPhase(o, log));
  await stopAllChildren();
  results.machine.otherLoadCores = otherLoad;
  results.machine.quiet = Object.values(otherLoad).every((v) => v !== null && v < quietBelowCores);
  results.totalSeconds = round((performance.now() - t0) / 1000, 1);
  results.machine.loadAverageAtEnd = os.loadavg().map((v) => round(v, 2));

  let text = renderResults(results);
  if (results.load) text += `\n\n${renderLoad(results.load, options).join('\n')}`;
  if (results.scale) text += `\n\n${renderScale(results.scale, results.load).join('\n')}`;
  if (results.throughput) text += `\n\n${renderThroughput(results.throughput).join('\n')}`;
  if (results.conformance?.prism) {
    text += `\n\nThe runner's own CPU per request (median of the warm runs against Prism, another process): ${results.conformance.prism.cpuUsPerRequest} µs — the conformance worker's CPU time over the requests it sent, planning and checking included.`;
  }
  process.stdout.write(`${text}\n`);
  if (options.cpuProfDir) {
    log(
      `CPU profiles of the servers (front process only for Prism): node bench/profile-summary.js ${options.cpuProfDir}`,
    );
  }
  if (options.write) {
    writeFileSync(join(root, 'bench', 'results.json'), `${formatJson(results)}\n`);
    const file = join(root, 'BENCHMARKS.md');
    writeFileSync(file, updateBenchmarksMarkdown(existsSync(file) ? readFileSync(file, 'utf8') : undefined, text));
    log('wrote bench/results.json and BENCHMARKS.md');
  } else {
    log('(--no-write: bench/results.json and BENCHMARKS.md left as they were)');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Every child goes, whatever happens: normal end, error, SIGINT/SIGTERM, or the time budget running out.

let stopping = false;
async function abort(message, code) {
  if (stopping) return;
  stopping = true;
  log(message);
  await stopAllChildren(2000);
  process.exit(code);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.on('exit', killAllChildrenNow);
  process.on('SIGINT', () => abort('SIGINT: stopping every server the bench started…', 130));
  process.on('SIGTERM', () => abort('SIGTERM: stopping every server the bench started…', 143));
  let budget;
  try {
    budget = parseOptions(process.argv.slice(2)).budgetSeconds;
  } catch {
    budget = 240;
  }
  const timer = setTimeout(
    () => abort(`bench: over its ${budget} s budget; stopped (raise it with --budget SECONDS)`, 2),
    budget * 1000,
  );
  main()
    .catch(async (error) => {
      log(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
      await stopAllChildren(2000);
      process.exitCode = 2;
    })
    .finally(() => clearTimeout(timer));
}
