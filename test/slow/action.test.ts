import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../core/paths.js';

/**
 * The composite GitHub Action (action.yml), held to GitHub's metadata shape and then run here step by step as the
 * runner would: each `run` step with `bash --noprofile --norc -eo pipefail`, its `${{ }}` expressions resolved
 * (inputs, github.action_path, steps.<id>.outputs), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, `if: always()`.
 * `uses` steps (upload-artifact) are GitHub's own and are not run; the test checks that what they would upload
 * exists.
 */

interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  shell?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface ActionFile {
  name: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const actionText = readFileSync(join(packageRoot, 'action.yml'), 'utf8');
const action = parse(actionText) as ActionFile;
const schema = JSON.parse(readFileSync(join(packageRoot, 'test', 'fixtures', 'action-metadata.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema);

describe('action.yml has the shape of a composite action', () => {
  it('validates against the metadata schema', () => {
    expect(validate(action), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema rejects broken metadata and accepts an unusual but legal step', () => {
    const broken = (change: (a: ActionFile & Record<string, unknown>) => void) => {
      const copy = structuredClone(action) as ActionFile & Record<string, unknown>;
      change(copy);
      return validate(copy);
    };
    expect(broken((a) => delete (a as Partial<ActionFile>).runs)).toBe(false);
    expect(broken((a) => Object.assign(a.runs, { using: 'node20' }))).toBe(false);
    expect(broken((a) => delete a.runs.steps[0]?.shell)).toBe(false);
    expect(broken((a) => Object.assign(a.runs.steps[0] ?? {}, { uses: 'actions/checkout@v4' }))).toBe(false);
    expect(broken((a) => Object.assign(a.inputs, { '1st': { description: 'x' } }))).toBe(false);
    expect(broken((a) => Object.assign(a.outputs, { x: { description: 'no value' } }))).toBe(false);
    expect(
      broken((a) =>
        a.runs.steps.push({ uses: './local-action', if: "inputs.command == 'drift'", with: { a: 'b' }, env: {} }),
      ),
    ).toBe(true);
  });

  it('passes inputs to scripts only through env (no expression inside a run script), and refers only to what exists', () => {
    const ids = new Set<string>();
    for (const step of action.runs.steps) {
      if (step.run) expect(step.run, step.name).not.toContain('${{');
      const expressions = JSON.stringify(step).match(/\$\{\{[^}]*\}\}/g) ?? [];
      for (const e of expressions) {
        const input = /inputs\.([\w-]+)/.exec(e)?.[1];
        if (input) expect(Object.keys(action.inputs), e).toContain(input);
        const earlier = /steps\.([\w-]+)\.outputs/.exec(e)?.[1];
        if (earlier) expect([...ids], e).toContain(earlier);
      }
      if (step.id) ids.add(step.id);
    }
    for (const output of Object.values(action.outputs))
      expect(ids).toContain(/steps\.([\w-]+)/.exec(output.value)?.[1]);
  });
});

interface ActionRun {
  outputs: Record<string, string>;
  /** Whether the action as a whole failed (a step exited non-zero). */
  failed: boolean;
  log: string;
  summary: string;
  uploads: Array<{ name: string; path: string }>;
}

/** A tiny runner for this composite action: enough of GitHub's semantics to run its steps for real. */
async function runAction(workspace: string, inputs: Record<string, string>): Promise<ActionRun> {
  const temp = mkdtempSync(join(tmpdir(), 'mcpc-runner-'));
  const summaryFile = join(temp, 'summary.md');
  writeFileSync(summaryFile, '');
  const stepOutputs = new Map<string, Record<string, string>>();
  const resolve = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_all, expression: string) => {
      const input = /^inputs\.([\w-]+)$/.exec(expression);
      if (input?.[1]) return inputs[input[1]] ?? action.inputs[input[1]]?.default ?? '';
      if (expression === 'github.action_path') return packageRoot;
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
      if (output?.[1] && output[2]) return stepOutputs.get(output[1])?.[output[2]] ?? '';
      throw new Error(`the local runner does not know the expression ${expression}`);
    });
  let failed = false;
  let log = '';
  const uploads: ActionRun['uploads'] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    const condition = step.if?.trim();
    if (condition && condition !== 'always()') throw new Error(`the local runner does not know if: ${condition}`);
    if (failed && condition !== 'always()') continue;
    if (step.uses) {
      uploads.push({ name: resolve(step.with?.name ?? ''), path: resolve(step.with?.path ?? '') });
      continue;
    }
    const outputFile = join(temp, `output-${index}`);
    writeFileSync(outputFile, '');
    const script = join(temp, `step-${index}.sh`);
    writeFileSync(script, step.run ?? '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_WORKSPACE: workspace,
      GITHUB_JOB: 'contracts',
      RUNNER_TEMP: temp,
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = resolve(String(value));
    expect(step.shell).toBe('bash');
    const code = await new Promise<number | null>((done, reject) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env });
      child.stdout.on('data', (d: Buffer) => {
        log += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
      });
      child.on('error', reject);
      child.on('close', done);
    });
    if (step.id) {
      const values: Record<string, string> = {};
      for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) values[line.slice(0, eq)] = line.slice(eq + 1);
      }
      stepOutputs.set(step.id, values);
    }
    if (code !== 0) failed = true;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, o]) => [k, resolve(o.value)]));
  const summary = readFileSync(summaryFile, 'utf8');
  rmSync(temp, { recursive: true, force: true });
  return { outputs, failed, log, summary, uploads };
}

/** The lines of a step log GitHub would act on: `::command` lines outside a `::stop-commands::TOKEN` … `::TOKEN::` span. */
function workflowCommands(log: string): string[] {
  const active: string[] = [];
  let stopped: string | undefined;
  for (const line of log.split('\n')) {
    if (stopped) {
      if (line === `::${stopped}::`) stopped = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop?.[1]) stopped = stop[1];
    else if (line.startsWith('::')) active.push(line);
  }
  return active;
}

let dir: string;
/** A user's repository that has mcp-contracts installed (node_modules/.bin, as npm links it). */
let workspace: string;
let broken: Server;
let brokenUrl: string;
const injected = '::warning title=pwned::from the target';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcpc-action-'));
  workspace = join(dir, 'workspace');
  mkdirSync(join(workspace, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(join(workspace, 'package.json'), '{ "name": "my-service", "private": true }\n');
  symlinkSync(join(packageRoot, 'bin', 'mcp-contracts.js'), join(workspace, 'node_modules', '.bin', 'mcp-contracts'));
  // A deployment that fails: a 500 to an undefined method, and to everything else a "JSON" body that tries to issue
  // a workflow command of its own and to clear the screen.
  broken = createServer((req, res) => {
    if (req.method === 'PATCH') return void res.writeHead(500).end();
    res.writeHead(404, { 'content-type': 'application/json' }).end(`nope\n${injected}\u001b[2J`);
  });
  await new Promise<void>((done) => broken.listen(0, '127.0.0.1', done));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
});

afterAll(async () => {
  broken.closeAllConnections();
  await new Promise((done) => broken.close(done));
  rmSync(dir, { recursive: true, force: true });
});

describe('the action, run locally step by step', () => {
  it('conformance of the reference implementation: passed, reports uploaded, summary written, no annotation', async () => {
    const reports = join(dir, 'pass-reports');
    const run = await runAction(workspace, { 'reports-dir': reports });
    expect(run.failed, run.log).toBe(false);
    const artifact = run.outputs['artifact-name'] ?? '';
    expect(run.outputs).toEqual({
      'exit-code': '0',
      verdict: 'passed',
      'reports-dir': reports,
      'artifact-name': artifact,
    });
    for (const file of ['conformance.json', 'conformance.xml', 'conformance.html']) {
      expect(existsSync(join(reports, file)), file).toBe(true);
    }
    // The default name: the command, the job and a hash of the inputs, so matrix jobs never collide.
    expect(artifact).toMatch(/^mcp-contracts-conformance-contracts-[0-9a-f]{8}$/);
    expect(run.uploads).toEqual([{ name: artifact, path: reports }]);
    expect(run.summary).toMatch(/^## mcp-contracts conformance: ✅ passed/);
    expect(run.summary).toMatch(/\| \d+ \| \d+ \| 0 \| 0 \|/);
    expect(workflowCommands(run.log)).toEqual([]);
  }, 90_000);

  it('conformance of a broken target: failed, grouped annotations, and the target cannot issue commands', async () => {
    const reports = join(dir, 'fail-reports');
    const run = await runAction(workspace, {
      target: brokenUrl,
      spec: 'langsmith',
      args: '--max-examples 0',
      'reports-dir': reports,
      'artifact-name': 'conformance-langsmith',
    });
    expect(run.failed).toBe(true);
    expect(run.outputs['exit-code']).toBe('1');
    expect(run.outputs.verdict).toBe('failed');
    const errors = workflowCommands(run.log).filter((l) => l.startsWith('::error title='));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((l) => l.includes('not-a-server-error'))).toBe(true);
    // One annotation per root cause, not one per case.
    const findings = (JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as { findings: unknown[] })
      .findings.length;
    expect(errors.length).toBeLessThan(findings);
    // The body did reach the log, the annotations and the summary — made inert in each.
    expect(run.log).toContain('pwned');
    const commands = workflowCommands(run.log);
    expect(commands.filter((l) => l.includes('pwned')).length).toBeGreaterThan(0);
    expect(commands.filter((l) => /^::warning title=pwned/.test(l))).toEqual([]);
    expect(commands.filter((l) => l.includes('\u001b'))).toEqual([]);
    expect(run.summary).toContain('\\x1b[2J');
    expect(run.summary).not.toContain('\u001b');
    expect(run.summary).toMatch(/^## mcp-contracts conformance: ❌ failed/);
    expect(run.summary).toContain('| `not-a-server-error` |');
    expect(run.summary).toContain('artifact `conformance-langsmith`');
    expect(run.uploads).toEqual([{ name: 'conformance-langsmith', path: reports }]);
  }, 90_000);

  it('args keep a quoted argument whole, and matrix jobs with other inputs upload under other names', async () => {
    const reports = join(dir, 'quoted-reports');
    const run = await runAction(workspace, {
      spec: 'langsmith',
      args: `--dry-run --operation "DELETE /mcp-servers/{mcp_server_id}" --seed '7'`,
      'reports-dir': reports,
    });
    expect(run.failed, run.log).toBe(false);
    expect(run.log).toContain('langsmith:deleteMcpServer:valid:0');
    expect(run.log).not.toMatch(/langsmith:(?!deleteMcpServer|patch )\w+:valid/);
    const other = await runAction(workspace, { spec: 'langsmith', args: '--dry-run', 'reports-dir': reports });
    expect(other.failed, other.log).toBe(false);
    expect(other.outputs['artifact-name']).toMatch(/^mcp-contracts-conformance-contracts-[0-9a-f]{8}$/);
    expect(other.outputs['artifact-name']).not.toBe(run.outputs['artifact-name']);
    const unmatched = await runAction(workspace, {
      args: '--operation "GET /x',
      'reports-dir': reports,
      fail: 'false',
    });
    expect(workflowCommands(unmatched.log).some((l) => l.includes("input 'args' has an unmatched quote"))).toBe(true);
    expect(unmatched.outputs.verdict).toBe('errored');
  }, 90_000);

  it('a usage error: the verdict is errored from the exit code, never a report left by an earlier run', async () => {
    const reports = join(dir, 'stale-reports');
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, 'conformance.json'), '{ "verdict": { "status": "passed" } }\n');
    const run = await runAction(workspace, { args: '--frob', 'reports-dir': reports, fail: 'false' });
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.outputs.verdict).toBe('errored');
    expect(run.log).toContain("MCPC_USAGE: unknown option '--frob'");
  }, 90_000);

  it("conformance of an unreachable target: errored, yet the reports are there, with the reason; fail: 'false' lets the job go on", async () => {
    const reports = join(dir, 'unreachable-reports');
    const run = await runAction(workspace, {
      target: 'http://127.0.0.1:9',
      spec: 'smithery',
      'reports-dir': reports,
      fail: 'false',
    });
    expect(run.failed).toBe(false);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.outputs.verdict).toBe('errored');
    expect(existsSync(join(reports, 'conformance.json'))).toBe(true);
    expect(run.summary).toMatch(/could not be reached/);
    expect(run.log).toMatch(/^::error title=mcp-contracts conformance/m);
  }, 60_000);

  it('a wrong command input fails with an annotation, and the summary says no report was written', async () => {
    const run = await runAction(workspace, { command: 'conformence', 'reports-dir': join(dir, 'typo-reports') });
    expect(run.failed).toBe(true);
    expect(run.log).toContain(
      "::error title=mcp-contracts::input 'command' must be conformance or drift, got 'conformence'",
    );
  }, 30_000);

  it('drift in this repository (the workspace is mcp-contracts itself): passed, with its markdown as the summary', async () => {
    const reports = join(dir, 'drift-reports');
    const run = await runAction(packageRoot, { command: 'drift', 'reports-dir': reports });
    expect(run.failed, run.log).toBe(false);
    expect(run.outputs.verdict).toBe('passed');
    for (const file of ['drift.xml', 'drift.md', 'drift.json'])
      expect(existsSync(join(reports, file)), file).toBe(true);
    expect(run.summary).toMatch(/^## mcp-contracts drift: ✅ passed/);
    expect(run.log).toContain(`at ${join(packageRoot, 'bin', 'mcp-contracts.js')}`);
  }, 120_000);
});
