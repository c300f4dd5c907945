// `npm run bench`, phase `load`: the mock, Prism and a bare Express handler under autocannon, each load run in a
// process of its own (bench/autocannon-worker.js), at 16 and 50 connections, in alternating rounds (the order of the
// servers rotates every round), so that a slow minute on a shared machine falls on all three alike.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, median, processTree, ratio, round, spreadPercent } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const worker = fileURLToPath(new URL('./autocannon-worker.js', import.meta.url));

/** The route of the target: LangSmith DELETE → 204 (the same answer from all three servers). */
export const loadRoute = {
  id: 'langsmithDelete',
  method: 'DELETE',
  path: '/v1/deepagents/mcp-servers/3fa85f64-5717-4562-b3fc-2c963f66afa6',
  headers: { 'x-api-key': 'demo-key' },
  expect: 204,
};
/**
 * The peers are Prism and a bare Express handler as people write one (`bare`). The mock's own server makes
 * each request with Express's prototypes already in place (mock/server.ts), which spares it the prototype swap that
 * costs a bare Express app most of its time per request (expressjs/express#5998); `bareTuned` is the same bare
 * handler with that one trick, so the table also shows what the mock costs over Express's floor, trick for trick.
 */
export const loadServers = ['mock', 'prism', 'bare', 'bareTuned'];
export const tunedBare = {
  id: 'bareTuned',
  label: 'bare Express 5, app prototypes',
  command: 'node bench/bare-server.js 0 --app-prototypes',
  args: ['bench/bare-server.js', '0', '--app-prototypes'],
};

export function autocannon(options, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [worker, JSON.stringify(options)],
      { cwd: root, timeout: timeoutMs, maxBuffer: 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    );
  });
}

/** One measured cell: a warm-up run (discarded), then `durationS` measured, with the server's CPU from /proc. */
async function cell(server, connections, options) {
  const base = {
    url: `${server.url}${loadRoute.path}`,
    method: loadRoute.method,
    headers: loadRoute.headers,
    connections,
  };
  await autocannon({ ...base, duration: options.loadWarmupS }, (options.loadWarmupS + 30) * 1000);
  const pids = processTree(server.child.pid);
  const cpu0 = cpuSeconds(pids);
  const result = await autocannon({ ...base, duration: options.loadDurationS }, (options.loadDurationS + 30) * 1000);
  const serverCpu = cpuSeconds(pids) - cpu0;
  const wrong = Object.entries(result.statusCodes ?? {})
    .filter(([status]) => Number(status) !== loadRoute.expect)
    .reduce((n, [, v]) => n + (v.count ?? 0), 0);
  return { ...result, wrong, serverCpuUsPerRequest: (serverCpu * 1e6) / Math.max(1, result.requests) };
}

/** Status, headers (but those that change per answer) and body of one answer to the load route. */
async function answerOf(server) {
  const response = await fetch(`${server.url}${loadRoute.path}`, {
    method: loadRoute.method,
    headers: loadRoute.headers,
  });
  const varying = new Set(['date', 'connection', 'keep-alive']);
  const headers = [...response.headers].filter(([name]) => !varying.has(name));
  return JSON.stringify({ status: response.status, headers, body: await response.text() });
}

export async function loadPhase(options, ensureServer, targets, log) {
  const servers = {};
  const all = [...targets, tunedBare];
  for (const id of loadServers) servers[id] = await ensureServer(all.find((t) => t.id === id));
  // The floors must answer what the mock answers, byte for byte (timestamps aside), or a ratio compares unlike work.
  const mock = await answerOf(servers.mock);
  for (const id of ['bare', 'bareTuned']) {
    const bare = await answerOf(servers[id]);
    if (mock !== bare) throw new Error(`${id} does not answer the load route as the mock does: ${bare} vs ${mock}`);
  }
  const cells = [];
  for (const connections of options.loadConnections) {
    for (let roundNo = 0; roundNo < options.rounds; roundNo++) {
      const order = loadServers.map((_, i) => loadServers[(i + roundNo) % loadServers.length]);
      for (const id of order) {
        log(`load: ${connections} connections, round ${roundNo + 1}/${options.rounds}, ${id}…`);
        cells.push({ server: id, connections, round: roundNo + 1, ...(await cell(servers[id], connections, options)) });
      }
    }
  }
  const summary = {};
  for (const connections of options.loadConnections) {
    const of = (id) => cells.filter((c) => c.server === id && c.connections === connections);
    const row = {};
    for (const id of loadServers) {
      const runs = of(id);
      row[id] = {
        rps: round(median(runs.map((c) => c.rps))),
        spreadPercent: round(spreadPercent(runs.map((c) => c.rps)), 1),
        p50Ms: median(runs.map((c) => c.p50Ms)),
        p99Ms: median(runs.map((c) => c.p99Ms)),
        serverCpuUsPerRequest: round(median(runs.map((c) => c.serverCpuUsPerRequest))),
        clientCpuS: round(median(runs.map((c) => c.clientCpuS)), 2),
        wrong: runs.reduce((n, c) => n + c.wrong + c.errors + c.timeouts, 0),
      };
    }
    row.mockOverBare = round(ratio(row.mock.rps, row.bare.rps), 2);
    row.mockOverPrism = round(ratio(row.mock.rps, row.prism.rps), 2);
    row.mockOverTunedBare = round(ratio(row.mock.rps, row.bareTuned.rps), 2);
    // Server CPU per request, the other way up (bare's cost over the mock's): above 1, the mock costs less.
    row.cpuBareOverMock = round(ratio(row.bare.serverCpuUsPerRequest, row.mock.serverCpuUsPerRequest), 2);
    row.cpuTunedBareOverMock = round(ratio(row.bareTuned.serverCpuUsPerRequest, row.mock.serverCpuUsPerRequest), 2);
    summary[connections] = row;
  }
  return { route: `${loadRoute.method} ${loadRoute.path} → ${loadRoute.expect}`, cells, summary };
}

const labels = {
  mock: 'mock (reference)',
  prism: 'Prism 5.14 (mock --engine prism)',
  bare: 'bare Express 5',
  bareTuned: 'bare Express 5, app prototypes (`--app-prototypes`)',
};

export function renderLoad(load, options) {
  const out = [
    '### Mock under load (autocannon)',
    '',
    `autocannon 9 in its own process (\`bench/autocannon-worker.js\`), ${load.route}, ${options.rounds} alternating round(s) per connection count (server order rotates), each ${options.loadWarmupS} s warm-up then ${options.loadDurationS} s measured; medians over rounds.`,
    '',
    '| connections | server | req/s | spread | p50 ms | p99 ms | server CPU µs/req | load generator CPU s | wrong/errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [connections, row] of Object.entries(load.summary)) {
    for (const id of loadServers) {
      const r = row[id];
      out.push(
        `| ${connections} | ${labels[id]} | ${r.rps.toLocaleString('en-US')} | ±${r.spreadPercent} % | ${r.p50Ms} | ${r.p99Ms} | ${r.serverCpuUsPerRequest} | ${r.clientCpuS} | ${r.wrong} |`,
      );
    }
  }
  out.push(
    '',
    'Ratios of req/s (the mock over each peer), and of server CPU per request (each bare peer’s over the mock’s: above 1×, the mock does the same answer for less). Where the load generator is near a whole core, it sets the pace, and CPU per request is the truer comparison.',
    '',
    '| connections | mock / bare Express | mock / Prism | mock / bare Express, app prototypes | CPU per request: bare / mock | CPU per request: bare with app prototypes / mock |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const [connections, row] of Object.entries(load.summary)) {
    out.push(
      `| ${connections} | ${row.mockOverBare}× | ${row.mockOverPrism}× | ${row.mockOverTunedBare}× | ${row.cpuBareOverMock}× | ${row.cpuTunedBareOverMock}× |`,
    );
  }
  return out;
}
