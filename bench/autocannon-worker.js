// One autocannon run in a process of its own, so that the load generator never shares an event loop (or a core's
// scheduling) with the bench: `node bench/autocannon-worker.js '<json options>'` prints autocannon's result as JSON.
// Options are autocannon's (url, method, headers, body, connections, duration in seconds, pipelining 1).
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}');
const cpu0 = process.cpuUsage();
const result = await autocannon({ pipelining: 1, ...options });
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
    clientCpuS: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
