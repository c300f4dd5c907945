import { describe, expect, it } from 'vitest';
import { createInProcessClient, type InProcessClient } from '../http/in-process.js';
import { specFile } from '../test-helpers.js';
import type { ConformanceResult } from '../types.js';
import { checkStandin } from './cases/standin.test-server.js';
import { defaultRunOptions, runConformance } from './run.js';

/**
 * The property-based phase through the engine, against the stand-in deployment: it finds a crash on an emoji
 * that no planned case sends, shrinks it to a small input printed with the seed, replays the same with the
 * same seed, and finds nothing on the conformant deployment.
 */

const property = (r: ConformanceResult) => r.cases.filter((c) => c.kind === 'property');

describe('the property-based phase', () => {
  it('varies only the free string parameters of the safe operation (GET), never the POST', async () => {
    const result = await checkStandin('none', { maxExamples: 5, seed: 1 });
    expect(property(result).map((c) => c.operation)).toEqual(['GET /items/{itemId}']);
    expect(property(result)[0]?.title).toContain("query parameter 'q'");
    expect(property(result)[0]?.title).toContain('5 example(s) of unusual legal values held (seed 1)');
  });

  it('finds nothing on a conformant deployment, over many examples', async () => {
    const result = await checkStandin('none', { maxExamples: 60, seed: 7 });
    expect(result.findings.filter((f) => f.severity === 'failure')).toEqual([]);
    expect(property(result).map((c) => c.outcome)).toEqual(['passed']);
  });

  it('finds a crash on an emoji that no planned case sends, shrunk and printed with the seed', async () => {
    const planned = await checkStandin('emoji-crash', { maxExamples: 0, seed: 3 });
    expect(planned.findings.filter((f) => f.severity === 'failure')).toEqual([]);

    const result = await checkStandin('emoji-crash', { maxExamples: 60, seed: 3 });
    const failures = result.findings.filter((f) => f.severity === 'failure');
    // A 500 is a server error, and one this operation does not document: both say so, of one request.
    expect(failures.map((f) => f.check).sort()).toEqual(['not-a-server-error', 'status-code-conformance']);
    expect(new Set(failures.map((f) => f.caseTitle)).size).toBe(1);
    const title = failures[0]!.caseTitle;
    expect(title).toMatch(/replay with --seed 3 --max-examples 60/);
    // Shrunk: the value of q is no more than the emoji itself (one grapheme, maybe a modifier).
    const q = /query parameter 'q' = ("(?:[^"\\]|\\.)*")/.exec(title)?.[1];
    expect(q).toBeDefined();
    const value = JSON.parse(q!) as string;
    expect(value).toMatch(/\p{Extended_Pictographic}/u);
    expect([...value].length).toBeLessThanOrEqual(2);
    expect(failures[0]!.curl).toContain('%F0%9F');
    expect(property(result)[0]?.outcome).toBe('failed');

    // The same seed replays the same finding.
    const again = await checkStandin('emoji-crash', { maxExamples: 60, seed: 3 });
    expect(again.findings.filter((f) => f.severity === 'failure').map((f) => f.caseTitle)).toEqual([title, title]);
  });

  it('is off with --max-examples 0', async () => {
    expect(property(await checkStandin('emoji-crash', { maxExamples: 0, seed: 3 }))).toEqual([]);
  });
});

/**
 * Constrained strings (GitHub's `version` path parameter has `pattern: ^\d+\.\d+\.\d+$`): before, the phase
 * filtered its draws by the validator, and fast-check redrew a refused value synchronously without end, so a
 * 200-operation run of GitHub's spec never finished. Now a patterned field is not varied, lengths are drawn
 * within minLength/maxLength, and a draw the validator refuses falls back to the planned value.
 */
const versionsSpec = specFile(
  'versions.yaml',
  `openapi: 3.0.3
info: { title: versions, version: '1' }
paths:
  /images/{version}:
    get:
      operationId: getVersion
      parameters:
        - { name: version, in: path, required: true, schema: { type: string, pattern: '^\\d+\\.\\d+\\.\\d+$' } }
        - { name: code, in: query, required: true, schema: { type: string, minLength: 12, maxLength: 40 } }
        - { name: hex, in: query, schema: { type: string, not: { pattern: '[^a-f0-9]' } } }
      responses:
        '200': { description: found, content: { application/json: { schema: { type: object } } } }
        '400': { description: refused }
`,
);

describe('the property-based phase on constrained strings', () => {
  const run = (crashOnSpace: boolean, maxExamples = 40) => {
    const client = createInProcessClient((req) => {
      const url = new URL(req.url);
      if (crashOnSpace && url.searchParams.get('code')?.includes(' ')) return { status: 500 };
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
    });
    return runConformance({
      ...defaultRunOptions,
      specs: [versionsSpec],
      target: 'http://versions.test',
      credentials: new Map(),
      params: new Map(),
      allowDestructive: false,
      maxExamples,
      seed: 5,
      client,
      sleep: async () => {},
    }).then((result) => ({ result, client }));
  };
  /** The property phase's requests: those of a run with examples less those of the same run without. */
  const propertyRequests = async (client: InProcessClient) => {
    const planned = (await run(false, 0)).client.requests.map((r) => r.url);
    return client.requests.filter((r) => {
      const i = planned.indexOf(r.url);
      if (i >= 0) planned.splice(i, 1);
      return i < 0;
    });
  };

  it('finishes, varies only the unpatterned fields, and sends only legal values', async () => {
    const { result, client } = await run(false);
    const [c] = property(result);
    expect(c?.outcome).toBe('passed');
    expect(c?.title).toContain("query parameter 'code', query parameter 'hex'");
    expect(c?.title).not.toContain("path parameter 'version'");
    const sent = (await propertyRequests(client)).map((r) => new URL(r.url));
    expect(sent.length).toBeGreaterThanOrEqual(20);
    for (const url of sent) {
      expect(decodeURIComponent(url.pathname.split('/')[2] ?? '')).toMatch(/^\d+\.\d+\.\d+$/);
      const code = url.searchParams.get('code') ?? '';
      expect([...code].length).toBeGreaterThanOrEqual(12);
      expect([...code].length).toBeLessThanOrEqual(40);
      const hex = url.searchParams.get('hex');
      if (hex !== null) expect(hex).not.toMatch(/[^a-f0-9]/);
    }
    // Unusual values did go out: not every code is the planned one.
    expect(new Set(sent.map((u) => u.searchParams.get('code'))).size).toBeGreaterThan(10);
    // (The stand-in answers 200 to anything, so only the property case is judged here.)
    expect(result.findings.filter((f) => f.severity === 'failure' && f.caseId === c?.id)).toEqual([]);
  });

  it('still finds a crash on a space in a minLength field, shrunk no shorter than minLength', async () => {
    const { result } = await run(true);
    const failures = result.findings.filter((f) => f.severity === 'failure' && f.caseId === property(result)[0]?.id);
    expect(failures.map((f) => f.check).sort()).toEqual(['not-a-server-error', 'status-code-conformance']);
    const code = /query parameter 'code' = ("(?:[^"\\]|\\.)*")/.exec(failures[0]!.caseTitle)?.[1];
    const value = JSON.parse(code!) as string;
    expect(value).toContain(' ');
    expect([...value].length).toBe(12);
  });
});
