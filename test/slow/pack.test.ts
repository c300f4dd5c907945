import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { type CliRun, runProcess } from '../e2e/cli.js';

/**
 * The package as a user gets it: `npm pack` (which builds through `prepack`), installed from the tarball into an
 * empty project, and run there with `npx` — not from the clone. The registry is asked only for what the tarball
 * depends on (`--prefer-offline` takes the npm cache first).
 */

const run = (command: string, args: string[], cwd: string, timeoutMs = 120_000) =>
  runProcess(command, args, { cwd, timeoutMs, env: { npm_config_update_notifier: 'false' } });

const npm = 'npm';
const quiet = ['--prefer-offline', '--no-audit', '--no-fund'];

let work: string;
let project: string;
let packed: { filename: string; files: Array<{ path: string }> };
let manifestBefore: string;
let installed: CliRun;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcpc-pack-'));
  project = join(work, 'project');
  manifestBefore = readFileSync(join(packageRoot, 'package.json'), 'utf8');
  const pack = await run(npm, ['pack', '--json', '--pack-destination', work], packageRoot);
  if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}):\n${pack.stderr}`);
  // Lifecycle scripts print before the JSON on stdout.
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as (typeof packed)[])[0]!;
  await run('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), '{ "name": "uses-mcp-contracts", "private": true }\n');
  installed = await run(npm, ['install', ...quiet, join(work, packed.filename)], project, 180_000);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships what a user runs and nothing else', () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of [
      'bin/mcp-contracts.js',
      'dist/cli/main.js',
      'dist/conformance/engine/run.js',
      'dist/mock/server.js',
      'specs/stackone.yaml',
      'specs/upstream/langsmith.yaml',
      'specs/lint-baseline.yaml',
      'mock/fixtures.json',
      'mock/fixtures.schema.json',
      'schemas/config.schema.json',
      'package.json',
      'README.md',
    ]) {
      expect(paths, needed).toContain(needed);
    }
    const unwanted = paths.filter((p) =>
      /^(test|bench|\.github|\.ci|scripts|node_modules|core|cli|conformance)\/|\.test\.|\.tsbuildinfo$|test-helpers|\/testing\/|(^|\/)tsconfig|vitest/.test(
        p,
      ),
    );
    expect(unwanted).toEqual([]);
  });

  it('ships a manifest without the dev-only Biome binaries, and leaves package.json as it was', () => {
    const shipped = JSON.parse(
      readFileSync(join(project, 'node_modules', 'mcp-contracts', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(shipped.optionalDependencies).toBeUndefined();
    expect(Object.keys(shipped.peerDependenciesMeta as object).sort()).toEqual([
      '@stoplight/prism-cli',
      'openapi-typescript',
      'typescript',
    ]);
    expect(readFileSync(join(packageRoot, 'package.json'), 'utf8')).toBe(manifestBefore);
    expect(existsSync(join(packageRoot, '.package.json.before-pack'))).toBe(false);
  });
});

// Each npx start costs npm's own start-up (2 s idle, much more on a loaded machine): generous timeouts.
describe.concurrent('installed from the tarball into an empty project', { timeout: 90_000 }, () => {
  it('installs without Prism, TypeScript or Biome', () => {
    expect(installed.code, installed.stderr).toBe(0);
    const modules = join(project, 'node_modules');
    expect(existsSync(join(modules, 'mcp-contracts', 'dist', 'cli', 'main.js'))).toBe(true);
    for (const absent of ['@stoplight/prism-cli', 'typescript', 'openapi-typescript', '@biomejs']) {
      expect(existsSync(join(modules, absent)), absent).toBe(false);
    }
  });

  it('npx mcp-contracts --help', async () => {
    const help = await run('npx', ['mcp-contracts', '--help'], project);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/Usage: mcp-contracts/);
    for (const command of ['mock', 'conformance', 'generate', 'lint', 'drift']) expect(help.stdout).toContain(command);
  });

  it('npx mcp-contracts conformance: the reference implementation in-process, every check held', async () => {
    const result = await run('npx', ['mcp-contracts', 'conformance'], project);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/\d+ cases \(\d+ passed, 0 failed, 0 errored/);
  }, 120_000);

  it('npx mcp-contracts mock: starts on 127.0.0.1, answers one request, stops', async () => {
    let child: ChildProcess | undefined;
    try {
      child = spawn('npx', ['mcp-contracts', 'mock', '--port', '0', '--host', '127.0.0.1'], {
        cwd: project,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        // npx runs the bin under a shell: stop the whole group, so no server outlives the test.
        detached: true,
      });
      let text = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`mock did not start:\n${text}`)), 30_000);
        const onData = (d: Buffer) => {
          text += d.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        };
        child?.stdout?.on('data', onData);
        child?.stderr?.on('data', onData);
        child?.on('exit', () => reject(new Error(`mock exited:\n${text}`)));
      });
      const response = await fetch(`${url}/v1/deepagents/mcp-servers/not-a-uuid`, {
        method: 'DELETE',
        headers: { 'x-api-key': 'demo-key' },
      });
      expect(response.status).toBe(400);
    } finally {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child?.on('exit', resolve));
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
        await exited;
      }
    }
  });

  it('reads a config file held to the shipped schema, as an editor would point at it', async () => {
    const schema = './node_modules/mcp-contracts/schemas/config.schema.json';
    expect(existsSync(join(project, schema))).toBe(true);
    writeFileSync(
      // Not the default name: the other tests here run at the same time in the same folder.
      join(project, 'ci.config.json'),
      JSON.stringify({ $schema: schema, target: 'http://127.0.0.1:1', specs: ['langsmith'], timeout: '5s' }),
    );
    try {
      const result = await run(
        'npx',
        ['mcp-contracts', 'conformance', '--config', 'ci.config.json', '--dry-run'],
        project,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/timeout = 5000 — config: .*ci\.config\.json/);
    } finally {
      rmSync(join(project, 'ci.config.json'));
    }
  });

  it('mock --engine prism names the install command for the optional Prism', async () => {
    const result = await run('npx', ['mcp-contracts', 'mock', '--engine', 'prism', '--port', '0'], project);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^MCPC_DEPENDENCY: mock --engine prism needs @stoplight\/prism-cli, .* npm install --save-dev @stoplight\/prism-cli@\^5\.14\.2$/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).not.toContain('starting Prism');
  });

  it('generate names the install command for the optional openapi-typescript', async () => {
    const result = await run('npx', ['mcp-contracts', 'generate', '--check'], project);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^MCPC_DEPENDENCY: generate .* needs openapi-typescript, .* npm install --save-dev openapi-typescript@\^7\.13\.0 typescript@\^5$/,
    );
  });
});
