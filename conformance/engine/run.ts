import { connect } from 'node:net';
import { ToolError } from '../../core/errors.js';
import { getAtPointer } from '../../core/json-pointer.js';
import { compilePathTemplate, documentedCodes, findResponse, type Operation } from '../../core/operations.js';
import { loadSpec } from '../../core/spec.js';
import { type CompiledSpec, compileSpec } from '../../core/validators.js';
import { selectChecks } from '../checks/index.js';
import { jsonRpcMessages } from '../checks/util.js';
import { createNetworkClient, type HttpClient } from '../http/client.js';
import { createRedactor, type Redactor } from '../http/curl.js';
import type {
  CaseResult,
  Check,
  ConformanceEvent,
  ConformanceResult,
  Exchange,
  Finding,
  LifecycleStep,
  LinkBinding,
  PlannedCase,
  PlannedRequest,
  SpecNote,
} from '../types.js';
import { type Credentials, definedSchemes, secretsOf } from './auth.js';
import { computeCoverage } from './coverage.js';
import { defaultMaxExamples, runPropertyPhase } from './fuzz.js';
import type { OperationPlanner } from './plan.js';
import { type PlanOptions, planSpec, preferCase, type SpecPlan } from './plan.js';

/**
 * The engine: plan → send → check. It emits events and returns a result; it never prints and never exits.
 * A contract failure is a Finding; a network failure marks a case errored; only a target that cannot be
 * reached at all (or a bad spec or option) is a ToolError.
 */
export interface ConformanceOptions {
  /** Bundled spec names or files. */
  specs: string[];
  /** Base URL of the deployment: replaces scheme, host and port of each spec's server URL. */
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
  concurrency: number;
  /** Requests per second, at most. */
  rateLimit?: number | undefined;
  client?: HttpClient | undefined;
  onEvent?: ((event: ConformanceEvent) => void) | undefined;
}

export const defaultRunOptions = {
  seed: 1,
  timeoutMs: 10_000,
  maxBodyBytes: 1024 * 1024,
  concurrency: 4,
} as const;

export interface PreparedRun {
  plans: Array<SpecPlan & { baseUrl: string }>;
  checks: Check[];
  remarks: string[];
}

/** Load, compile and plan: everything short of sending. `--dry-run` stops here. */
export async function prepareConformance(options: ConformanceOptions): Promise<PreparedRun> {
  const checks = selectChecks(options.checks, options.excludeChecks);
  const targetUrl = parseTarget(options.target);
  const planOptions: PlanOptions = {
    credentials: options.credentials,
    params: options.params,
    allowDestructive: options.allowDestructive,
    seed: options.seed,
  };
  const plans: PreparedRun['plans'] = [];
  const used = new Set<string>();
  const remarks: string[] = [];
  const matchedOperations = new Set<string>();
  const matchedTags = new Set<string>();
  for (const ref of options.specs) {
    const compiled = compileSpec(await loadSpec(ref));
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
    plans.push({ ...plan, baseUrl: baseUrlFor(targetUrl, compiled.index.basePath) });
    remarks.push(...plan.remarks);
  }
  for (const o of options.operations ?? []) {
    if (!matchedOperations.has(o)) {
      throw new ToolError(
        'MCPC_USAGE',
        `--operation '${o}' matches no operation`,
        'give an operationId or "METHOD /path" from the spec',
      );
    }
  }
  for (const t of options.tags ?? []) {
    if (!matchedTags.has(t)) {
      throw new ToolError(
        'MCPC_USAGE',
        `--tag '${t}' matches no operation`,
        'give a tag an operation of the spec carries',
      );
    }
  }
  if (plans.every((p) => p.planners.size === 0)) {
    throw new ToolError(
      'MCPC_USAGE',
      'the selected spec(s) have no operations to check',
      'check --spec, --operation and --tag (a spec needs at least one path with an operation)',
    );
  }
  for (const key of options.params.keys()) {
    if (!used.has(key)) remarks.push(`--param ${key} matched no parameter of the selected operations`);
  }
  return { plans, checks, remarks };
}

function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ToolError(
      'MCPC_USAGE',
      `--target '${target}' is not a URL`,
      'give a base URL such as http://127.0.0.1:4010 or https://staging.example.com',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ToolError('MCPC_USAGE', `--target '${target}' is not http or https`, 'give an http:// or https:// URL');
  }
  return url;
}

/**
 * `--target` replaces scheme, host and port of the spec's server URL; the server's base path is kept unless
 * the target carries a path of its own, which then replaces it.
 */
export function baseUrlFor(target: URL, specBasePath: string): string {
  const ownPath = target.pathname.replace(/\/+$/, '');
  return `${target.protocol}//${target.host}${ownPath !== '' ? ownPath : specBasePath}`;
}

async function assertReachable(target: URL, timeoutMs: number): Promise<void> {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new ToolError(
          'MCPC_TARGET_UNREACHABLE',
          `${target.origin} did not accept a connection within ${timeoutMs} ms`,
          'check the URL, VPN and firewall',
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new ToolError(
          'MCPC_TARGET_UNREACHABLE',
          `${target.origin} cannot be reached (${error.code ?? error.message})`,
          'check --target: is the deployment running and listening there? (`npx mcp-contracts mock` serves all three APIs on :4010)',
        ),
      );
    });
  });
}

interface RunState {
  options: ConformanceOptions;
  client: HttpClient;
  redactor: Redactor;
  checks: Check[];
  findings: Finding[];
  exchanges: Array<{ exchange: Exchange; specName: string; failed: boolean }>;
  requests: number;
  limiter: () => Promise<void>;
  /** Resources created by the run (link values of a delete link) that no lifecycle deleted yet. */
  created: Map<
    string,
    {
      compiled: CompiledSpec;
      baseUrl: string;
      operation: Operation;
      binding: LinkBinding;
      value: string;
      planner: OperationPlanner;
    }
  >;
  planners: Map<Operation, OperationPlanner>;
  applied: Map<string, number>;
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const started = performance.now();
  const prepared = await prepareConformance(options);
  await assertReachable(parseTarget(options.target), Math.min(options.timeoutMs, 5000));
  const client = options.client ?? createNetworkClient(options);
  const state: RunState = {
    options,
    client,
    redactor: createRedactor(secretsOf(options.credentials)),
    checks: prepared.checks,
    findings: [],
    exchanges: [],
    requests: 0,
    limiter: createLimiter(options.rateLimit),
    created: new Map(),
    planners: new Map(),
    applied: new Map(),
  };
  const remarks = [...prepared.remarks];
  const caseResults: CaseResult[] = [];
  const total = prepared.plans.reduce((n, p) => n + p.cases.length, 0);
  options.onEvent?.({ type: 'planned', cases: total, specs: prepared.plans.map((p) => p.compiled.spec.name) });
  const finish = (result: CaseResult) => {
    caseResults.push(result);
    options.onEvent?.({ type: 'case-finished', result, done: caseResults.length, total });
  };
  try {
    for (const plan of prepared.plans) {
      for (const [op, planner] of plan.planners) state.planners.set(op, planner);
      await pool(plan.cases, options.concurrency, async (c) => finish(await runCase(state, plan, c)));
      remarks.push(...refusedCredentials(state, plan));
      const preferResults = await runPreferPhase(state, plan, remarks);
      for (const r of preferResults) finish(r);
      const propertyResults = await runPropertyPhase(plan.planners.values(), {
        checks: state.checks,
        checkOptions: {
          maxResponseTimeMs: options.maxResponseTimeMs,
          maxBodyBytes: options.maxBodyBytes,
          timeoutMs: options.timeoutMs,
        },
        seed: options.seed,
        maxExamples: options.maxExamples ?? defaultMaxExamples,
        send: (c, request) => send(state, plan, c, request, undefined, undefined),
        record: (exchange, title) => checkExchange(state, plan.compiled, exchange, title),
      });
      for (const r of propertyResults) finish(r);
    }
    const cleaned = await cleanup(state);
    if (cleaned > 0) remarks.push(`deleted ${cleaned} resource(s) the run had created (through the spec's links)`);
  } finally {
    if (!options.client) client.close();
  }

  // Requests went out and not one came back: the run checked nothing, so it cannot pass (exit 2, not 0).
  if (state.requests > 0 && !state.exchanges.some(({ exchange }) => exchange.response)) {
    const first = state.exchanges.find(({ exchange }) => exchange.error)?.exchange.error;
    throw new ToolError(
      'MCPC_TARGET_UNREACHABLE',
      `${options.target} accepted connections but answered none of ${state.requests} request(s)${first ? ` (${first.code}: ${first.message})` : ''}`,
      'check that --target is the HTTP(S) endpoint of the deployment (scheme, port, TLS) and that it is up',
    );
  }
  const notes: SpecNote[] = [];
  for (const plan of prepared.plans) {
    for (const d of plan.compiled.defects) {
      notes.push({ specName: plan.compiled.spec.name, rule: d.rule, message: d.message, treatment: d.treatment });
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
  const coverage = computeCoverage(prepared.plans, state.exchanges, caseResults, options.allowDestructive);
  const covered = coverage.filter((c) => c.state === 'passed').length;
  const failures = state.findings.filter((f) => f.severity === 'failure').length;
  caseResults.sort((a, b) => a.id.localeCompare(b.id));
  return {
    targets: prepared.plans.map((p) => ({
      specName: p.compiled.spec.name,
      file: p.compiled.spec.file,
      baseUrl: p.baseUrl,
    })),
    cases: caseResults,
    findings: state.findings,
    coverage,
    notes,
    remarks: [...new Set(remarks)],
    checks: state.checks.map((c) => c.id),
    applied: [...state.applied].map(([key, exchanges]) => {
      const [specName = '', operation = '', check = ''] = key.split('\u0000');
      return { specName, operation, check, exchanges };
    }),
    summary: {
      cases: caseResults.length,
      passed: caseResults.filter((c) => c.outcome === 'passed').length,
      failed: caseResults.filter((c) => c.outcome === 'failed').length,
      errored: caseResults.filter((c) => c.outcome === 'errored').length,
      skipped: caseResults.filter((c) => c.outcome === 'skipped').length,
      requests: state.requests,
      failures,
      warnings: state.findings.length - failures,
      coveragePercent: coverage.length === 0 ? 100 : Math.round((covered / coverage.length) * 1000) / 10,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

async function runCase(state: RunState, plan: SpecPlan & { baseUrl: string }, c: PlannedCase): Promise<CaseResult> {
  const result: CaseResult = {
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
  if (c.skip) return { ...result, outcome: 'skipped', reason: c.skip };
  const record = (exchange: Exchange) => {
    const failed = checkExchange(state, plan.compiled, exchange, c.title);
    if (exchange.response) result.statuses.push(exchange.response.status);
    if (failed) result.outcome = 'failed';
    else if (exchange.error && !exchange.timedOut && result.outcome === 'passed') {
      result.outcome = 'errored';
      result.reason = `${exchange.error.code}: ${exchange.error.message}`;
    }
    return exchange;
  };
  if (!c.steps) {
    record(await send(state, plan, c, c.request, undefined, undefined));
    return result;
  }
  const values = new Map<string, string>();
  let deleted = false;
  let offered: Set<string> | undefined;
  for (const step of c.steps) {
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
    let exchange = record(await send(state, plan, c, request, step, step.role, offered));
    const listed = toolsListed(exchange);
    if (listed) offered = new Set([...(offered ?? []), ...listed]);
    if (step.role === 'create') {
      // Try the other documented bodies until one produces what the links need (e.g. initialize → session id).
      const candidates = state.planners.get(step.operation)?.bodyExamples ?? [];
      for (const example of candidates) {
        if (linkValues(c.steps, exchange).size > 0) break;
        const retry = state.planners
          .get(step.operation)!
          .request({ body: { kind: 'value', value: example.value, contentType: example.contentType } });
        if (retry.body === request.body) continue;
        exchange = record(await send(state, plan, c, retry, step, step.role));
      }
      for (const [k, v] of linkValues(c.steps, exchange)) values.set(k, v);
    }
    if (step.role === 'delete') {
      const status = exchange.response?.status ?? 0;
      deleted = status >= 200 && status < 300;
      for (const value of values.values()) state.created.delete(value);
      if (!deleted) {
        result.reason = `the delete step answered ${exchange.response?.status ?? exchange.error?.code}; the steps after it were not run`;
      }
    }
  }
  return result;
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

/** OpenAPI runtime expressions: `$response.header.X`, `$response.body#/ptr`, `$request.header.X`, … */
export function evaluateExpression(expression: string, exchange: Exchange): string | undefined {
  const response = exchange.response;
  const header = /^\$(response|request)\.header\.(.+)$/.exec(expression);
  if (header) {
    const name = header[2]!.toLowerCase();
    return header[1] === 'response' ? response?.headers[name] : exchange.request.headers[name];
  }
  const body = /^\$(response|request)\.body(?:#(.*))?$/.exec(expression);
  if (body) {
    const text = body[1] === 'response' ? response?.body : exchange.request.body;
    if (!text) return undefined;
    try {
      const value = getAtPointer(JSON.parse(text), body[2] ?? '');
      return value === undefined || value === null
        ? undefined
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    } catch {
      return undefined;
    }
  }
  if (expression === '$statusCode') return response ? String(response.status) : undefined;
  if (expression === '$url') return exchange.request.url;
  if (expression === '$method') return exchange.request.method;
  const query = /^\$request\.query\.(.+)$/.exec(expression);
  if (query) return new URL(exchange.request.url).searchParams.get(query[1]!) ?? undefined;
  const path = /^\$request\.path\.(.+)$/.exec(expression);
  if (path && exchange.operation) {
    const values = compilePathTemplate(exchange.operation.path)(exchange.request.path);
    return values?.[path[1]!];
  }
  if (!expression.startsWith('$')) return expression;
  return undefined;
}

function bindRequest(step: LifecycleStep, values: Map<string, string>): PlannedRequest | undefined {
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

async function send(
  state: RunState,
  plan: SpecPlan & { baseUrl: string },
  c: PlannedCase,
  request: PlannedRequest,
  step: LifecycleStep | undefined,
  role: LifecycleStep['role'] | undefined,
  offered?: Set<string>,
): Promise<Exchange> {
  const query = request.query.length > 0 ? `?${new URLSearchParams(request.query).toString()}` : '';
  const url = `${plan.baseUrl}${request.path}${query}`;
  const operation = step?.operation ?? c.operation;
  let attempt = 0;
  for (;;) {
    await state.limiter();
    state.requests++;
    const result = await state.client.send({
      method: request.method,
      url,
      headers: request.headers,
      body: request.body,
    });
    const exchange: Exchange = {
      caseId: c.id,
      step: step?.name,
      kind: c.kind,
      role,
      operation,
      label: operation?.label ?? c.label,
      request: { ...request, url },
      response: result.ok ? result.response : undefined,
      error: result.ok ? undefined : result.error,
      timedOut: result.ok ? false : result.timedOut,
      preferredStatus: c.preferredStatus,
      credentials: c.credentials,
      // Lifecycle steps carry the linked values; a standalone case may go without them.
      outsideLinkContext: step ? false : c.outsideLinkContext,
      namesNothing: step ? false : c.namesNothing,
      offeredTools: offered ? [...offered] : undefined,
    };
    // Honour Retry-After on a 429 the run did not ask for: back off once, then take what comes.
    const retryAfter = Number(exchange.response?.headers['retry-after']);
    if (
      exchange.response?.status === 429 &&
      c.preferredStatus !== 429 &&
      attempt === 0 &&
      Number.isFinite(retryAfter)
    ) {
      attempt++;
      await sleep(Math.min(Math.max(retryAfter, 0), 30) * 1000);
      continue;
    }
    if (operation && exchange.response) rememberCreated(state, plan, operation, exchange);
    return exchange;
  }
}

/** Note every resource the run created (a value a delete link would need), so cleanup can delete it. */
function rememberCreated(
  state: RunState,
  plan: SpecPlan & { baseUrl: string },
  operation: Operation,
  exchange: Exchange,
): void {
  const response = exchange.response;
  if (!response || response.status < 200 || response.status >= 300) return;
  const spec = findResponse(operation, response.status);
  for (const link of spec?.links ?? []) {
    const target = link.operationId ? plan.compiled.index.byId.get(link.operationId) : undefined;
    if (target?.method !== 'delete') continue;
    for (const [name, expression] of Object.entries(link.parameters)) {
      const value = evaluateExpression(expression, exchange);
      const planner = state.planners.get(target);
      if (value === undefined || !planner) continue;
      state.created.set(value, {
        compiled: plan.compiled,
        baseUrl: plan.baseUrl,
        operation: target,
        binding: { target: name, expression },
        value,
        planner,
      });
    }
  }
}

async function cleanup(state: RunState): Promise<number> {
  let count = 0;
  for (const entry of [...state.created.values()]) {
    const step: LifecycleStep = {
      name: 'cleanup',
      operation: entry.operation,
      request: entry.planner.request(),
      bindings: [entry.binding],
      role: 'delete',
    };
    const request = bindRequest(step, new Map([[entry.binding.expression, entry.value]]));
    if (!request) continue;
    const query = request.query.length > 0 ? `?${new URLSearchParams(request.query).toString()}` : '';
    await state.limiter();
    state.requests++;
    await state.client.send({
      method: request.method,
      url: `${entry.baseUrl}${request.path}${query}`,
      headers: request.headers,
      body: request.body,
    });
    state.created.delete(entry.value);
    count++;
  }
  return count;
}

/** Run every check on one exchange; returns true when a failure was found. */
function checkExchange(state: RunState, compiled: CompiledSpec, exchange: Exchange, caseTitle: string): boolean {
  // A body that echoes a secret is redacted before any check quotes it: an excerpt cut in the middle of a secret
  // would otherwise escape the redaction of the finished message.
  const body = exchange.response?.body;
  const redactedBody = body === undefined ? undefined : state.redactor.redact(body);
  const shown =
    exchange.response && redactedBody !== body
      ? { ...exchange, response: { ...exchange.response, body: redactedBody ?? '' } }
      : exchange;
  const ctx = {
    compiled,
    exchange: shown,
    options: {
      maxResponseTimeMs: state.options.maxResponseTimeMs,
      maxBodyBytes: state.options.maxBodyBytes,
      timeoutMs: state.options.timeoutMs,
    },
  };
  let failed = false;
  let anyFailure = false;
  for (const check of state.checks) {
    // A check runs only where it applies; one that needs a response never sees an errored exchange.
    if (!check.applies(ctx)) continue;
    const key = `${compiled.spec.name}\u0000${exchange.label}\u0000${check.id}`;
    state.applied.set(key, (state.applied.get(key) ?? 0) + 1);
    for (const outcome of check.run(ctx)) {
      if (outcome.severity === 'failure') anyFailure = true;
      state.findings.push({
        check: check.id,
        severity: outcome.severity,
        specName: compiled.spec.name,
        operation: exchange.label,
        caseId: exchange.caseId,
        caseTitle: exchange.step ? `${caseTitle} — ${exchange.step}` : caseTitle,
        expected: state.redactor.redact(outcome.expected),
        actual: state.redactor.redact(outcome.actual),
        details: (outcome.details ?? []).map((d) => state.redactor.redact(d)),
        hint: outcome.hint,
        curl: state.redactor.curlFor(exchange.request),
      });
    }
  }
  failed = anyFailure;
  state.exchanges.push({ exchange, specName: compiled.spec.name, failed });
  return failed;
}

/** Valid credentials that the target refused on every valid request: most likely a wrong --auth, so say it. */
function refusedCredentials(state: RunState, plan: SpecPlan): string[] {
  const out: string[] = [];
  for (const [op, planner] of plan.planners) {
    if (!planner.secured || planner.credentialsState !== 'valid') continue;
    const statuses = state.exchanges
      .filter(({ exchange }) => exchange.operation === op && exchange.kind === 'valid' && exchange.response)
      .map(({ exchange }) => exchange.response!.status);
    if (statuses.length === 0 || !statuses.every((s) => s === 401 || s === 403)) continue;
    const schemes = definedSchemes(op.security).join(' or ');
    out.push(
      `${op.label}: the credentials given for ${schemes} were refused (${[...new Set(statuses)].join(', ')}) on every valid request — check --auth; the checks of accepted requests could not run`,
    );
  }
  return out;
}

/**
 * For every documented status no natural case reached, ask for it with `Prefer: code=NNN` (Prism's
 * convention). One probe per spec first: a deployment that ignores Prefer is not sent the rest.
 */
async function runPreferPhase(
  state: RunState,
  plan: SpecPlan & { baseUrl: string },
  remarks: string[],
): Promise<CaseResult[]> {
  const cases: PlannedCase[] = [];
  for (const [op, opPlanner] of plan.planners) {
    if (opPlanner.untouchable) continue;
    const reached = new Set<string>();
    for (const { exchange } of state.exchanges) {
      if (exchange.operation !== op || !exchange.response) continue;
      const spec = findResponse(op, exchange.response.status);
      if (spec) reached.add(spec.status);
    }
    const planner = state.planners.get(op)!;
    for (const code of documentedCodes(op)) if (!reached.has(String(code))) cases.push(preferCase(planner, code));
  }
  if (cases.length === 0) return [];
  const [probe, ...rest] = cases;
  const results: CaseResult[] = [await runCase(state, plan, probe!)];
  const probeStatus = results[0]!.statuses[0];
  if (probeStatus !== probe!.preferredStatus) {
    remarks.push(
      `${plan.compiled.spec.name}: the target does not honour Prefer: code=NNN (asked ${probe!.preferredStatus}, got ${probeStatus ?? 'no response'}); ${rest.length} more Prefer case(s) not sent`,
    );
    for (const c of rest) {
      results.push({
        id: c.id,
        specName: c.specName,
        operation: c.label,
        kind: c.kind,
        title: c.title,
        outcome: 'skipped',
        statuses: [],
        reason: 'the target does not honour Prefer: code=NNN',
        preferredStatus: c.preferredStatus,
      });
    }
    return results;
  }
  await pool(rest, state.options.concurrency, async (c) => {
    results.push(await runCase(state, plan, c));
  });
  return results;
}

async function pool<T>(items: T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await worker(item);
    }
  });
  await Promise.all(runners);
}

function createLimiter(perSecond: number | undefined): () => Promise<void> {
  if (!perSecond || perSecond <= 0) return async () => {};
  const interval = 1000 / perSecond;
  let nextAt = 0;
  return async () => {
    const now = performance.now();
    const wait = Math.max(0, nextAt - now);
    nextAt = Math.max(now, nextAt) + interval;
    if (wait > 0) await sleep(wait);
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
