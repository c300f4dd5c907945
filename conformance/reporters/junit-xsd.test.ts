import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { fromRoot } from '../../core/paths.js';
import { type CaseResult, type ConformanceResult, decideVerdict, type Finding } from '../types.js';
import { renderJunit } from './junit.js';

/**
 * The JUnit report is held to the schema CI systems read: Jenkins' xUnit junit-10.xsd (the Surefire shape GitLab
 * parses too), a fixture copied from jenkinsci/xunit-plugin, run through libxml2 (xmllint-wasm).
 */
const xsd = readFileSync(fromRoot('conformance/reporters/fixtures/junit-10.xsd'), 'utf8');

async function validate(xml: string) {
  return validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: xsd }],
  });
}

const cases: CaseResult[] = (['passed', 'failed', 'errored', 'skipped'] as const).map((outcome, i) => ({
  id: `s:${outcome}`,
  specName: i % 2 ? 'stackone' : 'smithery',
  operation: 'DELETE /x',
  kind: 'valid',
  title: `a ${outcome} case`,
  outcome,
  statuses: outcome === 'passed' ? [204] : [],
  reason: outcome === 'passed' || outcome === 'failed' ? undefined : `why ${outcome} \u001b[2J <&>`,
  preferredStatus: undefined,
}));
const findings: Finding[] = [
  {
    check: 'status-code-conformance',
    severity: 'failure',
    specName: 'stackone',
    operation: 'DELETE /x',
    caseId: 's:failed',
    caseTitle: 'a failed case',
    expected: '204',
    actual: '418 \u0000\u001b]52;c;eA==\u0007 \uffff',
    details: ['/: <must> & "be"'],
    hint: undefined,
    curl: "curl -X DELETE 'http://x/x'",
  },
  {
    ...({} as Finding),
    check: 'x',
    severity: 'warning',
    specName: 'smithery',
    operation: 'DELETE /x',
    caseId: 's:passed',
    caseTitle: 'w',
    expected: 'e',
    actual: 'a',
    details: [],
    hint: 'h',
    curl: 'c',
  },
];
const base: Omit<ConformanceResult, 'verdict'> = {
  exchanges: [],
  status: 'completed',
  targets: [],
  cases,
  findings,
  coverage: [],
  notes: [],
  remarks: [],
  policy: 'lenient',
  checks: ['status-code-conformance', 'x'],
  applied: [],
  summary: {
    cases: 4,
    passed: 1,
    failed: 1,
    errored: 1,
    skipped: 1,
    requests: 4,
    failures: 1,
    warnings: 1,
    coveragePercent: 0,
    durationMs: 1500,
  },
};

describe('the JUnit report against the Jenkins/GitLab JUnit XSD', () => {
  it('the schema rejects a report that breaks it (a testsuite without its required counts)', async () => {
    const broken =
      '<?xml version="1.0"?>\n<testsuites><testsuite name="x"><testcase name="y"/></testsuite></testsuites>\n';
    const result = await validate(broken);
    expect(result.valid).toBe(false);
    expect(result.rawOutput).toMatch(/attribute 'tests' is required/);
  });

  it('a run with a passed, a failed, an errored and a skipped case, hostile bytes included, is valid', async () => {
    const xml = renderJunit({ ...base, verdict: decideVerdict(base) });
    const result = await validate(xml);
    expect(result.errors, result.rawOutput).toEqual([]);
    expect(result.valid).toBe(true);
    expect(xml).toContain('<error message="why errored \\x1b[2J &lt;&amp;&gt;"');
  });

  it('an interrupted run with nothing finished and a shard is valid too', async () => {
    const empty = { ...base, status: 'interrupted' as const, cases: [], findings: [], shard: { index: 2, total: 3 } };
    const result = await validate(renderJunit({ ...empty, verdict: decideVerdict(empty) }));
    expect(result.valid, result.rawOutput).toBe(true);
  });

  // The verdict table: where the case counts alone would read green, the verdict is a testcase of its own.
  const clean = {
    ...base,
    cases: [cases[0]!],
    findings: [],
    summary: { ...base.summary, cases: 1, passed: 1, failed: 0, errored: 0, skipped: 0, failures: 0, warnings: 0 },
  };
  it.each([
    [
      'below --require-coverage',
      clean,
      80,
      /<failure message="coverage 0% is below --require-coverage 80%" type="verdict"\/>/,
      'failures="1" errors="0"',
    ],
    [
      'inconclusive',
      { ...clean, inconclusive: 'not one valid request was accepted' },
      undefined,
      /<error message="inconclusive: not one valid/,
      'failures="0" errors="1"',
    ],
    [
      'interrupted, 7 never sent',
      { ...clean, status: 'interrupted' as const, notSent: 7 },
      undefined,
      /<error message="interrupted after 1 case[\s\S]*<skipped message="the run was interrupted before 7 planned case\(s\) were sent"\/>/,
      'failures="0" errors="1"',
    ],
  ])(
    '%s: a verdict testcase carries the reason, and the schema still holds',
    async (_name, run, bar, inner, counts) => {
      const xml = renderJunit({ ...run, verdict: decideVerdict(run, bar) });
      expect(xml).toMatch(inner);
      expect(xml).toMatch(new RegExp(`<testsuites [^>]*${counts}`));
      expect(xml).toContain('<testsuite name="mcp-contracts run"');
      expect((await validate(xml)).valid).toBe(true);
    },
  );

  it('a passed run, coverage bar met and warnings left, has no verdict testcase', () => {
    const xml = renderJunit({ ...clean, verdict: decideVerdict(clean, 0) });
    expect(xml).not.toContain('mcp-contracts run');
    expect(xml).toMatch(/<testsuites [^>]*tests="1" failures="0" errors="0"/);
  });

  it("a suite's time never exceeds the run's wall time, though cases overlapped", () => {
    const exchanges = cases.map((c) => ({
      caseId: c.id,
      specName: c.specName,
      operation: c.operation,
      step: undefined,
      error: undefined,
      startedAt: '2026-01-01T00:00:00.000Z',
      request: { method: 'GET', url: 'http://x/', headers: {}, body: undefined },
      response: { status: 200, headers: {}, body: '', bodyBytes: 0, truncated: false, elapsedMs: 1000 },
    }));
    const overlapped = { ...base, exchanges, summary: { ...base.summary, durationMs: 1200 } };
    const xml = renderJunit({ ...overlapped, verdict: decideVerdict(overlapped) });
    const times = [...xml.matchAll(/<testsuite name="[^"]*" [^>]*time="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toBeLessThanOrEqual(1.2);
    // One case alone (1 s) fits: it is kept as measured.
    expect(xml).toMatch(/<testcase [^>]*time="1\.000"/);
  });
});
