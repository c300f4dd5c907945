// Helpers for `npm run bench`: statistics, child processes, CPU accounting from /proc, and a keep-alive load
// generator. Nothing here prints; bench/run.js decides what is shown and written.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';

// ---------------------------------------------------------------------------------------------------------------
// Statistics

/** Nearest-rank percentile (p in 0..100) of an already sorted numeric array; NaN when empty. */
export function percentileSorted(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Median of a list of numbers (the mean of the middle two for an even count); NaN when empty. */
export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** (max − min) / median, as a percentage: the spread of repeated measurements of one thing. */
export function spreadPercent(values) {
  const xs = values.filter((v) => Number.isFinite(v));
  const m = median(xs);
  if (xs.length < 2 || !(m > 0)) return 0;
  return ((Math.max(...xs) - Math.min(...xs)) / m) * 100;
}

/** a / b, or NaN when either side is missing or b is zero. */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}

/** Geometric mean of positive finite values; NaN when there are none. */
export function geomean(values) {
  const xs = values.filter((v) => Number.isFinite(v) && v > 0);
  if (xs.length === 0) return Number.NaN;
  return Math.exp(xs.reduce((s, v) => s + Math.log(v), 0) / xs.length);
}

/** Round for display and for results.json: NaN becomes null. */
export function round(value, digits = 0) {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

// ---------------------------------------------------------------------------------------------------------------
// CPU time of a process tree, from /proc (Linux). Clock ticks are 1/100 s here (getconf CLK_TCK = 100), so a
// measurement of a few seconds reads CPU time to within about 1 %.

const clockTicksPerSecond = 100;

/** Whether per-process CPU accounting is available (Linux /proc). */
export const procAvailable = existsSync('/proc/self/stat');

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; the fields after it are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      // Children that have exited and been waited for are added here (cutime + cstime).
      childTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/** `pid` and all its descendants (this kernel has no /proc/<pid>/task/<tid>/children, so scan /proc). */
export function processTree(pid) {
  if (!procAvailable) return [pid];
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat) parentOf.set(Number(entry), stat.ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** User + system CPU seconds used so far by these processes (those that have exited count as 0). */
export function cpuSeconds(pids) {
  if (!procAvailable) return Number.NaN;
  let ticks = 0;
  for (const pid of pids) ticks += readStat(pid)?.ticks ?? 0;
  return ticks / clockTicksPerSecond;
}

/**
 * CPU seconds used by this process and every process it started, alive or already exited (an exited child's time
 * reaches its parent's cutime/cstime once it has been waited for, which Node does). Machine busy time less this is
 * the load from everything else.
 */
export function ownTreeCpuSeconds() {
  if (!procAvailable) return Number.NaN;
  let ticks = 0;
  for (const pid of processTree(process.pid)) {
    const stat = readStat(pid);
    if (stat) ticks += stat.ticks + stat.childTicks;
  }
  return ticks / clockTicksPerSecond;
}

/**
 * The whole machine's CPU counters from /proc/stat, in seconds: busy (everything but idle and iowait), steal (time
 * a hypervisor gave to another guest) and the number of cores. The difference of two readings, less what the
 * server and the bench used, is the load from everything else on the machine during a measurement.
 */
export function machineCpuSeconds() {
  if (!procAvailable) return { busy: Number.NaN, steal: Number.NaN };
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: (user + nice + system + irq + softirq) / clockTicksPerSecond, steal: steal / clockTicksPerSecond };
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes. Every server child gets a preload that ends it when its stdin pipe closes, so even a bench
// killed with SIGKILL leaves nothing behind (the same trick mock/prism/engine.ts uses for Prism's children). The
// pipe is unref'd: it must not keep a child alive that is shutting down by itself after SIGTERM.

const watchdog = "data:text/javascript,process.stdin.on('end',()=>process.exit(0)).resume().unref()";
const children = new Set();

export function liveChildren() {
  return [...children];
}

/**
 * Spawn `node ...args` in `cwd` and resolve once a line of its stdout matches `ready` (the first capture group is
 * returned as `url`), with the time from spawn to that line. Rejects with the child's last words on exit or timeout.
 */
export function startServer({ args, cwd, ready, timeoutMs, env = {} }) {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', watchdog, ...args], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  // The last 8 KB of what the child said, on either stream: for the message when it dies.
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 8 * 1024) output = output.slice(-8 * 1024);
  };
  child.stderr.on('data', keep);
  const tail = () => output.trim().split('\n').slice(-6).join(' | ');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    const fail = (why) => {
      clearTimeout(timer);
      stopChild(child);
      const last = tail();
      reject(new Error(`node ${args.join(' ')}: ${why}${last ? ` (last output: ${last})` : ''}`));
    };
    const onData = (chunk) => {
      keep(chunk);
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      // Keep draining stdout (a chatty child must never block on a full pipe), keeping only its tail.
      child.stdout.off('data', onData);
      child.stdout.on('data', keep);
      resolve({ child, url: match[1], readyLineMs: performance.now() - started, started, tail });
    };
    const onExit = (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before it was ready`);
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) => fail(error.message));
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function stopAllChildren(graceMs = 3000) {
  return Promise.all(liveChildren().map((c) => stopChild(c, graceMs)));
}

/** Last resort on process exit: nothing can be awaited any more, so SIGKILL whatever is left. */
export function killAllChildrenNow() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Run `node ...args` to completion; resolves with wall time (spawn → exit), exit code and output. */
export function runToExit({ args, cwd, timeoutMs, env = {} }) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    if (stdout.length < 4 * 1024 * 1024) stdout += c.toString();
  });
  child.stderr.on('data', (c) => {
    if (stderr.length < 64 * 1024) stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ wallMs: performance.now() - started, code, signal, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

/**
 * One request; resolves with status, headers and body (as text). `agent` false opens a fresh connection.
 * Never follows redirects; times out after `timeoutMs`.
 */
export function request(url, { method = 'GET', headers = {}, body, agent = false, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: withLength(headers, body), agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function withLength(headers, body) {
  return body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
}

/**
 * Closed-loop load: `concurrency` workers, each sending the next request as soon as the previous answer has been
 * read to the end, over keep-alive connections of `agent`, for `durationMs`. Latency is measured per request
 * (send → last byte). A request that errors, or answers another status than `expect`, is counted apart.
 */
export async function runLoad({ url, method, headers, body, expect, agent, concurrency, durationMs }) {
  const target = new URL(url);
  const options = {
    host: target.hostname,
    port: target.port,
    path: `${target.pathname}${target.search}`,
    method,
    headers: withLength(headers, body),
    agent,
  };
  const payload = body === undefined ? undefined : Buffer.from(body);
  const latencies = [];
  let unexpected = 0;
  let errors = 0;
  let lastError;
  const sendOne = () =>
    new Promise((resolve, reject) => {
      const req = http.request(options, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode));
        res.on('error', reject);
      });
      req.setTimeout(5000, () => req.destroy(new Error('timeout after 5000 ms')));
      req.on('error', reject);
      req.end(payload);
    });
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const status = await sendOne();
        latencies.push(performance.now() - t0);
        if (status !== expect) unexpected++;
      } catch (error) {
        errors++;
        lastError = error instanceof Error ? error.message : String(error);
        // A dead server answers ECONNREFUSED at once: do not spin on it.
        if (errors > 200 && errors > latencies.length) throw new Error(`load aborted: ${errors} errors (${lastError})`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    elapsedMs,
    rps: (latencies.length / elapsedMs) * 1000,
    p50Ms: percentileSorted(sorted, 50),
    p99Ms: percentileSorted(sorted, 99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    unexpected,
    errors,
    lastError,
  };
}

export function keepAliveAgent(concurrency) {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}
