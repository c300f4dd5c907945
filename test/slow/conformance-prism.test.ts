import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { startPrismMock } from '../../mock/prism/engine.js';
import { runCli } from '../e2e/cli.js';

/**
 * Stoplight Prism as the target: a stateless, schema-driven mock. The run must complete, and every finding
 * must be one of the Prism behaviours the README explains (section "Conformance against Prism"). A new kind
 * of finding fails this test until it is understood and written down.
 */
const explained: Record<string, string> = {
  'ignored-auth':
    'Prism checks that credentials are present, not that they are right; with the undefined ApiKey scheme it lets DELETE /mcp through without any',
  'use-after-delete': 'Prism keeps no state: a deleted session or connection answers as before',
  'nonexistent-id-not-found': 'Prism keeps no state, so it cannot know an id names nothing: every delete succeeds',
  'jsonrpc-id-echo': "Prism answers every POST /mcp with the first example, whose id is 'init-1'",
  'response-schema-conformance':
    "Prism's own error body for malformed JSON, and an SSE body generated from `type: string` that is no event stream",
  'unsupported-method': 'Prism answers 405 without an Allow header (a warning)',
};

describe('conformance against Prism (mock --engine prism)', () => {
  it('completes, and every finding is an explained Prism behaviour', { timeout: 90_000 }, async () => {
    const prism = await startPrismMock({ port: 0, host: '127.0.0.1', startTimeoutMs: 60_000 });
    const report = join(mkdtempSync(join(tmpdir(), 'mcpc-prism-')), 'prism.json');
    try {
      const run = await runCli(
        [
          'conformance',
          '--target',
          prism.url,
          '--auth',
          'basic=demo-key:',
          '--auth',
          'bearerAuth=demo-key',
          '--auth',
          'apiKeyAuth=demo-key',
          '--report',
          `json=${report}`,
        ],
        { timeoutMs: 60_000 },
      );
      expect([0, 1]).toContain(run.code);
      const result = JSON.parse(readFileSync(report, 'utf8')) as ConformanceResult;
      expect(result.summary.errored).toBe(0);
      const unexplained = result.findings.filter((f) => !(f.check in explained));
      expect(unexplained.map((f) => `${f.check}: ${f.operation} ${f.caseTitle}: ${f.actual}`)).toEqual([]);
      // Prism honours Prefer, so statuses no request provokes are still reached.
      expect(result.coverage.filter((r) => r.how === 'Prefer').length).toBeGreaterThan(20);
    } finally {
      await prism.close();
    }
  });
});
