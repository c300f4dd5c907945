import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { type ContractServer, startContractServer } from '../servers/contract-server.js';
import { runCli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpc-conformance-'));
const servers: ContractServer[] = [];
const start = async (options: Parameters<typeof startContractServer>[0] = {}) => {
  const server = await startContractServer(options);
  servers.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('conformance: safety', () => {
  it('never deletes a resource it did not create without --allow-destructive', async () => {
    const server = await start();
    const run = await runCli([
      'conformance',
      '--target',
      server.url,
      '--spec',
      'smithery',
      '--auth',
      'bearerAuth=demo-key',
      '--param',
      'namespace=demo',
      '--param',
      'connectionId=conn-2',
    ]);
    expect(run.code).toBe(0);
    expect(server.connections.has('conn-2')).toBe(true);
    expect(server.requests.some((r) => r.method === 'DELETE' && r.path.endsWith('/conn-2'))).toBe(false);
    expect(run.stdout).toContain('--param connectionId is not used for DELETE /connect/{namespace}/{connectionId}');
  });

  it('deletes it with --allow-destructive, then shows it is gone', async () => {
    const server = await start();
    const report = join(dir, 'destructive.json');
    const run = await runCli([
      'conformance',
      '--target',
      server.url,
      '--spec',
      'smithery',
      '--auth',
      'bearerAuth=demo-key',
      '--param',
      'namespace=demo',
      '--param',
      'connectionId=conn-2',
      '--allow-destructive',
      '--report',
      `json=${report}`,
    ]);
    expect(run.code).toBe(0);
    expect(server.connections.has('conn-2')).toBe(false);
    const deletes = server.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith('/conn-2')).length;
    expect(deletes).toBeGreaterThanOrEqual(2);
    const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
    expect(result.coverage.find((r) => r.status === '200')).toMatchObject({ state: 'passed', how: 'natural' });
  });

  it('--dry-run prints the plan and sends nothing', async () => {
    const server = await start();
    const run = await runCli([
      'conformance',
      '--target',
      server.url,
      '--dry-run',
      '--auth',
      'bearerAuth=secret-token-42',
    ]);
    expect(run.code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(run.stdout).toMatch(/Plan \(dry run: nothing is sent\)/);
    expect(run.stdout).toMatch(/stackone:stackone_mcp_delete:no-auth:0/);
    // The Prefer candidates and the cleanup requests are planned data too, printed as such.
    expect(run.stdout).toMatch(
      /phase Prefer\n {2}stackone:\S+:prefer:\d{3} {2}Prefer: code=\d{3} \(sent only if no natural case/,
    );
    expect(run.stdout).toMatch(/phase cleanup\n.*\n {6}\[undoable\] cleanup: DELETE http:\/\/127\.0\.0\.1:\d+\/mcp/);
    // Every request is marked for consent, and nothing in the plan needs it.
    expect(run.stdout).toMatch(/\n {6}\[safe\] DELETE http:\/\/127\.0\.0\.1:\d+\/mcp\n/);
    expect(run.stdout).toMatch(/\nconsent: \d+ safe, \d+ undoable \(deleted at the end\), 0 needing consent\n/);
    expect(run.stdout).not.toContain('secret-token-42');
  });

  it('keeps secrets out of the terminal, JSON, JUnit and HTML reports', async () => {
    const secrets = ['bearer-secret-7f3a9', 'apikey-secret-91c2e', 'basic-secret-user'];
    // The deployment takes the bearer secret, and has a defect so that findings (with curl lines) exist.
    const server = await start({ key: secrets[0], defects: ['undocumented-status'] });
    const files = ['json', 'junit', 'html'].map((f) => [f, join(dir, `secrets.${f}`)] as const);
    const run = await runCli(
      [
        'conformance',
        '--target',
        server.url,
        '--auth',
        `basic=${secrets[2]}:pw-secret-55`,
        ...files.flatMap(([f, file]) => ['--report', `${f}=${file}`]),
      ],
      { env: { MCP_CONTRACTS_AUTH_BEARERAUTH: secrets[0], MCP_CONTRACTS_AUTH_APIKEYAUTH: secrets[1] } },
    );
    expect(run.code).toBe(1);
    const everything = [run.stdout, run.stderr, ...files.map(([, file]) => readFileSync(file, 'utf8'))].join('\n');
    for (const secret of [...secrets, 'pw-secret-55', Buffer.from(`${secrets[2]}:pw-secret-55`).toString('base64')]) {
      expect(everything).not.toContain(secret);
    }
    expect(readFileSync(files[1]![1], 'utf8')).toMatch(/^<\?xml version="1.0"/);
    expect(readFileSync(files[2]![1], 'utf8')).toMatch(/^<!doctype html>/);
    expect(everything).toContain(['$', '{MCP_CONTRACTS_AUTH_BEARERAUTH}'].join(''));
  });
});

describe('conformance: a spec defect is never a silent false failure', () => {
  it("against the published Smithery contract, a 401 is the spec's gap: a warning naming the lint rule and both fixes, a failure with --strict", async () => {
    for (const strict of [false, true]) {
      const report = join(dir, `upstream-smithery-${strict}.json`);
      const run = await runCli([
        'conformance',
        '--spec',
        'specs/upstream/smithery.yaml',
        '--report',
        `json=${report}`,
        ...(strict ? ['--strict'] : []),
      ]);
      expect(run.code, run.stdout).toBe(strict ? 1 : 0);
      expect(run.stdout).toContain('secured-operation-without-401');
      const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
      expect(result.policy).toBe(strict ? 'strict' : 'lenient');
      // The same status is never also the target's drift.
      expect(result.findings.filter((f) => f.check === 'status-code-conformance')).toEqual([]);
      const findings = result.findings.filter((f) => f.check === 'spec-gap');
      // On the made-up id and — before the delete — on the connection named by --param.
      expect(findings.map((f) => f.caseTitle).sort()).toEqual([
        'no credentials',
        'valid request, then deleted again — no credentials on the named resource (DELETE /connect/{namespace}/{connectionId})',
        'valid request, then deleted again — wrong credentials on the named resource (DELETE /connect/{namespace}/{connectionId})',
        'wrong credentials (bearerAuth)',
      ]);
      for (const f of findings) {
        expect(f.severity).toBe(strict ? 'failure' : 'warning');
        expect(f.actual).toMatch(/^401 /);
        expect(f.expected).toContain('lint rule mcp-contracts:secured-operation-without-401');
        expect(f.hint).toMatch(
          /The spec, not the target, is the likely culprit.*document 401.*or change the deployment/,
        );
      }
      expect(result.notes.map((n) => n.rule)).toContain('secured-operation-without-401');
    }
  });

  it('against the working Smithery contract (which documents the 401), the same deployment passes', async () => {
    const run = await runCli(['conformance', '--spec', 'smithery']);
    expect(run.code).toBe(0);
  });
});

describe('conformance: usage errors exit 2 with one coded line', () => {
  it.each([
    [
      'an unreachable target',
      ['--target', 'http://127.0.0.1:1'],
      /^MCPC_TARGET_UNREACHABLE: http:\/\/127\.0\.0\.1:1 cannot be reached/,
    ],
    [
      'a target that is not a URL',
      ['--target', 'localhost:4010'],
      /^MCPC_USAGE: --target 'localhost:4010' is not http or https/,
    ],
    [
      'a bad report format',
      ['--target', 'http://127.0.0.1:1', '--report', 'pdf=x.pdf'],
      /^MCPC_USAGE: --report 'pdf=x.pdf': unknown format 'pdf' \(json, junit, html, har\)/,
    ],
    [
      'an unknown check',
      ['--checks', 'frobnicate'],
      /^MCPC_USAGE: unknown check 'frobnicate' — valid check ids: status-code-conformance/,
    ],
    ['a bad --auth', ['--auth', 'no-equals-sign'], /^MCPC_USAGE: --auth 'no-equals-sign' is not SCHEME=VALUE/],
    ['a missing spec', ['--spec', 'nope.yaml'], /^MCPC_SPEC_NOT_FOUND: /],
    [
      'an unknown operation',
      ['--operation', 'GET /nothing'],
      /^MCPC_USAGE: --operation 'GET \/nothing' matches no operation/,
    ],
    ['a coverage above 100', ['--require-coverage', '150'], /^MCPC_USAGE: --require-coverage must be at most 100/],
    [
      'a negative --max-retry-wait',
      ['--max-retry-wait', '-1'],
      /^MCPC_USAGE: --max-retry-wait must be a duration, got '-1'/,
    ],
    [
      'an unknown tag',
      ['--spec', 'langsmith', '--tag', 'nosuchtag'],
      /^MCPC_USAGE: --tag 'nosuchtag' matches no operation/,
    ],
  ])('%s', async (_name, args, message) => {
    const run = await runCli(['conformance', ...args, '--dry-run']);
    const direct =
      args.includes('http://127.0.0.1:1') && !args.includes('--report') ? await runCli(['conformance', ...args]) : run;
    expect(direct.code).toBe(2);
    expect(direct.stderr.trim().split('\n').at(-1)).toMatch(message);
    expect(direct.stderr).not.toMatch(/\n\s+at /);
  });

  it('a target that accepts connections but answers nothing is unreachable (exit 2), not a pass', async () => {
    const { createServer } = await import('node:net');
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const run = await runCli([
        'conformance',
        '--target',
        `http://127.0.0.1:${port}`,
        '--spec',
        'langsmith',
        '--auth',
        'apiKeyAuth=demo-key',
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n').at(-1)).toMatch(
        /^MCPC_TARGET_UNREACHABLE: .* answered none of \d+ request\(s\)/,
      );
    } finally {
      server.close();
    }
  });

  it('refuses secrets in a config file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpc-config-'));
    writeFileSync(
      join(cwd, 'mcp-contracts.config.json'),
      JSON.stringify({ target: 'http://127.0.0.1:1', auth: { basic: 'x' } }),
    );
    const run = await runCli(['conformance'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MCPC_CONFIG: .*'auth' is not allowed in a config file/);
  });

  it('reads target, specs and params from a config file', async () => {
    const server = await start();
    const cwd = mkdtempSync(join(tmpdir(), 'mcpc-config-'));
    writeFileSync(
      join(cwd, 'mcp-contracts.config.json'),
      JSON.stringify({
        target: server.url,
        specs: ['langsmith'],
        reports: [`json=${join(cwd, 'r.json')}`],
        requireCoverage: 99,
      }),
    );
    const run = await runCli(['conformance'], { cwd, env: { MCP_CONTRACTS_AUTH_APIKEYAUTH: 'demo-key' } });
    // The stand-in deployment does not honour Prefer, so coverage stays below 99%: the gate fails on it.
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/coverage [\d.]+% is below --require-coverage 99%/);
    const result = JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8')) as ConformanceResult;
    expect(result.targets.map((t) => t.specName)).toEqual(['langsmith']);
    expect(result.summary.failures).toBe(0);
  });
});
