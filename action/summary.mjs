#!/usr/bin/env node
// The GitHub Action's job summary and annotations (action.yml runs it after the command, whatever its exit code).
//   node action/summary.mjs <conformance|drift> <reports-dir> <exit-code> [artifact-name]
// Appends markdown to $GITHUB_STEP_SUMMARY and prints annotations (::error/::warning) on stdout.
// conformance: read from the JSON report. drift: its own markdown report (drift annotates by itself under
// GITHUB_ACTIONS=true). Everything a target sent is made inert first: control characters shown as \xNN, and the
// workflow-command escapes applied, so a response body can neither draw on the log nor issue a command.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [command = 'conformance', reportsDir = '.', exitArg = '', artifact = 'mcp-contracts-reports'] =
  process.argv.slice(2);
const exitCode = Number(exitArg);
const summaryFile = process.env.GITHUB_STEP_SUMMARY;
const verdictOfExit = { 0: 'passed', 1: 'failed', 2: 'errored', 130: 'interrupted' };
const icons = { passed: '✅', failed: '❌', errored: '⚠️', interrupted: '⏹️' };

/** Control characters (C0 but tab, DEL, C1) made visible, so no byte a target sent reaches a terminal or log raw. */
const visible = (text) =>
  String(text ?? '').replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
/** GitHub's escapes for a workflow command's message and its properties. */
const escapeData = (s) => visible(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
/** One markdown table cell: no pipe ends it, no line break splits it. */
const cell = (s) => visible(s).replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const shorten = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const lines = [];
const annotate = (level, title, message) =>
  process.stdout.write(`::${level} title=${escapeProperty(title)}::${escapeData(message)}\n`);

function conformance() {
  const file = join(reportsDir, 'conformance.json');
  if (!existsSync(file)) return missing(file);
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const s = report.summary ?? {};
  const status =
    report.verdict?.status ??
    (report.status === 'interrupted' ? 'interrupted' : (verdictOfExit[exitCode] ?? 'errored'));
  const reason = report.verdict?.reason ?? report.inconclusive;
  lines.push(`## mcp-contracts conformance: ${icons[status] ?? ''} ${status}`, '');
  if (reason) lines.push(cell(reason), '');
  lines.push(
    `Targets: ${(report.targets ?? []).map((t) => `${t.specName} → \`${cell(t.baseUrl)}\``).join(', ') || 'none'} · policy ${report.policy ?? 'lenient'} · exit ${exitArg}`,
    '',
    '| cases | passed | failed | errored | skipped | requests | failures | warnings | coverage |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${s.cases ?? 0} | ${s.passed ?? 0} | ${s.failed ?? 0} | ${s.errored ?? 0} | ${s.skipped ?? 0} | ${s.requests ?? 0} | ${s.failures ?? 0} | ${s.warnings ?? 0} | ${s.coveragePercent ?? 0}% |`,
    '',
  );
  // One group per root cause: the same check, operation and expectation; one annotation per group.
  const groups = new Map();
  for (const f of report.findings ?? []) {
    const key = [f.severity, f.check, f.specName, f.operation, f.expected].join('\u0000');
    const group = groups.get(key) ?? { ...f, count: 0, cases: [] };
    group.count++;
    group.cases.push(f.caseTitle);
    groups.set(key, group);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => (a.severity === b.severity ? b.count - a.count : a.severity === 'failure' ? -1 : 1),
  );
  if (ordered.length > 0) {
    const byCheck = new Map();
    for (const g of ordered) {
      const row = byCheck.get(g.check) ?? { failures: 0, warnings: 0 };
      row[g.severity === 'failure' ? 'failures' : 'warnings'] += g.count;
      byCheck.set(g.check, row);
    }
    lines.push('| check | failures | warnings |', '| --- | ---: | ---: |');
    for (const [check, row] of byCheck) lines.push(`| \`${check}\` | ${row.failures} | ${row.warnings} |`);
    lines.push('', '| | check | operation | expected | got | occurrences |', '| --- | --- | --- | --- | --- | ---: |');
    for (const g of ordered.slice(0, 30)) {
      lines.push(
        `| ${g.severity === 'failure' ? '❌' : '⚠️'} | \`${g.check}\` | ${cell(`${g.specName} ${g.operation}`)} | ${cell(shorten(g.expected ?? '', 160))} | ${cell(shorten(g.actual ?? '', 160))} | ${g.count} |`,
      );
      annotate(
        g.severity === 'failure' ? 'error' : 'warning',
        `${g.check}: ${g.specName} ${g.operation}`,
        `expected ${shorten(g.expected ?? '', 300)}\ngot ${shorten(g.actual ?? '', 300)}\n${g.count} occurrence(s), e.g. ${g.cases[0]}`,
      );
    }
    if (ordered.length > 30) lines.push('', `… and ${ordered.length - 30} more group(s): see the reports.`);
    lines.push('');
  }
  if (status !== 'passed' && ordered.length === 0) {
    annotate('error', `mcp-contracts conformance: ${status}`, reason ?? `exit code ${exitArg}`);
  }
  lines.push(`Reports (JSON, JUnit, HTML): artifact \`${artifact}\`.`);
}

function drift() {
  const file = join(reportsDir, 'drift.md');
  if (!existsSync(file)) return missing(file);
  lines.push(readFileSync(file, 'utf8').trimEnd(), '', `Reports (JUnit, Markdown, JSON): artifact \`${artifact}\`.`);
}

function missing(file) {
  lines.push(
    `## mcp-contracts ${command}: ${icons.errored} the command exited ${exitArg} before writing ${file}`,
    '',
    'The step log above has the one-line reason (an MCPC_ code).',
  );
  annotate('error', `mcp-contracts ${command}`, `exited ${exitArg} without a report: see the step log`);
}

if (command === 'drift') drift();
else conformance();
const markdown = `${lines.join('\n')}\n`;
if (summaryFile) appendFileSync(summaryFile, markdown);
else process.stdout.write(markdown);
