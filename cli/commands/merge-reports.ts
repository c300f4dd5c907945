import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReportArgument, writeReports } from '../../conformance/reporters/index.js';
import { mergeReports, parseReport } from '../../conformance/reporters/merge.js';
import { renderTerminal } from '../../conformance/reporters/terminal.js';
import { ToolError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { exitCodeFor, type Output } from '../output.js';

export interface MergeReportsFlags {
  report?: string[];
}

/**
 * `merge-reports a.json b.json … --report html=… --report junit=…`: the shards of one run (`--shard i/n` in a CI
 * matrix) become one verdict, printed as the terminal report and written in every format asked for; the exit
 * code is the merged verdict's, as if the run had been one.
 */
export async function mergeReportsCommand(flags: MergeReportsFlags, output: Output, files: string[]): Promise<number> {
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const targets = (flags.report ?? []).map(parseReportArgument);
  if (files.length === 0) {
    throw new ToolError(
      'MCPC_USAGE',
      'merge-reports needs the JSON reports of the shards',
      'for example merge-reports shard-1.json shard-2.json shard-3.json --report html=report.html',
    );
  }
  const reports = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ToolError(
        'MCPC_REPORT',
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        'check the path of each shard report',
      );
    }
    return { file, report: parseReport(text, file) };
  });
  const merged = mergeReports(reports);
  for (const line of renderTerminal(merged, output.color, { width: output.width })) output.out(line);
  writeReports(targets, merged, version);
  for (const r of targets) output.out(output.color.dim(`wrote ${r.format} report to ${r.file}`));
  return exitCodeFor(merged.verdict);
}
