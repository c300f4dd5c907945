import type { CaseResult, ConformanceResult, Finding } from '../types.js';
import { verdictWord } from './terminal.js';
import { describeBody, visible } from './text.js';

/**
 * JUnit XML for CI systems (the Surefire shape Jenkins and GitLab read; held to Jenkins' junit-10.xsd by a test).
 * One testsuite per spec and one testcase per planned case, so the counts are the terminal's: a failed case is a
 * <failure> listing its findings, an errored one an <error> with the reason, a skipped one <skipped>; warnings
 * go to <system-out>. Each testcase has its time (the time its requests took), each suite a timestamp.
 */
export function renderJunit(result: ConformanceResult): string {
  const specs = [...new Set([...result.targets.map((t) => t.specName), ...result.cases.map((c) => c.specName)])];
  const findingsByCase = new Map<string, Finding[]>();
  for (const f of result.findings) findingsByCase.set(f.caseId, [...(findingsByCase.get(f.caseId) ?? []), f]);
  const msByCase = new Map<string, number>();
  let firstStart: string | undefined;
  for (const e of result.exchanges ?? []) {
    msByCase.set(e.caseId, (msByCase.get(e.caseId) ?? 0) + (e.response?.elapsedMs ?? 0));
    if (!firstStart || e.startedAt < firstStart) firstStart = e.startedAt;
  }
  // Suite timestamp: ISO 8601 without zone, as Surefire writes it.
  const timestamp = (firstStart ?? new Date(Date.now() - result.summary.durationMs).toISOString()).slice(0, 19);
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const spec of specs) {
    const cases = result.cases.filter((c) => c.specName === spec);
    const counts = {
      failures: cases.filter((c) => c.outcome === 'failed').length,
      errors: cases.filter((c) => c.outcome === 'errored').length,
      skipped: cases.filter((c) => c.outcome === 'skipped').length,
    };
    totals.tests += cases.length;
    totals.failures += counts.failures;
    totals.errors += counts.errors;
    totals.skipped += counts.skipped;
    // Cases overlap at any concurrency above 1: their sum may exceed the run's wall time, which a suite never does.
    const seconds =
      Math.min(
        cases.reduce((n, c) => n + (msByCase.get(c.id) ?? 0), 0),
        result.summary.durationMs,
      ) / 1000;
    suites.push(
      `  <testsuite name="${attr(spec)}" tests="${cases.length}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds.toFixed(3)}" timestamp="${timestamp}">`,
      '    <properties>',
      `      <property name="verdict" value="${result.verdict.status}"/>`,
      `      <property name="verdict-reason" value="${attr(result.verdict.reason)}"/>`,
      `      <property name="verdict-policy" value="${result.policy}"/>`,
      ...(result.shard ? [`      <property name="shard" value="${result.shard.index}/${result.shard.total}"/>`] : []),
      '    </properties>',
      ...cases.map((c) => testcase(c, findingsByCase.get(c.id) ?? [], msByCase.get(c.id) ?? 0, result)),
      '  </testsuite>',
    );
  }
  const verdictSuite = runSuite(result, timestamp, totals.failures);
  if (verdictSuite) {
    suites.push(...verdictSuite.lines);
    totals.tests += verdictSuite.tests;
    totals.failures += verdictSuite.failures;
    totals.errors += verdictSuite.errors;
  }
  const name = `mcp-contracts conformance: ${verdictWord(result.verdict.status)}${result.status === 'interrupted' ? ' (interrupted)' : ''}`;
  return `${[
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(name)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${(result.summary.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
  ].join('\n')}\n`;
}

/**
 * The verdict where the case counts alone would read green: an interrupted or errored run (unreachable,
 * inconclusive) gets an <error> testcase with the verdict's reason, a failed one with no failed case (below
 * --require-coverage) a <failure>; an interrupted run's never-sent cases are one skipped testcase.
 */
function runSuite(
  result: ConformanceResult,
  timestamp: string,
  failedCases: number,
): { lines: string[]; tests: number; failures: number; errors: number } | undefined {
  const status = result.verdict.status;
  const inner: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const open = (name: string) => `    <testcase classname="mcp-contracts.run" name="${attr(name)}" time="0.000"`;
  if (status === 'interrupted' || status === 'errored') {
    errors++;
    inner.push(
      `${open(`verdict: ${verdictWord(status)}`)}><error message="${attr(result.verdict.reason)}" type="${status}">${text(result.verdict.reason)}</error></testcase>`,
    );
  } else if (status === 'failed' && failedCases === 0) {
    failures++;
    inner.push(
      `${open(`verdict: ${verdictWord(status)}`)}><failure message="${attr(result.verdict.reason)}" type="verdict"/></testcase>`,
    );
  }
  if (result.status === 'interrupted' && (result.notSent ?? 0) > 0) {
    skipped++;
    inner.push(
      `${open(`${result.notSent} planned case(s) never sent`)}><skipped message="${attr(`the run was interrupted before ${result.notSent} planned case(s) were sent`)}"/></testcase>`,
    );
  }
  if (inner.length === 0) return undefined;
  return {
    lines: [
      `  <testsuite name="mcp-contracts run" tests="${inner.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0.000" timestamp="${timestamp}">`,
      ...inner,
      '  </testsuite>',
    ],
    tests: inner.length,
    failures,
    errors,
  };
}

function testcase(c: CaseResult, findings: Finding[], ms: number, result: ConformanceResult): string {
  const open = `    <testcase classname="${attr(`mcp-contracts.${c.specName}.${c.operation}`)}" name="${attr(`${c.title} [${c.id}]`)}" time="${(ms / 1000).toFixed(3)}"`;
  const failures = findings.filter((f) => f.severity === 'failure');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const inner: string[] = [];
  if (c.outcome === 'failed' && failures.length > 0) {
    const first = failures[0]!;
    inner.push(
      `<failure message="${attr(`${failures.length} failure(s): ${first.check}: ${first.expected}`)}" type="${attr(first.check)}">${text(failures.map((f) => describe(f, result)).join('\n\n'))}</failure>`,
    );
  } else if (c.outcome === 'failed') {
    inner.push(`<failure message="${attr(c.reason ?? 'the case failed')}" type="failed"/>`);
  } else if (c.outcome === 'errored') {
    inner.push(`<error message="${attr(c.reason ?? 'no response')}" type="errored">${text(c.reason ?? '')}</error>`);
  } else if (c.outcome === 'skipped') {
    inner.push(`<skipped message="${attr(c.reason ?? 'not sent')}"/>`);
  }
  if (warnings.length > 0)
    inner.push(
      `<system-out>${text(warnings.map((f) => `warning — ${describe(f, result)}`).join('\n\n'))}</system-out>`,
    );
  return inner.length === 0 ? `${open}/>` : `${open}>${inner.join('')}</testcase>`;
}

function describe(f: Finding, result: ConformanceResult): string {
  const exchange = f.exchange === undefined ? undefined : result.exchanges?.[f.exchange];
  const response = exchange?.response;
  return [
    `${f.check}: ${f.caseTitle}`,
    `expected: ${f.expected}`,
    `got: ${f.actual}`,
    ...f.details,
    ...(f.hint ? [`hint: ${f.hint}`] : []),
    `reproduce: ${f.curl}`,
    ...(response
      ? [
          `response: ${response.status} ${describeBody(response.body, response.headers, response.bodyBytes, { multiline: true })}`,
        ]
      : []),
  ].join('\n');
}

/** An attribute value: every control character visible (line breaks too), then escaped. */
function attr(value: string): string {
  return escapeXml(visible(value));
}

/** Element text: control characters visible (line breaks and tabs kept), then escaped. */
function text(value: string): string {
  return escapeXml(visible(value, { multiline: true }));
}

export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; they must go.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}
