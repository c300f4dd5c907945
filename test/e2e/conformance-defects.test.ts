import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { type Defect, defects, startContractServer } from '../servers/contract-server.js';
import { runCli } from './cli.js';

/**
 * The built CLI against a deployment with one deliberate defect at a time: each defect must fail the run
 * (exit 1) and be named by the right check. A conformance runner must be shown to fail.
 */

const auth = ['--auth', 'basic=demo-key:', '--auth', 'bearerAuth=demo-key', '--auth', 'apiKeyAuth=demo-key'];
const dir = mkdtempSync(join(tmpdir(), 'mcpc-defects-'));

/** defect → [the check that must name it, the spec(s) to run, extra flags] */
const expectations: Record<Defect, [string, string[], string[]]> = {
  'error-schema': ['response-schema-conformance', ['stackone'], []],
  'error-content-type': ['content-type-conformance', ['smithery'], []],
  'undocumented-status': ['status-code-conformance', ['smithery'], []],
  'ignored-auth': ['ignored-auth', ['langsmith'], []],
  'wrong-auth-accepted': ['ignored-auth', ['stackone'], []],
  'accepts-invalid-path': ['negative-data-rejection', ['langsmith'], []],
  'rejects-valid-input': ['positive-data-acceptance', ['stackone'], []],
  'use-after-delete': ['use-after-delete', ['stackone'], []],
  'server-error': ['not-a-server-error', ['stackone'], []],
  'body-on-204': ['no-content-body', ['langsmith'], []],
  hang: ['response-time', ['langsmith'], ['--timeout', '1000']],
  'huge-body': ['response-body-size', ['smithery'], []],
  'off-host-redirect': ['off-host-redirect', ['stackone'], []],
  'jsonrpc-id-mismatch': ['jsonrpc-id-echo', ['stackone'], []],
  'sse-invalid-event': ['response-schema-conformance', ['stackone'], []],
  'unsupported-method-accepted': ['unsupported-method', ['stackone'], []],
  slow: ['response-time', ['langsmith'], ['--max-response-time', '150']],
  'not-json': ['response-schema-conformance', ['stackone'], []],
  'success-schema': [
    'response-schema-conformance',
    ['smithery'],
    ['--allow-destructive', '--param', 'namespace=demo', '--param', 'connectionId=conn-7'],
  ],
  'result-and-error': ['response-schema-conformance', ['stackone'], []],
  // An ignored optional enum is a warning under the lenient default policy; --strict makes it a failure.
  'accepts-invalid-enum': ['negative-data-rejection', ['stackone'], ['--strict']],
  'accepts-missing-header': ['negative-data-rejection', ['stackone'], []],
  'accepts-malformed-json': ['negative-data-rejection', ['stackone'], []],
  'delete-unknown-succeeds': ['nonexistent-id-not-found', ['smithery'], []],
};

describe.concurrent('a deployment with one defect', () => {
  it('lists at least 20 distinct defects', () => {
    expect(defects.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(expectations).sort()).toEqual([...defects].sort());
  });

  it.each(defects)('%s is caught and named', async (defect) => {
    const [check, specs, extra] = expectations[defect];
    const server = await startContractServer({ defects: [defect] });
    const report = join(dir, `${defect}.json`);
    try {
      const run = await runCli([
        'conformance',
        '--target',
        server.url,
        ...specs.flatMap((s) => ['--spec', s]),
        ...auth,
        ...extra,
        '--report',
        `json=${report}`,
      ]);
      expect(run.code, run.stderr).toBe(1);
      const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
      const failing = result.findings.filter((f) => f.severity === 'failure').map((f) => f.check);
      expect(failing).toContain(check);
      expect(run.stdout).toContain(`✗ ${check}`);
      expect(run.stdout).toMatch(/reproduce: curl /);
    } finally {
      await server.close();
    }
  });
});

describe('a conformant deployment', () => {
  let server: Awaited<ReturnType<typeof startContractServer>>;
  beforeAll(async () => {
    server = await startContractServer({
      oddities: { extraHeaders: true, charset: true, chunked: true, extraProperties: true },
    });
  });
  afterAll(() => server.close());

  it('that is odd but conformant (extra headers, charset, chunked bodies, extra properties) passes', async () => {
    const report = join(dir, 'odd.json');
    const run = await runCli(['conformance', '--target', server.url, ...auth, '--report', `json=${report}`]);
    expect(run.code, run.stdout).toBe(0);
    const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
    expect(result.summary.failures).toBe(0);
    expect(result.summary.cases).toBeGreaterThan(40);
    // A real deployment does not honour Prefer: the report says so instead of pretending.
    expect(result.remarks.join('\n')).toMatch(/does not honour Prefer/);
    expect(result.coverage.some((r) => r.state === 'not-provoked' && /Prefer/.test(r.how))).toBe(true);
  });
});
