import { ToolError } from '../../core/errors.js';
import { renderRuleCatalogue } from '../../drift/breaking/catalogue.js';
import { runDiff } from '../../drift/diff.js';
import { renderAnnotations } from '../../drift/report/annotations.js';
import { renderTerminal } from '../../drift/report/terminal.js';
import { parseReportTargets, type ReportFormat, renderReport, writeReports } from '../../drift/report/write.js';
import type { Output } from '../output.js';

export const diffFormats = ['text', 'markdown', 'json', 'junit', 'github', 'html'] as const;

export interface DiffCommandOptions {
  format?: (typeof diffFormats)[number];
  report?: string[];
  failOn?: 'error' | 'warning';
  ignore?: string;
  rules?: boolean;
}

/** Both documents named, or a usage error before anything is read. */
export function diffArguments(args: string[], command: string): [string, string] {
  const [base, revision, ...extra] = args;
  if (!base || !revision || extra.length > 0) {
    throw new ToolError(
      'MCPC_USAGE',
      `${command} takes exactly two documents, BASE and REVISION (got ${args.length})`,
      `e.g. mcp-contracts ${command} old.yaml new.yaml, or mcp-contracts ${command} origin/main:openapi.yaml openapi.yaml`,
    );
  }
  return [base, revision];
}

export async function diffCommand(opts: DiffCommandOptions, output: Output, args: string[]): Promise<number> {
  if (opts.rules) {
    output.out(renderRuleCatalogue().trimEnd());
    return 0;
  }
  const [base, revision] = diffArguments(args, 'diff');
  const cwd = process.cwd();
  const targets = parseReportTargets(opts.report ?? [], cwd);
  const result = await runDiff({
    base,
    revision,
    cwd,
    failOn: opts.failOn ?? 'error',
    ...(opts.ignore !== undefined ? { ignoreFile: opts.ignore } : {}),
  });
  const format = opts.format ?? 'text';
  if (format === 'text') {
    for (const line of renderTerminal(result, output.color)) output.out(line);
    if (process.env.GITHUB_ACTIONS === 'true') for (const line of renderAnnotations(result)) output.out(line);
  } else {
    output.out(renderReport(format as ReportFormat, result).trimEnd());
  }
  writeReports(targets, result);
  // On stdout only when it is not itself a report a pipe may be reading.
  if (format === 'text')
    for (const target of targets) output.out(output.color.dim(`wrote ${target.format} report to ${target.given}`));
  return result.ok ? 0 : 1;
}
