import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Operation } from '../core/operations.js';
import { packageRoot } from '../core/paths.js';
import { loadSpec, loadSpecFromText } from '../core/spec.js';
import { type CompiledSpec, compileSpec, contentSchemaPointerOf, schemaPointersOf } from '../core/validators.js';
import { parseAuthArguments } from './engine/auth.js';
import { type ConformanceOptions, runConformance } from './engine/run.js';
import type {
  Check,
  CheckContext,
  CheckOutcome,
  ConformanceResult,
  Exchange,
  HttpResponse,
  PlannedRequest,
} from './types.js';

/**
 * Small builders for the conformance unit tests: real operations from real specs, fake responses, and the
 * exchange and context a check sees. Tests only: nothing in production imports this file.
 */

const compiledByRef = new Map<string, Promise<CompiledSpec>>();

/** A bundled spec (`stackone`) or a file, loaded and compiled once per test file. */
export function compiled(ref: string): Promise<CompiledSpec> {
  let found = compiledByRef.get(ref);
  if (!found) {
    found = loadSpec(ref).then(compileSpec);
    compiledByRef.set(ref, found);
  }
  return found;
}

export const fixtureSpec = (name: string): string => join(packageRoot, 'test', 'fixtures', 'specs', name);

/** A spec written inline in a test, as a file in a fresh temporary folder: for runs that take spec files. */
export function specFile(name: string, yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mcpc-spec-')), name);
  writeFileSync(file, yaml);
  return file;
}

/** A spec written inline in a test, for shapes no bundled spec has (`default`, wildcards, required headers). */
export async function compiledFromText(yaml: string, name: string): Promise<CompiledSpec> {
  return compileSpec(await loadSpecFromText(yaml, join(packageRoot, `${name}.inline.yaml`), name));
}

export function operation(spec: CompiledSpec, operationId: string): Operation {
  const op = spec.index.byId.get(operationId);
  if (!op) throw new Error(`test setup: ${spec.spec.name} has no operation ${operationId}`);
  return op;
}

/** The demo credentials of the README, for every bundled spec's scheme. */
export const demoCredentials = () =>
  parseAuthArguments(['basic=demo-key:', 'bearerAuth=demo-key', 'apiKeyAuth=demo-key'], {});

/** A response as the client reports it; `bodyBytes` follows from `body` unless given. */
export function response(status: number, init: Partial<Omit<HttpResponse, 'status'>> = {}): HttpResponse {
  const body = init.body ?? '';
  return {
    status,
    headers: init.headers ?? {},
    body,
    bodyBytes: init.bodyBytes ?? Buffer.byteLength(body),
    truncated: init.truncated ?? false,
    elapsedMs: init.elapsedMs ?? 5,
  };
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse =>
  response(status, { body: JSON.stringify(value), headers: { 'content-type': 'application/json', ...headers } });

export const sse = (status: number, stream: string, headers: Record<string, string> = {}): HttpResponse =>
  response(status, { body: stream, headers: { 'content-type': 'text/event-stream', ...headers } });

export interface ExchangeInit {
  operation?: Operation | undefined;
  label?: string;
  kind?: Exchange['kind'];
  role?: Exchange['role'];
  request?: Partial<PlannedRequest & { url: string }>;
  response?: HttpResponse | undefined;
  error?: Exchange['error'];
  timedOut?: boolean;
  preferredStatus?: number;
  credentials?: Exchange['credentials'];
  outsideLinkContext?: boolean;
  namesNothing?: boolean;
  offeredTools?: string[];
  parameter?: Exchange['parameter'];
}

export function exchange(init: ExchangeInit = {}): Exchange {
  const op = init.operation;
  const method = init.request?.method ?? op?.method.toUpperCase() ?? 'GET';
  const path = init.request?.path ?? op?.path ?? '/';
  return {
    caseId: 'test:case:0',
    step: undefined,
    kind: init.kind ?? 'valid',
    role: init.role,
    operation: op,
    label: init.label ?? op?.label ?? `${method} ${path}`,
    request: {
      method,
      path,
      query: init.request?.query ?? [],
      headers: init.request?.headers ?? {},
      body: init.request?.body,
      url: init.request?.url ?? `http://127.0.0.1:4010${path}`,
    },
    response: 'response' in init ? init.response : response(200),
    error: init.error,
    timedOut: init.timedOut ?? false,
    preferredStatus: init.preferredStatus,
    credentials: init.credentials ?? 'valid',
    outsideLinkContext: init.outsideLinkContext ?? false,
    namesNothing: init.namesNothing ?? false,
    offeredTools: init.offeredTools,
    parameter: init.parameter,
  };
}

export function context(
  spec: CompiledSpec,
  ex: Exchange,
  options: Partial<CheckContext['options']> = {},
): CheckContext {
  return {
    compiled: spec,
    exchange: ex,
    options: { maxResponseTimeMs: undefined, maxBodyBytes: 1024 * 1024, timeoutMs: 10_000, strict: false, ...options },
  };
}

/** What a check says of one exchange, the way the engine asks: `skip` when it does not apply. */
export function verdict(check: Check, ctx: CheckContext): 'skip' | CheckOutcome[] {
  return check.applies(ctx) ? check.run(ctx) : 'skip';
}

/** A JSON-RPC request body. */
export const rpc = (value: Record<string, unknown>): string => JSON.stringify({ jsonrpc: '2.0', ...value });

/** One SSE event carrying `data` (already a string), terminated by the blank line. */
export const event = (data: string, name = 'message'): string => `event: ${name}\ndata: ${data}\n\n`;

/**
 * The schema pointers a run that selected `selected` may compile: their own schemas, and the data schema inside
 * each SSE item schema (`x-itemSchema`'s `data`), which the response checks compile on their own.
 */
export function selectedSchemaPointers(spec: CompiledSpec, selected: Operation[]): Set<string> {
  const allowed = new Set(schemaPointersOf(selected));
  for (const op of selected)
    for (const r of op.responses)
      for (const m of r.content) {
        const data = m.itemSchemaPointer && contentSchemaPointerOf(spec.spec.document, m.itemSchemaPointer);
        if (data) allowed.add(data);
      }
  return allowed;
}

/**
 * A run of one spec (YAML text, written to a temporary file) against `server`, which listens on 127.0.0.1 at a port
 * the system picks for this run only and is closed after it: seed 1, no credentials, `--strict`, concurrency 2,
 * no property phase unless `options` says otherwise.
 */
export async function runSpecAgainst(
  yaml: string,
  server: Server,
  options: Partial<ConformanceOptions> = {},
): Promise<ConformanceResult> {
  const file = join(mkdtempSync(join(tmpdir(), 'mcpc-run-')), 'spec.yaml');
  writeFileSync(file, yaml);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await runConformance({
      specs: [file],
      target: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: new Map(),
      params: new Map(),
      allowDestructive: false,
      seed: 1,
      maxExamples: 0,
      timeoutMs: 5000,
      maxBodyBytes: 1 << 20,
      concurrency: 2,
      strict: true,
      ...options,
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * A run of one spec against the reference mock serving that same spec (`mock --spec`), which agrees with the runner
 * on how every request is written: the run must fail nothing. Tests only — the runner itself never knows the mock.
 */
export async function runSpecAgainstOwnMock(
  yaml: string,
  options: Partial<ConformanceOptions> = {},
): Promise<ConformanceResult> {
  const { createMockApp } = await import('../mock/app.js');
  const { mockHttpServer } = await import('../mock/server.js');
  const file = join(mkdtempSync(join(tmpdir(), 'mcpc-own-mock-')), 'spec.yaml');
  writeFileSync(file, yaml);
  const mock = await createMockApp({ specFiles: [file], logRequests: false });
  try {
    return await runSpecAgainst(yaml, mockHttpServer(mock.app), options);
  } finally {
    await mock.close();
  }
}
