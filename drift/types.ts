import type { BreakingRuleId, BreakingSeverity } from './breaking/rules.js';
import type { BaseRevision } from './git.js';

/**
 * The drift gate's result, as data. The steps compute it; the reporters (terminal, JUnit, Markdown, JSON,
 * GitHub annotations) only render it; only the CLI turns `ok` into an exit code.
 */

export type DriftStepId = 'generated' | 'lint' | 'breaking' | 'conformance';

export const driftStepIds: readonly DriftStepId[] = ['generated', 'lint', 'breaking', 'conformance'];

export const stepTitles: Record<DriftStepId, string> = {
  generated: 'generated files fresh',
  lint: 'spec lint against the baseline',
  breaking: 'no breaking change',
  conformance: 'reference implementation conforms',
};

/** `not-run`: the step could not run in this setup (e.g. no conformance runner given); never counts as passed. */
export type DriftStepStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

/** `warning`, `info` and `ignored` checks are shown but do not fail the gate. */
export type DriftCheckStatus = 'passed' | 'failed' | 'warning' | 'info' | 'ignored' | 'skipped';

/** One check of a step: one JUnit testcase, one line in the terminal, one annotation when it has a file. */
export interface DriftCheck {
  name: string;
  status: DriftCheckStatus;
  message: string;
  /** Rule id (breaking-change or lint rule) when the check comes from one. */
  rule?: string;
  severity?: string;
  /** Relative to the project root. */
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
  /** Where to look, when it is not simply `file:line:column` (a removal: the line in the old version). */
  location?: string;
  /** Longer text: the operations a change affects, what it was compared with. */
  details?: string;
  /** A unified diff of what is stale. */
  diff?: string;
  /** How to fix it. */
  fix?: string;
  /** How to accept it on purpose instead (breaking changes: the ignore entry to add). */
  accept?: string;
}

/** `warning`: the gate was weaker than asked (a comparison skipped); shown as an annotation in CI. */
export interface DriftNote {
  level: 'info' | 'warning';
  text: string;
}

export interface DriftStep {
  id: DriftStepId;
  title: string;
  status: DriftStepStatus;
  /** One line: what held or what did not. */
  summary: string;
  /** Things the reader must know about how the step ran (a skipped comparison, a new spec). */
  notes: DriftNote[];
  checks: DriftCheck[];
  durationMs: number;
}

/** A breaking change placed in its spec file, with the verdict of the ignore file. */
export interface BreakingFinding {
  rule: BreakingRuleId;
  severity: BreakingSeverity;
  /** Against the spec at the git base, the published copy in specs/upstream/, or the BASE of `diff`. */
  comparison: 'base' | 'upstream' | 'diff';
  /** What it was compared with: `specs/upstream/smithery.yaml` or `specs/smithery.yaml at 1a2b3c4d5e6f`. */
  against: string;
  /** The working spec, relative to the project root (what an ignore entry names). */
  file: string;
  pointer: string;
  /** Which version `pointer` and `line` refer to: `new` (the working spec) or `old` (removals). */
  side: 'new' | 'old';
  /** The file `line` is in: the working spec for `new`, the compared version for `old`. */
  lineFile: string;
  line: number | undefined;
  column: number | undefined;
  /** The nearest line in the working spec (for annotations on removals, whose old line means nothing there). */
  workingLine: number | undefined;
  message: string;
  fix: string;
  /** Operations (and where in them) the change affects. */
  contexts: string[];
  /** The ignore entry that lets it through, while not expired. */
  ignored: { reason: string; expires: string } | undefined;
  /** True when it fails the gate (not ignored, and at or above the fail-on severity). */
  failing: boolean;
}

export interface DriftConformanceFailure {
  operation: string;
  check: string;
  message: string;
}

/** What the conformance runner reports back to drift (injected: drift does not know how it is run). */
export interface DriftConformanceResult {
  ok: boolean;
  summary: string;
  failures: DriftConformanceFailure[];
}

export type DriftConformanceRunner = () => Promise<DriftConformanceResult>;

export interface DriftOptions {
  /** Git revision to compare the specs with (default: merge base with the default branch, else HEAD~1). */
  base?: string;
  /** Project root holding specs/ and generated/ (default: this package). */
  root?: string;
  /** Runs the reference implementation's conformance; without it the step is reported as not run. */
  conformance?: DriftConformanceRunner;
  /** Lowest breaking-change severity that fails the gate (default `error`). */
  failOn?: 'error' | 'warning';
  /** Today, for ignore-entry expiry (tests). */
  now?: Date;
  /** Run only these steps; the others are reported as skipped (default: all). */
  steps?: readonly DriftStepId[];
}

export interface DriftResult {
  /** Which command produced it (default `drift`): `diff` reports only the breaking step, on any two specs. */
  command?: 'drift' | 'diff';
  /** For `diff`: what was compared with what, in one line. */
  compared?: string;
  ok: boolean;
  root: string;
  /**
   * For `diff`: the folder files are named from, relative to the repository root (`sub/dir/`, or '' at the
   * root or outside a repository). GitHub annotations name files from the repository root.
   */
  repoPrefix?: string;
  /** The revision specs were compared with, when there was one. */
  base: BaseRevision | undefined;
  failOn: 'error' | 'warning';
  steps: DriftStep[];
  breaking: BreakingFinding[];
  durationMs: number;
}
