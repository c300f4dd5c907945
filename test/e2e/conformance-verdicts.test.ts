import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import {
  existingMcpServerId,
  startLenientDeployment,
  type VerdictDefect,
  verdictDefects,
} from '../servers/lenient-deployment.js';
import { runCli } from './cli.js';

/**
 * Issue 9, "Must show": a conformant but lenient deployment nobody here wrote passes (exit 0, warnings allowed),
 * and each broken variant of it (the misses 11–14) fails with exactly the named check — no other check fails.
 * The run is what a user would type: credentials, and --allow-destructive with --param naming real resources
 * (a Smithery connection, a LangSmith MCP server), so the auth probes and deletes meet things that exist.
 */
const dir = mkdtempSync(join(tmpdir(), 'mcpc-verdicts-'));

async function check(defects: VerdictDefect[] = []) {
  const deployment = await startLenientDeployment({ defects });
  const report = join(dir, `${defects.join('+') || 'lenient'}.json`);
  try {
    const run = await runCli(
      [
        'conformance',
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
        '--report',
        `json=${report}`,
      ],
      { timeoutMs: 30_000 },
    );
    const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
    const failures = result.findings.filter((f) => f.severity === 'failure');
    return {
      run,
      result,
      failedChecks: [...new Set(failures.map((f) => f.check))].sort(),
      failures: failures.map((f) => `${f.check}: ${f.operation} — ${f.caseTitle}: ${f.actual}`.slice(0, 300)),
      deployment,
    };
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
