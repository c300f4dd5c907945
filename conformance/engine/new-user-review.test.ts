import { describe, expect, it } from 'vitest';
import { createInProcessClient, type InProcessHandler } from '../http/in-process.js';
import { renderHar } from '../reporters/har.js';
import { renderHtml } from '../reporters/html.js';
import { specFile } from '../test-helpers.js';
import { parseAuthArguments } from './auth.js';
import { type ConformanceOptions, defaultRunOptions, runConformance } from './run.js';

/**
 * The new-user review of the reports: each fix pinned by the broken input that makes it fire and a
 * conformant-but-unusual one where nothing changes. Runs go against an in-process target (no sockets).
 */

const securedYaml = `openapi: 3.0.3
info: { title: keyed, version: '1' }
servers: [{ url: /api }]
components:
  securitySchemes:
    apiKeyAuth: { type: apiKey, in: header, name: x-api-key }
security: [{ apiKeyAuth: [] }]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200': { description: things, content: { application/json: { schema: { type: array } } } }
        '401': { description: no key }
`;
const securedSpec = specFile('keyed.yaml', securedYaml);

function run(handler: InProcessHandler, auth: string[], over: Partial<ConformanceOptions> = {}) {
  return runConformance({
    specs: [securedSpec],
    target: 'http://keyed.test',
    credentials: parseAuthArguments(auth, {}),
    params: new Map(),
    allowDestructive: false,
    ...defaultRunOptions,
    client: createInProcessClient(handler),
    sleep: async () => {},
    ...over,
  });
}

const keyed: InProcessHandler = (request) =>
  request.headers['x-api-key'] === 'k1'
    ? { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' }
    : { status: 401 };

describe('a run without credentials that every valid request was refused to', () => {
  it('is inconclusive (errored), as with a wrong key, and says the requests went without credentials', async () => {
    const bare = await run(keyed, []);
    expect(bare.verdict.status).toBe('errored');
    expect(bare.inconclusive).toMatch(/\(401 ×\d+\), \d+ of them sent without credentials/);
    expect(bare.inconclusive).toContain('check --auth');
    // A credential for another scheme (of another bundled spec) leaves this one without: the same.
    const other = await run(keyed, ['basic=k1:'], { authFromFlags: ['basic'] });
    expect(other.verdict.status).toBe('errored');
    const wrong = await run(keyed, ['apiKeyAuth=nope']);
    expect(wrong.verdict.status).toBe('errored');
    expect(wrong.inconclusive).not.toContain('without credentials');
  });

  it('is not inconclusive when the target serves the operation without the key the spec asks for', async () => {
    const open: InProcessHandler = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '[]' });
    const r = await run(open, []);
    expect(r.inconclusive).toBeUndefined();
    const good = await run(keyed, ['apiKeyAuth=k1']);
    expect(good.inconclusive).toBeUndefined();
    expect(good.verdict.status).not.toBe('errored');
  });
});

describe('a credential of one or two characters', () => {
  const everywhere = (r: Awaited<ReturnType<typeof run>>) => JSON.stringify({ x: r.exchanges, f: r.findings });

  it('is blanked in the header its scheme names, and the reproduce line uses its variable', async () => {
    // Every response a 500: findings, so reproduce lines.
    const r = await run(() => ({ status: 500 }), ['apiKeyAuth=k1']);
    const sent = r.exchanges.filter((e) => e.request.headers['x-api-key'] !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.some((e) => e.request.headers['x-api-key'] === '***')).toBe(true);
    expect(everywhere(r)).not.toMatch(/x-api-key"?: ?"?k1\b/);
    const curls = r.findings.map((f) => f.curl).filter((c) => c.includes('x-api-key'));
    expect(curls.some((c) => c.includes('"x-api-key: \u0024{MCP_CONTRACTS_AUTH_APIKEYAUTH}"'))).toBe(true);
    // A deliberately wrong key sent by the auth checks is not the secret: it stays visible.
    expect(sent.some((e) => !['***', undefined].includes(e.request.headers['x-api-key']))).toBe(true);
  });

  it('is blanked in the query parameter its scheme names, and nowhere else is "k1" touched', async () => {
    const queryYaml = securedYaml
      .replace('{ type: apiKey, in: header, name: x-api-key }', '{ type: apiKey, in: query, name: key }')
      .replace('/things:', '/k1things:');
    const r = await run(() => ({ status: 500 }), ['apiKeyAuth=k1'], {
      specs: [specFile('keyed-query.yaml', queryYaml)],
    });
    const urls = r.exchanges.map((e) => e.request.url);
    expect(urls.some((u) => u.endsWith('/api/k1things?key=***'))).toBe(true);
    expect(urls.some((u) => /key=k1\b/.test(u))).toBe(false);
    expect(
      r.findings.some((f) =>
        f.curl.includes('"http://keyed.test/api/k1things?key=\u0024{MCP_CONTRACTS_AUTH_APIKEYAUTH}"'),
      ),
    ).toBe(true);
  });
});

describe('coverage of a status the Prefer probe got no answer for', () => {
  const moreYaml = securedYaml.replace(
    "        '401': { description: no key }\n",
    "        '401': { description: no key }\n        '404': { description: gone }\n        '503': { description: down }\n",
  );
  const spec = specFile('keyed-more.yaml', moreYaml);
  const answer =
    (prefer: InProcessHandler): InProcessHandler =>
    (request) =>
      request.headers.prefer ? prefer(request) : keyed(request);

  it('says no response (timeout/connection closed), not that the target ignores Prefer', async () => {
    const r = await run(
      answer(() => 'timeout'),
      ['apiKeyAuth=k1'],
      { specs: [spec] },
    );
    const rows = r.coverage.filter((c) => c.state === 'not-provoked');
    expect(rows.length).toBe(2);
    for (const row of rows) {
      expect(row.how).toContain('no response (timeout/connection closed)');
      expect(row.how).not.toContain('honour');
    }
    expect(r.remarks.some((m) => m.includes('no response (timeout/connection closed) to the Prefer'))).toBe(true);
  });

  it('still says the target does not honour Prefer when it answered with another status', async () => {
    const r = await run(answer(keyed), ['apiKeyAuth=k1'], { specs: [spec] });
    const rows = r.coverage.filter((c) => c.state === 'not-provoked');
    expect(rows.length).toBe(2);
    expect(rows.some((row) => row.how.includes('does not honour Prefer'))).toBe(true);
    expect(rows.every((row) => !row.how.includes('no response'))).toBe(true);
  });
});

describe('the HTML report of what arrived', () => {
  const big =
    (type: string): InProcessHandler =>
    () => ({
      status: 500,
      headers: { 'content-type': type },
      body: 'x'.repeat(20_000),
    });

  it('marks ‹cut› under a text body that was cut, and not under a binary one only described', async () => {
    const text = await run(big('text/plain'), ['apiKeyAuth=k1']);
    expect(renderHtml(text, 't')).toContain('‹cut›');
    const binary = await run(big('image/png'), ['apiKeyAuth=k1']);
    const html = renderHtml(binary, 't');
    expect(html).toContain('binary body');
    expect(html).not.toContain('‹cut›');
  });

  it('counts as judged only the responses that arrived', async () => {
    // Requests with the key are answered; the rest hang.
    const r = await run(
      (request) => (request.headers['x-api-key'] === 'k1' ? keyed(request) : 'timeout'),
      ['apiKeyAuth=k1'],
    );
    const answered = r.exchanges.filter((e) => e.response).length;
    expect(answered).toBeLessThan(r.exchanges.length);
    for (const check of r.checks) {
      const judged = r.applied.filter((a) => a.check === check).reduce((n, a) => n + a.exchanges, 0);
      expect(judged, check).toBeLessThanOrEqual(answered);
    }
  });
});

describe('the HAR entry of a request that hung', () => {
  it('has the time it waited, not 0, and one that was answered keeps its own', async () => {
    // Requests without the key hang 30 ms, then time out.
    const r = await run(
      async (request) => {
        if (request.headers['x-api-key'] === 'k1') return keyed(request);
        await new Promise((done) => setTimeout(done, 30));
        return 'timeout';
      },
      ['apiKeyAuth=k1'],
    );
    const har = JSON.parse(renderHar(r, 't')) as {
      log: { entries: Array<{ time: number; response: { status: number } }> };
    };
    const hung = har.log.entries.filter((e) => e.response.status === 0);
    expect(hung.length).toBeGreaterThan(0);
    for (const e of hung) expect(e.time).toBeGreaterThanOrEqual(25);
    expect(har.log.entries.some((e) => e.response.status === 200)).toBe(true);
  });
});
