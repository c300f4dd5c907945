import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { type ContractServer, type Defect, startContractServer } from '../servers/contract-server.js';
import { startDroppingProxy } from '../servers/dropping-proxy.js';
import { type CliRun, runCli } from './cli.js';

/**
 * Issue 10 item 4, "the verdict table": one scenario per verdict — passed, failed, errored, interrupted — run with
 * the built CLI against a hand-written deployment, and every output held to it: the terminal's verdict line, the
 * JSON report, the JUnit report, the HTML report and the exit code. The counts the terminal prints are the JUnit
 * counts.
 */
const dir = mkdtempSync(join(tmpdir(), 'mcpc-verdict-table-'));
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const auth = ['--auth', 'basic=demo-key:', '--auth', 'bearerAuth=demo-key', '--auth', 'apiKeyAuth=demo-key'];

async function server(defects: Defect[] = []): Promise<ContractServer> {
  const s = await startContractServer({ defects });
  closers.push(() => s.close());
  return s;
}

async function droppingProxy(upstream: string): Promise<string> {
  const proxy = await startDroppingProxy(upstream);
  closers.push(() => proxy.close());
  return proxy.url;
}

interface Outputs {
  run: CliRun;
  json: ConformanceResult;
  junit: string;
  html: string;
}

async function conform(name: string, args: string[], onStart?: (c: ChildProcess) => void): Promise<Outputs> {
  const file = (ext: string) => join(dir, `${name}.${ext}`);
  const run = await runCli(
    [
      'conformance',
      ...args,
      '--report',
      `json=${file('json')}`,
      '--report',
      `junit=${file('xml')}`,
      '--report',
      `html=${file('html')}`,
    ],
    { timeoutMs: 60_000, ...(onStart ? { onStart } : {}) },
  );
  return {
    run,
    json: JSON.parse(readFileSync(file('json'), 'utf8')) as ConformanceResult,
    junit: readFileSync(file('xml'), 'utf8'),
    html: readFileSync(file('html'), 'utf8'),
  };
}

const scenarios: Array<{
  verdict: 'passed' | 'failed' | 'errored' | 'interrupted';
  word: string;
  exit: number;
  outputs: () => Promise<Outputs>;
}> = [
  {
    verdict: 'passed',
    word: 'PASSED',
    exit: 0,
    outputs: async () => conform('passed', ['--target', (await server()).url, '--spec', 'langsmith', ...auth]),
  },
  {
    verdict: 'failed',
    word: 'FAILED',
    exit: 1,
    outputs: async () =>
      conform('failed', ['--target', (await server(['ignored-auth'])).url, '--spec', 'langsmith', ...auth]),
  },
  {
    verdict: 'errored',
    word: 'ERRORED',
    exit: 1,
    outputs: async () =>
      conform('errored', ['--target', await droppingProxy((await server()).url), '--spec', 'langsmith', ...auth]),
  },
  {
    verdict: 'interrupted',
    word: 'INTERRUPTED',
    exit: 130,
    outputs: async () => {
      const s = await server(['slow']);
      let child: ChildProcess | undefined;
      const done = conform('interrupted', ['--target', s.url, '--spec', 'stackone', ...auth], (c) => (child = c));
      for (let i = 0; i < 200 && s.requests.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
      child?.kill('SIGINT');
      return done;
    },
  },
];

describe('one verdict, five outputs', () => {
  it.each(scenarios)(
    '$verdict: terminal, JSON, JUnit, HTML and exit code agree',
    async ({ verdict, word, exit, outputs }) => {
      const { run, json, junit, html } = await outputs();
      // exit code
      expect(run.code, run.stdout + run.stderr).toBe(exit);
      // terminal: the verdict is the last line before the report paths, and only that verdict is named
      const lines = run.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('wrote '));
      expect(lines.at(-1)).toMatch(new RegExp(`^${word}: `));
      for (const other of scenarios.filter((s) => s.word !== word)) {
        expect(run.stdout).not.toMatch(new RegExp(`^${other.word}: `, 'm'));
      }
      // JSON
      expect(json.verdict.status).toBe(verdict);
      expect(lines.at(-1)).toBe(`${word}: ${json.verdict.reason}`);
      // JUnit: the verdict, and the terminal's counts
      expect(junit).toMatch(new RegExp(`<testsuites name="mcp-contracts conformance: ${word}`));
      const summary = /(\d+) cases \((\d+) passed, (\d+) failed, (\d+) errored, (\d+) skipped\)/.exec(run.stdout)!;
      const [, cases, , failed, errored] = summary.map(Number);
      // An errored or interrupted verdict is one more <error> testcase; an interrupted run's unsent cases one skipped.
      const verdictCase = verdict === 'errored' || verdict === 'interrupted' ? 1 : 0;
      const unsent = verdict === 'interrupted' && (json.notSent ?? 0) > 0 ? 1 : 0;
      const tests = cases! + verdictCase + unsent;
      expect(junit).toMatch(
        new RegExp(`<testsuites [^>]*tests="${tests}" failures="${failed}" errors="${errored! + verdictCase}"`),
      );
      expect(junit.match(/<testcase /g)?.length ?? 0).toBe(tests);
      expect(junit.match(/<error /g)?.length ?? 0).toBe(errored! + verdictCase);
      if (verdictCase) expect(junit).toContain(`<error message="${json.verdict.reason.slice(0, 20)}`);
      // HTML
      expect(html).toContain(`<title>mcp-contracts conformance — ${word}</title>`);
      expect(html).toContain(`id="verdict">${word}</span>`);
      if (verdict === 'failed') {
        expect(json.summary.failures).toBeGreaterThan(0);
        expect(html).not.toContain('<div id="findings"><p>None.</p></div>');
      }
      if (verdict === 'errored') {
        expect(json.summary.failures).toBe(0);
        expect(json.summary.errored).toBeGreaterThan(0);
        expect(html).toContain('<h2>Errored cases');
      }
    },
    90_000,
  );
});
