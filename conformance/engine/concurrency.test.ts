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
