import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSpec } from '../engine/plan.js';
import { compiledFromText, demoCredentials } from '../test-helpers.js';
import type { PlannedRequest } from '../types.js';
import { createNetworkClient } from './client.js';
import { createRedactor } from './curl.js';

/**
 * Form and multipart bodies are planned in their own encoding (not as JSON text), sent with the boundary in the
 * Content-Type, and the curl line of a finding reproduces the very same bytes: both are sent to a local echo
 * server, by the runner's own client and by running the curl line in bash, and what arrived is compared.
 */

const spec = await compiledFromText(
  `openapi: 3.1.0
info: { title: forms, version: "1" }
paths:
  /form:
    post:
      operationId: postForm
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                name: { type: string }
                tags: { type: array, items: { type: string } }
                filter: { type: object, properties: { age: { type: integer } } }
            encoding:
              tags: { style: pipeDelimited }
              filter: { style: deepObject }
            example: { name: "Rex 'the' dög & co", tags: [a b, c], filter: { age: 3 } }
          application/xml:
            schema: { type: object }
      responses: { "200": { description: ok } }
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [orderId, note, meta, document, photos]
              properties:
                orderId: { type: integer, example: 7 }
                note: { type: string, example: "two\\nlines, a 'quote' and a \\\\ backslash" }
                meta: { type: object, required: [a], properties: { a: { type: integer, example: 1 } } }
                document: { type: string, format: binary }
                photos: { type: array, minItems: 1, items: { type: string, format: binary } }
            encoding:
              photos: { contentType: image/png }
      responses: { "200": { description: ok } }
`,
  'forms',
);

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}
let server: Server;
let base = '';
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

// The POSTs may create data and nothing in the spec undoes them: only consent lets them be planned.
const plan = planSpec(
  spec,
  { credentials: demoCredentials(), params: new Map(), allowDestructive: true, seed: 1 },
  () => true,
);
const valid = (operationId: string): PlannedRequest & { url: string } => {
  const c = plan.cases.find((k) => k.kind === 'valid' && k.operation?.operationId === operationId)!;
  return { ...c.request, url: `${base}${c.request.path}` };
};

/** Send with the runner's client, then with the curl line; return both arrivals. */
async function sendBoth(request: PlannedRequest & { url: string }): Promise<[Received, Received]> {
  received.length = 0;
  const client = createNetworkClient({ timeoutMs: 5000, maxBodyBytes: 1 << 20, concurrency: 1 });
  try {
    const result = await client.send({ ...request, url: `${base}${request.path}` });
    expect(result.ok).toBe(true);
  } finally {
    client.close();
  }
  const line = createRedactor([]).curlFor({ ...request, url: `${base}${request.path}` });
  // Asynchronously: the echo server answers from this same process.
  await promisify(execFile)('bash', ['-c', line], { timeout: 10_000 });
  expect(received).toHaveLength(2);
  return [received[0]!, received[1]!];
}

describe('form bodies', () => {
  it('are planned per the encoding object (pipeDelimited, deepObject), not as JSON text', () => {
    const request = valid('postForm');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toBe('name=Rex%20%27the%27%20d%C3%B6g%20%26%20co&tags=a%20b|c&filter[age]=3');
  });

  it('the curl line sends the bytes the runner sent', async () => {
    const request = valid('postForm');
    const [ours, theirs] = await sendBoth(request);
    expect(ours.body.toString('utf8')).toBe(request.body);
    expect(theirs.body.equals(ours.body)).toBe(true);
    expect(theirs.headers['content-type']).toBe(ours.headers['content-type']);
  });
});

describe('multipart bodies', () => {
  it('carry a boundary, one part per field, JSON and file parts', async () => {
    const request = valid('upload');
    const contentType = request.headers['content-type']!;
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----mcp-contracts-[0-9a-f]{24}$/);
    const form = await new Request(`${base}/`, {
      method: 'POST',
      body: request.body,
      headers: { 'content-type': contentType },
    }).formData();
    expect(form.get('orderId')).toBe('7');
    expect(form.get('note')).toBe("two\nlines, a 'quote' and a \\ backslash");
    expect(form.get('meta')).toBe('{"a":1}');
    expect((form.get('document') as File).name).toBe('document.bin');
    expect((form.getAll('photos') as File[]).map((f) => f.type)).toEqual(['image/png']);
  });

  it("the curl line (bash $'…' quoting for the CRLFs) sends the same bytes and Content-Type", async () => {
    const request = valid('upload');
    const line = createRedactor([]).curlFor(request);
    expect(line).toContain("--data-raw $'------mcp-contracts-");
    expect(line).not.toMatch(/[\r\n]/);
    const [ours, theirs] = await sendBoth(request);
    expect(Buffer.from(request.body!, 'utf8').equals(ours.body)).toBe(true);
    expect(theirs.body.equals(ours.body)).toBe(true);
    expect(theirs.headers['content-type']).toBe(request.headers['content-type']);
  });
});
