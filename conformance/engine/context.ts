import { findResponse, type Operation } from '../../core/operations.js';
import { evaluateExpression } from '../../core/runtime-expression.js';
import type { CompiledSpec } from '../../core/validators.js';
import type { Redactor } from '../http/curl.js';
import { toReportedExchange } from '../reporters/exchange.js';
import type {
  CaseResult,
  Check,
  Exchange,
  Finding,
  LifecycleStep,
  LinkBinding,
  PlannedCase,
  PlannedRequest,
  ReportedExchange,
} from '../types.js';
import { heldBodyLimit, reportBodyLimit } from '../types.js';
import { baseUrlOfCase, type FinishedPlan, urlOf } from './finished-plan.js';
import type { ConformanceOptions } from './run.js';
import type { Transport } from './transport.js';

export interface CreatedResource {
  plan: FinishedPlan;
  operation: Operation;
  bindings: LinkBinding[];
  values: Map<string, string>;
}

/**
 * The state one run shares between its phases: what was sent and seen, what the checks found, and what the run
 * created (so cleanup can delete it). Phases read and add to it through the helpers below.
 */
export interface RunContext {
  options: Readonly<ConformanceOptions>;
  transport: Transport;
  redactor: Redactor;
  checks: Check[];
  check: { maxResponseTimeMs: number | undefined; maxBodyBytes: number; timeoutMs: number; strict: boolean };
  concurrency: number;
  findings: Finding[];
  exchanges: Array<{ exchange: Exchange; specName: string; failed: boolean }>;
  /** The same exchanges as reports keep them (redacted); findings point into this list by index. */
  reported: ReportedExchange[];
  /**
   * Resources created by the run that no lifecycle deleted yet, each with the DELETE that undoes it (a link or the
   * matching DELETE: engine/consent.ts) and the values to bind into it (expression → value).
   */
  created: Map<string, CreatedResource>;
  /** spec \0 operation \0 check → exchanges the check applied to. */
  applied: Map<string, number>;
  remarks: string[];
  /** Records a finished case (and reports progress). */
  finish(result: CaseResult): void;
}

/** Send one request of a case and check what came back. Throws RunStopped when the run has stopped. */
export async function sendAndCheck(
  ctx: RunContext,
  plan: FinishedPlan,
  c: PlannedCase,
  request: PlannedRequest,
  step: LifecycleStep | undefined,
  offered?: Set<string>,
): Promise<{ exchange: Exchange; failed: boolean }> {
  const exchange = await sendExchange(ctx, plan, c, request, step, offered);
  return { exchange, failed: checkExchange(ctx, plan.compiled, exchange, c.title) };
}

/** Send one request of a case; nothing is checked or recorded (the property phase judges first, then records). */
export async function sendExchange(
  ctx: RunContext,
  plan: FinishedPlan,
  c: PlannedCase,
  request: PlannedRequest,
  step: LifecycleStep | undefined,
  offered?: Set<string>,
): Promise<Exchange> {
  const operation = step?.operation ?? c.operation;
  const url = urlOf(baseUrlOfCase(plan, operation, c.label), request);
  const started = performance.now();
  const result = await ctx.transport.send(
    { method: request.method, url, headers: request.headers, body: request.body },
    { acceptRateLimit: c.preferredStatus === 429 },
  );
  const exchange: Exchange = {
    caseId: c.id,
    step: step?.name,
    kind: step?.kind ?? c.kind,
    role: step?.role,
    operation,
    label: operation?.label ?? c.label,
    request: { ...request, url },
    response: result.ok ? result.response : undefined,
    error: result.ok ? undefined : { ...result.error, elapsedMs: Math.round(performance.now() - started) },
    timedOut: result.ok ? false : result.timedOut,
    preferredStatus: c.preferredStatus,
    credentials: step?.credentials ?? c.credentials,
    parameter: step ? step.parameter : c.parameter,
    // Lifecycle steps carry the linked values; a standalone case may go without them.
    outsideLinkContext: step ? step.outsideLinkContext === true : c.outsideLinkContext,
    namesNothing: step ? false : c.namesNothing,
    offeredTools: offered ? [...offered] : undefined,
  };
  if (operation && exchange.response) rememberCreated(ctx, plan, operation, exchange);
  return exchange;
}

/**
 * Note every resource the run created — by any exchange, an invalid-input probe the target wrongly accepted too
 * — with the DELETE that undoes it (a link, or the matching DELETE: engine/consent.ts), so cleanup can delete it.
 */
function rememberCreated(ctx: RunContext, plan: FinishedPlan, operation: Operation, exchange: Exchange): void {
  const response = exchange.response;
  if (!response || response.status < 200 || response.status >= 300) return;
  if (exchange.role === 'delete' || exchange.role === 'delete-again' || exchange.role === 'auth-probe') return;
  const links = findResponse(operation, response.status)?.links ?? [];
  for (const recipe of plan.operations.get(operation)?.undo ?? []) {
    // A link belongs to the response it is written on; a matching DELETE to every success.
    if (recipe.via.startsWith('link ') && !links.some((l) => `link ${l.name}` === recipe.via)) continue;
    const target = plan.compiled.index.byId.get(recipe.operationId);
    if (!target || !plan.cleanup.some((t) => t.operation === target)) continue;
    const bindings = Object.entries(recipe.parameters).map(([name, expression]) => ({ target: name, expression }));
    const values = bindings.map((b) => evaluateExpression(b.expression, exchange));
    if (values.some((v) => v === undefined)) continue;
    ctx.created.set(`${recipe.operationId}\u0000${values.join('\u0000')}`, {
      plan,
      operation: target,
      bindings,
      values: new Map(bindings.map((b, i) => [b.expression, values[i] as string])),
    });
  }
}

/** A lifecycle deleted what it created: cleanup has nothing left to do about those values. */
export function forgetCreated(ctx: RunContext, values: Set<string>): void {
  for (const [key, entry] of ctx.created) {
    if ([...entry.values.values()].some((v) => values.has(v))) ctx.created.delete(key);
  }
}

/** Run every check on one exchange; returns true when a failure was found. */
export function checkExchange(ctx: RunContext, compiled: CompiledSpec, exchange: Exchange, caseTitle: string): boolean {
  // A body that echoes a secret is redacted before any check quotes it: an excerpt cut in the middle of a secret
  // would otherwise escape the redaction of the finished message.
  const body = exchange.response?.body;
  const redactedBody = body === undefined ? undefined : ctx.redactor.redact(body);
  const shown =
    exchange.response && redactedBody !== body
      ? { ...exchange, response: { ...exchange.response, body: redactedBody ?? '' } }
      : exchange;
  const checkContext = { compiled, exchange: shown, options: ctx.check };
  const findingsBefore = ctx.findings.length;
  let failed = false;
  for (const check of ctx.checks) {
    // A check runs only where it applies; one that needs a response never sees an errored exchange.
    if (!check.applies(checkContext)) continue;
    // "Responses judged": an exchange that got no response (a check on errors applies to it) is not one.
    const key = `${compiled.spec.name}\u0000${exchange.label}\u0000${check.id}`;
    if (exchange.response) ctx.applied.set(key, (ctx.applied.get(key) ?? 0) + 1);
    for (const outcome of check.run(checkContext)) {
      if (outcome.severity === 'failure') failed = true;
      ctx.findings.push({
        check: check.id,
        severity: outcome.severity,
        specName: compiled.spec.name,
        operation: exchange.label,
        caseId: exchange.caseId,
        caseTitle: exchange.step ? `${caseTitle} — ${exchange.step}` : caseTitle,
        expected: ctx.redactor.redact(outcome.expected),
        actual: ctx.redactor.redact(outcome.actual),
        details: (outcome.details ?? []).map((d) => ctx.redactor.redact(d)),
        hint: outcome.hint,
        curl: ctx.redactor.curlFor(exchange.request),
        exchange: ctx.reported.length,
      });
    }
  }
  ctx.exchanges.push({ exchange, specName: compiled.spec.name, failed });
  ctx.reported.push(
    toReportedExchange(
      { ...exchange, request: ctx.redactor.redactRequest(exchange.request) },
      compiled.spec.name,
      ctx.redactor.redact,
      {
        bodyLimit: ctx.findings.length > findingsBefore ? reportBodyLimit : heldBodyLimit,
      },
    ),
  );
  return failed;
}

/** A case result before anything was sent. */
export function emptyResult(c: PlannedCase): CaseResult {
  return {
    id: c.id,
    specName: c.specName,
    operation: c.label,
    kind: c.kind,
    title: c.title,
    outcome: 'passed',
    statuses: [],
    reason: undefined,
    preferredStatus: c.preferredStatus,
  };
}
