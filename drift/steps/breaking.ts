import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundledSpecNames } from '../../core/paths.js';
import { type LoadedSpec, loadSpec, loadSpecFromText } from '../../core/spec.js';
import type { BreakingChange } from '../breaking/changes.js';
import { compareSpecs } from '../breaking/compare.js';
import { breakingRules } from '../breaking/rules.js';
import type { BaseResolution } from '../git.js';
import { readAtRevision } from '../git.js';
import { defaultIgnoreFile, type IgnoreEntry, isExpired, matchesEntry } from '../ignore.js';
import type { BreakingFinding, DriftCheck, DriftNote } from '../types.js';
import type { StepOutcome } from './outcome.js';

export interface BreakingStepOptions {
  root: string;
  base: BaseResolution;
  ignore: IgnoreEntry[];
  failOn: 'error' | 'warning';
  now: Date;
}

export interface Comparison {
  kind: BreakingFinding['comparison'];
  against: string;
  /** The file `old`-side lines are in. */
  oldFile: string;
  old: LoadedSpec;
}

const failsAt = { error: ['error'], warning: ['error', 'warning'] } as const;

/**
 * Step 3: every working spec against its version at the git base, and against its published copy in
 * specs/upstream/ (the published contract must never be broken by the working copy).
 */
export async function breakingStep(
  options: BreakingStepOptions,
): Promise<StepOutcome & { findings: BreakingFinding[] }> {
  const { root, base } = options;
  const notes: DriftNote[] = [];
  const checks: DriftCheck[] = [];
  const findings: BreakingFinding[] = [];
  const compared: string[] = [];
  if (base.available) {
    notes.push({
      level: 'info',
      text: `git base: ${base.base.ref} (${base.base.how}, commit ${base.base.commit.slice(0, 12)})`,
    });
  } else {
    notes.push({
      level: 'warning',
      text: `git comparison skipped: ${base.reason}. Only specs/upstream/ was compared.`,
    });
  }

  for (const name of bundledSpecNames) {
    const file = `specs/${name}.yaml`;
    const working = await loadSpec(join(root, file));
    const comparisons: Comparison[] = [];
    const upstreamFile = `specs/upstream/${name}.yaml`;
    if (existsSync(join(root, upstreamFile))) {
      const old = await loadSpec(join(root, upstreamFile));
      comparisons.push({ kind: 'upstream', against: upstreamFile, oldFile: upstreamFile, old });
    } else {
      notes.push({
        level: 'info',
        text: `${file} has no published copy at ${upstreamFile}: it is compared with git only`,
      });
    }
    if (base.available) {
      const short = base.base.commit.slice(0, 12);
      const text = await readAtRevision(root, base.base.commit, file);
      if (text === undefined) {
        notes.push({
          level: 'info',
          text: `${file} did not exist at ${base.base.ref}: a new spec, nothing to compare with`,
        });
      } else {
        const old = await loadSpecFromText(text, `git:${base.base.ref}:${file}`, name);
        comparisons.push({ kind: 'base', against: `${file} at ${base.base.ref}`, oldFile: `${file}@${short}`, old });
      }
    }
    for (const comparison of comparisons) {
      compared.push(`${file} vs ${comparison.against}`);
      const { findings: placed, passed } = judgeComparison(comparison, working, file, options);
      findings.push(...placed);
      if (passed) checks.push(passed);
    }
  }
  return { ...summarise(findings, checks, compared.length, options), notes };
}

/**
 * One comparison, judged: every change placed in its file with the verdict of the ignore file, and a passed
 * check when nothing fails or warns. Used by the gate for each of its comparisons and by `diff` for its one.
 */
export function judgeComparison(
  comparison: Comparison,
  working: LoadedSpec,
  file: string,
  options: Pick<BreakingStepOptions, 'ignore' | 'failOn' | 'now'>,
): { findings: BreakingFinding[]; passed: DriftCheck | undefined } {
  const findings = compareSpecs(comparison.old, working, { now: options.now }).map((change) =>
    place(change, comparison, working, file, options),
  );
  const passed = findings.some((f) => f.failing || f.severity === 'warning')
    ? undefined
    : ({
        name: `${file} vs ${comparison.against}`,
        status: 'passed',
        message: `${file}: no breaking change against ${comparison.against}`,
        file,
      } satisfies DriftCheck);
  return { findings, passed };
}

/** The step's checks (worst first), the ignore file's own checks, and a one-line summary. */
export function summarise(
  findings: BreakingFinding[],
  passed: DriftCheck[],
  comparisons: number,
  options: Pick<BreakingStepOptions, 'ignore' | 'now'> & { ignoreFile?: string },
): StepOutcome & { findings: BreakingFinding[] } {
  // Worst first: what fails the gate, then what may break, then what was let through, then news.
  const order: DriftCheck['status'][] = ['failed', 'warning', 'ignored', 'info'];
  const checks = [
    ...passed,
    ...findings
      .map((f) => toCheck(f, options.ignoreFile))
      .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status)),
    ...ignoreEntryChecks(options.ignore, findings, options.now, options.ignoreFile),
  ];
  const failing = findings.filter((f) => f.failing).length;
  const count = (predicate: (f: BreakingFinding) => boolean) => findings.filter(predicate).length;
  // An expired entry fails the gate by itself (its finding, if any, is counted once, as failing).
  const expired = options.ignore.filter((e) => isExpired(e, options.now)).length;
  const summary =
    `${failing} breaking change(s) fail the gate, ${count((f) => !f.failing && !f.ignored && f.severity === 'warning')} warning(s), ` +
    `${count((f) => f.ignored !== undefined)} ignored, ${count((f) => f.severity === 'info')} info` +
    `${expired > 0 ? `, ${expired} expired ignore entr${expired === 1 ? 'y fails' : 'ies fail'} the gate` : ''} ` +
    `(${comparisons} comparison(s))`;
  return {
    status: checks.some((c) => c.status === 'failed') ? 'failed' : 'passed',
    summary,
    notes: [],
    checks,
    findings,
  };
}

function place(
  change: BreakingChange,
  comparison: Comparison,
  working: LoadedSpec,
  file: string,
  options: Pick<BreakingStepOptions, 'ignore' | 'failOn' | 'now'>,
): BreakingFinding {
  const onSide = change.side === 'new' ? working : comparison.old;
  const location = onSide.locate(change.pointer);
  const key = { rule: change.rule, file, pointer: change.pointer };
  const entry = options.ignore.find((e) => matchesEntry(e, key) && !isExpired(e, options.now));
  const ignored = entry ? { reason: entry.reason, expires: entry.expires } : undefined;
  return {
    rule: change.rule,
    severity: change.severity,
    comparison: comparison.kind,
    against: comparison.against,
    file,
    pointer: change.pointer,
    side: change.side,
    lineFile: change.side === 'new' ? file : comparison.oldFile,
    line: location?.line,
    column: location?.column,
    // `locate` falls back to the nearest ancestor that exists: for a removal, where it was removed from.
    workingLine: working.locate(change.pointer)?.line,
    message: change.message,
    fix: breakingRules[change.rule].fix,
    contexts: change.contexts,
    ignored,
    failing: !ignored && (failsAt[options.failOn] as readonly string[]).includes(change.severity),
  };
}

export const acceptHint = (
  f: Pick<BreakingFinding, 'rule' | 'file' | 'pointer'>,
  ignoreFile: string = defaultIgnoreFile,
): string =>
  `add to ${ignoreFile}: { rule: ${f.rule}, file: ${f.file}, pointer: '${f.pointer}', reason: <why>, expires: <YYYY-MM-DD> }`;

function toCheck(f: BreakingFinding, ignoreFile?: string): DriftCheck {
  const at = `${f.lineFile}:${f.line ?? '?'}:${f.column ?? '?'}`;
  const where = f.side === 'new' ? at : `${at} in the old version`;
  const details = [
    `against ${f.against}`,
    `affects ${f.contexts.join('; ')}`,
    ...(f.ignored ? [`ignored until ${f.ignored.expires}: ${f.ignored.reason}`] : []),
  ];
  return {
    name: `${f.rule} ${f.file}${f.pointer} (vs ${f.against})`,
    status: f.failing ? 'failed' : f.ignored ? 'ignored' : f.severity === 'info' ? 'info' : 'warning',
    message: f.message,
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: f.side === 'new' ? f.line : f.workingLine,
    column: f.side === 'new' ? f.column : undefined,
    pointer: f.pointer,
    location: where,
    details: details.join('\n'),
    ...(f.severity === 'info' ? {} : { fix: f.fix, accept: acceptHint(f, ignoreFile) }),
  };
}

function ignoreEntryChecks(
  entries: IgnoreEntry[],
  findings: BreakingFinding[],
  now: Date,
  ignoreFile: string = defaultIgnoreFile,
): DriftCheck[] {
  const checks: DriftCheck[] = [];
  for (const entry of entries) {
    const name = `ignore entry ${entry.rule} ${entry.file}${entry.pointer}`;
    if (isExpired(entry, now)) {
      checks.push({
        name,
        status: 'failed',
        message: `ignore entry for ${entry.rule} at ${entry.file} ${entry.pointer} expired on ${entry.expires} (reason was: ${entry.reason})`,
        rule: entry.rule,
        file: ignoreFile,
        fix: 'restore the contract, or renew the entry with a new expiry date and a reason that still holds',
      });
    } else if (!findings.some((f) => matchesEntry(entry, f))) {
      checks.push({
        name,
        status: 'warning',
        message: `ignore entry for ${entry.rule} at ${entry.file} ${entry.pointer} matches no finding in this run`,
        rule: entry.rule,
        file: ignoreFile,
        fix: `remove the entry from ${ignoreFile} once the change it accepted has landed`,
      });
    }
  }
  return checks;
}
