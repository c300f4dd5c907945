import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { runSpecAgainst, runSpecAgainstOwnMock } from '../test-helpers.js';
import type { ConformanceResult } from '../types.js';

/**
 * A query array in OpenAPI's default style (`form`, `explode: true`) goes out one pair per item (`?ids=4&ids=5`),
 * which is how servers and their frameworks read a list; `ids=4,5` is to them the single item "4,5". The servers
 * below read the query as such a framework does (URLSearchParams.getAll), and validate what the spec says.
 */

const spec = (explode: boolean) => `openapi: 3.1.0
info: { title: things, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: ids
          in: query
          required: true
          explode: ${explode}
          schema: { type: array, items: { type: integer, minimum: 1 }, minItems: 1, maxItems: 3, uniqueItems: true }
          example: [4, 5]
      responses:
        '200': { description: the things, content: { application/json: { schema: { type: object } } } }
        '400': { description: bad ids }
`;

type Mode = 'conformant' | 'no-max-items' | 'no-item-type';

/** Reads `ids` as repeated pairs (explode) or one comma-joined pair (no explode), and says 400 to what breaks the spec. */
function thingsServer(explode: boolean, mode: Mode, seen: string[]) {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(url.search);
    if (url.pathname !== '/things') return res.writeHead(404).end();
    if (req.method !== 'GET') return res.writeHead(405, { allow: 'GET' }).end();
    const texts = explode ? url.searchParams.getAll('ids') : (url.searchParams.get('ids') ?? '').split(',');
    // 'no-item-type' reads items as a lax framework does: what parseInt cannot read is dropped.
    const items = texts
      .map((t) => (/^\d+$/.test(t) ? Number(t) : mode === 'no-item-type' ? Number.parseInt(t, 10) : Number.NaN))
      .filter((n) => mode !== 'no-item-type' || !Number.isNaN(n));
    const bad =
      texts.length < 1 ||
      (items.length < 1 && mode !== 'no-item-type') ||
      (mode !== 'no-max-items' && items.length > 3) ||
      items.some((n) => !(n >= 1)) ||
      new Set(items).size !== items.length;
    if (bad) return res.writeHead(400).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
}

async function runAgainst(
  explode: boolean,
  mode: Mode,
  minItems = true,
): Promise<{ result: ConformanceResult; seen: string[] }> {
  const seen: string[] = [];
  const text = minItems ? spec(explode) : spec(explode).replace('minItems: 1, ', '');
  const result = await runSpecAgainst(text, thingsServer(explode, mode, seen), { maxExamples: 10 });
  return { result, seen };
}

const fired = (r: ConformanceResult) => r.findings.map((f) => `${f.check}: ${f.caseTitle}`).sort();

describe('query arrays go out as the spec’s style says', () => {
  it('explode (the default): one pair per item, and a server reading them so fails nothing', async () => {
    const { result, seen } = await runAgainst(true, 'conformant');
    expect(fired(result)).toEqual([]);
    expect(seen).toContain('?ids=4&ids=5');
    // Never the comma-joined form, which such a server reads as the one item "4,5" (and rightly refuses).
    expect(seen.filter((s) => /ids=[^&]*%2C/i.test(s))).toEqual([]);
    // The boundary cases went out as pairs too, so "nothing fired" means something.
    expect(seen).toEqual(expect.arrayContaining(['?ids=4&ids=5&ids=6&ids=7', '?ids=4&ids=4&ids=5']));
  });

  it('explode: a server that takes a fourth item fails exactly the over-maxItems case', async () => {
    const { result } = await runAgainst(true, 'no-max-items');
    expect(fired(result)).toEqual(["negative-data-rejection: query parameter 'ids' = '4,5,6,7' (breaks maxItems 3)"]);
  });

  it('a server that drops items it cannot read as integers fails exactly the wrong-item-type case', async () => {
    const { result, seen } = await runAgainst(true, 'no-item-type');
    expect(fired(result)).toEqual([
      "negative-data-rejection: query parameter 'ids' = 'not-a-number' (breaks items type integer)",
    ]);
    expect(seen).toContain('?ids=not-a-number');
  });

  it('with minItems 2, the wrong-type case sends two wrong items, so minItems is not what a server refuses', async () => {
    const flagsSpec = `openapi: 3.1.0
info: { title: flags, version: '1' }
paths:
  /flags:
    get:
      operationId: flags
      parameters:
        - { name: b, in: query, required: true, schema: { type: array, minItems: 2, uniqueItems: true, items: { type: boolean } }, example: [true, false] }
      responses: { '200': { description: ok }, '400': { description: bad } }
`;
    // Counts the items as the spec says, but takes any text for a boolean.
    const lax = http.createServer((req, res) => {
      const texts = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.getAll('b');
      if (req.method !== 'GET') return res.writeHead(405, { allow: 'GET' }).end();
      res.writeHead(texts.length >= 2 && new Set(texts).size === texts.length ? 200 : 400).end();
    });
    expect(fired(await runSpecAgainst(flagsSpec, lax))).toEqual([
      "negative-data-rejection: query parameter 'b' = 'not-a-boolean,not-a-boolean-2' (breaks items type boolean)",
    ]);
  });

  it('explode: false: one comma-joined pair, read so by its server, fails nothing', async () => {
    const { result, seen } = await runAgainst(false, 'conformant');
    expect(fired(result)).toEqual([]);
    expect(seen).toContain('?ids=4%2C5');
    expect(seen.filter((s) => (s.match(/ids=/g) ?? []).length > 1)).toEqual([]);
  });

  it('a parameter described by content (JSON) goes out whole, as one JSON text', async () => {
    const jsonSpec = `openapi: 3.1.0
info: { title: things, version: '1' }
paths:
  /things:
    get:
      operationId: filtered
      parameters:
        - name: filter
          in: query
          required: true
          content: { application/json: { schema: { type: array, items: { type: integer }, maxItems: 3 }, example: [4, 5] } }
      responses: { '200': { description: ok }, '400': { description: bad filter } }
`;
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      seen.push(url.search);
      if (req.method !== 'GET') return res.writeHead(405, { allow: 'GET' }).end();
      try {
        const value = JSON.parse(url.searchParams.get('filter') ?? '');
        if (
          url.searchParams.getAll('filter').length === 1 &&
          Array.isArray(value) &&
          value.length <= 3 &&
          value.every(Number.isInteger)
        )
          return res.writeHead(200).end();
      } catch {
        // not JSON: refused below
      }
      res.writeHead(400).end();
    });
    const result = await runSpecAgainst(jsonSpec, server);
    expect(fired(result)).toEqual([]);
    expect(seen).toContain(`?${new URLSearchParams({ filter: '[4,5]' })}`);
  });

  it('a required array is never sent empty (ids=) as valid: a framework reads that as one empty item', async () => {
    const { result, seen } = await runAgainst(true, 'conformant', false);
    expect(fired(result)).toEqual([]);
    expect(seen.filter((s) => /(^\?|&)ids=(&|$)/.test(s))).toEqual([]);
  });
});

/** One operation per query style, each parameter required, with an example of two items or two properties. */
const stylesSpec = `openapi: 3.1.0
info: { title: styles, version: '1' }
paths:
  /space:
    get:
      operationId: space
      parameters:
        - { name: ids, in: query, required: true, style: spaceDelimited, schema: { type: array, items: { type: integer }, maxItems: 3 }, example: [4, 5] }
      responses: { '200': { description: ok }, '400': { description: bad } }
  /pipe:
    get:
      operationId: pipe
      parameters:
        - { name: ids, in: query, required: true, style: pipeDelimited, schema: { type: array, items: { type: integer }, maxItems: 3 }, example: [4, 5] }
      responses: { '200': { description: ok }, '400': { description: bad } }
  /deep:
    get:
      operationId: deep
      parameters:
        - name: filter
          in: query
          required: true
          style: deepObject
          explode: true
          schema: { type: object, additionalProperties: false, properties: { status: { type: string, enum: [open, closed] }, size: { type: integer, maximum: 9 } } }
          example: { status: open, size: 2 }
      responses: { '200': { description: ok }, '400': { description: bad } }
  /spread:
    get:
      operationId: spread
      parameters:
        - name: color
          in: query
          required: true
          schema: { type: object, required: [R], properties: { R: { type: integer, maximum: 255 }, G: { type: integer, maximum: 255 } } }
          example: { R: 100, G: 200 }
      responses: { '200': { description: ok }, '400': { description: bad } }
`;

/** Reads each operation's parameter exactly as OpenAPI writes that style, and refuses what breaks the schema. */
function stylesServer(seen: string[]) {
  const ints = (texts: string[]) => texts.map((t) => (/^\d+$/.test(t) ? Number(t) : Number.NaN));
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(`${url.pathname}${url.search}`);
    if (req.method !== 'GET') return res.writeHead(405, { allow: 'GET' }).end();
    const q = url.searchParams;
    const one = (name: string) => (q.getAll(name).length === 1 ? (q.get(name) as string) : undefined);
    let ok = false;
    if (url.pathname === '/space' || url.pathname === '/pipe') {
      const text = one('ids');
      const items = text === undefined ? [] : ints(text.split(url.pathname === '/space' ? ' ' : '|'));
      ok = items.length >= 1 && items.length <= 3 && items.every((n) => Number.isInteger(n));
    } else if (url.pathname === '/deep') {
      const keys = [...q.keys()];
      const status = q.get('filter[status]');
      const size = q.get('filter[size]');
      ok =
        keys.length > 0 &&
        keys.every((k) => k === 'filter[status]' || k === 'filter[size]') &&
        (status === null || status === 'open' || status === 'closed') &&
        (size === null || (/^\d+$/.test(size) && Number(size) <= 9));
    } else if (url.pathname === '/spread') {
      const r = q.get('R');
      const g = q.get('G');
      ok = r !== null && /^\d+$/.test(r) && Number(r) <= 255 && (g === null || (/^\d+$/.test(g) && Number(g) <= 255));
    } else return res.writeHead(404).end();
    res.writeHead(ok ? 200 : 400).end();
  });
}

describe('every query style goes out as OpenAPI writes it', () => {
  it('a server reading each style as written fails nothing; the valid requests are in each style’s form', async () => {
    const seen: string[] = [];
    const result = await runSpecAgainst(stylesSpec, stylesServer(seen));
    expect(fired(result)).toEqual([]);
    expect(seen).toEqual(
      expect.arrayContaining([
        '/space?ids=4+5',
        '/pipe?ids=4%7C5',
        '/deep?filter%5Bstatus%5D=open&filter%5Bsize%5D=2',
        '/spread?R=100&G=200',
      ]),
    );
    // The boundary cases go out in the same forms, and were refused: "nothing fired" means something.
    expect(seen).toEqual(expect.arrayContaining(['/space?ids=4+5+4+5', '/pipe?ids=4%7C5%7C4%7C5']));
  });

  it('the built-in mock serving the same spec reads every style back: a run against it fails nothing', async () => {
    const result = await runSpecAgainstOwnMock(stylesSpec);
    expect(fired(result)).toEqual([]);
    expect(result.summary.cases).toBeGreaterThan(12);
  });

  it('the mock keeps an exploded object to its own keys: not a sibling parameter’s name, all of them with additionalProperties', async () => {
    const oddSpec = `openapi: 3.1.0
info: { title: odd, version: '1' }
paths:
  /collide:
    get:
      operationId: collide
      parameters:
        - { name: page, in: query, schema: { type: object, properties: { limit: { type: integer } } } }
        - { name: limit, in: query, required: true, schema: { type: string, enum: [x, y] } }
        - { name: f, in: query, style: deepObject, schema: { type: object, properties: { a: { type: integer } } } }
        - { name: 'f[a]', in: query, schema: { type: string, enum: [zz] } }
      responses: { '200': { description: ok }, '400': { description: bad } }
  /addl:
    get:
      operationId: addl
      parameters:
        - { name: meta, in: query, required: true, schema: { type: object, minProperties: 1, additionalProperties: { type: string } }, example: { k: v } }
      responses: { '200': { description: ok }, '400': { description: bad } }
`;
    const result = await runSpecAgainstOwnMock(oddSpec);
    expect(fired(result)).toEqual([]);
    expect(result.cases.some((c) => c.id.includes('collide:valid'))).toBe(true);
  });

  it('an example whose item holds its style’s separator is not sent as valid: it would arrive as other items', async () => {
    const tagsSpec = `openapi: 3.1.0
info: { title: tags, version: '1' }
paths:
  /tags:
    get:
      operationId: tags
      parameters:
        - { name: tags, in: query, required: true, schema: { type: array, items: { type: string } }, example: ['New York, NY', b] }
        - { name: p, in: query, required: true, style: pipeDelimited, schema: { type: array, items: { type: string } }, example: ['x|y', z] }
      responses: { '200': { description: ok }, '400': { description: bad } }
`;
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(new URL(req.url ?? '/', 'http://127.0.0.1').search);
      res.writeHead(req.method === 'GET' ? 200 : 405, req.method === 'GET' ? {} : { allow: 'GET' }).end();
    });
    const result = await runSpecAgainst(tagsSpec, server);
    const valid = result.cases.find((c) => c.id.endsWith(':valid:0'));
    expect(valid?.outcome).toBe('passed');
    expect(seen.filter((s) => s.includes('New+York') || s.includes('x%7Cy'))).toEqual([]);
  });
});
