import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceResult } from '../../types.js';
import { runConformance } from '../run.js';

/**
 * A tiny deployment of the spec below for the generator and property-phase tests: conformant by default, with
 * one switchable defect at a time, each a real-world way of rejecting valid input or crashing on it.
 * Tests only; it listens on 127.0.0.1, port 0, and the test that starts it closes it.
 */

export const exampleId = '3f0e6c1e-0000-4000-8000-000000000001';

export const standinSpec = `openapi: 3.1.0
info: { title: standin, version: '1' }
servers: [{ url: 'http://localhost' }]
paths:
  /items/{itemId}:
    get:
      operationId: getItem
      parameters:
        - { name: itemId, in: path, required: true, schema: { type: string, format: uuid }, example: '${exampleId}' }
        - { name: view, in: query, required: false, schema: { type: string, enum: [full, summary] } }
        - { name: limit, in: query, required: false, schema: { type: integer, minimum: 1, maximum: 100 } }
        - { name: since, in: query, required: false, schema: { type: string, format: date-time } }
        - { name: q, in: query, required: false, schema: { type: string, maxLength: 64 } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
        '400': { description: bad, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
        '404': { description: none, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, count]
              properties:
                name: { type: string, minLength: 1, maxLength: 20 }
                count: { type: integer, minimum: 0, maximum: 10 }
                tag: { type: string }
      responses:
        '201': { description: made, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
        '400': { description: bad, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
components:
  schemas:
    Item: { type: object, required: [id], properties: { id: { type: string } } }
    Error: { type: object, required: [message], properties: { message: { type: string } } }
`;

export type Defect =
  | 'none'
  | 'upper-case-uuid'
  | 'one-enum-value'
  | 'optional-parameter'
  | 'non-example-id'
  | 'at-maximum'
  | 'offset-date-time'
  | 'unicode'
  | 'field-types'
  | 'emoji-crash';

export function writeStandinSpec(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mcpc-standin-')), 'standin.yaml');
  writeFileSync(file, standinSpec);
  return file;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function getItem(url: URL, id: string, defect: Defect): [number, unknown] {
  const bad = (message: string): [number, unknown] => [400, { message }];
  const q = url.searchParams;
  if (!uuid.test(id)) return bad('itemId must be a UUID');
  if (defect === 'upper-case-uuid' && id !== id.toLowerCase()) return bad('itemId must be lower-case');
  if (defect === 'non-example-id' && id !== exampleId) return bad('unknown id format');
  const view = q.get('view');
  if (view !== null && !['full', 'summary'].includes(view)) return bad('view');
  if (defect === 'one-enum-value' && view === 'summary') return bad('view=summary is not supported');
  const limit = q.get('limit');
  if (limit !== null) {
    if (defect === 'optional-parameter') return bad('unexpected parameter limit');
    const n = Number(limit);
    if (!/^\d+$/.test(limit) || n < 1 || n > 100) return bad('limit');
    if (defect === 'at-maximum' && n >= 100) return bad('limit must be below 100');
  }
  const since = q.get('since');
  if (since !== null) {
    if (!dateTime.test(since) || Number.isNaN(Date.parse(since))) return bad('since');
    if (defect === 'offset-date-time' && !since.endsWith('Z')) return bad('since must be UTC');
  }
  const text = q.get('q');
  if (text !== null) {
    if ([...text].length > 64) return bad('q too long');
    if (defect === 'unicode' && /[^\x20-\x7e]/.test(text)) return bad('q must be ASCII');
    if (defect === 'emoji-crash' && /\p{Extended_Pictographic}/u.test(text)) throw new Error('crash on an emoji');
  }
  return id.toLowerCase() === exampleId ? [200, { id }] : [404, { message: 'no such item' }];
}

function createItem(raw: string, defect: Defect): [number, unknown] {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return [400, { message: 'malformed JSON' }];
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [400, { message: 'not an object' }];
  if (!('name' in body) || !('count' in body)) return [400, { message: 'name and count are required' }];
  // The defect: checks that the fields are there, not what type they are.
  if (defect !== 'field-types') {
    const { name, count, tag } = body;
    if (typeof name !== 'string' || name.length < 1 || [...name].length > 20) return [400, { message: 'name' }];
    if (!Number.isInteger(count) || (count as number) < 0 || (count as number) > 10) return [400, { message: 'count' }];
    if (tag !== undefined && typeof tag !== 'string') return [400, { message: 'tag' }];
  }
  return [201, { id: 'item-1' }];
}

export async function startStandin(defect: Defect): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const item = /^\/items\/([^/]+)$/.exec(url.pathname);
      try {
        if (item && req.method === 'GET') {
          const [status, body] = getItem(url, decodeURIComponent(item[1] as string), defect);
          return answer(res, status, body);
        }
        if (url.pathname === '/items' && req.method === 'POST') {
          const [status, body] = createItem(raw, defect);
          return answer(res, status, body);
        }
        const allow = item ? 'GET' : url.pathname === '/items' ? 'POST' : undefined;
        if (!allow) return answer(res, 404, { message: 'no route' });
        res.writeHead(405, { allow, 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'method not allowed' }));
      } catch {
        answer(res, 500, { message: 'internal error' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let specFile: string | undefined;

/** Start the stand-in with `defect`, run the engine against it (the spec above, no network beyond it), close it. */
export async function checkStandin(
  defect: Defect,
  { maxExamples = 0, seed = 1 }: { maxExamples?: number; seed?: number } = {},
): Promise<ConformanceResult> {
  specFile ??= writeStandinSpec();
  const server = await startStandin(defect);
  try {
    return await runConformance({
      specs: [specFile],
      target: server.url,
      credentials: new Map(),
      params: new Map(),
      allowDestructive: true,
      seed,
      maxExamples,
      timeoutMs: 5000,
      maxBodyBytes: 1 << 20,
      concurrency: 2,
    });
  } finally {
    await server.close();
  }
}
