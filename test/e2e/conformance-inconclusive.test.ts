import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { type RunningMockServer, startMockServer } from '../../mock/server.js';
import { runCli } from './cli.js';

/**
 * The built CLI's verdict when the run could not see the deployment act: every valid request refused (wrong
 * credentials → 401, a wrong base path → 404) is exit 2 with an `inconclusive:` line, failures still win (exit 1),
 * and a report that could not be written is said before anything is sent.
 */

const dir = mkdtempSync(join(tmpdir(), 'mcpc-inconclusive-'));
const mocks: RunningMockServer[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const mock = async () => {
  const m = await startMockServer({ port: 0, host: '127.0.0.1', logRequests: false });
  mocks.push(m);
  return m;
};

/** A raw target: `answer` decides each status; every request is counted. */
async function raw(answer: (req: { method: string; url: string; authorization: string | undefined }) => number) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      const status = answer({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: status, message: 'refused' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** The verdict line of an inconclusive run: `ERRORED: inconclusive: …` (the verdict, then why). */
const inconclusiveLine = (stdout: string) =>
  stdout
    .split('\n')
    .find((l) => l.startsWith('ERRORED: inconclusive:'))
    ?.replace(/^ERRORED: /, '');

describe('conformance: inconclusive runs', () => {
  it('wrong credentials against the mock: exit 2, an inconclusive line and the reason in the JSON', async () => {
    const m = await mock();
    const report = join(dir, 'wrong-auth.json');
    const run = await runCli(
      ['conformance', '--target', m.url, '--spec', 'stackone', '--auth', 'basic=wrong:', '--report', `json=${report}`],
      { timeoutMs: 120_000 },
    );
    expect(run.code).toBe(2);
    expect(inconclusiveLine(run.stdout)).toMatch(
      /^inconclusive: not one of the \d+ valid request\(s\) was accepted \(401/,
    );
    const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
    expect(result.summary.failures).toBe(0);
    expect(result.inconclusive).toContain('check --auth');
  }, 150_000);

  it('the right credentials against the same mock: no inconclusive line, exit 0', async () => {
    const m = await mock();
    const report = join(dir, 'right-auth.json');
    const run = await runCli(
      [
        'conformance',
        '--target',
        m.url,
        '--spec',
        'stackone',
        '--auth',
        'basic=demo-key:',
        '--report',
        `json=${report}`,
      ],
      { timeoutMs: 120_000 },
    );
    expect(run.code).toBe(0);
    expect(inconclusiveLine(run.stdout)).toBeUndefined();
    const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
    expect(result.inconclusive).toBeUndefined();
  }, 150_000);

  it('failures win: every valid request refused, but one served without credentials → exit 1', async () => {
    // 401 to every credentialed request, 200 to one without: ignored-auth fails, and that is the verdict.
    const target = await raw(({ authorization }) => (authorization ? 401 : 200));
    const report = join(dir, 'failures-win.json');
    const run = await runCli(
      [
        'conformance',
        '--target',
        target.url,
        '--spec',
        'stackone',
        '--auth',
        'basic=wrong:',
        '--report',
        `json=${report}`,
      ],
      { timeoutMs: 120_000 },
    );
    expect(run.code).toBe(1);
    expect(inconclusiveLine(run.stdout)).toBeUndefined();
    const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
    expect(result.summary.failures).toBeGreaterThan(0);
    expect(result.inconclusive).toBeDefined();
  }, 150_000);
});

describe('conformance: a report that cannot be written', () => {
  it('exits 2 with MCPC_IO before anything is sent', async () => {
    const target = await raw(() => 200);
    const run = await runCli([
      'conformance',
      '--target',
      target.url,
      '--spec',
      'stackone',
      '--auth',
      'basic=demo-key:',
      '--report',
      'json=/nonexistent/dir/x.json',
    ]);
    expect(run.code).toBe(2);
    expect(`${run.stdout}${run.stderr}`).toMatch(/MCPC_IO/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
    expect(target.seen).toHaveLength(0);
    expect(existsSync('/nonexistent/dir/x.json')).toBe(false);
  });

  it('writes a report to a folder that exists (and sends the run)', async () => {
    const target = await raw(() => 200);
    const report = join(dir, 'written.json');
    await runCli(
      [
        'conformance',
        '--target',
        target.url,
        '--spec',
        'stackone',
        '--auth',
        'basic=demo-key:',
        '--report',
        `json=${report}`,
      ],
      { timeoutMs: 120_000 },
    );
    expect(target.seen.length).toBeGreaterThan(0);
    expect(existsSync(report)).toBe(true);
  }, 150_000);
});
