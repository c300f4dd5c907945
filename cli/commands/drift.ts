import { renderAnnotations } from '../../drift/report/annotations.js';
import { renderTerminal } from '../../drift/report/terminal.js';
import { parseReportTargets, writeReports } from '../../drift/report/write.js';
import { findProjectRoot } from '../../drift/root.js';
import type { DriftConformanceRunner } from '../../drift/types.js';
import type { Output } from '../output.js';

export interface DriftCommandOptions {
  base?: string;
  report?: string[];
  failOn?: 'error' | 'warning';
}

/** The conformance step: the reference implementation, started in-process and checked (drift/reference.ts). */
function conformanceRunner(): DriftConformanceRunner {
  return async () => (await import('../../drift/reference.js')).referenceConformanceForDrift();
}

export async function driftCommand(opts: DriftCommandOptions, output: Output): Promise<number> {
  const cwd = process.cwd();
  // Both checked before the gate runs: a bad --report or a folder without specs/ costs a second, not a run.
  const targets = parseReportTargets(opts.report ?? [], cwd);
  const root = findProjectRoot(cwd);
  // Loaded only now: the gate pulls in Spectral and the TypeScript compiler, a usage error should not wait.
  const { runDrift } = await import('../../drift/run.js');
  const result = await runDrift({
    root,
    ...(opts.base !== undefined ? { base: opts.base } : {}),
    failOn: opts.failOn ?? 'error',
    conformance: conformanceRunner(),
  });
  for (const line of renderTerminal(result, output.color)) output.out(line);
  if (process.env.GITHUB_ACTIONS === 'true') for (const line of renderAnnotations(result)) output.out(line);
  writeReports(targets, result);
  for (const target of targets) output.out(output.color.dim(`wrote ${target.format} report to ${target.given}`));
  return result.ok ? 0 : 1;
}
