import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { runCli } from '../e2e/cli.js';
import { type ContractServer, startContractServer } from '../servers/contract-server.js';

/**
 * The built CLI stopped and bounded: Ctrl-C mid-run (item 16) and a target that never answers (item 19).
 */
const dir = mkdtempSync(join(tmpdir(), 'mcpc-interrupt-'));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

describe('conformance: interrupted (SIGINT)', () => {
  it('stops, deletes the sessions it created, writes the report marked interrupted and exits 130', async () => {
    const server: ContractServer = await startContractServer({ defects: ['slow'] });
    closers.push(() => server.close());
    const report = join(dir, 'interrupted.json');
    let child: ChildProcess | undefined;
    const exited = runCli(
      [
        'conformance',
        '--target',
        server.url,
        '--spec',
        'stackone',
        '--auth',
        'basic=demo-key:',
        '--report',
        `json=${report}`,
      ],
      { onStart: (c) => (child = c), timeoutMs: 60_000 },
    );
    // Interrupt once a session exists: a request carries an mcp-session-id the server handed out.
    let session: string | undefined;
    for (let i = 0; i < 300 && !session; i++) {
      await new Promise((r) => setTimeout(r, 50));
      session = server.requests.find((r) => r.method === 'POST' && r.headers['mcp-session-id'])?.headers[
        'mcp-session-id'
      ] as string | undefined;
    }
    expect(session, 'the run never used a session').toBeDefined();
    const seenBefore = server.requests.length;
    child?.kill('SIGINT');
    const { code, stdout, stderr } = await exited;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('SIGINT: interrupted');
    expect(stdout).toMatch(/^interrupted: /m);
    const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
    expect(result.status).toBe('interrupted');
    // The session the run created was deleted after the interruption (by its lifecycle's in-flight step or cleanup).
    const deleted = server.requests.filter((r) => r.method === 'DELETE' && r.headers['mcp-session-id'] === session);
    expect(deleted.length).toBeGreaterThan(0);
    // After the signal: at most the requests in flight (concurrency 4) and the deletes.
    const after = server.requests.slice(seenBefore).filter((r) => r.method !== 'DELETE');
    expect(after.length).toBeLessThanOrEqual(4);
  }, 60_000);
});

/** A throwaway node:http target on 127.0.0.1:0, closed after the test. */
async function target(handler: http.RequestListener): Promise<string> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(handler);
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('conformance: a target that answers every request 429 with Retry-After: 30', () => {
  it.each([
    ['--max-retry-wait 1', ['--max-retry-wait', '1'], undefined],
    ['config maxRetryWait: 1', [], { maxRetryWait: 1 }],
  ])(
    '%s: spends at most that backing off, then takes the 429s and says so',
    async (_name, flags, config) => {
      const url = await target((_req, res) => {
        res.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
        res.end('{"error":"slow down"}');
      });
      const cwd = mkdtempSync(join(tmpdir(), 'mcpc-retry-'));
      if (config) writeFileSync(join(cwd, 'mcp-contracts.config.json'), JSON.stringify(config));
      const started = Date.now();
      const run = await runCli(['conformance', '--target', url, '--spec', 'langsmith', ...flags], { cwd });
      expect((Date.now() - started) / 1000).toBeLessThan(10);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toContain(
        'the back-off budget (--max-retry-wait 1 s) was spent honouring Retry-After; later 429s were taken as they came',
      );
    },
    30_000,
  );
});

describe('conformance: a target that accepts connections and never answers', () => {
  it('stops early with exit 2, the reason and the fix', async () => {
    const url = await target(() => {
      // never answers
    });
    const started = Date.now();
    const run = await runCli(['conformance', '--target', url, '--timeout', '1000', '--auth', 'basic=demo-key:']);
    const seconds = (Date.now() - started) / 1000;
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(
      /MCPC_TARGET_UNREACHABLE: the target accepted connections but none of the first 4 requests was answered within --timeout 1000 ms/,
    );
    expect(run.stderr).toContain('raise --timeout');
    // Four requests in parallel, one timeout: far from running every case of three specs into it.
    expect(seconds).toBeLessThan(8);
  }, 30_000);
});
