import { ToolError } from '../../core/errors.js';
import type { Operation } from '../../core/operations.js';
import { loadSpec } from '../../core/spec.js';
import { compileSpec } from '../../core/validators.js';
import { selectChecks } from '../checks/index.js';
import { createNetworkClient, type HttpClient } from '../http/client.js';
import { carriersOf, createRedactor } from '../http/curl.js';
import {
  type CaseResult,
  type Check,
  type ConformanceEvent,
  type ConformanceResult,
  decideVerdict,
  type Exchange,
  type SpecNote,
} from '../types.js';
import { type Credentials, normaliseScheme, secretsOf } from './auth.js';
import type { RunContext } from './context.js';
import { computeCoverage, contentTypeOnlyRemark } from './coverage.js';
import { type FinishedPlan, finishPlan } from './finished-plan.js';
import { nearestName } from './nearest.js';
import { type Phase, phases as registeredPhases } from './phases.js';
import { type PlanOptions, planSpec } from './plan.js';
import { operationKey, type Shard, shardPlans } from './shard.js';
import { assertReachable, parseTarget } from './target.js';
import { createTransport, RunStopped } from './transport.js';

export { baseUrlFor } from './target.js';

/**
 * The engine: plan → send → check. It emits events and returns a result; it never prints and never exits.
 * A contract failure is a Finding; a network failure marks a case errored; only a target that cannot be
 * reached at all (or a bad spec or option) is a ToolError.
 *
 * The work is split: the plan is finished data (finished-plan.ts); the run is a sequence of phases (phases.ts:
 * cases, Prefer, cleanup); each case is stepped in lifecycle.ts, sent and checked in context.ts, through the
 * transport (transport.ts: rate limit, Retry-After budget, interruption, early stop).
 */
export interface ConformanceOptions {
  /** Bundled spec names or files. */
  specs: string[];
  /**
   * Base URL of the deployment: replaces scheme, host and port of each spec's server URL; a path on it
   * (`/` included) replaces the base path, none keeps it.
   */
  target: string;
  credentials: Credentials;
  params: Map<string, string>;
  allowDestructive: boolean;
  seed: number;
  /** Examples per operation in the property-based phase (0: no such phase); default `defaultMaxExamples`. */
  maxExamples?: number | undefined;
  checks?: string[] | undefined;
  excludeChecks?: string[] | undefined;
  /** operationId or `METHOD /path` */
  operations?: string[] | undefined;
  tags?: string[] | undefined;
  timeoutMs: number;
  maxResponseTimeMs?: number | undefined;
  maxBodyBytes: number;
  /** Coverage (percent of documented statuses exercised and passed) below which the verdict is `failed`. */
  requireCoverage?: number | undefined;
  /** The verdict policy: leniency on optional inputs and spec gaps fail the run only when strict. */
  strict?: boolean | undefined;
  /** Scheme names given with --auth (not from the environment): each must name a scheme of a selected spec. */
  authFromFlags?: string[] | undefined;
  concurrency: number;
  /** `--shard i/n`: plan everything, send only this shard's part (engine/shard.ts). */
  shard?: Shard | undefined;
  /** Requests per second, at most. */
  rateLimit?: number | undefined;
  /** Total time the run may wait on `Retry-After` (default 60 s); once spent, 429s are taken as they come. */
  maxRetryWaitMs?: number | undefined;
  /**
   * Aborting it interrupts the run: nothing new is sent, what the run created is deleted, and the result says
   * `interrupted`. Only cli/ ties it to signals.
   */
  signal?: AbortSignal | undefined;
  client?: HttpClient | undefined;
  /** The phases to run (default: the registered ones); tests pass a subset. */
  phases?: readonly Phase[] | undefined;
  /** Injected in tests: back-off without waiting. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  onEvent?: ((event: ConformanceEvent) => void) | undefined;
}

export const defaultRunOptions = {
  seed: 1,
  timeoutMs: 10_000,
  maxBodyBytes: 1024 * 1024,
  concurrency: 4,
  maxRetryWaitMs: 60_000,
} as const;

export interface PreparedRun {
  plans: FinishedPlan[];
  /** With `--shard`: which shard, and the operations (`spec NUL label`) it answers for. */
  shard?: (Shard & { owned: Set<string> }) | undefined;
  checks: Check[];
  remarks: string[];
  phases: readonly Phase[];
}

/** Load, compile and plan: everything short of sending. `--dry-run` stops here. */
export async function prepareConformance(options: ConformanceOptions): Promise<PreparedRun> {
  const checks = selectChecks(options.checks, options.excludeChecks);
  const target = parseTarget(options.target);
  const planOptions: PlanOptions = {
    credentials: options.credentials,
    params: options.params,
    allowDestructive: options.allowDestructive,
    seed: options.seed,
  };
  let plans: PreparedRun['plans'] = [];
  const used = new Set<string>();
  const remarks: string[] = [];
  const matchedOperations = new Set<string>();
  const matchedTags = new Set<string>();
  const known: string[] = [];
  const knownTags = new Set<string>();
  for (const ref of options.specs) {
    const compiled = compileSpec(await loadSpec(ref));
    for (const op of compiled.operations) {
      known.push(...(op.operationId ? [op.operationId] : []), op.label);
      for (const t of op.tags) knownTags.add(t);
    }
    const include = (op: Operation): boolean => {
      const byOp =
        !options.operations?.length ||
        options.operations.some((o) => {
          const hit = o === op.operationId || o.toUpperCase() === op.label.toUpperCase();
          if (hit) matchedOperations.add(o);
          return hit;
        });
      const byTag =
        !options.tags?.length ||
        op.tags.some((t) => {
          const hit = options.tags?.includes(t) ?? false;
          if (hit) matchedTags.add(t);
          return hit;
        });
      return byOp && byTag;
    };
    const plan = planSpec(compiled, planOptions, include);
    for (const p of plan.usedParams) used.add(p);
    plans.push(finishPlan(plan, target));
    remarks.push(...plan.remarks);
  }
  for (const o of options.operations ?? []) {
    if (!matchedOperations.has(o)) {
      const near = nearestName(o, known, (name) => name.toLowerCase());
      throw new ToolError(
        'MCPC_USAGE',
        `--operation '${o}' matches no operation${near ? `: did you mean '${near}'?` : ''}`,
        'give an operationId or "METHOD /path" from the spec',
      );
    }
  }
  for (const t of options.tags ?? []) {
    if (!matchedTags.has(t)) {
      const near = nearestName(t, [...knownTags], (name) => name.toLowerCase());
      throw new ToolError(
        'MCPC_USAGE',
        `--tag '${t}' matches no operation${near ? `: did you mean '${near}'?` : ''}`,
        'give a tag an operation of the spec carries',
      );
    }
  }
  if (plans.every((p) => p.operations.size === 0)) {
    throw new ToolError(
      'MCPC_USAGE',
      'the selected spec(s) have no operations to check',
      'check --spec, --operation and --tag (a spec needs at least one path with an operation)',
    );
  }
  for (const key of options.params.keys()) {
    if (!used.has(key)) remarks.push(`--param ${key} matched no parameter of the selected operations`);
  }
  // A credential for a scheme no selected spec defines: a typo, or one meant for another spec of a shared command
  // line. Said, not fatal — a run left without the credentials it needs ends inconclusive (exit 2) anyway.
  const defined = plans.flatMap((p) => [...p.compiled.index.securitySchemes.keys()]);
  for (const scheme of options.authFromFlags ?? []) {
    if (defined.some((d) => normaliseScheme(d) === normaliseScheme(scheme))) continue;
    remarks.push(
      `--auth ${scheme}=… names no security scheme of the selected spec(s)${defined.length > 0 ? ` (they define: ${[...new Set(defined)].join(', ')})` : ''}: it was not used`,
    );
  }
  let shard: PreparedRun['shard'];
  if (options.shard) {
    const sharded = shardPlans(plans, options.shard);
    plans = sharded.plans;
    shard = { ...options.shard, owned: sharded.owned };
    if (plans.every((p) => p.cases.length === 0)) {
      remarks.push(
        `shard ${options.shard.index}/${options.shard.total} has no cases: the plan has fewer groups of operations than shards`,
      );
    }
  }
  return { plans, shard, checks, remarks, phases: options.phases ?? registeredPhases };
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const started = performance.now();
  const prepared = await prepareConformance(options);
  // An injected client (in-process tests) decides reachability itself.
  if (!options.client) await assertReachable(parseTarget(options.target).url, Math.min(options.timeoutMs, 5000));
  const client = options.client ?? createNetworkClient(options);
  const transport = createTransport({
    client,
    rateLimit: options.rateLimit,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    maxRetryWaitMs: options.maxRetryWaitMs ?? defaultRunOptions.maxRetryWaitMs,
    signal: options.signal,
    sleep: options.sleep,
  });
  const caseResults: CaseResult[] = [];
  // The progress total counts what every phase will finish (cleanup finishes none), not the first phase's share.
  // A phase may finish fewer than it describes (Prefer sends only what no natural case reached), so the total is
  // recounted, and announced again, as each phase starts: done never passes it, and it ends exact.
  const finishing = prepared.phases.filter((ph) => !ph.runsWhenInterrupted);
  const described = prepared.plans.map((p) => finishing.map((ph) => ph.describe(p, options).length));
  const remainingFrom = (planIndex: number, phase: Phase) =>
    described.reduce(
      (n, counts, i) =>
        i < planIndex
          ? n
          : n + counts.reduce((m, c, j) => (i > planIndex || j >= finishing.indexOf(phase) ? m + c : m), 0),
      0,
    );
  let total = remainingFrom(0, finishing[0]!);
  const ctx: RunContext = {
    options,
    transport,
    redactor: createRedactor(
      secretsOf(options.credentials).map((secret) => ({
        ...secret,
        carriers: prepared.plans.flatMap((p) =>
          [...p.compiled.index.securitySchemes.values()]
            .filter((s) => `MCP_CONTRACTS_AUTH_${normaliseScheme(s.name).toUpperCase()}` === secret.envName)
            .flatMap(carriersOf),
        ),
      })),
    ),
    checks: prepared.checks,
    check: {
      maxResponseTimeMs: options.maxResponseTimeMs,
      maxBodyBytes: options.maxBodyBytes,
      timeoutMs: options.timeoutMs,
      strict: options.strict === true,
    },
    concurrency: options.concurrency,
    findings: [],
    exchanges: [],
    reported: [],
    created: new Map(),
    applied: new Map(),
    remarks: [...prepared.remarks],
    finish(result) {
      caseResults.push(result);
      options.onEvent?.({ type: 'case-finished', result, done: caseResults.length, total });
    },
  };
  options.onEvent?.({ type: 'planned', cases: total, specs: prepared.plans.map((p) => p.compiled.spec.name) });
  try {
    for (const [planIndex, plan] of prepared.plans.entries()) {
      for (const phase of prepared.phases) {
        if (transport.stopped() && !(phase.runsWhenInterrupted && !transport.fatal())) continue;
        if (!phase.runsWhenInterrupted && (planIndex > 0 || phase !== finishing[0])) {
          total = caseResults.length + remainingFrom(planIndex, phase);
          options.onEvent?.({ type: 'planned', cases: total, specs: prepared.plans.map((p) => p.compiled.spec.name) });
        }
        try {
          await phase.run(ctx, plan);
        } catch (error) {
          if (!(error instanceof RunStopped)) throw error;
        }
      }
    }
  } finally {
    if (!options.client) client.close();
  }
  const fatal = transport.fatal();
  if (fatal) throw fatal;
  inPlanOrder(ctx);

  const requests = transport.stats.requests;
  const interrupted = transport.interrupted();
  // Requests went out and not one came back: the run checked nothing, so it cannot pass (exit 2, not 0).
  if (!interrupted && requests > 0 && transport.stats.responses === 0) {
    const first = ctx.exchanges.find(({ exchange }) => exchange.error)?.exchange.error;
    throw new ToolError(
      'MCPC_TARGET_UNREACHABLE',
      `${options.target} accepted connections but answered none of ${requests} request(s)${first ? ` (${first.code}: ${first.message})` : ''}`,
      'check that --target is the HTTP(S) endpoint of the deployment (scheme, port, TLS) and that it is up',
    );
  }
  if (interrupted) {
    ctx.remarks.push(
      `interrupted: ${caseResults.length} of ${total} planned case(s) finished; nothing more was sent, except deleting what the run had created`,
    );
  }
  ctx.remarks.push(...transport.remarks());
  const notes: SpecNote[] = [];
  for (const plan of prepared.plans) {
    for (const d of plan.compiled.defects) {
      notes.push({ specName: plan.compiled.spec.name, rule: d.rule, message: d.message, treatment: d.treatment });
    }
    for (const example of plan.invalidExamples) {
      notes.push({
        specName: plan.compiled.spec.name,
        rule: 'example-breaks-schema',
        message: `${example.operation}: ${example.reason}`,
        treatment:
          'not sent as a valid request (the case is skipped), so the target is not judged on it; lint reports it too (mcp-contracts:valid-media-example)',
      });
    }
    for (const format of plan.compiled.unknownFormats) {
      notes.push({
        specName: plan.compiled.spec.name,
        rule: 'unknown-format',
        message: `format '${format}' has no validator`,
        treatment: 'values of that format are accepted without checking the format',
      });
    }
  }
  // A shard answers for the operations it owns, and for any other operation its lifecycles reached: merging
  // the shards' reports (best state per row) then gives the matrix of the whole run.
  const coverage = computeCoverage(prepared.plans, ctx.exchanges, caseResults, options.allowDestructive).filter(
    (row) =>
      !prepared.shard ||
      prepared.shard.owned.has(operationKey(row.specName, row.operation)) ||
      row.state !== 'not-provoked',
  );
  const typeOnly = contentTypeOnlyRemark(prepared.plans, ctx.exchanges);
  if (typeOnly) ctx.remarks.push(typeOnly);
  const covered = coverage.filter((c) => c.state === 'passed').length;
  const failures = ctx.findings.filter((f) => f.severity === 'failure').length;
  caseResults.sort((a, b) => a.id.localeCompare(b.id));
  const status = interrupted ? 'interrupted' : 'completed';
  const inconclusive = interrupted ? undefined : inconclusiveReason(ctx.exchanges.map((e) => e.exchange));
  const summary = {
    cases: caseResults.length,
    passed: caseResults.filter((c) => c.outcome === 'passed').length,
    failed: caseResults.filter((c) => c.outcome === 'failed').length,
    errored: caseResults.filter((c) => c.outcome === 'errored').length,
    skipped: caseResults.filter((c) => c.outcome === 'skipped').length,
    requests,
    failures,
    warnings: ctx.findings.length - failures,
    coveragePercent: coverage.length === 0 ? 100 : Math.round((covered / coverage.length) * 1000) / 10,
    durationMs: Math.round(performance.now() - started),
  };
  return {
    verdict: decideVerdict({ status, inconclusive, summary }, options.requireCoverage),
    exchanges: ctx.reported,
    status,
    ...(interrupted ? { notSent: Math.max(0, total - caseResults.length) } : {}),
    inconclusive,
    targets: prepared.plans.map((p) => ({
      specName: p.compiled.spec.name,
      file: p.compiled.spec.file,
      baseUrl: p.baseUrl,
    })),
    cases: caseResults,
    findings: ctx.findings,
    coverage,
    notes,
    remarks: [...new Set(ctx.remarks)],
    policy: options.strict ? 'strict' : 'lenient',
    ...(prepared.shard ? { shard: { index: prepared.shard.index, total: prepared.shard.total } } : {}),
    checks: ctx.checks.map((c) => c.id),
    applied: [...ctx.applied].map(([key, exchanges]) => {
      const [specName = '', operation = '', check = ''] = key.split('\u0000');
      return { specName, operation, check, exchanges };
    }),
    summary,
  };
}

/**
 * Cases finish in whatever order the target answers them when several are in flight: put what they recorded back
 * in the order of the case ids (which begin with the spec's name), as the case results are, each case's own exchanges and findings
 * staying in the order they were made, so that the result — and every report — is the same at any concurrency.
 */
function inPlanOrder(ctx: RunContext): void {
  ctx.findings.sort((a, b) => a.caseId.localeCompare(b.caseId));
  ctx.exchanges.sort((a, b) => a.exchange.caseId.localeCompare(b.exchange.caseId));
  ctx.applied = new Map([...ctx.applied].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A run whose valid requests were all refused checked only error paths: every "passed" there says nothing about
 * the deployment (a wrong base path answers 404 to everything, wrong credentials 401). Undefined when at least
 * one valid request was accepted, or when the run sent none that could be (every id made up, say). A valid request
 * sent without credentials because none were given for its scheme counts too: a 401 to it proves as little as a
 * 401 to a wrong key.
 */
export function inconclusiveReason(exchanges: Exchange[]): string | undefined {
  const valid = exchanges.filter(
    (e) =>
      e.response &&
      (e.credentials === 'valid' || e.credentials === 'unavailable') &&
      e.preferredStatus === undefined &&
      !e.outsideLinkContext &&
      !e.namesNothing &&
      (e.kind === 'valid' || e.role === 'create'),
  );
  if (valid.length === 0 || valid.some((e) => (e.response?.status ?? 0) < 400)) return undefined;
  const counts = new Map<number, number>();
  for (const e of valid) counts.set(e.response!.status, (counts.get(e.response!.status) ?? 0) + 1);
  const statuses = [...counts].map(([status, n]) => `${status} ×${n}`).join(', ');
  const auth = [...counts.keys()].some((s) => s === 401 || s === 403);
  const bare = valid.filter((e) => e.credentials === 'unavailable').length;
  const without = bare > 0 ? `, ${bare} of them sent without credentials, none being given for their scheme` : '';
  return `not one of the ${valid.length} valid request(s) was accepted (${statuses})${without}: the run checked only how the deployment refuses — ${auth ? 'check --auth (or MCP_CONTRACTS_AUTH_<SCHEME>) for the credentials the spec needs' : 'check --target: a path on it replaces the spec base path, and the deployment must serve the spec there'}`;
}
