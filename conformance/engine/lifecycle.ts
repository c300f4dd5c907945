import { evaluateExpression } from '../../core/runtime-expression.js';
import { jsonRpcMessages } from '../checks/util.js';
import type { CaseResult, Exchange, LifecycleStep, PlannedCase, PlannedRequest } from '../types.js';
import { emptyResult, forgetCreated, type RunContext, sendAndCheck } from './context.js';
import type { FinishedPlan } from './finished-plan.js';
import { RunStopped } from './transport.js';

/**
 * One case, sent and judged: a single request, or a lifecycle stepped through in order (create → use → delete →
 * delete again → use after delete), each step bound to values the create step's response carried. A case cut
 * short by the end of the run is `skipped` (unless something already failed), with the reason.
 */
export async function runCase(ctx: RunContext, plan: FinishedPlan, c: PlannedCase): Promise<CaseResult> {
  const result = emptyResult(c);
  if (c.skip) return { ...result, outcome: 'skipped', reason: c.skip };
  const record = ({ exchange, failed }: { exchange: Exchange; failed: boolean }) => {
    if (exchange.response) result.statuses.push(exchange.response.status);
    if (failed) result.outcome = 'failed';
    else if (exchange.error && !exchange.timedOut && result.outcome === 'passed') {
      result.outcome = 'errored';
      // Name the step and how to send it again: a lifecycle has many requests, and this one broke the connection.
      result.reason = `${exchange.step ? `${exchange.step}: ` : ''}${exchange.error.code}: ${exchange.error.message} — reproduce: ${ctx.redactor.curlFor(exchange.request)}`;
    }
    return exchange;
  };
  try {
    if (!c.steps) record(await sendAndCheck(ctx, plan, c, c.request, undefined));
    else await stepThrough(ctx, plan, c, c.steps, result, record);
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
    if (result.outcome !== 'failed') result.outcome = 'skipped';
    result.reason = `not finished: the run stopped${ctx.transport.interrupted() ? ' (interrupted)' : ''}`;
  }
  return result;
}

async function stepThrough(
  ctx: RunContext,
  plan: FinishedPlan,
  c: PlannedCase,
  steps: LifecycleStep[],
  result: CaseResult,
  record: (sent: { exchange: Exchange; failed: boolean }) => Exchange,
): Promise<void> {
  const values = new Map<string, string>();
  let deleted = false;
  let offered: Set<string> | undefined;
  for (const step of steps) {
    if ((step.role === 'delete-again' || step.role === 'use-after-delete') && !deleted) break;
    let request = step.request;
    if (step.bindings.length > 0) {
      const bound = bindRequest(step, values);
      if (!bound) {
        result.outcome = result.outcome === 'failed' ? 'failed' : 'skipped';
        result.reason = `the create step's response carried no value for ${step.bindings.map((b) => b.expression).join(', ')}`;
        break;
      }
      request = bound;
    }
    let exchange = record(await sendAndCheck(ctx, plan, c, request, step, offered));
    const listed = toolsListed(exchange);
    if (listed) offered = new Set([...(offered ?? []), ...listed]);
    if (step.role === 'create') {
      // Try the other documented bodies until one produces what the links need (e.g. initialize → session id) —
      // only after an accepted create that carried none: after an error or a refusal they would go without the
      // context they may need. Their refusal is then no rejected valid input (they may need that context).
      const accepted = (exchange.response?.status ?? 0) >= 200 && (exchange.response?.status ?? 0) < 300;
      for (const alternative of accepted ? (step.alternatives ?? []) : []) {
        if (linkValues(steps, exchange).size > 0) break;
        const other = { ...step, name: `${step.name}, another documented body`, outsideLinkContext: true };
        exchange = record(await sendAndCheck(ctx, plan, c, alternative, other));
      }
      for (const [k, v] of linkValues(steps, exchange)) values.set(k, v);
    }
    if (step.role === 'delete') {
      const status = exchange.response?.status ?? 0;
      deleted = status >= 200 && status < 300;
      if (deleted) forgetCreated(ctx, new Set(values.values()));
      if (!deleted) {
        result.reason = `the delete step answered ${exchange.response?.status ?? exchange.error?.code}; the steps after it were not run`;
      }
    }
  }
}

/** The tool names an MCP `tools/list` answer offers (JSON or SSE), or undefined when it is no such answer. */
function toolsListed(exchange: Exchange): string[] | undefined {
  if (exchange.response?.status !== 200) return undefined;
  for (const message of jsonRpcMessages(exchange)) {
    const tools = (message.result as { tools?: unknown } | undefined)?.tools;
    if (Array.isArray(tools)) return tools.map((t) => String((t as { name?: unknown }).name));
  }
  return undefined;
}

/** Values the links of a lifecycle need, read from the create step's response. */
function linkValues(steps: LifecycleStep[], exchange: Exchange): Map<string, string> {
  const values = new Map<string, string>();
  for (const step of steps) {
    for (const binding of step.bindings) {
      const value = evaluateExpression(binding.expression, exchange);
      if (value !== undefined) values.set(binding.expression, value);
    }
  }
  return values;
}

/** The step's request with each bound parameter set to its value; undefined when a value is missing. */
export function bindRequest(
  step: Pick<LifecycleStep, 'operation' | 'request' | 'bindings'>,
  values: Map<string, string>,
): PlannedRequest | undefined {
  const request: PlannedRequest = {
    ...step.request,
    headers: { ...step.request.headers },
    query: [...step.request.query],
  };
  for (const binding of step.bindings) {
    const value = values.get(binding.expression);
    if (value === undefined) return undefined;
    const dot = binding.target.indexOf('.');
    const where = dot > 0 ? binding.target.slice(0, dot) : undefined;
    const name = dot > 0 ? binding.target.slice(dot + 1) : binding.target;
    const parameter = step.operation.parameters.find(
      (p) => p.name.toLowerCase() === name.toLowerCase() && (!where || p.in === where),
    );
    const location = parameter?.in ?? where ?? 'query';
    if (location === 'header') request.headers[name.toLowerCase()] = value;
    else if (location === 'query') request.query = [...request.query.filter(([k]) => k !== name), [name, value]];
    else if (location === 'path') {
      const template = step.operation.path;
      // Re-fill the path from the template with the bound value in place of the planned one.
      const planned = step.request.path.split('/');
      const parts = template.split('/');
      request.path = parts
        .map((part, i) => (part === `{${parameter?.name ?? name}}` ? encodeURIComponent(value) : planned[i]))
        .join('/');
    }
  }
  return request;
}
