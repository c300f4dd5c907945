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
});
