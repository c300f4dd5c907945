import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allChecks } from '../../conformance/checks/index.js';
import { type CliRun, runCli } from './cli.js';

/**
 * Issue 10 items 10 and 12: mistakes that used to end green (or lose the run's verdict) now stop with exit 2 and one
 * coded line — each next to a correct but unusual input that must still go through. Where a mistake must be caught
 * before anything is sent, the target is a server that counts what reaches it.
 */

// Each test runs the CLI up to four times; on a loaded machine a run takes seconds.
vi.setConfig({ testTimeout: 60_000 });

let dir: string;
let server: Server;
let target: string;
let received = 0;
/** Set by a test: the server then holds every request unanswered (a hung deployment). */
let hang = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcpc-mistakes-'));
  server = createServer((_req, res) => {
    received++;
    if (hang) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"nothing here"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI and says how many requests reached the target meanwhile. */
async function conformance(args: string[]): Promise<CliRun & { requests: number }> {
  const before = received;
  const run = await runCli(['conformance', ...args]);
  return { ...run, requests: received - before };
}

/** The one line a usage mistake prints: its code first, no stack trace. */
function oneCodedLine(run: CliRun, code: string): string {
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${code}: `));
  return lines[0] ?? '';
}

describe('a misspelt --auth scheme', () => {
  it('exits 2 naming the spec schemes and the nearest one, before anything is sent, without the secret', async () => {
    const run = await conformance(['--target', target, '--spec', 'langsmith', '--auth', 'apiKey=s3cret-value']);
    expect(run.code).toBe(2);
    const line = oneCodedLine(run, 'MCPC_USAGE');
    expect(line).toContain(
      '--auth apiKey=… names no security scheme of the selected spec(s) (they define: apiKeyAuth)',
    );
    expect(line).toContain('did you mean apiKeyAuth?');
    expect(run.stderr + run.stdout).not.toContain('s3cret-value');
    expect(run.requests).toBe(0);
  });

  it('names every scheme of several specs, and the nearest across them', async () => {
    const run = await conformance(['--target', target, '--auth', 'bearer=t', '--dry-run']);
    expect(run.code).toBe(2);
    const line = oneCodedLine(run, 'MCPC_USAGE');
    expect(line).toMatch(/they define: .*basic.*bearerAuth.*apiKeyAuth|they define: .*apiKeyAuth.*bearerAuth/);
    expect(line).toContain('did you mean bearerAuth?');
  });

  it('suggests nothing when no defined scheme is near', async () => {
    const run = await conformance(['--target', target, '--spec', 'langsmith', '--auth', 'oauth=t', '--dry-run']);
    expect(run.code).toBe(2);
    const line = oneCodedLine(run, 'MCPC_USAGE');
    expect(line).toContain('(they define: apiKeyAuth)');
    expect(line).not.toContain('did you mean');
  });

  it("lets a scheme of another bundled spec through (one command line with all three APIs' credentials)", async () => {
    const file = join(dir, 'shared-auth.json');
    const run = await conformance([
      ...['--target', target, '--spec', 'langsmith', '--auth', 'bearerAuth=t', '--auth', 'apiKeyAuth=k'],
      ...['--report', `json=${file}`, '--dry-run'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('--auth bearerAuth=… names no security scheme of the selected spec(s)');
  });

  it('still accepts a scheme written in another case or with punctuation (APIKEYAUTH, api-key-auth)', async () => {
    for (const scheme of ['APIKEYAUTH', 'api-key-auth']) {
      const run = await conformance(['--target', target, '--spec', 'langsmith', '--auth', `${scheme}=k`, '--dry-run']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.requests).toBe(0);
    }
  });
});

describe('a selection that checks nothing', () => {
  const every = allChecks.map((c) => c.id);

  it('excluding every check exits 2', async () => {
    const run = await conformance(['--target', target, '--exclude-checks', every.join(','), '--dry-run']);
    expect(run.code).toBe(2);
    expect(oneCodedLine(run, 'MCPC_USAGE')).toContain('no check is left to run');
  });

  it('--checks X with --exclude-checks X exits 2', async () => {
    const run = await conformance([
      '--target',
      target,
      '--checks',
      'response-time',
      '--exclude-checks',
      'response-time',
      '--dry-run',
    ]);
    expect(run.code).toBe(2);
    expect(oneCodedLine(run, 'MCPC_USAGE')).toContain('no check is left to run');
  });

  it('excluding all but one check still runs that one', async () => {
    const run = await conformance([
      ...['--target', target, '--spec', 'langsmith'],
      ...['--exclude-checks', every.slice(1).join(','), '--dry-run'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`checks: ${every[0]}\\n`));
  });

  it('an unknown --operation or --tag exits 2', async () => {
    for (const args of [
      ['--operation', 'deleteMcpServr'],
      ['--tag', 'nope'],
    ]) {
      const run = await conformance(['--target', target, '--spec', 'langsmith', ...args, '--dry-run']);
      expect(run.code).toBe(2);
      expect(oneCodedLine(run, 'MCPC_USAGE')).toMatch(/matches no operation/);
    }
  });

  it('suggests the nearest operation for a misspelt --operation, and none for one far from every name', async () => {
    const near = await conformance([
      '--target',
      target,
      '--spec',
      'langsmith',
      '--operation',
      'deleteMcpServr',
      '--dry-run',
    ]);
    expect(oneCodedLine(near, 'MCPC_USAGE')).toContain("did you mean 'deleteMcpServer'?");
    const far = await conformance([
      '--target',
      target,
      '--spec',
      'langsmith',
      '--operation',
      'zzzzzzzzzzzzzz',
      '--dry-run',
    ]);
    expect(oneCodedLine(far, 'MCPC_USAGE')).not.toContain('did you mean');
  });
});

describe('report paths are checked before the first request', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['a folder', () => ['--report', `json=${dir}`], /it is a folder/],
    [
      'a missing folder',
      () => ['--report', `junit=${join(dir, 'no', 'such', 'r.xml')}`],
      /the folder .* does not exist/,
    ],
    [
      'the same file twice',
      () => ['--report', `json=${join(dir, 'same')}`, '--report', `html=${join(dir, 'same')}`],
      /the json report goes there too/,
    ],
  ];
  for (const [title, args, message] of cases) {
    it(`${title}: exit 2, nothing sent`, async () => {
      const run = await conformance(['--target', target, '--spec', 'langsmith', ...args()]);
      expect(run.code).toBe(2);
      const line = oneCodedLine(run, 'MCPC_IO');
      expect(line).toMatch(message);
      expect(line).toContain('nothing was sent');
      expect(run.requests).toBe(0);
    });
  }

  it('a new file in an existing folder, with spaces in its name, is fine', async () => {
    const file = join(dir, 'plan with spaces.json');
    const run = await conformance(['--target', target, '--spec', 'langsmith', '--report', `json=${file}`, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
  });
});

describe('--timeout takes units', () => {
  const settingsOf = async (value: string) => {
    const file = join(dir, `timeout-${value}.json`);
    const run = await conformance([
      ...['--target', target, '--spec', 'langsmith', '--timeout', value],
      ...['--report', `json=${file}`, '--dry-run'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(readFileSync(file, 'utf8')) as { settings: { timeout: { value: number } } }).settings.timeout;
  };

  it('10s, 500ms, 2m and a bare number of milliseconds', async () => {
    expect((await settingsOf('10s')).value).toBe(10_000);
    expect((await settingsOf('500ms')).value).toBe(500);
    expect((await settingsOf('2m')).value).toBe(120_000);
    expect((await settingsOf('2500')).value).toBe(2500);
  });

  it('a wrong unit or zero exits 2 with a hint that shows the units', async () => {
    for (const value of ['10x', '0', 's']) {
      const run = await conformance(['--target', target, '--spec', 'langsmith', '--timeout', value, '--dry-run']);
      expect(run.code, value).toBe(2);
      const line = oneCodedLine(run, 'MCPC_USAGE');
      expect(line).toContain(`--timeout must be a duration of at least 1 ms, got '${value}'`);
      expect(line).toContain('500ms, 10s, 2m');
    }
  });

  it('500ms is milliseconds against a hung target: the run stops within seconds, and says so in the reports', async () => {
    hang = true;
    try {
      const file = join(dir, 'hung.json');
      const started = Date.now();
      const run = await conformance([
        '--target',
        target,
        '--spec',
        'langsmith',
        '--timeout',
        '500ms',
        '--report',
        `json=${file}`,
      ]);
      expect(run.code).toBe(2);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(oneCodedLine(run, 'MCPC_TARGET_UNREACHABLE')).toContain('within --timeout 500 ms');
      expect(JSON.parse(readFileSync(file, 'utf8')).inconclusive).toContain('within --timeout 500 ms');
    } finally {
      hang = false;
      server.closeAllConnections();
    }
  });
});

describe('a target that cannot be reached', () => {
  it('still writes every report, with the reason, and exits 2', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const out = join(dir, 'unreachable');
    mkdirSync(out);
    const files = { json: join(out, 'r.json'), junit: join(out, 'r.xml'), html: join(out, 'r.html') };
    const run = await conformance([
      '--target',
      `http://127.0.0.1:${port}`,
      ...Object.entries(files).flatMap(([format, file]) => ['--report', `${format}=${file}`]),
    ]);
    expect(run.code).toBe(2);
    expect(oneCodedLine(run, 'MCPC_TARGET_UNREACHABLE')).toContain('ECONNREFUSED');
    for (const file of Object.values(files)) expect(existsSync(file), file).toBe(true);
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as {
      inconclusive: string;
      targets: Array<{ specName: string }>;
      summary: { cases: number; coveragePercent: number };
    };
    expect(json.inconclusive).toMatch(/could not be reached.*ECONNREFUSED/);
    expect(json.targets.map((t) => t.specName)).toEqual(['stackone', 'smithery', 'langsmith']);
    expect(json.summary).toEqual(expect.objectContaining({ cases: 0, coveragePercent: 0 }));
    expect(readFileSync(files.html, 'utf8')).toContain('ECONNREFUSED');
    expect(readFileSync(files.junit, 'utf8')).toMatch(/<testsuites\b/);
  });
});
