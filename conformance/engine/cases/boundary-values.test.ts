import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiled, compiledFromText, demoCredentials, operation } from '../../test-helpers.js';
import type { ConformanceResult } from '../../types.js';
import { planSpec } from '../plan.js';
import { runConformance } from '../run.js';
import { createRandom, ValueFactory } from '../values.js';

/**
 * Negative cases just over the schema's limits (cases/boundary-values.ts): what is planned, that each value
 * breaks exactly the rule in its title by the project's own validator, that a value the schema accepts is never
 * planned, and — through the engine, against a local deployment written by hand here — that
 * negative-data-rejection fires on exactly the limits a deployment fails to enforce, and on nothing where a
 * conformant deployment rejects in an unusual way (422 with a problem body, 400 with an empty body).
 */

const boundarySpec = `openapi: 3.1.0
info: { title: boundary, version: '1' }
servers: [{ url: 'http://localhost' }]
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - { name: limit, in: query, required: false, schema: { type: integer, minimum: 1, maximum: 50 } }
        - { name: page, in: query, required: true, example: 1, schema: { type: integer, exclusiveMinimum: 0, maximum: 900, exclusiveMaximum: 1000 } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object } } } }
        '400': { description: rejected }
        '422': { description: rejected, content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } } }
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Thing' }
            example: { name: widget, size: 3, owner: { email: a@b.c } }
      responses:
        '201': { description: made, content: { application/json: { schema: { type: object } } } }
        '400': { description: rejected }
        '422': { description: rejected, content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } } }
components:
  schemas:
    Thing:
      type: object
      additionalProperties: false
      required: [name]
      properties:
        name: { type: string, maxLength: 40 }
        size: { type: integer, minimum: 1 }
        owner:
          type: object
          additionalProperties: false
          required: [email]
          properties: { email: { type: string, minLength: 3 } }
    Problem: { type: object, required: [title], properties: { title: { type: string }, status: { type: integer } } }
`;

const planOf = async (yaml: string, name: string) => {
  const spec = await compiledFromText(yaml, name);
  const plan = planSpec(
    spec,
    { credentials: demoCredentials(), params: new Map(), allowDestructive: true, seed: 1 },
    () => true,
  );
  return { spec, plan };
};
const boundaryTitles = (cases: Array<{ id: string; title: string }>, operationId: string) =>
  cases.filter((c) => c.id.includes(`:${operationId}:`) && /:boundary-\d+$/.test(c.id)).map((c) => c.title);

describe('what is planned', async () => {
  const { spec, plan } = await planOf(boundarySpec, 'boundary');
  const factory = new ValueFactory(spec, createRandom(1));

  it('steps over each numeric limit of a parameter, and skips the exclusive bound that also breaks maximum', () => {
    expect(boundaryTitles(plan.cases, 'listThings')).toEqual([
      "query parameter 'limit' = '51' (breaks maximum 50)",
      "query parameter 'limit' = '0' (breaks minimum 1)",
      // 1000 breaks exclusiveMaximum 1000 and maximum 900 at once: not one rule, so not planned.
      "query parameter 'page' = '901' (breaks maximum 900)",
      "query parameter 'page' = '0' (breaks exclusiveMinimum 0)",
    ]);
  });

  it('breaks one body rule per case: required, additionalProperties, limits, one object level down', () => {
    expect(boundaryTitles(plan.cases, 'createThing')).toEqual([
      "body field 'name' missing (breaks required)",
      "body field 'mcpc-undeclared' = 'x' (breaks additionalProperties false)",
      "body field 'name' = 'widgetwidgetwidgetwidgetwidgetwidgetw…' (breaks maxLength 40)",
      "body field 'size' = '0' (breaks minimum 1)",
      "body field 'owner.email' missing (breaks required)",
      "body field 'owner.mcpc-undeclared' = 'x' (breaks additionalProperties false)",
      "body field 'owner.email' = 'a@' (breaks minLength 3)",
    ]);
    const longName = plan.cases.find((c) => c.title.includes('breaks maxLength 40'))!;
    expect((JSON.parse(longName.request.body!) as { name: string }).name).toHaveLength(41);
  });

  it('every planned value is invalid by the compiled validator, with exactly the violation its title names', () => {
    const post = operation(spec, 'createThing');
    const pointer = post.requestBody!.content[0]!.schemaPointer;
    const get = operation(spec, 'listThings');
    let checked = 0;
    for (const c of plan.cases.filter((x) => /:boundary-\d+$/.test(x.id))) {
      const rule = /\(breaks (\w+)/.exec(c.title)![1]!;
      const violations = c.request.body
        ? factory.bodyViolations(pointer, JSON.parse(c.request.body))
        : factory.parameterViolations(
            get.parameters.find((p) => p.name === c.parameter!.name)!,
            new Map(c.request.query).get(c.parameter!.name)!,
          );
      expect(
        violations.map((v) => v.keyword),
        c.title,
      ).toEqual([rule]);
      checked++;
    }
    expect(checked).toBe(11);
  });

  it.each([
    // 3.0's boolean form: the bound itself is out.
    ['3.0 exclusiveMaximum: true', '3.0.3', { type: 'integer', maximum: 50, exclusiveMaximum: true }, ['50'], []],
    ['3.1 numeric exclusiveMaximum', '3.1.0', { type: 'integer', exclusiveMaximum: 50 }, ['50'], []],
    ['multipleOf', '3.1.0', { type: 'integer', minimum: 0, multipleOf: 5 }, ['-5', '1'], []],
    [
      'a number below minimum keeps to multipleOf',
      '3.1.0',
      { type: 'number', minimum: 0.3, multipleOf: 0.1 },
      ['0.2', '0.35'],
      [],
    ],
    // `q=` is an empty string only in a query: an empty header is dropped or refused before the server reads it.
    ['minLength 1 in a query: the empty value', '3.1.0', { type: 'string', minLength: 1 }, [''], []],
    [
      'minLength 1 with allowEmptyValue: legal, not planned',
      '3.1.0',
      { type: 'string', minLength: 1 },
      [],
      [],
      { allowEmptyValue: true },
    ],
    [
      'minLength 1 in a header: not sendable, not planned',
      '3.1.0',
      { type: 'string', minLength: 1 },
      [],
      [],
      { in: 'header' },
    ],
    [
      'integer items: over maxItems and a repeat',
      '3.1.0',
      { type: 'array', items: { type: 'integer' }, maxItems: 2, uniqueItems: true },
      ['7,8,9', '7,7'],
      ['7,8'],
    ],
    // Exploded (the query default), the items go out one pair each (`p=a&p=b&p=a-2`, query-arrays.test.ts), so
    // a free-string item count is no longer ambiguous; a cookie still carries `a,b` whole (below).
    [
      'free-string items exploded: over maxItems and a repeat',
      '3.1.0',
      { type: 'array', items: { type: 'string' }, maxItems: 2, uniqueItems: true },
      ['a,b,a-2', 'a,a'],
      ['a,b'],
    ],
    // `a,b,c` read as one item is a valid one-item array: planning it would fail a conformant server.
    [
      'free-string items in an exploded cookie: nothing',
      '3.1.0',
      { type: 'array', items: { type: 'string' }, maxItems: 2, uniqueItems: true },
      [],
      ['a,b'],
      { in: 'cookie' },
    ],
    [
      'free-string items, explode false: over maxItems',
      '3.1.0',
      { type: 'array', items: { type: 'string' }, maxItems: 2 },
      ['a,b,a'],
      ['a,b'],
      { explode: false },
    ],
    // Two rules at once (0 is below minimum and excluded by `not`): no case.
    [
      'below minimum also breaks not',
      '3.1.0',
      { type: 'integer', minimum: 1, maximum: 50, not: { const: 0 } },
      ['51'],
      [],
    ],
  ] as const)('%s', async (_name, version, schema, want, example, extra: Record<string, unknown> = {}) => {
    const where = (extra.in as string | undefined) ?? 'query';
    const parameter = {
      name: 'p',
      in: where,
      required: true,
      schema,
      ...extra,
      ...(example.length ? { example: example[0] } : {}),
    };
    const s = await compiledFromText(
      `openapi: ${version}
info: { title: one, version: '1' }
paths:
  /x:
    get:
      operationId: x
      parameters: [${JSON.stringify(parameter)}]
      responses: { '200': { description: ok } }
`,
      'one',
    );
    const p = operation(s, 'x').parameters[0]!;
    const f = new ValueFactory(s, createRandom(1));
    const produced = f.validParameter(p);
    const base = produced.ok ? produced.value : undefined;
    const values = f.boundaryParameterValues(p, () => base).map((v) => v.value);
    expect(values).toEqual(want);
    for (const v of values) expect(f.parameterViolations(p, v)).toHaveLength(1);
  });

  it('plans nothing where the limit is legal through another branch (anyOf allowing 51)', async () => {
    const s = await compiledFromText(
      `openapi: 3.1.0
info: { title: any, version: '1' }
paths:
  /x:
    post:
      operationId: x
      requestBody:
        content:
          application/json:
            schema:
              anyOf:
                - { type: object, properties: { limit: { type: integer, maximum: 50 } } }
                - { type: object, properties: { limit: { type: integer, maximum: 60 } } }
            example: { limit: 10 }
      responses: { '200': { description: ok } }
`,
      'any',
    );
    const f = new ValueFactory(s, createRandom(1));
    const pointer = operation(s, 'x').requestBody!.content[0]!.schemaPointer;
    expect(f.bodyViolations(pointer, { limit: 51 })).toEqual([]);
    expect(f.boundaryBodyViolations(pointer, { limit: 10 })).toEqual([]);
    // The first branch alone (maximum 50, nothing allowing 51): 51 is planned, so the test above can fail.
    expect(f.boundaryBodyViolations(`${pointer}/anyOf/0`, { limit: 10 })).toEqual([
      { field: 'limit', path: ['limit'], value: 51, breaks: 'maximum 50' },
    ]);
  });

  it('names unevaluatedProperties when that is the keyword the schema closes itself with (3.1, train-travel style)', async () => {
    const s = await compiledFromText(
      `openapi: 3.1.0
info: { title: closed, version: '1' }
paths:
  /pay:
    post:
      operationId: pay
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                source:
                  unevaluatedProperties: false
                  anyOf:
                    - { properties: { object: { const: card } } }
                    - { properties: { object: { const: bank } } }
            example: { source: { object: card } }
      responses: { '200': { description: ok } }
`,
      'closed',
    );
    const f = new ValueFactory(s, createRandom(1));
    const pointer = operation(s, 'pay').requestBody!.content[0]!.schemaPointer;
    const undeclared = f.boundaryBodyViolations(pointer, { source: { object: 'card' } }).filter((v) => v.value === 'x');
    expect(undeclared).toEqual([
      {
        field: 'source.mcpc-undeclared',
        path: ['source', 'mcpc-undeclared'],
        value: 'x',
        breaks: 'unevaluatedProperties false',
      },
    ]);
  });

  it('a form body (nested: false) keeps to top-level fields: no array counts, nothing one object down', async () => {
    const f = new ValueFactory(spec, createRandom(1));
    const pointer = operation(spec, 'createThing').requestBody!.content[0]!.schemaPointer;
    const body = { name: 'widget', size: 3, owner: { email: 'a@b.c' } };
    const json = f.boundaryBodyViolations(pointer, body).map((v) => v.field);
    const form = f.boundaryBodyViolations(pointer, body, { nested: false }).map((v) => v.field);
    expect(json).toContain('owner.email');
    expect(form).toEqual(['name', 'mcpc-undeclared', 'name', 'size']);
  });

  it("keeps to a JSON-RPC body's branch: StackOne's const and required fields, not the other methods'", async () => {
    const stackone = await compiled('stackone');
    const { plan: p } = {
      plan: planSpec(
        stackone,
        { credentials: demoCredentials(), params: new Map(), allowDestructive: true, seed: 1 },
        () => true,
      ),
    };
    const titles = boundaryTitles(p.cases, 'stackone_mcp_post');
    expect(titles).toContain("body field 'jsonrpc' = '2.0-mcpc' (breaks const \"2.0\")");
    expect(titles).toContain("body field 'params.protocolVersion' missing (breaks required)");
    const f = new ValueFactory(stackone, createRandom(1));
    const pointer = operation(stackone, 'stackone_mcp_post').requestBody!.content[0]!.schemaPointer;
    for (const c of p.cases.filter((x) => /:boundary-\d+$/.test(x.id)))
      expect(f.bodyViolations(pointer, JSON.parse(c.request.body!)), c.title).not.toEqual([]);
  });
});

type Mode = 'problem-422' | 'empty-400' | 'broken';

/** A hand-written deployment of boundarySpec: conformant in two unusual ways, or with three limits unenforced. */
function thingsServer(mode: Mode) {
  const reject = (res: http.ServerResponse, title: string) => {
    if (mode === 'empty-400') {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(mode === 'broken' ? 400 : 422, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ title, status: mode === 'broken' ? 400 : 422 }));
  };
  const integer = (text: string | null) => (text !== null && /^-?\d+$/.test(text) ? Number(text) : Number.NaN);
  const nameLimit = mode === 'broken' ? 60 : 40;
  const limitMax = mode === 'broken' ? 60 : 50;
  const thingProblem = (body: unknown): string | undefined => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return 'not an object';
    const thing = body as Record<string, unknown>;
    if (mode !== 'broken' && Object.keys(thing).some((k) => !['name', 'size', 'owner'].includes(k)))
      return 'unknown field';
    if (typeof thing.name !== 'string' || [...thing.name].length > nameLimit) return 'name';
    if ('size' in thing && !(Number.isInteger(thing.size) && (thing.size as number) >= 1)) return 'size';
    if ('owner' in thing) {
      const owner = thing.owner as Record<string, unknown>;
      if (!owner || typeof owner !== 'object' || Array.isArray(owner)) return 'owner';
      if (Object.keys(owner).some((k) => k !== 'email')) return 'owner: unknown field';
      if (typeof owner.email !== 'string' || owner.email.length < 3) return 'owner.email';
    }
    return undefined;
  };
  return http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/things') return res.writeHead(404).end();
      if (req.method === 'GET') {
        const page = integer(url.searchParams.get('page'));
        if (!(page >= 1 && page <= 900)) return reject(res, 'page');
        const limitText = url.searchParams.get('limit');
        const limit = integer(limitText);
        if (limitText !== null && !(limit >= 1 && limit <= limitMax)) return reject(res, 'limit');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (req.method === 'POST') {
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          return reject(res, 'malformed JSON');
        }
        const problem = thingProblem(body);
        if (problem) return reject(res, problem);
        res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      res.writeHead(405, { allow: 'GET, POST' }).end();
    });
  });
}

let specFile: string | undefined;
async function runAgainst(mode: Mode, strict = false): Promise<ConformanceResult> {
  specFile ??= join(mkdtempSync(join(tmpdir(), 'mcpc-boundary-')), 'boundary.yaml');
  writeFileSync(specFile, boundarySpec);
  const server = thingsServer(mode);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await runConformance({
      specs: [specFile],
      target: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: new Map(),
      params: new Map(),
      allowDestructive: true,
      seed: 1,
      maxExamples: 0,
      timeoutMs: 5000,
      maxBodyBytes: 1 << 20,
      concurrency: 2,
      strict,
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const negative = (r: ConformanceResult, severity: 'failure' | 'warning') =>
  r.findings
    .filter((f) => f.check === 'negative-data-rejection' && f.severity === severity)
    .map((f) => f.caseTitle)
    .sort();

describe('negative-data-rejection on boundary cases, through the engine', () => {
  it.each(['problem-422', 'empty-400'] as const)(
    'a conformant deployment rejecting with %s: nothing fires',
    async (mode) => {
      const result = await runAgainst(mode, true);
      expect(result.findings.map((f) => `${f.check}: ${f.caseTitle}`)).toEqual([]);
      // The boundary cases were sent (so "nothing fires" means something).
      expect(result.cases.filter((c) => /:boundary-\d+$/.test(c.id))).toHaveLength(11);
    },
  );

  it('a deployment accepting limit=51, a 41-character name and an undeclared field: exactly those', async () => {
    const lenient = await runAgainst('broken');
    expect(negative(lenient, 'failure')).toEqual([
      "body field 'mcpc-undeclared' = 'x' (breaks additionalProperties false)",
      "body field 'name' = 'widgetwidgetwidgetwidgetwidgetwidgetw…' (breaks maxLength 40)",
    ]);
    // An optional query value accepted is a warning under the lenient policy, a failure with --strict.
    expect(negative(lenient, 'warning')).toEqual(["query parameter 'limit' = '51' (breaks maximum 50)"]);
    const strict = await runAgainst('broken', true);
    expect(negative(strict, 'failure')).toEqual([
      "body field 'mcpc-undeclared' = 'x' (breaks additionalProperties false)",
      "body field 'name' = 'widgetwidgetwidgetwidgetwidgetwidgetw…' (breaks maxLength 40)",
      "query parameter 'limit' = '51' (breaks maximum 50)",
    ]);
  });
});
