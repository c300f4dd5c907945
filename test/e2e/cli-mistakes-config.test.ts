import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { bufferOutput } from '../../cli/output.js';
import { envName, settingKeys } from '../../cli/settings.js';
import { packageRoot } from '../../core/paths.js';

/**
 * Issue 10 item 11: every conformance setting, set in each source — config file, environment, command line — and
 * the one nearer the user wins (command line > environment > config file > defaults). Read back from the dry run's
 * JSON plan, which records each setting's value and source and the plan those values produced. In-process (the
 * CLI's `main`), because a process per key and source would cost a minute.
 */

// A dry run plans the bundled specs in-process: a few seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'mcpc-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Source {
  /** The config file value, the environment text and the command-line arguments of each key... */
  config: Record<string, unknown>;
  env: Record<string, string>;
  cli: string[];
}

/** One coherent run per source (spec, operation and tag agree), and what each key must then read. */
const plans = {
  config: { spec: 'smithery', operation: 'deleteSmithery.run:namespace:connectionId', tag: 'connect' },
  env: { spec: 'langsmith', operation: 'deleteMcpServer', tag: 'MCP servers' },
  cli: { spec: 'stackone', operation: 'stackone_mcp_delete', tag: 'MCP' },
};

const values = {
  target: {
    config: 'http://127.0.0.1:1',
    env: 'http://127.0.0.1:2',
    cli: ['--target', 'http://127.0.0.1:3'],
    expect: ['http://127.0.0.1:1', 'http://127.0.0.1:2', 'http://127.0.0.1:3'],
  },
  specs: {
    config: [plans.config.spec],
    env: plans.env.spec,
    cli: ['--spec', plans.cli.spec],
    expect: [[plans.config.spec], [plans.env.spec], [plans.cli.spec]],
  },
  params: {
    config: { namespace: 'from-config' },
    env: 'namespace=from-env',
    cli: ['--param', 'namespace=from-cli'],
    expect: [['namespace=from-config'], ['namespace=from-env'], ['namespace=from-cli']],
  },
  reports: {
    config: [`json=${join(dir, 'config.json')}`],
    env: `json=${join(dir, 'env.json')}`,
    cli: ['--report', `json=${join(dir, 'cli.json')}`],
    expect: [
      [`json=${join(dir, 'config.json')}`],
      [`json=${join(dir, 'env.json')}`],
      [`json=${join(dir, 'cli.json')}`],
    ],
  },
  allowDestructive: { config: true, env: 'false', cli: ['--allow-destructive'], expect: [true, false, true] },
  seed: { config: 11, env: '22', cli: ['--seed', '33'], expect: [11, 22, 33] },
  maxExamples: { config: 1, env: '2', cli: ['--max-examples', '3'], expect: [1, 2, 3] },
  checks: {
    config: ['status-code-conformance'],
    env: 'spec-gap,not-a-server-error',
    cli: ['--checks', 'response-time'],
    expect: [['status-code-conformance'], ['spec-gap', 'not-a-server-error'], ['response-time']],
  },
  excludeChecks: {
    config: ['no-content-body'],
    env: 'jsonrpc-id-echo',
    cli: ['--exclude-checks', 'off-host-redirect'],
    expect: [['no-content-body'], ['jsonrpc-id-echo'], ['off-host-redirect']],
  },
  operations: {
    config: [plans.config.operation],
    env: plans.env.operation,
    cli: ['--operation', plans.cli.operation],
    expect: [[plans.config.operation], [plans.env.operation], [plans.cli.operation]],
  },
  tags: {
    config: [plans.config.tag],
    env: plans.env.tag,
    cli: ['--tag', plans.cli.tag],
    expect: [[plans.config.tag], [plans.env.tag], [plans.cli.tag]],
  },
  timeout: { config: '5s', env: '750ms', cli: ['--timeout', '3000'], expect: [5000, 750, 3000] },
  maxBodySize: { config: 1000, env: '2000', cli: ['--max-body-size', '3000'], expect: [1000, 2000, 3000] },
  maxResponseTime: { config: 1000, env: '2s', cli: ['--max-response-time', '0.5s'], expect: [1000, 2000, 500] },
  concurrency: { config: 2, env: '3', cli: ['--concurrency', '5'], expect: [2, 3, 5] },
  rateLimit: { config: 1.5, env: '2', cli: ['--rate-limit', '3'], expect: [1.5, 2, 3] },
  maxRetryWait: { config: 10, env: '20s', cli: ['--max-retry-wait', '30000ms'], expect: [10_000, 20_000, 30_000] },
  requireCoverage: { config: 10, env: '20', cli: ['--require-coverage', '30'], expect: [10, 20, 30] },
  strict: { config: true, env: 'false', cli: ['--strict'], expect: [true, false, true] },
  // One operation per source: a split into 2 leaves shard 2 empty, which a dry run says and plans (nothing).
  shard: { config: '1/2', env: '2/2', cli: ['--shard', '1/1'], expect: ['1/2', '2/2', '1/1'] },
} satisfies Record<string, { config: unknown; env: string; cli: string[]; expect: [unknown, unknown, unknown] }>;

interface Plan {
  settings: Record<string, { value: unknown; source: string }>;
  specs: Array<{ name: string; baseUrl: string }>;
  policy: string;
  allowDestructive: boolean;
}

async function dryRun(source: Source, planFile: string): Promise<{ code: number; plan: Plan; stderr: string }> {
  const configFile = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(configFile, JSON.stringify(source.config));
  const saved = { ...process.env };
  Object.assign(process.env, source.env);
  try {
    const output = bufferOutput();
    const code = await main(['conformance', '--dry-run', '--config', configFile, ...source.cli], output);
    return { code, plan: JSON.parse(readFileSync(planFile, 'utf8')) as Plan, stderr: output.stderr.join('\n') };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

const allConfig = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.config]));
const allEnv = Object.fromEntries(Object.entries(values).map(([k, v]) => [envName(k), v.env]));
const allCli = Object.values(values).flatMap((v) => v.cli);

describe('each setting in each source: command line > environment > config file > default', () => {
  it('covers every key the config schema and the settings table know', () => {
    const schema = JSON.parse(readFileSync(join(packageRoot, 'schemas', 'config.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    const keys = Object.keys(values).sort();
    expect(settingKeys.map((k) => k.key).sort()).toEqual(keys);
    expect(
      Object.keys(schema.properties)
        .filter((k) => k !== '$schema')
        .sort(),
    ).toEqual(keys);
  });

  const cases: Array<[string, Source, 0 | 1 | 2, keyof typeof plans]> = [
    // With a "$schema" key, as an editor wants it: legal, and no setting.
    [
      'config file only',
      {
        config: { $schema: './node_modules/mcp-contracts/schemas/config.schema.json', ...allConfig },
        env: {},
        cli: [],
      },
      0,
      'config',
    ],
    ['environment over config file', { config: allConfig, env: allEnv, cli: [] }, 1, 'env'],
    ['command line over both', { config: allConfig, env: allEnv, cli: allCli }, 2, 'cli'],
  ];
  for (const [title, source, index, winner] of cases) {
    it(title, async () => {
      const planFile = join(dir, `${winner}.json`);
      const { code, plan, stderr } = await dryRun(source, planFile);
      expect(code, stderr).toBe(0);
      for (const [key, v] of Object.entries(values)) {
        expect(plan.settings[key], key).toEqual(expect.objectContaining({ value: v.expect[index], source: winner }));
      }
      // The values reached the run: its plan is of the winning spec and target, under the winning policy.
      expect(plan.specs.map((s) => s.name)).toEqual([plans[winner].spec]);
      expect(plan.specs[0]?.baseUrl).toContain(String(values.target.expect[index]));
      expect(plan.policy).toBe(values.strict.expect[index] ? 'strict' : 'lenient');
      expect(plan.allowDestructive).toBe(values.allowDestructive.expect[index]);
    });
  }

  it('defaults where nothing was set, and a default never hides a config value', async () => {
    const planFile = join(dir, 'defaults.json');
    const { code, plan } = await dryRun({ config: {}, env: {}, cli: ['--report', `json=${planFile}`] }, planFile);
    expect(code).toBe(0);
    expect(plan.settings.seed).toEqual(expect.objectContaining({ value: 1, source: 'default' }));
    expect(plan.settings.timeout).toEqual(expect.objectContaining({ value: 10_000, source: 'default' }));
    expect(plan.settings.maxBodySize).toEqual(expect.objectContaining({ value: 1_048_576, source: 'default' }));
    expect(plan.settings.concurrency).toEqual(expect.objectContaining({ value: 4, source: 'default' }));
    expect(plan.settings.strict).toEqual(expect.objectContaining({ value: false, source: 'default' }));
  });

  it("the README's own config example is read as written (timeout 5000 from the file, not the 10 s default)", async () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const block = /\*\*Config file\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const example = JSON.parse(block ?? '{}') as Record<string, unknown>;
    const planFile = join(dir, 'readme.json');
    const { code, plan, stderr } = await dryRun(
      { config: example, env: {}, cli: ['--report', `json=${planFile}`] },
      planFile,
    );
    expect(code, stderr).toBe(0);
    for (const key of Object.keys(example)) {
      if (key === 'reports' || key === '$schema') continue;
      expect(plan.settings[key]?.source, key).toBe('config');
    }
    expect(plan.settings.timeout?.value).toBe(example.timeout);
    expect(plan.policy).toBe('strict');
  });
});

describe('shard as a setting (a CI matrix job sets MCP_CONTRACTS_SHARD=2/3)', () => {
  const failing = async (env: Record<string, string>, config: Record<string, unknown>) => {
    const configFile = join(dir, `shard-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(configFile, JSON.stringify(config));
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const output = bufferOutput();
      const code = await main(['conformance', '--dry-run', '--config', configFile, '--spec', 'smithery'], output);
      return { code, lines: output.stderr.join('\n').trim().split('\n') };
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  };

  it.each([
    [
      'the environment',
      { MCP_CONTRACTS_SHARD: '4/3' },
      {},
      /^MCPC_USAGE: MCP_CONTRACTS_SHARD must be i\/n .*got '4\/3'/,
    ],
    [
      'the config file',
      {},
      { shard: 'two of three' },
      /^MCPC_CONFIG: config 'shard' \(.*\) must be i\/n .*'two of three'/,
    ],
  ])('a shard that is not i/n from %s is one coded line, exit 2', async (_from, env, config, message) => {
    const { code, lines } = await failing(env, config);
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
