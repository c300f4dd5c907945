import { escapeXml } from '../../conformance/reporters/junit.js';
import type { DriftCheck, DriftResult, DriftStep } from '../types.js';

/** JUnit XML: one testsuite per step, one testcase per check (a finding, a file, a comparison). */

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function body(check: DriftCheck): string {
  const location = check.location ?? (check.file ? `${check.file}${check.line ? `:${check.line}` : ''}` : undefined);
  return [
    check.message,
    location ? `at ${location}${check.pointer !== undefined ? ` ${check.pointer || '/'}` : ''}` : undefined,
    check.details,
    check.diff,
    check.fix ? `fix: ${check.fix}` : undefined,
    check.accept ? `or accept it on purpose: ${check.accept}` : undefined,
  ]
    .filter((part): part is string => part !== undefined && part !== '')
    .join('\n');
}

function testcase(step: DriftStep, check: DriftCheck, tool: string): string {
  const attrs = `classname="${tool}.${step.id}" name="${escapeXml(check.name)}"${check.file ? ` file="${escapeXml(check.file)}"` : ''}`;
  switch (check.status) {
    case 'failed':
      return `    <testcase ${attrs}>\n      <failure message="${escapeXml(check.message)}" type="${escapeXml(check.rule ?? step.id)}">${escapeXml(body(check))}</failure>\n    </testcase>`;
    case 'skipped':
      return `    <testcase ${attrs}>\n      <skipped message="${escapeXml(check.message)}"/>\n    </testcase>`;
    case 'passed':
      return `    <testcase ${attrs}/>`;
    default:
      // Warnings, info and ignored findings pass, with the reason kept visible.
      return `    <testcase ${attrs}>\n      <system-out>${escapeXml(`${check.status}: ${body(check)}`)}</system-out>\n    </testcase>`;
  }
}

function suite(step: DriftStep, tool: string): string {
  const checks: DriftCheck[] =
    step.checks.length > 0 ? step.checks : [{ name: step.title, status: 'skipped', message: step.summary }];
  const failures = checks.filter((c) => c.status === 'failed').length;
  const skipped = checks.filter((c) => c.status === 'skipped').length;
  const notes = step.notes.map((n) => `${n.level}: ${n.text}`);
  return [
    `  <testsuite name="${tool}: ${escapeXml(step.title)}" tests="${checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(step.durationMs)}">`,
    ...checks.map((c) => testcase(step, c, tool)),
    ...(notes.length > 0 ? [`    <system-out>${escapeXml([step.summary, ...notes].join('\n'))}</system-out>`] : []),
    '  </testsuite>',
  ].join('\n');
}

export function renderJunit(result: DriftResult): string {
  const tool = result.command ?? 'drift';
  const suites = result.steps.map((step) => suite(step, tool));
  const all = result.steps.flatMap((s) =>
    s.checks.length > 0 ? s.checks : [{ status: 'skipped' } as Pick<DriftCheck, 'status'>],
  );
  const failures = all.filter((c) => c.status === 'failed').length;
  const skipped = all.filter((c) => c.status === 'skipped').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mcp-contracts ${tool}" tests="${all.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(result.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
