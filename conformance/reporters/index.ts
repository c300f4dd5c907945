import { writeFileSync } from 'node:fs';
import { ToolError } from '../../core/errors.js';
import type { ConformanceResult } from '../types.js';
import { renderHar } from './har.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';

export const reportFormats = ['json', 'junit', 'html', 'har'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface ReportTarget {
  format: ReportFormat;
  file: string;
}

/** `json=out.json` → a report target; anything else is a usage error naming the valid forms. */
export function parseReportArgument(raw: string): ReportTarget {
  const eq = raw.indexOf('=');
  const format = raw.slice(0, eq) as ReportFormat;
  const file = raw.slice(eq + 1);
  if (eq > 0 && !reportFormats.includes(format)) {
    throw new ToolError(
      'MCPC_USAGE',
      `--report '${raw}': unknown format '${format}' (${reportFormats.join(', ')})`,
      `use ${reportFormats.map((f) => `${f}=FILE`).join(', ')}`,
    );
  }
  if (eq <= 0 || file === '') {
    throw new ToolError(
      'MCPC_USAGE',
      `--report '${raw}' is not FORMAT=FILE`,
      `use ${reportFormats.map((f) => `${f}=FILE`).join(', ')}`,
    );
  }
  return { format, file };
}

export function renderReport(format: ReportFormat, result: ConformanceResult, version: string): string {
  if (format === 'json') return renderJson(result, version);
  if (format === 'junit') return renderJunit(result);
  if (format === 'har') return renderHar(result, version);
  return renderHtml(result, version);
}

/** Render every report first, then write them all, so a bad path does not leave half the reports behind. */
export function writeReports(targets: ReportTarget[], result: ConformanceResult, version: string): void {
  const rendered = targets.map((t) => ({ ...t, text: renderReport(t.format, result, version) }));
  for (const r of rendered) writeReportFile(r.format, r.file, r.text);
}

/** Write one report file; an unwritable path is a coded error that says what to fix. */
export function writeReportFile(format: string, file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new ToolError(
      'MCPC_IO',
      `cannot write the ${format} report to ${file}: ${(error as Error).message}`,
      'check that the folder exists and is writable',
    );
  }
}
