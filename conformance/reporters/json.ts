import type { ConformanceResult } from '../types.js';

/** The JSON report: the result as data, with the tool's name and version so a CI can pin what produced it. */
export function renderJson(result: ConformanceResult, version: string): string {
  return `${JSON.stringify({ tool: { name: 'mcp-contracts', version }, ...result }, null, 2)}\n`;
}
