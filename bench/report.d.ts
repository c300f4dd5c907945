// Types for bench/report.js (plain ESM), for the TypeScript test beside it.
export const startMarker: string;
export const endMarker: string;
export function renderResults(results: unknown): string;
export function updateBenchmarksMarkdown(existing: string | undefined, generated: string): string;
export function formatJson(value: unknown, indent?: string, key?: string): string;
