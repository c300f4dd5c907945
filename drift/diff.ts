import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { ToolError } from '../core/errors.js';
import { isBundledSpecName } from '../core/paths.js';
import { isStackOverflow, type LoadedSpec, loadSpec, loadSpecFromText, tooDeep } from '../core/spec.js';
import { checkoutSpecAtRef, hasExternalRef, readSpecAtRef, repoPrefix } from './git.js';
import { loadIgnoreFile, normalisePath, relativeToCwd } from './ignore.js';
import { judgeComparison, summarise } from './steps/breaking.js';
import { type DriftResult, stepTitles } from './types.js';

/**
 * `diff BASE REVISION`: the breaking-change step of the gate, on any two OpenAPI documents, each a file or
 * `REF:path` from git. Same engine, same ignore-file format, same result shape (one step), so every drift
 * reporter renders it.
 */

export interface DiffOptions {
  base: string;
  revision: string;
  /** Where relative paths and `REF:path` are read from. */
  cwd: string;
  /** An ignore file (the format of specs/drift-ignore.yaml); its entries name the REVISION's path. */
  ignoreFile?: string;
  failOn?: 'error' | 'warning';
  /** Today, for ignore-entry expiry and `x-sunset` dates (tests). */
  now?: Date;
}

export interface SpecArgument {
  spec: LoadedSpec;
  /** As shown in reports: the path relative to cwd, or `REF:path`. */
  display: string;
  /** What an ignore entry's `file` names: the path (for `REF:path`, the path part). */
  file: string;
  /** The file lines refer to: the path, or `path@REF`. */
  lineFile: string;
}

/** `REF:path`: a revision and a path, when the argument is not an existing file (`C:\…` is not a ref). */
const refPath = /^([^:]{2,}):(.+)$/;

/** `https://…`, `file://…`: a URL, which is never read over the network. */
const url = /^[a-z][a-z0-9+.-]*:\/\//i;

export async function loadSpecArgument(given: string, cwd: string): Promise<SpecArgument> {
  if (url.test(given))
    throw new ToolError(
      'MCPC_USAGE',
      `${given}: URLs are not read; download it first (curl -o)`,
      `e.g. curl -fsSL -o spec.yaml '${given}', then pass spec.yaml`,
    );
  const full = resolve(cwd, given);
  if (existsSync(full) || isBundledSpecName(given)) {
    const spec = await loadSpec(existsSync(full) ? full : given);
    return { spec, display: given, file: given, lineFile: given };
  }
  const match = refPath.exec(given);
  if (!match) {
    try {
      const spec = await loadSpec(full);
      return { spec, display: given, file: given, lineFile: given };
    } catch (error) {
      if (error instanceof ToolError && error.code === 'MCPC_SPEC_NOT_FOUND')
        throw new ToolError(
          error.code,
          error.message,
          'give the path of an OpenAPI 3.0/3.1 YAML or JSON file, or REF:path to read it from git (e.g. origin/main:openapi.yaml)',
        );
      throw error;
    }
  }
  const [, ref = '', path = ''] = match;
  const text = await readSpecAtRef(cwd, given, ref, path);
  const argument = { display: given, file: path, lineFile: `${path}@${ref}` };
  if (!hasExternalRef(text))
    return { spec: await loadSpecFromText(text, `git:${given}`, basename(path, extname(path))), ...argument };
  // Split across files: the files its `$ref`s reach are read at the same revision, and bundled from there.
  const into = mkdtempSync(join(tmpdir(), 'mcpc-diff-ref-'));
  try {
    const spec = await loadSpec(await checkoutSpecAtRef(cwd, given, ref, path, into));
    return { spec: { ...spec, file: `git:${given}` }, ...argument };
  } finally {
    rmSync(into, { recursive: true, force: true });
  }
}

export async function runDiff(options: DiffOptions): Promise<DriftResult> {
  const started = performance.now();
  const failOn = options.failOn ?? 'error';
  const now = options.now ?? new Date();
  let ignore: ReturnType<typeof loadIgnoreFile> = [];
  if (options.ignoreFile !== undefined) {
    const path = resolve(options.cwd, options.ignoreFile);
    if (!existsSync(path))
      throw new ToolError(
        'MCPC_CONFIG',
        `--ignore ${options.ignoreFile}: no such file`,
        'give the path of an ignore file (the format of specs/drift-ignore.yaml), or leave --ignore out',
      );
    ignore = relativeToCwd(loadIgnoreFile(path, options.ignoreFile), dirname(path), options.cwd);
  }
  const base = await loadSpecArgument(options.base, options.cwd);
  const revision = await loadSpecArgument(options.revision, options.cwd);
  const judge = () =>
    judgeComparison(
      { kind: 'diff', against: base.display, oldFile: base.lineFile, old: base.spec },
      revision.spec,
      normalisePath(relative(options.cwd, resolve(options.cwd, revision.file))),
      { ignore, failOn, now },
    );
  let judged: ReturnType<typeof judge>;
  try {
    judged = judge();
  } catch (error) {
    throw isStackOverflow(error) ? tooDeep(`${base.display} or ${revision.display}`) : error;
  }
  const { findings, passed } = judged;
  const outcome = summarise(findings, passed ? [passed] : [], 1, {
    ignore,
    now,
    ignoreFile: options.ignoreFile ?? 'an ignore file given with --ignore',
  });
  const durationMs = Math.round(performance.now() - started);
  return {
    command: 'diff',
    compared: `${revision.display} against ${base.display}`,
    ok: outcome.status !== 'failed',
    root: options.cwd,
    repoPrefix: await repoPrefix(options.cwd),
    base: undefined,
    failOn,
    steps: [{ id: 'breaking', title: stepTitles.breaking, ...outcome, durationMs }],
    breaking: findings,
    durationMs,
  };
}
