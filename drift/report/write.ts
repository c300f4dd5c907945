import { accessSync, constants, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ToolError } from '../../core/errors.js';
import type { DriftResult } from '../types.js';
import { renderAnnotations } from './annotations.js';
import { renderChangelog } from './changelog.js';
import { renderHtmlChangelog } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export const reportFormats = ['json', 'junit', 'markdown', 'github', 'html', 'changelog'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface ReportTarget {
  format: ReportFormat;
  /** Absolute path. */
  file: string;
  /** As the user wrote it. */
  given: string;
}

const renderers: Record<ReportFormat, (result: DriftResult) => string> = {
  json: renderJson,
  junit: renderJunit,
  markdown: renderMarkdown,
  github: (result) =>
    renderAnnotations(result)
      .map((line) => `${line}\n`)
      .join(''),
  html: renderHtmlChangelog,
  changelog: renderChangelog,
};

const isFormat = (value: string): value is ReportFormat => (reportFormats as readonly string[]).includes(value);

/**
 * Parse `--report FORMAT=FILE` values and check, before any work is done, that each file can be written:
 * a typo in a format or a missing folder is found in a second, not after the whole gate has run.
 */
export function parseReportTargets(values: readonly string[], cwd: string): ReportTarget[] {
  const targets: ReportTarget[] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    const format = eq > 0 ? value.slice(0, eq) : '';
    const given = eq > 0 ? value.slice(eq + 1) : '';
    if (!isFormat(format) || given === '') {
      throw new ToolError(
        'MCPC_USAGE',
        `--report ${value}: expected FORMAT=FILE with FORMAT one of ${reportFormats.join(', ')}`,
        'e.g. --report junit=drift.xml --report markdown=drift.md',
      );
    }
    const file = resolve(cwd, given);
    if (targets.some((t) => t.file === file)) {
      throw new ToolError('MCPC_USAGE', `--report ${value}: ${given} is named twice`, 'give each report its own file');
    }
    checkWritable(file, given);
    targets.push({ format, file, given });
  }
  return targets;
}

function checkWritable(file: string, given: string): void {
  const dir = dirname(file);
  const fail = (why: string, hint: string): never => {
    throw new ToolError('MCPC_IO', `cannot write report ${given}: ${why}`, hint);
  };
  let dirStat: ReturnType<typeof statSync> | undefined;
  try {
    dirStat = statSync(dir);
  } catch {
    fail(`folder ${dir} does not exist`, `create it first (mkdir -p ${dir}) or write the report elsewhere`);
  }
  if (!dirStat?.isDirectory()) fail(`${dir} is not a folder`, 'write the report into a folder');
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    fail(`folder ${dir} is not writable`, 'write the report into a writable folder');
  }
  try {
    if (statSync(file).isDirectory()) fail(`${given} is a folder`, 'name a file, e.g. reports/drift.xml');
    accessSync(file, constants.W_OK);
  } catch (error) {
    if (error instanceof ToolError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') fail('the file is not writable', 'check its permissions');
  }
}

/**
 * Write every report without ever leaving one half-written: each is written to a temporary file beside
 * its target first, and only when all of them are written are they renamed into place (a rename within a
 * folder is atomic). A failed write leaves no report and no temporary file behind.
 */
export function writeReports(targets: readonly ReportTarget[], result: DriftResult): void {
  const written: Array<{ tmp: string; target: ReportTarget }> = [];
  const cleanUp = () => {
    for (const { tmp } of written) {
      try {
        unlinkSync(tmp);
      } catch {
        // Already renamed or never created: nothing to clean.
      }
    }
  };
  targets.forEach((target, i) => {
    const tmp = `${target.file}.${process.pid}.${i}.tmp`;
    try {
      writeFileSync(tmp, renderers[target.format](result));
      written.push({ tmp, target });
    } catch (error) {
      cleanUp();
      throw writeError(target, error);
    }
  });
  for (const { tmp, target } of written) {
    try {
      renameSync(tmp, target.file);
    } catch (error) {
      cleanUp();
      throw writeError(target, error);
    }
  }
}

function writeError(target: ReportTarget, error: unknown): ToolError {
  return new ToolError(
    'MCPC_IO',
    `cannot write report ${target.given}: ${(error as Error).message}`,
    'check that the folder exists and is writable',
  );
}

export function renderReport(format: ReportFormat, result: DriftResult): string {
  return renderers[format](result);
}
