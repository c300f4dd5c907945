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

  // Commander's own usage errors, for every command: one coded line naming that command's --help, exit 2.
  it.each([
    ['an unknown command', ['frobnicate'], /^MCPC_USAGE: unknown command 'frobnicate' — run mcp-contracts --help$/],
    ['an unknown option', ['lint', '--frob'], /^MCPC_USAGE: unknown option '--frob' — run mcp-contracts lint --help$/],
    [
      'a bad --engine',
      ['mock', '--engine', 'wiremock'],
      /^MCPC_USAGE: .*'wiremock' is invalid\. Allowed choices are reference, prism — run mcp-contracts mock --help$/,
    ],
    [
      'a bad lint --format',
      ['lint', '--format', 'xml'],
      /Allowed choices are text, json, sarif — run mcp-contracts lint/,
    ],
    [
      'a missing option argument',
      ['conformance', '--target'],
      /argument missing — run mcp-contracts conformance --help$/,
    ],
    ['an unknown conformance option', ['conformance', '--frob'], /'--frob' — run mcp-contracts conformance --help$/],
    ['an unknown diff option', ['diff', '--frob'], /'--frob' — run mcp-contracts diff --help$/],
    ['an unknown changelog option', ['changelog', '--frob'], /'--frob' — run mcp-contracts changelog --help$/],
    ['an unknown drift option', ['drift', '--frob'], /'--frob' — run mcp-contracts drift --help$/],
    ['an unknown generate option', ['generate', '--frob'], /'--frob' — run mcp-contracts generate --help$/],
    [
      'an unknown merge-reports option',
      ['merge-reports', '--frob'],
      /'--frob' — run mcp-contracts merge-reports --help$/,
    ],
    [
      'a report format nobody writes',
      ['conformance', '--report', 'xml=out.xml', '--dry-run'],
      /^MCPC_USAGE: --report 'xml=out\.xml': unknown format 'xml' \(json, junit, html, har\)/,
    ],
  ])('exits 2 with one coded line on %s', async (_name, args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('still answers --help and --version with exit 0 and no error line', async () => {
    for (const args of [['--version'], ['lint', '--help']]) {
      const { code, stderr } = await runCli(args);
      expect([code, stderr.trim()]).toEqual([0, '']);
    }
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
