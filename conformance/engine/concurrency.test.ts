import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFile } from '../test-helpers.js';
import { writeKeys } from './phase-cases.js';
import { phases } from './phases.js';
import { defaultRunOptions, runConformance } from './run.js';
import { schedule } from './transport.js';

const paths = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta']
  .map(
    (name) => `
  /${name}/{id}:
    get:
      operationId: get_${name}
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, pattern: '^[a-z]+$' } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1 } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
        '400': { description: bad }`,
  )
  .join('');

// Six read-only operations and two that change state; the stand-in answers everything, slowly, and gets some of
// it wrong (200 to invalid input), so the run has findings whose order can be compared.
const spec = specFile(
  'slow.yaml',
  `openapi: 3.0.3
info: { title: slow, version: '1' }
servers: [{ url: 'http://localhost/api' }]
paths:${paths}
  /items:
    post:
      operationId: create_item
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [name], properties: { name: { type: string, minLength: 1 } } } } }
      responses:
        '201': { description: created, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
        '400': { description: bad }
  /items/{id}:
    put:
      operationId: put_item
      parameters: [{ name: id, in: path, required: true, schema: { type: string, pattern: '^[a-z]+$' } }]
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [name], properties: { name: { type: string, minLength: 1 } } } } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
        '400': { description: bad }
components:
  schemas:
    Thing: { type: object, required: [name], properties: { name: { type: string } } }
`,
);

interface Load {
  inFlight: number;
  maxInFlight: number;
  /** Per METHOD + first path segment: the most requests in flight at once. */
  maxPerOperation: Map<string, number>;
  requests: number;
}

describe('--concurrency against a slow target', () => {
  let server: Server;
  let target = '';
  let load: Load;
  const perOperation = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const key = `${req.method} ${req.url?.split('/')[2] ?? ''}`;
      load.requests++;
      load.inFlight++;
      load.maxInFlight = Math.max(load.maxInFlight, load.inFlight);
      perOperation.set(key, (perOperation.get(key) ?? 0) + 1);
      load.maxPerOperation.set(key, Math.max(load.maxPerOperation.get(key) ?? 0, perOperation.get(key) ?? 0));
      // A delay that depends on the request, so that answers come back out of the order they were asked in.
      let hash = 0;
      for (const ch of `${req.method}${req.url}`) hash = (hash * 31 + ch.charCodeAt(0)) % 997;
      req.resume();
      setTimeout(
        () => {
          load.inFlight--;
          perOperation.set(key, (perOperation.get(key) ?? 1) - 1);
          res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ name: 'x' }));
        },
        20 + (hash % 40),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = async (concurrency: number) => {
    load = { inFlight: 0, maxInFlight: 0, maxPerOperation: new Map(), requests: 0 };
    const result = await runConformance({
      ...defaultRunOptions,
      specs: [spec],
      target,
      credentials: new Map(),
      params: new Map(),
      allowDestructive: true,
      concurrency,
      phases: phases.filter((p) => p.name === 'cases'),
    });
    return { result, load: { ...load, maxPerOperation: new Map(load.maxPerOperation) } };
  };
  const comparable = (r: Awaited<ReturnType<typeof runConformance>>) => ({
    cases: r.cases,
    findings: r.findings.map((f) => [f.caseId, f.check, f.expected, f.actual, f.details]),
    coverage: r.coverage,
    applied: r.applied,
    summary: { ...r.summary, durationMs: 0 },
  });

  it('keeps N requests in flight, never two state-changing cases on one operation, and reports the same as N=1', async () => {
    const one = await run(1);
    const eight = await run(8);
    expect(one.load.maxInFlight).toBe(1);
    expect(eight.load.maxInFlight).toBe(8);
    expect(eight.load.requests).toBe(one.load.requests);
    expect(one.result.summary.cases).toBeGreaterThan(20);
    // The stand-in accepts invalid input, so there is something to report, in an order to keep.
    expect(one.result.findings.length).toBeGreaterThan(5);
    expect(eight.load.maxPerOperation.get('POST items')).toBe(1);
    expect(eight.load.maxPerOperation.get('PUT items')).toBe(1);
    // Read-only operations are not held back: several of one operation went out together.
    expect(
      Math.max(...[...eight.load.maxPerOperation].filter(([k]) => k.startsWith('GET')).map(([, n]) => n)),
    ).toBeGreaterThan(1);
    expect(comparable(eight.result)).toEqual(comparable(one.result));
    // And at 8 the run took a fraction of the time: the stand-in's delay, not the runner, sets the pace.
    expect(eight.result.summary.durationMs).toBeLessThan(one.result.summary.durationMs / 3);
  });
});

describe('schedule', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('never runs two items sharing a key at once, and fills the other slots past a held-back item', async () => {
    const items = [
      { id: 'w1', keys: ['op'] },
      { id: 'w2', keys: ['op'] },
      { id: 'r1', keys: [] },
      { id: 'r2', keys: [] },
      { id: 'w3', keys: ['op', 'other'] },
      { id: 'o1', keys: ['other'] },
    ];
    const running = new Set<string>();
    const overlaps: string[] = [];
    const startOrder: string[] = [];
    let max = 0;
    await schedule(
      items,
      3,
      (i) => i.keys,
      async (item) => {
        startOrder.push(item.id);
        for (const other of running) {
          const o = items.find((i) => i.id === other);
          if (o?.keys.some((k) => item.keys.includes(k))) overlaps.push(`${item.id}+${other}`);
        }
        running.add(item.id);
        max = Math.max(max, running.size);
        await tick();
        running.delete(item.id);
      },
    );
    expect(overlaps).toEqual([]);
    expect(max).toBe(3);
    // w2 waits for w1; r1 and r2 go ahead of it.
    expect(startOrder.slice(0, 3)).toEqual(['w1', 'r1', 'r2']);
    expect(startOrder.sort()).toEqual(items.map((i) => i.id).sort());
  });

  it('without keys it is a plain pool: items of one operation do overlap (what the keys prevent)', async () => {
    let running = 0;
    let max = 0;
    await schedule(
      [1, 2, 3, 4],
      4,
      () => [],
      async () => {
        running++;
        max = Math.max(max, running);
        await tick();
        running--;
      },
    );
    expect(max).toBe(4);
  });

  it('stops starting items once stopped, and passes a worker error on after the others finish', async () => {
    const seen: number[] = [];
    await schedule(
      [1, 2, 3, 4],
      1,
      () => [],
      async (n) => void seen.push(n),
      () => seen.length >= 2,
    );
    expect(seen).toEqual([1, 2]);
    let finished = 0;
    await expect(
      schedule(
        [1, 2, 3],
        2,
        () => [],
        async (n) => {
          if (n === 1) throw new Error('boom');
          await tick();
          finished++;
        },
      ),
    ).rejects.toThrow('boom');
    expect(finished).toBe(1);
  });

  it('writeKeys: a GET-only case holds nothing; a POST case holds its operation', () => {
    const get = { label: 'GET /a', request: { method: 'GET' }, operation: undefined } as never;
    const post = { label: 'POST /a', request: { method: 'post' }, operation: undefined } as never;
    expect(writeKeys(get)).toEqual([]);
    expect(writeKeys(post)).toEqual(['POST /a']);
  });
});

/**
 * The phases after the planned cases honour --concurrency too (a new user's review found them at one request in
 * flight: a GitHub-sized run spent half its time there). Six readable collections with a free string query
 * parameter (varied by the property phase) and six creatable ones whose resources the cleanup phase deletes.
 */
const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
const laterSpec = specFile(
  'later.yaml',
  `openapi: 3.0.3
info: { title: later, version: '1' }
servers: [{ url: 'http://localhost/api' }]
paths:${names
    .map(
      (name) => `
  /${name}:
    get:
      operationId: list_${name}
      parameters: [{ name: q, in: query, schema: { type: string, maxLength: 30 } }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object } } } }
        '400': { description: bad }
    post:
      operationId: create_${name}
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [name], properties: { name: { type: string } } } } }
      responses:
        '201': { description: created, content: { application/json: { schema: { $ref: '#/components/schemas/Made' } } } }
        '400': { description: bad }
  /${name}/{id}:
    delete:
      operationId: delete_${name}
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '204': { description: gone }
        '404': { description: not here }`,
    )
    .join('')}
components:
  schemas:
    Made: { type: object, required: [id], properties: { id: { type: string } } }
`,
);

describe('--concurrency in the property and cleanup phases', () => {
  let server: Server;
  let target = '';
  const seen = { inFlight: 0, max: 0, log: [] as Array<{ method: string; start: number; end: number }> };
  let made = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.inFlight++;
      seen.max = Math.max(seen.max, seen.inFlight);
      const entry = { method: req.method ?? '', start: performance.now(), end: Number.POSITIVE_INFINITY };
      seen.log.push(entry);
      req.resume();
      setTimeout(() => {
        seen.inFlight--;
        entry.end = performance.now();
        if (req.method === 'POST') {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `made${++made}` }));
        } else if (req.method === 'DELETE') {
          res.writeHead(204).end();
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
        }
      }, 15);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = async (concurrency: number, phase: string) => {
    seen.max = 0;
    seen.log = [];
    const result = await runConformance({
      ...defaultRunOptions,
      specs: [laterSpec],
      target,
      credentials: new Map(),
      params: new Map(),
      allowDestructive: true,
      concurrency,
      maxExamples: 6,
      seed: 2,
      phases: phases.filter((p) => p.name === phase || (phase === 'cleanup' && p.name === 'cases')),
    });
    return { result, max: seen.max, log: [...seen.log] };
  };
  const comparable = (r: Awaited<ReturnType<typeof runConformance>>) => ({
    cases: r.cases,
    findings: r.findings.map((f) => [f.caseId, f.check, f.actual]),
    remarks: r.remarks,
    summary: { ...r.summary, durationMs: 0 },
  });

  it('varies up to N operations at once, and finds and reports the same as at 1', async () => {
    const one = await run(1, 'property');
    const eight = await run(8, 'property');
    expect(one.result.cases.filter((c) => c.kind === 'property')).toHaveLength(6);
    expect(one.max).toBe(1);
    expect(eight.max).toBe(6);
    expect(comparable(eight.result)).toEqual(comparable(one.result));
  });

  it('deletes what the run left behind up to N at once, and says the same as at 1', async () => {
    const one = await run(1, 'cleanup');
    const four = await run(4, 'cleanup');
    const deleted = (r: typeof one) => r.result.remarks.find((m) => m.startsWith('deleted'));
    expect(deleted(one)).toMatch(/^deleted \d+ resource/);
    expect(deleted(four)).toBe(deleted(one));
    // Cleanup is the last phase and every one of its DELETEs succeeds: they are the last K DELETEs the stand-in
    // saw, and the cases phase had finished before the first of them started. The most of them at once:
    const atOnce = (r: typeof one) => {
      const k = Number(/^deleted (\d+)/.exec(deleted(r) ?? '')?.[1]);
      const mine = r.log.filter((e) => e.method === 'DELETE').slice(-k);
      return Math.max(...mine.map((e) => mine.filter((o) => o.start <= e.start && o.end > e.start).length));
    };
    expect(Number(/^deleted (\d+)/.exec(deleted(one) ?? '')?.[1])).toBeGreaterThan(4);
    expect(atOnce(one)).toBe(1);
    expect(atOnce(four)).toBe(4);
  });
});
