import { describe, expect, it } from 'vitest';
import { isToolError } from '../../core/errors.js';
import type { HttpRequest } from '../http/client.js';
import { createInProcessClient, type InProcessHandler, type InProcessReply } from '../http/in-process.js';
import { demoCredentials, specFile } from '../test-helpers.js';
import type { ConformanceResult } from '../types.js';
import { type ConformanceOptions, defaultRunOptions, runConformance } from './run.js';

/**
 * The engine as tables, against an in-process target (no sockets): what a case's outcome is, how 429s are backed
 * off, what cleanup deletes, what an interruption does, and when the Prefer phase probes. The target is a small
 * "items" API (create → get → delete through links) held in a Map, so what the run leaves behind is visible.
 */

const itemsSpec = specFile(
  'items.yaml',
  `openapi: 3.0.3
info: { title: items, version: '1' }
servers: [{ url: /api }]
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [name], properties: { name: { type: string } } }
            example: { name: first }
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { type: object, required: [id], properties: { id: { type: string } } }
          links:
            GetItem: { operationId: getItem, parameters: { id: '$response.body#/id' } }
            DeleteItem: { operationId: deleteItem, parameters: { id: '$response.body#/id' } }
        '400': { description: invalid body }
        '429':
          description: slow down
          headers: { Retry-After: { schema: { type: integer } } }
  /items/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get:
      operationId: getItem
      responses:
        '200': { description: the item, content: { application/json: { schema: { type: object } } } }
        '404': { description: no such item }
    delete:
      operationId: deleteItem
      responses:
        '204': { description: deleted }
        '404': { description: no such item }
`,
);

/** A conformant items deployment; `honourPrefer` answers `Prefer: code=NNN` as Prism does. */
function itemsTarget(init: { honourPrefer?: boolean } = {}) {
  const items = new Map<string, { name: string }>();
  let next = 1;
  const handler: InProcessHandler = (request) => {
    const url = new URL(request.url);
    const prefer = /code=(\d{3})/.exec(request.headers.prefer ?? '')?.[1];
    if (prefer && init.honourPrefer) {
      const status = Number(prefer);
      return status === 429
        ? { status, headers: { 'retry-after': '0' } }
        : status === 201
          ? created('pref')
          : { status };
    }
    if (url.pathname === '/api/items') {
      if (request.method !== 'POST') return { status: 405, headers: { allow: 'POST' } };
      let body: unknown;
      try {
        body = JSON.parse(request.body ?? '');
      } catch {
        return { status: 400 };
      }
      if (typeof (body as { name?: unknown })?.name !== 'string') return { status: 400 };
      const id = `item-${next++}`;
      items.set(id, { name: (body as { name: string }).name });
      return created(id);
    }
    const one = /^\/api\/items\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      if (request.method === 'GET') return items.has(id) ? json(200, items.get(id)) : { status: 404 };
      if (request.method === 'DELETE') return items.delete(id) ? { status: 204 } : { status: 404 };
      return { status: 405, headers: { allow: 'GET, DELETE' } };
    }
    return { status: 404 };
  };
  return { items, handler };
}

const json = (status: number, value: unknown): InProcessReply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});
const created = (id: string) => json(201, { id });

function run(handler: InProcessHandler, over: Partial<ConformanceOptions> = {}) {
  const client = createInProcessClient(handler);
  const sleeps: number[] = [];
  const result = runConformance({
    specs: [itemsSpec],
    target: 'http://items.test',
    credentials: demoCredentials(),
    params: new Map(),
    allowDestructive: false,
    ...defaultRunOptions,
    client,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...over,
  });
  return { client, sleeps, result };
}

const outcomes = (result: ConformanceResult) =>
  Object.fromEntries(result.cases.map((c) => [c.id.replace(/^items:/, ''), c.outcome]));
const failingChecks = (result: ConformanceResult) =>
  [...new Set(result.findings.filter((f) => f.severity === 'failure').map((f) => f.check))].sort();
const sent = (requests: HttpRequest[]) => requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);

describe('the engine against an in-process target: case outcomes', () => {
  it('passes every case of a conformant target and leaves nothing behind', async () => {
    const target = itemsTarget();
    const { result, client } = run(target.handler);
    const r = await result;
    expect(failingChecks(r)).toEqual([]);
    expect(Object.values(outcomes(r)).every((o) => o === 'passed' || o === 'skipped')).toBe(true);
    expect(outcomes(r)).toMatchObject({ 'createItem:lifecycle:201': 'passed', 'createItem:valid:0': 'passed' });
    expect(r.status).toBe('completed');
    // Every item the run created (valid case, lifecycle) was deleted: by the lifecycle or by cleanup.
    expect([...target.items.keys()]).toEqual([]);
    // The valid case's item, the generated unusual-body case's and the one the Prefer probe created (the target
    // ignores Prefer) are left to cleanup.
    expect(r.remarks).toContain(
      "deleted 3 resource(s) the run had created (through the spec's links or matching DELETEs)",
    );
    const deletes = sent(client.requests).filter((x) => /^DELETE \/api\/items\/item-/.test(x));
    // The lifecycle's delete and delete-again, then cleanup's three.
    expect(deletes.length).toBe(5);
  });

  type Defect = [name: string, wrap: (h: InProcessHandler) => InProcessHandler, failed: string[], checks: string[]];
  const table: Defect[] = [
    [
      'a 500 on every GET',
      (h) => (req) => (req.method === 'GET' ? { status: 500 } : h(req)),
      ['createItem:lifecycle:201', 'getItem:nonexistent-id:0', 'getItem:valid:0'],
      ['not-a-server-error', 'status-code-conformance'],
    ],
    [
      'an invalid body accepted',
      (h) => (req) => (req.method === 'POST' && req.body?.includes('"name"') === false ? created('x') : h(req)),
      ['createItem:invalid-body:0', 'createItem:malformed-body:0'],
      ['negative-data-rejection'],
    ],
    [
      'use after delete answers 200',
      (h) => {
        const gone = new Set<string>();
        return async (req) => {
          const path = new URL(req.url).pathname;
          if (req.method === 'GET' && gone.has(path)) return json(200, {});
          const reply = await h(req);
          if (req.method === 'DELETE' && typeof reply === 'object' && reply.status === 204) gone.add(path);
          return reply;
        };
      },
      ['createItem:lifecycle:201'],
      ['use-after-delete'],
    ],
  ];
  it.each(table)('%s fails exactly the cases it should, with the named checks', async (_name, wrap, failed, checks) => {
    const { result } = run(wrap(itemsTarget().handler));
    const r = await result;
    const got = Object.entries(outcomes(r))
      .filter(([, o]) => o === 'failed')
      .map(([id]) => id)
      .sort();
    expect(got).toEqual(failed);
    expect(failingChecks(r)).toEqual(checks);
  });

  it('marks a case errored (not failed) when the connection fails', async () => {
    const target = itemsTarget();
    const { result } = run((req) => (req.method === 'GET' ? 'refused' : target.handler(req)));
    const r = await result;
    expect(outcomes(r)['getItem:valid:0']).toBe('errored');
    expect(r.cases.find((c) => c.id === 'items:getItem:valid:0')?.reason).toMatch(/^ECONNREFUSED/);
    expect(failingChecks(r)).toEqual([]);
  });
});

describe('the engine: back-off on 429', () => {
  it('waits Retry-After once and takes the retried answer', async () => {
    const target = itemsTarget();
    let throttled = 0;
    const { result, sleeps, client } = run((req) => {
      if (req.method === 'POST' && throttled++ === 0) return { status: 429, headers: { 'retry-after': '2' } };
      return target.handler(req);
    });
    const r = await result;
    expect(sleeps).toEqual([2000]);
    // The throttled request was sent again and its answer is what the case saw.
    const posts = sent(client.requests).filter((s) => s === 'POST /api/items');
    expect(posts.length).toBe(r.cases.filter((c) => c.id.startsWith('items:createItem:')).length + 1);
    expect(r.cases.every((c) => !c.statuses.includes(429))).toBe(true);
  });

  it('caps the total wait at --max-retry-wait, then takes 429s as they come, and says so', async () => {
    const { result, sleeps } = run(() => ({ status: 429, headers: { 'retry-after': '30' } }));
    const r = await result;
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(sleeps.every((ms) => ms <= 30_000)).toBe(true);
    expect(r.remarks).toContain(
      'the back-off budget (--max-retry-wait 60 s) was spent honouring Retry-After; later 429s were taken as they came',
    );
  });

  it.each([
    ['a budget of 0 waits never', 0, []],
    ['a budget smaller than one Retry-After waits only the budget', 5_000, [5_000]],
  ])('%s', async (_name, maxRetryWaitMs, want) => {
    const { sleeps, result } = run(() => ({ status: 429, headers: { 'retry-after': '30' } }), { maxRetryWaitMs });
    await result;
    expect(sleeps).toEqual(want);
  });

  it('does not back off from a 429 the case asked for with Prefer', async () => {
    const target = itemsTarget({ honourPrefer: true });
    const { result, sleeps } = run(target.handler);
    const r = await result;
    expect(r.cases.find((c) => c.id === 'items:createItem:prefer:429')?.statuses).toEqual([429]);
    expect(sleeps).toEqual([]);
  });
});

describe('the engine: Prefer phase', () => {
  it('sends, for a target that honours Prefer, one case per documented status no natural case reached', async () => {
    const { result, client } = run(itemsTarget({ honourPrefer: true }).handler);
    const r = await result;
    const asked = client.requests.map((q) => q.headers.prefer).filter(Boolean);
    // 201, 400, 204, 404 and 200 are reached naturally; only 429 is left to ask for.
    expect(asked).toEqual(['code=429']);
    expect(r.coverage.every((c) => c.state === 'passed')).toBe(true);
  });

  it('sends one probe to a target that ignores Prefer, skips the rest and says why', async () => {
    const target = itemsTarget();
    // No GET ever answers 200 naturally here, so getItem's 200 is left to Prefer too.
    const { result, client } = run((req) => (req.method === 'GET' ? { status: 404 } : target.handler(req)));
    const r = await result;
    expect(client.requests.filter((q) => q.headers.prefer).length).toBe(1);
    const skipped = r.cases.filter((c) => c.kind === 'prefer' && c.outcome === 'skipped');
    expect(skipped.map((c) => c.id)).toEqual(['items:getItem:prefer:200']);
    expect(skipped[0]?.reason).toBe('the target does not honour Prefer: code=NNN');
  });

  it('sends nothing when every documented status was reached', async () => {
    const target = itemsTarget();
    let posts = 0;
    // The first POST is throttled (429 without Retry-After: taken as it comes), so 429 is reached naturally too.
    const { result, client } = run((req) =>
      req.method === 'POST' && posts++ === 0 ? { status: 429 } : target.handler(req),
    );
    const r = await result;
    expect(r.coverage.filter((c) => c.how !== 'natural')).toEqual([]);
    expect(client.requests.some((q) => q.headers.prefer)).toBe(false);
  });
});

describe('the engine: interruption', () => {
  it('stops sending, deletes what the run created and marks the result interrupted', async () => {
    const target = itemsTarget();
    const controller = new AbortController();
    let abortedAt = -1;
    const { client, result } = run(
      async (req) => {
        const reply = await target.handler(req);
        // Interrupt right after the first item exists.
        if (abortedAt < 0 && typeof reply === 'object' && reply.status === 201) {
          controller.abort();
          abortedAt = client.requests.length;
        }
        return reply;
      },
      { signal: controller.signal, concurrency: 1 },
    );
    const r = await result;
    expect(r.status).toBe('interrupted');
    expect(r.cases.length).toBeLessThan(15);
    // After the interruption only the cleanup DELETE went out, and nothing the run created is left.
    expect(sent(client.requests.slice(abortedAt))).toEqual(['DELETE /api/items/item-1']);
    expect([...target.items.keys()]).toEqual([]);
    expect(r.remarks.some((m) => m.startsWith('interrupted: '))).toBe(true);
  });

  it('lets a request in flight at the interruption finish, and deletes what it created', async () => {
    const target = itemsTarget();
    const controller = new AbortController();
    const { client, result } = run(
      async (req) => {
        const reply = await target.handler(req);
        if (req.method !== 'POST' || controller.signal.aborted) return reply;
        // The signal comes while this creating request is still in flight.
        controller.abort();
        return typeof reply === 'object' ? { ...reply, delayMs: 20 } : reply;
      },
      { signal: controller.signal, concurrency: 1 },
    );
    const r = await result;
    const first = r.cases.find((c) => c.statuses.length > 0 && c.id.startsWith('items:createItem:'));
    expect(first?.outcome).toBe('passed');
    expect(r.summary.errored).toBe(0);
    expect(sent(client.requests).at(-1)).toBe('DELETE /api/items/item-1');
    expect([...target.items.keys()]).toEqual([]);
  });

  it('a run interrupted before it sent anything sends nothing and is no ToolError', async () => {
    const controller = new AbortController();
    controller.abort();
    const { client, result } = run(itemsTarget().handler, { signal: controller.signal });
    const r = await result;
    expect(client.requests).toEqual([]);
    expect(r.status).toBe('interrupted');
  });
});

describe('the engine: a target that never answers', () => {
  it.each([
    ['concurrency 4: the first 4 time out', 4, 4],
    ['concurrency 1: still the first 2', 1, 2],
  ])('%s → exit-2 error after a handful of requests', async (_name, concurrency, probe) => {
    const { client, result } = run(() => 'timeout', { concurrency });
    const error = await result.catch((e: unknown) => e);
    expect(isToolError(error) && error.code).toBe('MCPC_TARGET_UNREACHABLE');
    expect((error as Error).message).toContain(`none of the first ${probe} requests was answered`);
    expect(client.requests.length).toBeLessThanOrEqual(2 * probe);
  });

  it('does not stop a run where one of the first requests is answered', async () => {
    let n = 0;
    const target = itemsTarget();
    const { result } = run((req) => (n++ === 2 ? target.handler(req) : 'timeout'));
    const r = await result;
    expect(r.summary.cases).toBeGreaterThan(10);
  });
});
