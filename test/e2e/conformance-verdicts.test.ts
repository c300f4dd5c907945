import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { fromRoot } from '../../core/paths.js';
import {
  existingMcpServerId,
  startLenientDeployment,
  type VerdictDefect,
  verdictDefects,
} from '../servers/lenient-deployment.js';
import { startTimetableDeployment, type TimetableDefect, timetableDefects } from '../servers/timetable-deployment.js';
import { runCli } from './cli.js';

/**
 * Issue 9, "Must show": a conformant but lenient deployment nobody here wrote passes (exit 0, warnings allowed),
 * and each broken variant of it (the misses 11–14) fails with exactly the named check — no other check fails.
 * The run is what a user would type: credentials, and --allow-destructive with --param naming real resources
 * (a Smithery connection, a LangSmith MCP server), so the auth probes and deletes meet things that exist.
 */
const dir = mkdtempSync(join(tmpdir(), 'mcpc-verdicts-'));

/** One run of the built CLI with a JSON report; the failed checks, each failure on a line for the message. */
async function conform(name: string, args: string[]) {
  const report = join(dir, `${name}.json`);
  const run = await runCli(['conformance', ...args, '--report', `json=${report}`], { timeoutMs: 30_000 });
  const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
  const failures = result.findings.filter((f) => f.severity === 'failure');
  return {
    run,
    result,
    failedChecks: [...new Set(failures.map((f) => f.check))].sort(),
    failures: failures.map((f) => `${f.check}: ${f.operation} — ${f.caseTitle}: ${f.actual}`.slice(0, 300)),
  };
}

async function check(defects: VerdictDefect[] = []) {
  const deployment = await startLenientDeployment({ defects });
  try {
    return await conform(defects.join('+') || 'lenient', [
      '--target',
      deployment.url,
      '--auth',
      'basic=demo-key:',
      '--auth',
      'bearerAuth=demo-key',
      '--auth',
      'apiKeyAuth=demo-key',
      '--allow-destructive',
      '--param',
      'namespace=demo',
      '--param',
      'connectionId=conn-7',
      '--param',
      `mcp_server_id=${existingMcpServerId}`,
    ]);
  } finally {
    await deployment.close();
  }
}

describe('a conformant but lenient deployment (Express + the MCP SDK)', () => {
  it('passes: exit 0, no failure, nothing errored (warnings allowed)', async () => {
    const { run, result, failures } = await check();
    expect(failures).toEqual([]);
    expect(result.summary.errored).toBe(0);
    expect(run.code).toBe(0);
    // It was really exercised: the lifecycle ran and the named connection was deleted by the run.
    expect(result.summary.passed).toBeGreaterThan(20);
  });
});

// Each run is a separate CLI process against its own server: they may overlap.
describe.concurrent.each(Object.entries(verdictDefects) as Array<[VerdictDefect, string]>)(
  'a deployment with the miss %s',
  (defect, expected) => {
    it(`fails with ${expected}, and with nothing else`, async ({ expect }) => {
      const { run, failedChecks, failures } = await check([defect]);
      expect(failedChecks, failures.join('\n')).toEqual([expected]);
      expect(run.code).toBe(1);
    });
  },
);

/** Train Travel's GET /trips and Petstore's GET /store/order/{orderId}, from their npm packages. */
const timetableRuns = [
  {
    operation: 'get-trips',
    args: [
      '--spec',
      fromRoot('node_modules/@readme/oas-examples/3.1/json/train-travel.json'),
      '--auth',
      'OAuth2=demo-token',
    ],
  },
  {
    operation: 'getOrderById',
    args: ['--spec', fromRoot('node_modules/@readme/oas-examples/3.1/json/petstore.json'), '--param', 'orderId=7'],
  },
];

async function checkTimetable(defects: TimetableDefect[] = []) {
  const deployment = await startTimetableDeployment({ defects });
  try {
    const runs = [];
    for (const { operation, args } of timetableRuns) {
      runs.push(
        await conform(`${operation}-${defects.join('+') || 'ok'}`, [
          '--target',
          deployment.url,
          '--operation',
          operation,
          ...args,
        ]),
      );
    }
    return {
      codes: runs.map((r) => r.run.code),
      errored: runs.map((r) => r.result.summary.errored),
      failedChecks: [...new Set(runs.flatMap((r) => r.failedChecks))].sort(),
      failures: runs.flatMap((r) => r.failures),
    };
  } finally {
    await deployment.close();
  }
}

describe('date-times and boundaries on third-party specs (Train Travel, Petstore)', () => {
  it('a conformant deployment of GET /trips and GET /store/order/{orderId} passes', async () => {
    const { codes, errored, failures } = await checkTimetable();
    expect(failures).toEqual([]);
    expect(errored).toEqual([0, 0]);
    expect(codes).toEqual([0, 0]);
  });

  it.each(Object.entries(timetableDefects) as Array<[TimetableDefect, string]>)(
    'the miss %s fails with %s, and with nothing else',
    async (defect, expected) => {
      const { codes, failedChecks, failures } = await checkTimetable([defect]);
      expect(failedChecks, failures.join('\n')).toEqual([expected]);
      expect(codes).toContain(1);
    },
  );
});
