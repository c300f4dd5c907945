import type { Operation, ParameterSpec } from '../core/operations.js';
import type { CompiledSpec } from '../core/validators.js';
import type { Consent } from './engine/consent.js';

/**
 * The data the conformance engine works on. A *case* is one planned request; an *exchange* is what was
 * sent and what came back; a *finding* is a check that did not hold. Findings are data: the engine never
 * throws for a contract failure, and a network failure marks a case `errored`, not failed.
 */

export type CaseKind =
  | 'valid'
  | 'no-auth'
  | 'wrong-auth'
  | 'missing-parameter'
  | 'invalid-parameter'
  | 'nonexistent-id'
  | 'missing-body'
  | 'malformed-body'
  | 'invalid-body'
  | 'unsupported-method'
  | 'prefer'
  /** A free string parameter with what trips servers (spaces, `%`, `/`, very long): judged for crashes only. */
  | 'hazard'
  | 'lifecycle'
  | 'property';

export interface PlannedRequest {
  method: string;
  /** Path with parameters filled in, without the base path. */
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  /** Raw body bytes as text (already serialised), or undefined for none. */
  body: string | undefined;
}

/** The parameter a missing- or invalid-parameter case broke: the verdict policy depends on it. */
export type CaseParameter = Pick<ParameterSpec, 'name' | 'in' | 'required'>;

/** How a request's parameter values will be filled at run time (lifecycles take them from earlier responses). */
export interface LinkBinding {
  /** `header.mcp-session-id` */
  target: string;
  /** `$response.header.mcp-session-id` */
  expression: string;
}

export interface PlannedCase {
  id: string;
  kind: CaseKind;
  specName: string;
  operation: Operation | undefined;
  /** Label of the operation, or `METHOD /path` for an unsupported method. */
  label: string;
  title: string;
  request: PlannedRequest;
  /** The status asked for with `Prefer: code=NNN`, if any. */
  preferredStatus: number | undefined;
  /** What kind of credentials are sent: used by the auth checks and for redaction. */
  credentials: 'valid' | 'none' | 'wrong' | 'unavailable';
  /** Lifecycle steps run in order, each after the previous one's response. */
  steps?: LifecycleStep[];
  /**
   * The operation is the target of a link (e.g. `mcp-session-id` from initialize) and this request goes without
   * the linked value: a rejection is then expected behaviour, not a rejected valid input.
   */
  outsideLinkContext: boolean;
  /** The request names a resource by a fresh id that cannot exist: the operation must not report success. */
  namesNothing: boolean;
  /** What the request may do to the target's data (engine/consent.ts); `--dry-run` shows it per request. */
  consent: Consent;
  /** The parameter this case leaves out or breaks (missing-parameter and invalid-parameter cases). */
  parameter?: CaseParameter | undefined;
  /**
   * Why this case is not sent: no value valid against its schema could be made (or the spec's example breaks
   * it). The case is reported as skipped with this reason, never sent as "valid".
   */
  skip?: string;
}

export interface LifecycleStep {
  name: string;
  operation: Operation;
  request: PlannedRequest;
  bindings: LinkBinding[];
  /**
   * What this step is for: the use-after-delete check reads it. An `auth-probe` goes to the resource the run
   * created, without or with wrong credentials, before the request that destroys it: a bypass that a made-up id
   * would hide (404) shows on a real resource.
   */
  role: 'create' | 'use' | 'auth-probe' | 'delete' | 'delete-again' | 'use-after-delete';
  /** Credentials of an auth probe; otherwise the case's. */
  credentials?: 'none' | 'wrong';
  /**
   * A generated case sent inside the lifecycle (an optional parameter, an enum value, an unusual form — or a
   * body field of the wrong type), where the operation's linked values make it meaningful: its kind and the
   * parameter it varies, so the checks judge it as they would the standalone case.
   */
  kind?: CaseKind;
  parameter?: CaseParameter | undefined;
  /** A create retried with another documented body, which may itself need the context the create opens. */
  outsideLinkContext?: boolean;
  consent: Consent;
  /** For a create step: the requests with the operation's other documented bodies, tried in turn until one
   * yields the values the links need (e.g. `initialize` → a session id). */
  alternatives?: PlannedRequest[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Body as text (UTF-8), possibly truncated at the body-size cap. */
  body: string;
  bodyBytes: number;
  truncated: boolean;
  elapsedMs: number;
}

export interface Exchange {
  caseId: string;
  step: string | undefined;
  kind: CaseKind;
  role: LifecycleStep['role'] | undefined;
  operation: Operation | undefined;
  label: string;
  request: PlannedRequest & { url: string };
  response: HttpResponse | undefined;
  /** A network problem that prevented a response: the exchange is *errored*. `elapsedMs`: how long until it. */
  error: { code: string; message: string; elapsedMs?: number } | undefined;
  /** True when the client gave up waiting (the target hung). */
  timedOut: boolean;
  preferredStatus: number | undefined;
  credentials: PlannedCase['credentials'];
  outsideLinkContext: boolean;
  namesNothing: boolean;
  /** MCP tools an earlier `tools/list` in the same lifecycle offered, when there was one. */
  offeredTools: string[] | undefined;
  /** The parameter the case left out or broke, for missing- and invalid-parameter cases. */
  parameter?: CaseParameter | undefined;
}

export type Severity = 'failure' | 'warning';

export interface Finding {
  check: string;
  severity: Severity;
  specName: string;
  operation: string;
  caseId: string;
  caseTitle: string;
  /** What was expected, in a sentence. */
  expected: string;
  /** What came back, in a sentence. */
  actual: string;
  /** Schema violations as `instancePath: message (schema pointer)`. */
  details: string[];
  /** When the spec, not the target, is the likely culprit: both fixes. */
  hint: string | undefined;
  curl: string;
  /** Index into `ConformanceResult.exchanges` of the exchange this finding judged (request and response, redacted). */
  exchange?: number | undefined;
}

export interface CheckContext {
  compiled: CompiledSpec;
  exchange: Exchange;
  /** The status the earlier successful delete got, for the use-after-delete check. */
  options: {
    maxResponseTimeMs: number | undefined;
    maxBodyBytes: number;
    timeoutMs: number;
    /** The verdict policy: lenient (false) makes leniency and spec gaps warnings; strict makes them failures. */
    strict: boolean;
  };
}

/** What one check says of one exchange: nothing (held or not applicable), or findings. */
export interface CheckOutcome {
  severity: Severity;
  expected: string;
  actual: string;
  details?: string[];
  hint?: string;
}

export interface Check {
  id: string;
  description: string;
  /** True when the check applies to this exchange at all (for coverage of checks in reports). */
  applies(ctx: CheckContext): boolean;
  run(ctx: CheckContext): CheckOutcome[];
}

export type CoverageState = 'passed' | 'failed' | 'not-provoked';

export interface CoverageRow {
  specName: string;
  operation: string;
  status: string;
  state: CoverageState;
  /** How it was reached (`natural`, `Prefer`) or why it was not. */
  how: string;
}

export interface SpecNote {
  specName: string;
  rule: string;
  message: string;
  treatment: string;
}

export interface CaseResult {
  id: string;
  specName: string;
  operation: string;
  kind: CaseKind;
  title: string;
  outcome: 'passed' | 'failed' | 'errored' | 'skipped';
  statuses: number[];
  reason: string | undefined;
  preferredStatus: number | undefined;
}

/** How many exchanges of an operation each check applied to (a check that applied to none is not a pass). */
export interface CheckApplication {
  specName: string;
  operation: string;
  check: string;
  exchanges: number;
}

/**
 * What a report keeps of one exchange: the request as sent and the response as it came, with every secret
 * redacted and each body cut at `reportBodyLimit` characters (`heldBodyLimit` where no check found anything). JSON, HAR and HTML render these; nothing here is
 * cleaned of control characters — the reporters make them visible when they show them.
 */
export interface ReportedExchange {
  caseId: string;
  specName: string;
  operation: string;
  step: string | undefined;
  /** When the request was sent (ISO 8601). */
  startedAt: string;
  request: { method: string; url: string; headers: Record<string, string>; body: string | undefined };
  /** As it came (the body cut at `reportBodyLimit`, `truncated` then true), or undefined when none came. */
  response: HttpResponse | undefined;
  /** `elapsedMs`: how long the request waited before it failed (a hung one: the timeout). */
  error: { code: string; message: string; elapsedMs?: number | undefined } | undefined;
}

/** Characters of each body a report keeps of an exchange with a finding: enough to read it, not a large download. */
export const reportBodyLimit = 16_384;
/** …and of an exchange that held: a glance, so a run of thousands of requests stays small in memory and on disk. */
export const heldBodyLimit = 2_048;

/**
 * The one verdict of a run, decided once (`decideVerdict`) and rendered by every format — terminal, JSON, JUnit,
 * HTML — and turned into the exit code by cli/. In order of precedence:
 * - `interrupted`: stopped by a signal before every case was sent;
 * - `failed`: a check failed, or coverage fell below --require-coverage;
 * - `errored`: nothing failed, but cases got no response, or the run proved nothing (inconclusive);
 * - `passed`: everything planned was sent, answered and held.
 */
export type VerdictStatus = 'passed' | 'failed' | 'errored' | 'interrupted';

export interface Verdict {
  status: VerdictStatus;
  /** One sentence saying why, for the top of every report. */
  reason: string;
  /** The run proved nothing (not one valid request accepted): the CLI exits 2, not 1. */
  inconclusive?: boolean;
  /** The --require-coverage threshold the verdict was held to, if any (kept so merged shards are held to it too). */
  requireCoverage?: number | undefined;
}

export function decideVerdict(
  result: Pick<ConformanceResult, 'status' | 'inconclusive' | 'summary'>,
  requireCoverage?: number,
): Verdict {
  const s = result.summary;
  const held = requireCoverage === undefined ? {} : { requireCoverage };
  if (result.status === 'interrupted') {
    return {
      status: 'interrupted',
      reason: `interrupted after ${s.cases} case(s): the deployment was not fully checked${s.failures > 0 ? `, and ${s.failures} failure(s) were found before the stop` : ''}`,
      ...held,
    };
  }
  if (s.failures > 0) {
    return { status: 'failed', reason: `${s.failures} failure(s) in ${s.failed} case(s)`, ...held };
  }
  if (result.inconclusive) {
    return { status: 'errored', reason: `inconclusive: ${result.inconclusive}`, inconclusive: true, ...held };
  }
  if (s.errored > 0) {
    return {
      status: 'errored',
      reason: `${s.errored} case(s) errored (no response): the deployment was not fully checked, so the run does not pass`,
      ...held,
    };
  }
  if (requireCoverage !== undefined && s.coveragePercent < requireCoverage) {
    return {
      status: 'failed',
      reason: `coverage ${s.coveragePercent}% is below --require-coverage ${requireCoverage}%`,
      ...held,
    };
  }
  return {
    status: 'passed',
    reason: `every one of ${s.cases - s.skipped} case(s) sent was answered and held${s.warnings > 0 ? ` (${s.warnings} warning(s))` : ''}`,
    ...held,
  };
}

/** Which shard of a split run a result covers (`--shard i/n`); absent for an unsplit run. */
export interface ShardInfo {
  index: number;
  total: number;
}

export interface ConformanceResult {
  /** The verdict, decided once by `decideVerdict`; every report renders this and nothing else. */
  verdict: Verdict;
  /**
   * Set when the run was one shard of a split run (`--shard 2/3`: index 2, total 3; 1-based). Its cases,
   * findings and requests are that shard's alone; its coverage rows are the operations it owns plus any other
   * operation its lifecycles reached (take the best state per row across shards when merging).
   */
  shard?: ShardInfo | undefined;
  /** Every exchange of the run, redacted (findings point into it by index). */
  exchanges: ReportedExchange[];
  /** `interrupted`: the run was stopped (SIGINT/SIGTERM) before every case was sent; what it created was undone. */
  status: 'completed' | 'interrupted';
  /** An interrupted run's planned cases that were never sent (not among `cases`). */
  notSent?: number | undefined;
  /**
   * Why the run proves nothing although it finished: not one valid request (valid credentials, real values) was
   * accepted — a wrong --target path, refused or missing credentials, a deployment that is down behind a proxy.
   * The CLI exits 2 for it unless something already failed.
   */
  inconclusive?: string | undefined;
  targets: Array<{ specName: string; file: string; baseUrl: string }>;
  cases: CaseResult[];
  findings: Finding[];
  coverage: CoverageRow[];
  notes: SpecNote[];
  /** Run-level remarks: unused --param values, skipped destructive cases, Prefer not honoured, … */
  remarks: string[];
  /** The verdict policy applied: `lenient` (default) or `strict` (`--strict`). */
  policy: 'lenient' | 'strict';
  checks: string[];
  applied: CheckApplication[];
  summary: {
    cases: number;
    passed: number;
    failed: number;
    errored: number;
    skipped: number;
    requests: number;
    failures: number;
    warnings: number;
    coveragePercent: number;
    durationMs: number;
  };
}

export type ConformanceEvent =
  | { type: 'planned'; cases: number; specs: string[] }
  | { type: 'case-finished'; result: CaseResult; done: number; total: number }
  | { type: 'finished'; result: ConformanceResult };

export type { CompiledSpec, Operation };
