import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ToolError } from '../core/errors.js';
import { collectRefs } from '../core/spec.js';

/**
 * The few git questions drift asks: which revision to compare with, and what a spec looked like there.
 * A missing default base (shallow clone, a single commit, no git at all) is not an error: drift says so and
 * skips the comparison. A base the user named that does not exist is an error (MCPC_GIT, exit 2), because
 * silently comparing with nothing would let a breaking change through.
 */

export interface BaseRevision {
  /** As given or found: `origin/main`, `HEAD~1`, a sha. */
  ref: string;
  /** Full commit sha. */
  commit: string;
  /** How it was chosen, for the report: `given with --base`, `merge base of HEAD and origin/main`, … */
  how: string;
}

export type BaseResolution = { available: true; base: BaseRevision } | { available: false; reason: string };

interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** git itself could not be started. */
  missing: boolean;
}

function git(root: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout, stderr) => {
        const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
        resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr), missing });
      },
    );
  });
}

async function commitOf(root: string, ref: string): Promise<string | undefined> {
  const result = await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return result.ok ? result.stdout.trim() : undefined;
}

async function isShallow(root: string): Promise<boolean> {
  const result = await git(root, ['rev-parse', '--is-shallow-repository']);
  return result.ok && result.stdout.trim() === 'true';
}

const shallowHint =
  'this is a shallow clone: fetch the history (actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`)';

/** The default branch to compare with: origin/HEAD, else origin/main, origin/master, main, master. */
async function defaultBranch(root: string): Promise<string | undefined> {
  const symbolic = await git(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  const candidates = [symbolic.ok ? symbolic.stdout.trim() : '', 'origin/main', 'origin/master', 'main', 'master'];
  for (const candidate of candidates) {
    if (candidate && (await commitOf(root, candidate))) return candidate;
  }
  return undefined;
}

/**
 * The revision to compare with: `given` when there is one (it must exist), else the merge base of HEAD
 * with the default branch, else HEAD~1. On the default branch itself the merge base is HEAD, which would
 * compare the tree with itself, so HEAD~1 is used there.
 */
export async function resolveBase(root: string, given?: string): Promise<BaseResolution> {
  const inside = await git(root, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok || inside.stdout.trim() !== 'true') {
    const why = inside.missing ? 'git is not installed' : `${root} is not inside a git work tree`;
    if (given !== undefined)
      throw new ToolError('MCPC_GIT', `--base ${given}: ${why}`, 'run drift inside a git clone of the project');
    return { available: false, reason: `${why}; there is no earlier version to compare with` };
  }
  if (given !== undefined) {
    const commit = await commitOf(root, given);
    if (!commit) {
      throw new ToolError(
        'MCPC_GIT',
        `--base ${given}: no such revision in this repository`,
        (await isShallow(root))
          ? shallowHint
          : 'give a branch, tag or commit that exists here (e.g. origin/main or HEAD~1); fetch it first if it is remote',
      );
    }
    return { available: true, base: { ref: given, commit, how: 'given with --base' } };
  }

  const head = await commitOf(root, 'HEAD');
  if (!head) return { available: false, reason: 'the repository has no commits yet; there is nothing to compare with' };
  const branch = await defaultBranch(root);
  if (branch) {
    const mergeBase = await git(root, ['merge-base', 'HEAD', branch]);
    const commit = mergeBase.ok ? mergeBase.stdout.trim() : '';
    if (commit && commit !== head) {
      return { available: true, base: { ref: commit.slice(0, 12), commit, how: `merge base of HEAD and ${branch}` } };
    }
  }
  const parent = await commitOf(root, 'HEAD~1');
  if (parent) return { available: true, base: { ref: 'HEAD~1', commit: parent, how: 'the previous commit' } };
  if (await isShallow(root)) {
    return {
      available: false,
      reason: `no base revision is available: ${shallowHint}, or pass --base`,
    };
  }
  return {
    available: false,
    reason: 'HEAD is the only commit (no parent, no default branch to compare with); there is nothing to compare with',
  };
}

/** The text of `path` (relative to `root`) at `commit`, or undefined when the file did not exist there. */
export async function readAtRevision(root: string, commit: string, path: string): Promise<string | undefined> {
  const result = await git(root, ['show', `${commit}:./${path}`]);
  if (result.ok) return result.stdout;
  if (/does not exist|exists on disk, but not in|not in '/.test(result.stderr)) return undefined;
  throw new ToolError(
    'MCPC_GIT',
    `git show ${commit.slice(0, 12)}:${path} failed: ${result.stderr.trim().split('\n')[0] ?? 'no message'}`,
    'check that the repository is not corrupt (`git fsck`)',
  );
}

/**
 * The text of `path` at `ref` for `diff REF:path`: the path is relative to `cwd`, as in `git show REF:./path`.
 * Each way it can fail is one coded line: not a repository, an unknown revision, a path missing there.
 */
export async function readSpecAtRef(cwd: string, given: string, ref: string, path: string): Promise<string> {
  const commit = await commitOfArgument(cwd, given, ref);
  return readPathAtRef(cwd, commit, given, ref, path.replace(/^\.\//, ''));
}

async function commitOfArgument(cwd: string, given: string, ref: string): Promise<string> {
  const inside = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok || inside.stdout.trim() !== 'true') {
    throw new ToolError(
      'MCPC_GIT',
      `${given}: ${inside.missing ? 'git is not installed' : `${cwd} is not inside a git work tree`}`,
      'run the command inside a git clone, or give the path of a file instead of REF:path',
    );
  }
  const commit = await commitOf(cwd, ref);
  if (!commit) {
    throw new ToolError(
      'MCPC_GIT',
      `${given}: no such revision '${ref}' in this repository`,
      (await isShallow(cwd))
        ? shallowHint
        : 'give a branch, tag or commit that exists here (e.g. origin/main or HEAD~1); fetch it first if it is remote',
    );
  }
  return commit;
}

async function readPathAtRef(root: string, commit: string, given: string, ref: string, path: string): Promise<string> {
  const text = await readAtRevision(root, commit, path);
  if (text === undefined) {
    throw new ToolError(
      'MCPC_GIT',
      `${given}: ${path} does not exist at ${ref}`,
      `the path is relative to the current folder; list what is there with \`git ls-tree -r --name-only ${ref}\``,
    );
  }
  return text;
}

/** A `$ref` to another file: relative, not a URL, not `#…` within the same document. */
const fileOfRef = (ref: string): string | undefined => {
  if (ref.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(ref)) return undefined;
  const file = decodeURI(ref.split('#')[0] ?? '');
  return file === '' ? undefined : file;
};

/** Does the text hold a `$ref` to another file? (A cheap look before parsing.) */
export const hasExternalRef = (text: string): boolean => /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"']/.test(text);

/**
 * A spec split across files, as it was at `ref`: the spec and every file its `$ref`s reach (transitively) are
 * read with `git show REF:path` and written under `into` at their places in the repository, so the loader
 * bundles them as on disk. Returns the spec's path under `into`.
 */
export async function checkoutSpecAtRef(
  cwd: string,
  given: string,
  ref: string,
  path: string,
  into: string,
): Promise<string> {
  const commit = await commitOfArgument(cwd, given, ref);
  const top = await git(cwd, ['rev-parse', '--show-toplevel']);
  const root = top.stdout.trim();
  const start = posix.normalize(posix.join(await repoPrefix(cwd), path));
  const queue = [start];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const file = queue.shift() as string;
    const text = await readPathAtRef(root, commit, given, ref, file);
    const target = join(into, ...file.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    if (!hasExternalRef(text)) continue;
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch {
      continue; // The loader names the syntax error, with its line.
    }
    for (const { ref: $ref } of collectRefs(parsed)) {
      const other = fileOfRef($ref);
      if (!other) continue;
      const next = posix.normalize(posix.join(posix.dirname(file), other));
      if (next.startsWith('../') || seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return join(into, ...start.split('/'));
}

/**
 * Where `cwd` is inside its repository (`git rev-parse --show-prefix`: `sub/dir/`), so that a file named from
 * `cwd` can be named from the repository root; '' at the root, outside a repository, or without git.
 */
export async function repoPrefix(cwd: string): Promise<string> {
  const result = await git(cwd, ['rev-parse', '--show-prefix']);
  return result.ok ? result.stdout.trim() : '';
}
