import { describe, expect, it } from 'vitest';
import type { Operation } from '../../core/operations.js';
import type { CompiledSpec } from '../../core/validators.js';
import { compiled, demoCredentials, fixtureSpec, operation } from '../test-helpers.js';
import type { PlannedCase, PlannedRequest } from '../types.js';
import { parseAuthArguments } from './auth.js';
import { type PlanOptions, planSpec, preferCase } from './plan.js';

const stackone = await compiled('stackone');
const smithery = await compiled('smithery');
const langsmith = await compiled('langsmith');
const external = await compiled(fixtureSpec('external-root.yaml'));

const everything = (_op: Operation) => true;
const userServerId = '11111111-1111-4111-8111-111111111111';
/** Ids of real resources a user might pass: none of them may be deleted or changed without --allow-destructive. */
const userParams = () =>
  new Map([
    ['namespace', 'ns-1'],
    ['connectionId', 'conn-1'],
    ['mcp-session-id', 'sess-1'],
    ['mcp_server_id', userServerId],
  ]);
const protectedValues = ['conn-1', 'sess-1', userServerId];

function plan(spec: CompiledSpec, options: Partial<PlanOptions> = {}, include = everything) {
  return planSpec(
    spec,
    { credentials: demoCredentials(), params: new Map(), allowDestructive: false, seed: 1, ...options },
    include,
  );
}

/** Every request a plan will send: each case's own, and each lifecycle step's. */
function requestsOf(cases: PlannedCase[]): Array<{ caseId: string; request: PlannedRequest }> {
  return cases.flatMap((c) =>
    c.steps
      ? c.steps.map((s) => ({ caseId: `${c.id} / ${s.name}`, request: s.request }))
      : [{ caseId: c.id, request: c.request }],
  );
}

const wire = (r: PlannedRequest) => JSON.stringify([r.path, r.query, r.headers, r.body ?? null]);

/** `label → kind → count`, the shape of a plan at a glance. */
/** A case of cases/ (the generators have tables of their own, in cases/*.test.ts). */
const generated = (c: PlannedCase) => /:(optional|enum|unusual|other-id|field-type|boundary)-\d+$/.test(c.id);

/** The planner's own cases by operation and kind (generated ones left out). */
function kindsByOperation(cases: PlannedCase[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const c of cases.filter((k) => !generated(k))) {
    const kinds = out[c.label] ?? {};
    kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    out[c.label] = kinds;
  }
  return out;
}

describe('planSpec: the cases planned per operation', () => {
  it.each([
    [
      'stackone',
      stackone,
      {
        'POST /mcp': {
          valid: 7,
          'no-auth': 1,
          'wrong-auth': 1,
          'invalid-parameter': 3,
          'missing-body': 1,
          'malformed-body': 1,
          'invalid-body': 1,
          lifecycle: 1,
        },
        'TRACE /mcp': { 'unsupported-method': 1 },
        'DELETE /mcp': { valid: 1, 'no-auth': 1, 'wrong-auth': 1, 'missing-parameter': 1 },
      },
    ],
    [
      'smithery',
      smithery,
      {
        'DELETE /connect/{namespace}/{connectionId}': { valid: 1, 'no-auth': 1, 'wrong-auth': 1, 'nonexistent-id': 2 },
        'PATCH /connect/{namespace}/{connectionId}': { 'unsupported-method': 1 },
      },
    ],
    [
      'langsmith',
      langsmith,
      {
        'DELETE /mcp-servers/{mcp_server_id}': {
          valid: 1,
          'no-auth': 1,
          'wrong-auth': 1,
          'invalid-parameter': 1,
          'nonexistent-id': 1,
        },
        'PATCH /mcp-servers/{mcp_server_id}': { 'unsupported-method': 1 },
      },
    ],
  ])('%s', (_name, spec, want) => {
    expect(kindsByOperation(plan(spec).cases)).toEqual(want);
  });

  it('plans one valid case per documented body example, and one per success media type alone', () => {
    const titles = plan(stackone)
      .cases.filter((c) => c.label === 'POST /mcp' && c.kind === 'valid' && !generated(c))
      .map((c) => [c.title, c.request.headers.accept]);
    expect(titles).toEqual([
      ["valid request (body example 'initialize')", 'application/json, text/event-stream'],
      ["valid request (body example 'initialized')", 'application/json, text/event-stream'],
      ["valid request (body example 'toolsList')", 'application/json, text/event-stream'],
      ["valid request (body example 'toolsCall')", 'application/json, text/event-stream'],
      ["valid request (body example 'ping')", 'application/json, text/event-stream'],
      ['valid request asking only for application/json', 'application/json'],
      ['valid request asking only for text/event-stream', 'text/event-stream'],
    ]);
  });

  it('sends valid credentials on valid cases, none on no-auth, and a wrong one of the right shape on wrong-auth', () => {
    const cases = plan(stackone).cases.filter((c) => c.label === 'POST /mcp');
    const auth = (kind: string) => cases.find((c) => c.kind === kind)!.request.headers.authorization;
    expect(auth('valid')).toBe(`Basic ${Buffer.from('demo-key:').toString('base64')}`);
    expect(auth('no-auth')).toBeUndefined();
    expect(auth('wrong-auth')).toMatch(/^Basic /);
    expect(auth('wrong-auth')).not.toBe(auth('valid'));
    expect(cases.find((c) => c.kind === 'no-auth')!.credentials).toBe('none');
    expect(cases.find((c) => c.kind === 'wrong-auth')!.credentials).toBe('wrong');
  });

  it('without credentials, marks valid cases unavailable and says which --auth would help', () => {
    const p = plan(langsmith, { credentials: parseAuthArguments([], {}) });
    expect(p.cases.find((c) => c.kind === 'valid')!.credentials).toBe('unavailable');
    expect(p.remarks).toContainEqual(
      expect.stringContaining('pass --auth apiKeyAuth=… or set MCP_CONTRACTS_AUTH_APIKEYAUTH'),
    );
  });

  it('asks for a status with Prefer: code=NNN', () => {
    const p = plan(langsmith);
    const c = preferCase(p.planners.get(operation(langsmith, 'deleteMcpServer'))!, 503);
    expect(c).toMatchObject({ kind: 'prefer', preferredStatus: 503, title: 'Prefer: code=503' });
    expect(c.request.headers.prefer).toBe('code=503');
  });
});

describe('planSpec: SAFETY — never delete or change what the run did not create', () => {
  it.each([
    ['stackone', stackone],
    ['smithery', smithery],
    ['langsmith', langsmith],
  ])('%s: without --allow-destructive no DELETE names a --param id (path or required header)', (_name, spec) => {
    const p = plan(spec, { params: userParams() });
    const deletes = requestsOf(p.cases).filter(({ request }) => request.method === 'DELETE');
    expect(deletes.length).toBeGreaterThan(0);
    for (const { caseId, request } of deletes) {
      for (const value of protectedValues) expect(wire(request), caseId).not.toContain(value);
    }
  });

  it.each([
    ['smithery', 'connectionId', 'DELETE /connect/{namespace}/{connectionId}', smithery],
    ['stackone', 'mcp-session-id', 'DELETE /mcp', stackone],
    ['langsmith', 'mcp_server_id', 'DELETE /mcp-servers/{mcp_server_id}', langsmith],
  ] as const)('%s: a remark says why --param %s was not used', (_name, param, label, spec) => {
    expect(plan(spec, { params: userParams() }).remarks).toContainEqual(
      `--param ${param} is not used for ${label}: the run never deletes or changes a resource it did not create itself (pass --allow-destructive to use it)`,
    );
  });

  it('still uses a --param that is not the resource id (the namespace around it)', () => {
    const valid = plan(smithery, { params: userParams() }).cases.find((c) => c.kind === 'valid')!;
    expect(valid.request.path).toMatch(/^\/connect\/ns-1\/mcpc-nonexistent-[0-9a-f]{8}$/);
  });

  it('accepts the `in.name` form of --param, and protects it the same way', () => {
    const p = plan(smithery, { params: new Map([['path.connectionId', 'conn-1']]) });
    expect(p.usedParams).toContain('path.connectionId');
    expect(requestsOf(p.cases).some(({ request }) => wire(request).includes('conn-1'))).toBe(false);
  });

  it('with --allow-destructive the valid DELETE names the --param id, then deletes it again', () => {
    const p = plan(smithery, { params: userParams(), allowDestructive: true });
    const valid = p.cases.find((c) => c.kind === 'valid')!;
    expect(valid.request).toMatchObject({ method: 'DELETE', path: '/connect/ns-1/conn-1' });
    expect(valid.title).toBe('valid request, then deleted again');
    expect(valid.steps?.map((s) => [s.role, s.request.method, s.request.path])).toEqual([
      ['auth-probe', 'DELETE', '/connect/ns-1/conn-1'],
      ['auth-probe', 'DELETE', '/connect/ns-1/conn-1'],
      ['delete', 'DELETE', '/connect/ns-1/conn-1'],
      ['delete-again', 'DELETE', '/connect/ns-1/conn-1'],
    ]);
    expect(p.remarks.filter((r) => r.includes('--allow-destructive'))).toEqual([]);
  });

  // Regression (was a bug): plan.ts:321-338 (unsupportedMethodCase) builds the PATCH/PUT/DELETE probe with the planner of the
  // path's first operation. When that operation is safe (a GET, or StackOne's POST /mcp) its values include
  // the user's --param ids unprotected, so without --allow-destructive the run sends e.g. `PATCH /things/<id>`
  // to a real resource — the very thing plan.ts's header comment promises never to do.
  it('without --allow-destructive no PATCH/PUT/DELETE (not even the unsupported-method probe) names a --param id', () => {
    const id = '22222222-2222-4222-8222-222222222222';
    const cases = [
      ...plan(external, { params: new Map([['id', id]]) }).cases,
      ...plan(stackone, { params: userParams() }).cases,
    ];
    const unsafe = requestsOf(cases).filter(({ request }) => ['DELETE', 'PUT', 'PATCH'].includes(request.method));
    expect(unsafe.length).toBeGreaterThan(0);
    for (const { caseId, request } of unsafe) {
      for (const value of [id, ...protectedValues]) expect(wire(request), caseId).not.toContain(value);
    }
  });

  // Regression (was a bug): plan.ts:455-456 looks for the user-named resource only among path parameters, while plan.ts:83 (the
  // safety rule) also treats a required header such as StackOne's mcp-session-id as the resource id. So with
  // --allow-destructive and --param mcp-session-id the session is deleted but never deleted again, and
  // use-after-delete never sees that operation.
  it('with --allow-destructive a DELETE naming a --param session header is also followed by a delete-again step', () => {
    const valid = plan(stackone, { params: userParams(), allowDestructive: true }).cases.find(
      (c) => c.label === 'DELETE /mcp' && c.kind === 'valid',
    )!;
    expect(valid.request.headers['mcp-session-id']).toBe('sess-1');
    expect(valid.steps?.map((s) => s.role)).toEqual(['auth-probe', 'auth-probe', 'delete', 'delete-again']);
    // The credential probes go to the real, named session, before the request that destroys it.
    expect(valid.steps?.slice(0, 2).map((s) => [s.credentials, s.request.headers['mcp-session-id']])).toEqual([
      ['none', 'sess-1'],
      ['wrong', 'sess-1'],
    ]);
    expect(valid.steps?.[0]?.request.headers.authorization).toBeUndefined();
  });
});

describe('planSpec: the StackOne session lifecycle through links', () => {
  const lifecycle = plan(stackone).cases.find((c) => c.kind === 'lifecycle')!;
  const binding = { target: 'header.mcp-session-id', expression: '$response.header.mcp-session-id' };

  it('goes create → use… → delete → delete-again → use-after-delete…', () => {
    // The generated cases of POST /mcp (optional parameters, enum values, unusual forms) need the session:
    // they are uses too, each marked with the kind it would have standalone.
    const inSession = lifecycle.steps!.filter((s) => s.kind !== undefined);
    expect(inSession.length).toBeGreaterThan(5);
    for (const g of inSession) {
      expect([g.role, g.operation.label]).toEqual(['use', 'POST /mcp']);
      expect(['valid', 'hazard']).toContain(g.kind);
    }
    expect(lifecycle.steps?.filter((s) => s.kind === undefined).map((s) => s.role)).toEqual([
      'create',
      'use',
      'use',
      'use',
      'use',
      'auth-probe',
      'auth-probe',
      'auth-probe',
      'auth-probe',
      'delete',
      'delete-again',
      'use-after-delete',
      'use-after-delete',
      'use-after-delete',
      'use-after-delete',
    ]);
    expect(lifecycle.title).toBe(
      `lifecycle through links DeleteSession, ContinueSession: create → use ×${4 + inSession.length} → auth-probe ×4 → delete → delete-again → use-after-delete ×4`,
    );
  });

  it('creates with initialize, then uses every other documented message', () => {
    const steps = lifecycle.steps!.filter((s) => s.kind === undefined);
    const method = (body: string | undefined) => (JSON.parse(body ?? '{}') as { method?: string }).method;
    expect(steps.map((s) => `${s.request.method} ${method(s.request.body) ?? '-'}`)).toEqual([
      'POST initialize',
      'POST notifications/initialized',
      'POST tools/list',
      'POST tools/call',
      'POST ping',
      'POST tools/list',
      'POST tools/list',
      'DELETE -',
      'DELETE -',
      'DELETE -',
      'DELETE -',
      'POST notifications/initialized',
      'POST tools/list',
      'POST tools/call',
      'POST ping',
    ]);
  });

  it('binds every step after create to the session id from the create response header', () => {
    const [create, ...rest] = lifecycle.steps!;
    expect(create!.bindings).toEqual([]);
    for (const step of rest) expect(step.bindings, step.name).toEqual([binding]);
    expect(rest.map((s) => s.operation.operationId)).toContain('stackone_mcp_delete');
  });

  it('is a case of the producing operation, inside the link context', () => {
    expect(lifecycle).toMatchObject({ label: 'POST /mcp', credentials: 'valid', outsideLinkContext: false });
  });

  it('plans no lifecycle for specs without links', () => {
    expect(plan(smithery).cases.filter((c) => c.kind === 'lifecycle')).toEqual([]);
    expect(plan(langsmith).cases.filter((c) => c.kind === 'lifecycle')).toEqual([]);
  });

  // Regression (was a bug): plan.ts:359 (`planners.get(t.op)!`) assumes every link target was selected. With
  // `--operation stackone_mcp_post` the DeleteSession link targets an operation without a planner and planning
  // throws a TypeError (reading 'bodyExamples'), so the CLI crashes instead of running the selection.
  it('plans when --operation selects only the producer of a link', () => {
    const only = plan(stackone, {}, (op) => op.operationId === 'stackone_mcp_post');
    expect(only.cases.some((c) => c.label === 'POST /mcp' && c.kind === 'valid')).toBe(true);
  });
});

describe('planSpec: outsideLinkContext', () => {
  const cases = plan(stackone).cases;

  it('is true for every standalone POST /mcp case (no session id: rejection is expected)', () => {
    const standalone = cases.filter((c) => c.label === 'POST /mcp' && c.kind !== 'lifecycle');
    expect(standalone.length).toBeGreaterThan(10);
    // …except the generated variants of the initialize that opens a session: it needs none.
    const variants = standalone.filter((c) => !c.outsideLinkContext);
    expect(variants.length).toBeGreaterThan(0);
    for (const c of variants) expect(generated(c), c.id).toBe(true);
    expect(variants.map((c) => c.title)).toContain("body field 'id' = 'Grüße, 世界 — ✓' (a unicode string)");
  });

  it('is false for the lifecycle, whose steps carry the linked session id', () => {
    expect(cases.find((c) => c.kind === 'lifecycle')!.outsideLinkContext).toBe(false);
  });

  it('is false for DELETE /mcp with its session id, true when the case leaves it out', () => {
    const del = (kind: string) => cases.find((c) => c.label === 'DELETE /mcp' && c.kind === kind)!;
    expect(del('valid').outsideLinkContext).toBe(false);
    expect(del('missing-parameter').outsideLinkContext).toBe(true);
  });

  it('is false for standalone POST /mcp cases once --param gives the session id', () => {
    const withSession = plan(stackone, { params: userParams() }).cases.filter((c) => c.label === 'POST /mcp');
    for (const c of withSession) expect(c.outsideLinkContext, c.id).toBe(false);
  });
});

describe('planSpec: determinism', () => {
  /** Generated ids (the only thing a seed may change) replaced by placeholders. */
  const normalise = (cases: PlannedCase[]) =>
    JSON.stringify(cases, (key, value) => (key === 'operation' ? undefined : value))
      .replace(/mcpc-nonexistent-[0-9a-f]{8}/g, 'mcpc-nonexistent-ID')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}/gi, 'UUID');

  it.each([
    ['stackone', stackone],
    ['smithery', smithery],
    ['langsmith', langsmith],
  ])('%s: the same seed gives the same plan', (_name, spec) => {
    const a = plan(spec, { seed: 7, params: userParams() });
    const b = plan(spec, { seed: 7, params: userParams() });
    expect(JSON.stringify(b.cases)).toBe(JSON.stringify(a.cases));
    expect(b.remarks).toEqual(a.remarks);
  });

  it.each([
    ['stackone', stackone],
    ['smithery', smithery],
    ['langsmith', langsmith],
  ])('%s: another seed changes only generated ids', (_name, spec) => {
    expect(normalise(plan(spec, { seed: 8 }).cases)).toBe(normalise(plan(spec, { seed: 7 }).cases));
  });

  it('another seed does change the generated ids', () => {
    const ids = (seed: number) => plan(smithery, { seed }).cases.map((c) => c.request.path);
    expect(ids(8)).not.toEqual(ids(7));
  });
});

describe('planSpec: resources no parameter names (safety)', async () => {
  const singletons = await compiled(fixtureSpec('singletons.yaml'));
  const credentials = parseAuthArguments(['key=secret-key-1'], {});

  it('sends nothing to DELETE /sessions or PUT /settings without --allow-destructive, and says why', () => {
    const result = plan(singletons, { credentials, params: new Map([['id', 'order-77']]) });
    // Every request that could change something names a fresh id, or is not sent at all.
    const unsafe = result.cases.filter(
      (c) =>
        (['DELETE', 'PUT', 'PATCH'].includes(c.request.method) || c.steps) &&
        !c.request.path.includes('mcpc-nonexistent-'),
    );
    expect(unsafe.map((c) => `${c.request.method} ${c.request.path}`)).toEqual([]);
    expect(result.remarks.join('\n')).toMatch(/DELETE \/sessions changes a resource that no parameter names/);
    expect(result.remarks.join('\n')).toMatch(/PUT \/settings changes a resource that no parameter names/);
    // The probe for an undefined method on /settings may only use a method that changes nothing.
    const probe = result.cases.find((c) => c.kind === 'unsupported-method' && c.label.endsWith('/settings'));
    expect(probe?.request.method).toBe('TRACE');
  });

  it('treats POST to a path that names a resource as acting on it: a --param id is not used', () => {
    const result = plan(singletons, { credentials, params: new Map([['id', 'order-77']]) });
    const cancels = result.cases.filter((c) => c.request.path.startsWith('/orders/'));
    expect(cancels.length).toBeGreaterThan(0);
    for (const c of cancels) expect(c.request.path).not.toContain('order-77');
    expect(result.remarks.join('\n')).toMatch(/--param id is not used for POST \/orders\/\{id\}\/cancel/);
  });

  it('plans them all with --allow-destructive', () => {
    const result = plan(singletons, { credentials, allowDestructive: true, params: new Map([['id', 'order-77']]) });
    const labels = new Set(result.cases.map((c) => c.label));
    expect(labels).toEqual(
      new Set([
        'DELETE /sessions',
        'GET /settings',
        'PUT /settings',
        'POST /orders/{id}/cancel',
        'PATCH /sessions',
        'PATCH /settings',
        'PATCH /orders/{id}/cancel',
      ]),
    );
    expect(result.cases.some((c) => c.request.path === '/orders/order-77/cancel')).toBe(true);
  });
});
