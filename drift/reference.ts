import { parseAuthArguments } from '../conformance/engine/auth.js';
import { type ConformanceOptions, defaultRunOptions, runConformance } from '../conformance/engine/run.js';
import type { ConformanceResult } from '../conformance/types.js';
import { bundledSpecNames } from '../core/paths.js';
import type { MockOptions } from '../mock/app.js';
import { startMockServer } from '../mock/server.js';
import type { DriftConformanceResult } from './types.js';

/**
 * "Does the reference implementation still conform?" — asked by `npm start` (conformance without --target) and
 * by the drift gate, so it is answered once, here: the mock starts in-process on a free port with its demo data,
 * and the runner checks it with the demo credentials. The state is private to this run, so the run may delete.
 */
export const referenceDefaults = {
  auth: ['basic=demo-key:', 'bearerAuth=demo-key', 'apiKeyAuth=demo-key'],
  params: new Map([
    ['namespace', 'demo'],
    ['connectionId', 'conn-1'],
  ]),
};

export interface ReferenceRunOptions extends Partial<Omit<ConformanceOptions, 'target'>> {
  /** Passed to the mock: e.g. a replaced handler, to show that the gate catches it. */
  mock?: Pick<MockOptions, 'handlers' | 'fixtures'>;
  /** Called with the URL once the reference implementation listens. */
  onStart?: (url: string) => void;
}

/** The run the reference implementation is held to, against whatever URL serves it (the bench reuses it). */
export function referenceRunOptions(target: string): ConformanceOptions {
  return {
    specs: [...bundledSpecNames],
    credentials: parseAuthArguments(referenceDefaults.auth, {}),
    params: referenceDefaults.params,
    allowDestructive: true,
    seed: defaultRunOptions.seed,
    timeoutMs: defaultRunOptions.timeoutMs,
    maxBodyBytes: defaultRunOptions.maxBodyBytes,
    concurrency: defaultRunOptions.concurrency,
    target,
  };
}

export async function runReferenceConformance(options: ReferenceRunOptions = {}): Promise<ConformanceResult> {
  const server = await startMockServer({ port: 0, host: '127.0.0.1', selfCheck: true, log: () => {}, ...options.mock });
  try {
    options.onStart?.(server.url);
    return await runConformance({ ...referenceRunOptions(server.url), ...options, target: server.url });
  } finally {
    await server.close();
  }
}

/** The drift gate's view of a reference run: held or not, and each failure in a line. */
export async function referenceConformanceForDrift(options: ReferenceRunOptions = {}): Promise<DriftConformanceResult> {
  const result = await runReferenceConformance(options);
  const failures = result.findings.filter((f) => f.severity === 'failure');
  const covered = result.coverage.filter((r) => r.state === 'passed').length;
  // The reference implementation promises every documented status: one it no longer reaches is drift too.
  const unreached = result.coverage.filter((r) => r.state === 'not-provoked');
  return {
    ok: failures.length === 0 && unreached.length === 0,
    summary: `${result.summary.cases} cases, ${failures.length} failure(s), coverage ${result.summary.coveragePercent}% (${covered}/${result.coverage.length} documented statuses)`,
    failures: [
      ...failures.map((f) => ({
        operation: `${f.specName} ${f.operation}`,
        check: f.check,
        message: `${f.caseTitle}: expected ${f.expected}; got ${f.actual}${f.details.length > 0 ? ` (${f.details.slice(0, 3).join('; ')})` : ''} — reproduce: ${f.curl}`,
      })),
      ...unreached.map((r) => ({
        operation: `${r.specName} ${r.operation}`,
        check: 'coverage',
        message: `documented status ${r.status} is no longer reached: ${r.how}`,
      })),
    ],
  };
}
