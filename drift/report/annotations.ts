import { posix } from 'node:path';
import type { DriftCheck, DriftResult } from '../types.js';

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), printed on stdout when
 * GITHUB_ACTIONS=true, so each problem shows on the line of the pull request that caused it.
 */

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(
  level: 'error' | 'warning' | 'notice',
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function annotate(check: DriftCheck, stepTitle: string, tool: string, prefix: string): string | undefined {
  if (check.status !== 'failed' && check.status !== 'warning') return undefined;
  const message = [
    check.message,
    check.location ? `(${check.location})` : '',
    check.fix ? `Fix: ${check.fix}.` : '',
    check.accept ? `Or accept it on purpose: ${check.accept}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return command(
    check.status === 'failed' ? 'error' : 'warning',
    {
      file: check.file && posix.normalize(posix.join(prefix, check.file)),
      line: check.file ? check.line : undefined,
      col: check.file && check.line ? check.column : undefined,
      title: `${tool} ${check.rule ?? stepTitle}`,
    },
    message,
  );
}

export function renderAnnotations(result: DriftResult): string[] {
  const lines: string[] = [];
  const tool = result.command ?? 'drift';
  for (const step of result.steps) {
    for (const note of step.notes) {
      if (note.level === 'warning') lines.push(command('warning', { title: `${tool}: ${step.title}` }, note.text));
    }
    if (step.status === 'not-run') lines.push(command('notice', { title: `${tool}: ${step.title}` }, step.summary));
    for (const check of step.checks) {
      const line = annotate(check, step.title, tool, result.repoPrefix ?? '');
      if (line) lines.push(line);
    }
  }
  return lines;
}
