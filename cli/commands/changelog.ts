import { runDiff } from '../../drift/diff.js';
import { renderChangelog } from '../../drift/report/changelog.js';
import type { Output } from '../output.js';
import { diffArguments } from './diff.js';

export interface ChangelogCommandOptions {
  ignore?: string;
}

/** Every change between two documents, grouped by operation, as Markdown release notes. Exit 0: it judges nothing. */
export async function changelogCommand(opts: ChangelogCommandOptions, output: Output, args: string[]): Promise<number> {
  const [base, revision] = diffArguments(args, 'changelog');
  const result = await runDiff({
    base,
    revision,
    cwd: process.cwd(),
    ...(opts.ignore !== undefined ? { ignoreFile: opts.ignore } : {}),
  });
  output.out(renderChangelog(result).trimEnd());
  return 0;
}
