import type { ConformanceResult } from '../types.js';

/** The JSON report's format: `format` names it, `formatVersion` changes when a field changes meaning or goes. */
export const reportFormat = 'mcp-contracts-report';
export const reportFormatVersion = 1;

/**
 * The JSON report: the result as data (verdict, cases, findings each pointing at its redacted exchange, coverage),
 * with the format version and the tool's name and version, so a CI can pin what produced it. It is described by
 * `schemas/report.schema.json`, shipped with the package.
 */
export function renderJson(result: ConformanceResult, version: string): string {
  const report = {
    format: reportFormat,
    formatVersion: reportFormatVersion,
    tool: { name: 'mcp-contracts', version },
    ...result,
  };
  return `${safeJson(JSON.stringify(report, null, 2))}\n`;
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls, the Unicode line separators and bidi overrides
 * raw: escaped here too (the data is the same), so `cat report.json` cannot drive a terminal either.
 */
export function safeJson(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
