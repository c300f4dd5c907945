import type { ConformanceResult } from '../types.js';

/**
 * JUnit XML for CI systems: one testsuite per spec, one testcase per operation × check. A check that found
 * failures is a <failure> listing each; one that applied and held passes; one that never applied is skipped.
 */
export function renderJunit(result: ConformanceResult): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const specs = [...new Set(result.cases.map((c) => c.specName))];
  let total = 0;
  let failures = 0;
  const suites: string[] = [];
  for (const spec of specs) {
    const operations = [...new Set(result.cases.filter((c) => c.specName === spec).map((c) => c.operation))];
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const operation of operations) {
      for (const check of result.checks) {
        const found = result.findings.filter(
          (f) => f.specName === spec && f.operation === operation && f.check === check && f.severity === 'failure',
        );
        const applied = result.applied.find(
          (a) => a.specName === spec && a.operation === operation && a.check === check,
        );
        const name = escapeXml(`${operation} :: ${check}`);
        const classname = escapeXml(`mcp-contracts.${spec}`);
        if (found.length > 0) {
          suiteFailures++;
          const body = found
            .map(
              (f) =>
                `${f.caseTitle}\nexpected: ${f.expected}\ngot: ${f.actual}${f.details.length ? `\n${f.details.join('\n')}` : ''}${f.hint ? `\nhint: ${f.hint}` : ''}\nreproduce: ${f.curl}`,
            )
            .join('\n\n');
          cases.push(
            `    <testcase classname="${classname}" name="${name}"><failure message="${escapeXml(`${found.length} failure(s): ${found[0]!.expected}`)}" type="${escapeXml(check)}">${escapeXml(body)}</failure></testcase>`,
          );
        } else if (!applied) {
          suiteSkipped++;
          cases.push(
            `    <testcase classname="${classname}" name="${name}"><skipped message="the check did not apply to any response of this operation"/></testcase>`,
          );
        } else {
          cases.push(`    <testcase classname="${classname}" name="${name}"/>`);
        }
      }
    }
    total += cases.length;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${escapeXml(spec)}" tests="${cases.length}" failures="${suiteFailures}" skipped="${suiteSkipped}" errors="0">`,
      `    <properties><property name="verdict-policy" value="${result.policy}"/></properties>`,
      ...cases,
      '  </testsuite>',
    );
  }
  out.push(
    `<testsuites name="mcp-contracts conformance${result.status === 'interrupted' ? ' (interrupted)' : ''}" tests="${total}" failures="${failures}" time="${(result.summary.durationMs / 1000).toFixed(3)}">`,
  );
  out.push(...suites, '</testsuites>');
  return `${out.join('\n')}\n`;
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
