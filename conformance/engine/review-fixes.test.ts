import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ignoredAuth } from '../checks/ignored-auth.js';
import { jsonRpcIdEcho } from '../checks/jsonrpc-id-echo.js';
import { positiveDataAcceptance } from '../checks/positive-data-acceptance.js';
import { createNetworkClient } from '../http/client.js';
import { createInProcessClient, type InProcessHandler, type InProcessReply } from '../http/in-process.js';
import {
  compiled,
  compiledFromText,
  context,
  demoCredentials,
  exchange,
  json as jsonResponse,
  operation,
  rpc,
  specFile,
  verdict,
} from '../test-helpers.js';
import type { ConformanceResult } from '../types.js';
import { classifyOperation } from './consent.js';
import { type ConformanceOptions, defaultRunOptions, runConformance } from './run.js';
import { createRandom, ValueFactory } from './values.js';

/**
 * The fixes of the review commit, each pinned: the broken input that makes it fire and the conformant-but-unusual
 * one where it stays quiet. Engine runs go against an in-process target (no sockets) except the network client's.
 */

const itemsYaml = `openapi: 3.0.3
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
        '401': { description: no credentials }
        '404': { description: not here }
  /items/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get:
      operationId: getItem
      responses:
        '200': { description: the item, content: { application/json: { schema: { type: object } } } }
        '401': { description: no credentials }
        '404': { description: no such item }
    delete:
      operationId: deleteItem
      responses:
        '204': { description: deleted }
        '401': { description: no credentials }
        '404': { description: no such item }
`;
const itemsSpec = specFile('items.yaml', itemsYaml);

const reply = (status: number, value: unknown): InProcessReply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

function itemsTarget(init: { deleteStatus?: number } = {}) {
  const items = new Map<string, string>();
  let next = 1;
  const handler: InProcessHandler = (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/items' && request.method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse(request.body ?? '');
      } catch {
        return { status: 400 };
      }
      if (typeof (body as { name?: unknown })?.name !== 'string') return { status: 400 };
      const id = `item-${next++}`;
      items.set(id, (body as { name: string }).name);
      return reply(201, { id });
    }
    const one = /^\/api\/items\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      if (request.method === 'GET') return items.has(id) ? reply(200, { name: items.get(id) }) : { status: 404 };
      if (request.method === 'DELETE') {
        if (init.deleteStatus !== undefined) return { status: init.deleteStatus };
        return items.delete(id) ? { status: 204 } : { status: 404 };
      }
    }
    return { status: 404 };
  };
  return { items, handler };
}

function run(handler: InProcessHandler, over: Partial<ConformanceOptions> = {}) {
  const client = createInProcessClient(handler);
  const result = runConformance({
    specs: [itemsSpec],
    target: 'http://items.test',
    credentials: demoCredentials(),
    params: new Map(),
    allowDestructive: false,
    ...defaultRunOptions,
    client,
    sleep: async () => {},
    ...over,
  });
  return { client, result };
}

const failingChecks = (result: ConformanceResult) =>
  [...new Set(result.findings.filter((f) => f.severity === 'failure').map((f) => f.check))].sort();

describe('inconclusive: every valid request refused', () => {
  it('names wrong credentials when every valid request got a 401', async () => {
    const r = await run(() => ({ status: 401 })).result;
    expect(r.inconclusive).toMatch(/^not one of the \d+ valid request\(s\) was accepted \(401 ×\d+\)/);
    expect(r.inconclusive).toContain('check --auth');
  });

  it('names the target path when every request got a 404 (a wrong base path)', async () => {
    const r = await run(itemsTarget().handler, { target: 'http://items.test/wrong' }).result;
    expect(r.inconclusive).toMatch(/\(404 ×\d+\)/);
    expect(r.inconclusive).toContain('check --target');
  });

  it('is undefined once one valid request was accepted, even when others were refused', async () => {
    const target = itemsTarget();
    // Reads refused with 401, creates accepted: unusual, but the run saw the deployment act.
    const r = await run((req) => (req.method === 'GET' ? { status: 401 } : target.handler(req))).result;
    expect(r.inconclusive).toBeUndefined();
  });
});

describe('cleanup: only a 2xx DELETE undoes', () => {
  it('names what a 404 DELETE left behind and counts none of it as deleted', async () => {
    const target = itemsTarget({ deleteStatus: 404 });
    const r = await run(target.handler).result;
    const left = r.remarks.find((m) => m.startsWith('could not delete'));
    const n = Number(/^could not delete (\d+) resource\(s\)/.exec(left ?? '')?.[1]);
    // Every item still held was named (the valid case's, the generated body's, the lifecycle's whose delete failed).
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBe(target.items.size);
    expect(left).toMatch(/DELETE http:\/\/items\.test\/api\/items\/item-\d+ → 404/);
    expect(r.remarks.some((m) => /^deleted \d+ resource/.test(m))).toBe(false);
  });

  it('says nothing is left behind when every DELETE succeeds', async () => {
    const target = itemsTarget();
    const r = await run(target.handler).result;
    expect(r.remarks.some((m) => m.startsWith('could not delete'))).toBe(false);
    expect(r.remarks).toContain(
      "deleted 3 resource(s) the run had created (through the spec's links or matching DELETEs)",
    );
    expect(target.items.size).toBe(0);
  });
});

describe('consent: undo only with an id the body really carries', () => {
  const spec = compiledFromText(
    `openapi: 3.0.3
info: { title: gh, version: '1' }
paths:
  /codespaces:
    post:
      operationId: createCodespace
      requestBody: { content: { application/json: { schema: { type: object } } } }
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { type: object, properties: { id: { type: integer }, name: { type: string } } }
  /codespaces/{codespace_name}:
    delete:
      operationId: deleteCodespace
      parameters: [{ name: codespace_name, in: path, required: true, schema: { type: string } }]
      responses: { '202': { description: deleting } }
  /gists:
    post:
      operationId: createGist
      requestBody: { content: { application/json: { schema: { type: object } } } }
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { type: object, properties: { id: { type: string }, url: { type: string } } }
  /gists/{gist_id}:
    delete:
      operationId: deleteGist
      parameters: [{ name: gist_id, in: path, required: true, schema: { type: string } }]
      responses: { '204': { description: deleted } }
`,
    'consent-review',
  );

  it("needs consent to create a codespace: the body's id is not its name", async () => {
    const s = await spec;
    expect(classifyOperation(s, operation(s, 'createCodespace'), false).consent).toBe('needs-consent');
  });

  it('undoes a gist through its id', async () => {
    const s = await spec;
    const c = classifyOperation(s, operation(s, 'createGist'), false);
    expect(c.consent).toBe('undoable');
  });
});

describe('header values HTTP cannot carry', () => {
  it('the network client returns EINVALIDHEADER instead of throwing', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const client = createNetworkClient({ timeoutMs: 2000, maxBodyBytes: 1024, concurrency: 1 });
    try {
      // Non-Latin-1 (node:http throws ERR_INVALID_CHAR on it); `é` alone is Latin-1 and node:http sends it as one byte.
      const cookie = await client.send({ method: 'GET', url, headers: { cookie: 'session=世界' }, body: undefined });
      const broken = await client.send({ method: 'GET', url, headers: { 'x-note': 'one\r\ntwo' }, body: undefined });
      for (const r of [cookie, broken]) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('EINVALIDHEADER');
      }
      expect(hits).toBe(0);
      // An unusual but sendable value (quotes, a space, Latin-1) goes out as it is.
      const fine = await client.send({
        method: 'GET',
        url,
        headers: { cookie: 'session="a b"', 'x-note': 'café' },
        body: undefined,
      });
      expect(fine.ok).toBe(true);
      expect(hits).toBe(1);
    } finally {
      client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('the planner never takes a non-Latin-1 or ;-holding cookie value as valid', async () => {
    const s = await compiledFromText(
      `openapi: 3.0.3
info: { title: c, version: '1' }
paths:
  /x:
    get:
      operationId: getX
      parameters:
        - { name: session, in: cookie, schema: { type: string } }
        - { name: x-note, in: header, schema: { type: string } }
      responses: { '200': { description: ok } }
`,
      'cookie-review',
    );
    const factory = new ValueFactory(s, createRandom(1));
    const [cookie, header] = operation(s, 'getX').parameters;
    expect(factory.parameterViolations(cookie!, 'café')).not.toEqual([]);
    expect(factory.parameterViolations(cookie!, 'a;b')).not.toEqual([]);
    expect(factory.parameterViolations(cookie!, 'a,b')).not.toEqual([]);
    expect(factory.parameterViolations(cookie!, 'plain-value_1')).toEqual([]);
    // A `;` is fine in a header that is not the Cookie header.
    expect(factory.parameterViolations(header!, 'a;b')).toEqual([]);
  });
});

const searchSpec = specFile(
  'search.yaml',
  `openapi: 3.0.3
info: { title: search, version: '1' }
paths:
  /search:
    get:
      operationId: search
      parameters: [{ name: q, in: query, schema: { type: string } }]
      responses:
        '200': { description: found, content: { application/json: { schema: { type: object } } } }
        '400': { description: refused }
`,
);

describe('hazard values of a free string query parameter', () => {
  const hazards = ['100%', 'a/b', 'two  words ', 'x'.repeat(2048)];
  const searching = (onHazard: number) => {
    const client = createInProcessClient((req) => {
      if (req.method !== 'GET') return { status: 405, headers: { allow: 'GET' } };
      const q = new URL(req.url).searchParams.get('q');
      return q !== null && hazards.includes(q) ? { status: onHazard } : reply(200, {});
    });
    return runConformance({
      specs: [searchSpec],
      target: 'http://search.test',
      credentials: demoCredentials(),
      params: new Map(),
      allowDestructive: false,
      ...defaultRunOptions,
      client,
      sleep: async () => {},
    }).then((r) => ({
      r,
      sentHazards: client.requests.filter((q) => hazards.includes(new URL(q.url).searchParams.get('q') ?? '')).length,
    }));
  };

  it('fails not-a-server-error when one crashes the target', async () => {
    const { r, sentHazards } = await searching(500);
    expect(sentHazards).toBe(4);
    expect(failingChecks(r)).toContain('not-a-server-error');
    const failed = r.cases.filter((c) => c.outcome === 'failed').map((c) => c.id);
    expect(failed.some((id) => /hazard|unusual/.test(id))).toBe(true);
  });

  it('fires nothing when the target refuses them with 400', async () => {
    const { r, sentHazards } = await searching(400);
    expect(sentHazards).toBe(4);
    expect(failingChecks(r)).toEqual([]);
  });
});

describe('checks quiet where the answer says nothing', () => {
  const spec = compiledFromText(
    `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      security: [{ key: [] }]
      parameters:
        - { name: x-account-id, in: header, schema: { type: string } }
        - { name: accountId, in: query, schema: { type: string } }
        - { name: tool-mode, in: query, schema: { type: string } }
      responses: { '200': { description: ok }, '400': { description: bad }, '401': { description: who } }
components:
  securitySchemes: { key: { type: apiKey, in: header, name: x-key } }
`,
    'quiet-review',
  );

  it('ignored-auth says nothing of a 429 and still fails a 200 without credentials', async () => {
    const s = await spec;
    const op = operation(s, 'listThings');
    const limited = exchange({ operation: op, kind: 'no-auth', credentials: 'none', response: jsonResponse(429, {}) });
    expect(verdict(ignoredAuth, context(s, limited))).toEqual([]);
    const served = exchange({ operation: op, kind: 'no-auth', credentials: 'none', response: jsonResponse(200, {}) });
    const out = verdict(ignoredAuth, context(s, served));
    expect(out === 'skip' ? [] : out.map((o) => o.severity)).toContain('failure');
  });

  it.each([
    ['x-account-id', 'header', []],
    ['accountId', 'query', []],
    ['tool-mode', 'query', ['failure']],
  ] as const)('positive-data-acceptance on a 400 for optional %s', async (name, where, expected) => {
    const s = await spec;
    const op = operation(s, 'listThings');
    const parameter = op.parameters.find((p) => p.name === name)!;
    expect(parameter.in).toBe(where);
    const ex = exchange({ operation: op, kind: 'valid', response: jsonResponse(400, {}), parameter });
    const out = verdict(positiveDataAcceptance, context(s, ex));
    expect(out === 'skip' ? 'skip' : out.map((o) => o.severity)).toEqual(expected);
  });
});

describe('jsonrpc-id-echo on an Invalid Request', () => {
  const invalidRequest = { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request' } };
  const judged = async (body: string) => {
    const s = await compiled('stackone');
    const ex = exchange({
      operation: operation(s, 'stackone_mcp_post'),
      request: { body },
      response: jsonResponse(200, invalidRequest),
    });
    const out = verdict(jsonRpcIdEcho, context(s, ex));
    return out === 'skip' ? 'skip' : out.map((o) => o.severity);
  };

  it('passes id null on -32600 to a structurally invalid request ("method": 12345)', async () => {
    expect(await judged(rpc({ id: 7, method: 12345 }))).toEqual([]);
  });

  it('still fails id null on -32600 to a well-formed request whose id was readable', async () => {
    expect(await judged(rpc({ id: 7, method: 'tools/list' }))).toEqual(['failure']);
  });
});

const sessionsSpec = specFile(
  'sessions.yaml',
  `openapi: 3.0.3
info: { title: sessions, version: '1' }
paths:
  /sessions:
    post:
      operationId: openSession
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [kind], properties: { kind: { type: string } } }
            examples:
              first: { value: { kind: first } }
              second: { value: { kind: second } }
      responses:
        '200':
          description: opened (only the 'second' body carries a session)
          content:
            application/json:
              schema: { type: object, properties: { sessionId: { type: string } } }
          links:
            UseSession: { operationId: useSession, parameters: { sid: '$response.body#/sessionId' } }
        '400': { description: refused }
        '503': { description: unavailable }
  /sessions/{sid}:
    get:
      operationId: useSession
      parameters: [{ name: sid, in: path, required: true, schema: { type: string } }]
      responses: { '200': { description: ok }, '404': { description: none } }
`,
);

describe('lifecycle: the create step tries other documented bodies only after an accepted create', () => {
  const lifecycle = (answer: (kind: string) => InProcessReply) => {
    const client = createInProcessClient((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/sessions' && req.method === 'POST') {
        let kind = '';
        try {
          kind = String((JSON.parse(req.body ?? '') as { kind?: unknown }).kind ?? '');
        } catch {
          return { status: 400 };
        }
        return kind ? answer(kind) : { status: 400 };
      }
      if (path.startsWith('/sessions/') && req.method === 'GET') return reply(200, {});
      return { status: 405, headers: { allow: 'POST' } };
    });
    const result = runConformance({
      specs: [sessionsSpec],
      target: 'http://sessions.test',
      credentials: demoCredentials(),
      params: new Map(),
      // Opening a session cannot be undone through this spec: only with consent is it sent at all.
      allowDestructive: true,
      ...defaultRunOptions,
      client,
      sleep: async () => {},
    });
    return { client, result };
  };
  const lifecycleBodies = (r: ConformanceResult, client: ReturnType<typeof createInProcessClient>) => {
    const c = r.cases.find((x) => x.id.includes(':lifecycle:'));
    return { c, kinds: client.requests.filter((q) => q.method === 'POST').map((q) => q.body ?? '') };
  };

  it('after an accepted create without the session, sends the other body, and its refusal is no failure', async () => {
    const { client, result } = lifecycle((kind) => (kind === 'first' ? reply(200, {}) : { status: 400 }));
    const r = await result;
    const { c } = lifecycleBodies(r, client);
    expect(c).toBeDefined();
    const lifecycleFindings = r.findings.filter((f) => f.caseId === c!.id && f.severity === 'failure');
    expect(lifecycleFindings.map((f) => f.check)).not.toContain('positive-data-acceptance');
    // The first body was accepted (200, no session), then the other documented body was sent and refused (400).
    expect(c!.statuses).toEqual([200, 400]);
  });

  it.each([
    ['refused', { status: 400 } as InProcessReply],
    ['errored', 'refused' as InProcessReply],
  ])('after a %s create, no other body is sent', async (_name, refusal) => {
    const { client, result } = lifecycle((kind) => (kind === 'first' ? refusal : reply(200, { sessionId: 's-1' })));
    const r = await result;
    const { c } = lifecycleBodies(r, client);
    expect(c).toBeDefined();
    // Only the first create went out: a refusal's one status, an error's none.
    expect(c!.statuses).toEqual(refusal === 'refused' ? [] : [400]);
  });
});

describe('an array parameter of enumerated items (Petstore findByStatus)', async () => {
  const { compiledFromText: fromText } = await import('../test-helpers.js');
  const { planSpec } = await import('./plan.js');
  const spec = await fromText(
    `openapi: 3.0.3
info: { title: pets, version: '1' }
paths:
  /pets:
    get:
      operationId: findByStatus
      parameters:
        - name: status
          in: query
          required: true
          explode: true
          schema: { type: array, items: { type: string, enum: [available, pending, sold] } }
      responses: { '200': { description: ok }, '400': { description: bad status } }
`,
    'pets',
  );
  const plan = planSpec(
    spec,
    { credentials: new Map(), params: new Map(), allowDestructive: false, seed: 1 },
    () => true,
  );
  const queries = (kind: string) =>
    plan.cases.filter((c) => c.kind === kind).map((c) => new URLSearchParams(c.request.query).toString());

  it('sends a required array with an item (never `status=`), and each documented item alone', () => {
    expect(queries('valid')).toEqual(['status=available', 'status=pending', 'status=sold']);
  });

  it('sends an item outside the enum as invalid', () => {
    expect(queries('invalid-parameter')).toEqual(['status=mcpc-not-in-enum']);
  });
});

describe('a spec example that breaks its own schema', async () => {
  const { specFile } = await import('../test-helpers.js');
  const spec = specFile(
    'bad-example.yaml',
    `openapi: 3.1.0
info: { title: orders, version: '1' }
paths:
  /quotes:
    get:
      operationId: quote
      requestBody:
        content:
          application/json:
            schema: { type: object, required: [items], properties: { items: { type: array, minItems: 1 } } }
            examples:
              empty: { value: { items: [] } }
              good: { value: { items: [a] } }
      responses: { '200': { description: ok }, '400': { description: bad } }
`,
  );

  it('is stated as a spec defect in the notes, its case skipped, and the good example sent', async () => {
    const client = createInProcessClient((request) =>
      JSON.parse(request.body ?? '{}').items?.length ? { status: 200 } : { status: 400 },
    );
    const result = await runConformance({
      specs: [spec],
      target: 'http://quotes.test',
      credentials: new Map(),
      params: new Map(),
      allowDestructive: false,
      ...defaultRunOptions,
      client,
    });
    expect(result.notes.filter((n) => n.rule === 'example-breaks-schema').map((n) => n.message)).toEqual([
      expect.stringMatching(/^GET \/quotes: the spec's body example 'empty' breaks its own schema/),
    ]);
    expect(result.findings.filter((f) => f.severity === 'failure')).toEqual([]);
    expect(result.cases.find((c) => c.title === "valid request (body example 'empty')")?.outcome).toBe('skipped');
  });
});
