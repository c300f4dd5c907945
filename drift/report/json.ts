import type { DriftResult } from '../types.js';

/** The whole result as JSON, versioned so that consumers can tell when its shape changes. */
export function renderJson(result: DriftResult): string {
  return `${JSON.stringify({ format: `mcp-contracts-${result.command ?? 'drift'}/1`, ...result }, null, 2)}\n`;
}
