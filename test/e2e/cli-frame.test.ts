import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { runCli } from './cli.js';

const fixture = (name: string) => join(packageRoot, 'test', 'fixtures', 'specs', name);

describe('the built CLI', () => {
  it('lists the five commands in --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['mock', 'conformance', 'generate', 'lint', 'drift'])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each(['mock', 'conformance', 'generate', 'lint', 'drift'])(
    'has --help with an example for %s',
    async (command) => {
      const { code, stdout } = await runCli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`npx mcp-contracts ${command}`);
    },
  );

  it.each([
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown option', ['lint', '--frob'], /unknown option '--frob'/],
    ['a bad --engine', ['mock', '--engine', 'wiremock'], /Allowed choices are reference, prism/],
  ])('exits 2 on %s', async (_name, args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it.each([
    ['a missing spec file', 'nope.yaml', 'MCPC_SPEC_NOT_FOUND'],
    ['invalid YAML', fixture('invalid-yaml.yaml'), 'MCPC_SPEC_PARSE'],
    ['a Swagger 2.0 document', fixture('swagger2.yaml'), 'MCPC_SPEC_VERSION'],
    ['an unresolvable $ref', fixture('missing-ref.yaml'), 'MCPC_SPEC_REF'],
  ])('gives one coded line and exit 2 for %s', async (_name, spec, code) => {
    const run = await runCli(['lint', spec]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${code}: .+ — .+`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('lint exits 0 and lists the baselined upstream defects', async () => {
    const { code, stdout } = await runCli(['lint']);
    expect(code).toBe(0);
    expect(stdout).toContain('Baselined');
    expect(stdout).toContain('mcp-contracts:undefined-security-scheme');
    expect(stdout).toMatch(/0 new problem\(s\), 0 below --fail-on error, 14 baselined/);
  });

  it('lint --baseline FILE resolves FILE against the working directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpc-cwd-'));
    writeFileSync(
      join(cwd, 'my-baseline.yaml'),
      'entries:\n  - rule: spectral:info-contact\n    file: specs/langsmith.yaml\n    pointer: /info\n    reason: test\n',
    );
    const { code, stdout } = await runCli(['lint', 'langsmith', '--baseline', 'my-baseline.yaml'], { cwd });
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 new problem\(s\), 0 below --fail-on error, 1 baselined/);
  });

  it('lint --baseline with a missing file exits 2 with one MCPC_CONFIG line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpc-cwd-'));
    const run = await runCli(['lint', 'langsmith', '--baseline', 'nope.yaml'], { cwd });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^MCPC_CONFIG: baseline file .*nope\.yaml not found — check the --baseline path/);
  });

  it('lint --no-baseline exits 1 naming each defect', async () => {
    const { code, stdout } = await runCli(['lint', '--no-baseline']);
    expect(code).toBe(1);
    expect(stdout.match(/^specs\/\S+:\d+:\d+ (error|warning) /gm)).toHaveLength(13);
  });

  it('generate --check exits 0 on the committed tree', async () => {
    const { code, stdout } = await runCli(['generate', '--check']);
    expect(code).toBe(0);
    expect(stdout).toContain('up to date');
  });

  it('exits quietly when its reader goes away (mcp-contracts --help | head -1)', async () => {
    const child = spawn(process.execPath, [join(packageRoot, 'bin', 'mcp-contracts.js'), 'conformance', '--dry-run'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
});
