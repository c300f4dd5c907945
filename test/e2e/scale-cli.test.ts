import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specFile } from '../../conformance/test-helpers.js';
import { packageRoot } from '../../core/paths.js';
import { runCli } from './cli.js';

const styleOnly = join(packageRoot, 'test', 'fixtures', 'specs', 'style-warnings-only.yaml');

const brokenExample = specFile(
  'broken-example.yaml',
  `openapi: 3.0.3
info: { title: t, version: "1", description: d, contact: { name: c } }
servers: [{ url: "https://example.com" }]
tags: [{ name: t, description: d }]
paths:
  /pets:
    get:
      operationId: pets
      description: d
      tags: [t]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: object, required: [name], properties: { name: { type: string } } }
              example: { name: 3 }
        '400': { description: bad }
`,
);

describe('lint where CI reads it', () => {
  it('passes a spec with style warnings only at the default --fail-on error, and fails it at warn', async () => {
    const byDefault = await runCli(['lint', styleOnly]);
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toMatch(/warning spectral:/);
    expect(byDefault.stdout).toMatch(/0 new problem\(s\), [1-9]\d* below --fail-on error/);
    const strict = await runCli(['lint', styleOnly, '--fail-on', 'warn']);
    expect(strict.code).toBe(1);
  });

  it('fails on an example that breaks its schema, and writes SARIF 2.1.0 for code scanning', async () => {
    const { code, stdout } = await runCli(['lint', brokenExample, '--format', 'sarif']);
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string; level: string; locations: unknown[] }> }>;
    };
    expect(sarif.version).toBe('2.1.0');
    const hit = sarif.runs[0]!.results.find((r) => r.ruleId === 'mcp-contracts:valid-media-example');
    expect(hit).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { region: { startLine: 17 } } }],
    });
  });

  it('refuses an unknown --fail-on with exit 2', async () => {
    const { code, stderr } = await runCli(['lint', styleOnly, '--fail-on', 'warning']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Allowed choices are error, warn, info/);
  });
});

describe('conformance --shard', () => {
  it('refuses a shard outside 1..n with one coded line and exit 2, before anything is sent', async () => {
    const { code, stderr } = await runCli(['conformance', '--shard', '4/3', '--dry-run']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^MCPC_USAGE: --shard must be i\/n with 1 ≤ i ≤ n, got '4\/3'/);
  });

  it('prints only its part of the plan in a dry run', async () => {
    const whole = await runCli(['conformance', '--dry-run']);
    const part = await runCli(['conformance', '--dry-run', '--shard', '1/2']);
    expect(part.code).toBe(0);
    const planned = (out: string) => Number(/planned: (\d+) cases/.exec(out)?.[1]);
    expect(planned(part.stdout)).toBeGreaterThan(0);
    expect(planned(part.stdout)).toBeLessThan(planned(whole.stdout));
  });
});
