// The `mock --spec FILE` phase of `npm run bench` (issue 11): the reference mock serving Petstore 3.0 from its
// file against Stoplight Prism serving the same file, each in its own child process, the load from autocannon in
// a third process (so the load generator's CPU is charged to neither server). Figures: req/s, p50/p99 latency,
// and the servers' CPU per request (µs, the server's whole process tree, from /proc).
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, median, processTree, round, request as send, startServer, stopChild } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const petstore = 'node_modules/@readme/oas-examples/3.0/json/petstore.json';
const autocannon = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const prismCli = fileURLToPath(new URL('../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));
const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** A free port for Prism, which takes no port 0. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The status of one GET, or 0 while nothing listens. */
async function requestStatus(url, headers) {
  try {
    return (await send(url, { headers, timeoutMs: 2000 })).status;
  } catch {
    return 0;
  }
}

/** autocannon in its own process: its JSON summary. */
function load(url, headers, { connections, durationSeconds }) {
  const args = [autocannon, '--json', '-c', String(connections), '-d', String(durationSeconds)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(new Error(`autocannon ${url}: ${error.message}`));
      try {
        resolve(JSON.parse(stdout));
      } catch (parse) {
        reject(new Error(`autocannon ${url}: no JSON summary (${parse.message})`));
      }
    });
  });
}

async function measure(server, path, headers, options) {
  const url = `${server.url}${path}`;
  // Warm-up: JIT, Prism's first-request work.
  await load(url, headers, { connections: options.connections, durationSeconds: 1 });
  const rounds = [];
  for (let i = 0; i < options.rounds; i++) {
    const pids = processTree(server.child.pid);
    const cpu0 = cpuSeconds(pids);
    const result = await load(url, headers, options);
    const cpu = cpuSeconds(pids) - cpu0;
    const requests = result.requests.total;
    const ok = result['2xx'];
    if (ok !== requests || result.errors > 0) {
      throw new Error(`${url}: ${requests - ok} of ${requests} answers were not 2xx, ${result.errors} errors`);
    }
    rounds.push({
      rps: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      cpuUsPerRequest: (cpu * 1e6) / requests,
      requests,
    });
  }
  const pick = (key) => round(median(rounds.map((r) => r[key])), key === 'rps' || key.startsWith('cpu') ? 0 : 1);
  return {
    rps: pick('rps'),
    p50Ms: pick('p50Ms'),
    p99Ms: pick('p99Ms'),
    cpuUsPerRequest: pick('cpuUsPerRequest'),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
  };
}

/** The phase: `{ spec, request, settings, mock, prism, ratio }` for bench/results.json. */
export async function mockSpecPhase(options, log = () => {}) {
  const settings = {
    connections: options.concurrency ?? 16,
    durationSeconds: Math.max(1, Math.round((options.durationMs ?? 2000) / 1000)),
    rounds: options.rounds ?? 3,
  };
  // Petstore's findByStatus: a documented 200 from the spec, through credentials, parameter validation and the
  // response path of each engine; Prism serves the file without its `servers` base path.
  const path = '/pet/findByStatus?status=available';
  const request = { method: 'GET', path, auth: 'Authorization: Bearer t' };
  const headers = { Authorization: 'Bearer t', api_key: 'k' };
  log('mock --spec: starting the reference mock and Prism on Petstore 3.0…');
  const port = await freePort();
  const [mock, prism] = await Promise.all([
    startServer({
      args: ['bin/mcp-contracts.js', 'mock', '--spec', petstore, '--port', '0', '--quiet'],
      cwd: root,
      ready: listening,
      timeoutMs: 90_000,
    }),
    startServer({
      // `--verboseLevel warn`: no log line per request, as the mock's --quiet. At that level Prism says nothing once
      // it listens, so it is ready when it answers (below).
      args: [prismCli, 'mock', petstore, '--port', String(port), '--host', '127.0.0.1', '--verboseLevel', 'warn'],
      cwd: root,
      ready: /(Starting Prism)/,
      timeoutMs: 90_000,
    }).then(async (started) => {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300; i++) {
        const status = await requestStatus(`${url}${path}`, headers);
        if (status === 200) return { ...started, url };
        await new Promise((done) => setTimeout(done, 100));
      }
      throw new Error(`Prism on ${url} did not answer 200 within 30 s`);
    }),
  ]);
  try {
    log('mock --spec: loading the reference mock…');
    const ours = await measure(mock, `/v2${request.path}`, headers, settings);
    log('mock --spec: loading Prism…');
    const theirs = await measure(prism, request.path, headers, settings);
    log(
      `mock --spec: mock ${ours.rps} req/s, ${ours.cpuUsPerRequest} µs CPU/request; Prism ${theirs.rps} req/s, ${theirs.cpuUsPerRequest} µs CPU/request`,
    );
    return {
      spec: '@readme/oas-examples 3.0 petstore.json',
      request: `${request.method} ${request.path} (${request.auth})`,
      load: 'autocannon in its own process, keep-alive',
      settings,
      mock: ours,
      prism: theirs,
      rpsRatio: round(ours.rps / theirs.rps, 2),
      cpuPerRequestRatio: round(theirs.cpuUsPerRequest / ours.cpuUsPerRequest, 2),
    };
  } finally {
    await Promise.all([stopChild(mock.child), stopChild(prism.child)]);
  }
}

// `node bench/mock-spec.js`: this phase alone, printed (bench/run.js writes it to bench/results.json).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await mockSpecPhase({}, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
