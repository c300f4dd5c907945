import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fromRoot } from '../core/paths.js';
import { createMockApp, type MockApp } from './app.js';

/**
 * A served spec file's refusals carry the real reason (review of issue 11): in the documented error body where
 * its schema has a string field for it (or room to add one), and always in the log — not the schema's sample
 * `{"message":"string"}` or Galaxy's `{}`. The self-check is on, so every body still fits the spec.
 */

const lines: string[] = [];
const apps: MockApp[] = [];
const dir = mkdtempSync(join(tmpdir(), 'mcpc-refusal-'));
beforeEach(() => {
  lines.length = 0;
});
afterAll(async () => {
  for (const app of apps) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(file: string): Promise<MockApp> {
  const app = await createMockApp({ specFiles: [file], selfCheck: true, log: (l) => lines.push(l) });
  apps.push(app);
  return app;
}
const lastLine = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  return lines.filter((l) => !l.startsWith('self-check')).at(-1) ?? '';
};

const galaxy = await serve(fromRoot('node_modules', '@scalar/galaxy/dist/latest.json'));
const auth = { Authorization: 'Bearer x' };

describe('Galaxy (@scalar/galaxy)', () => {
  it('a missing credential: the documented 400 says so, and so does the log', async () => {
    const res = await request(galaxy.app).post('/planets').send({ name: 'Ceti' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Missing credentials: send Authorization: Bearer/);
    expect(await lastLine()).toMatch(/ POST \/planets 400 [\d.]+ms Missing credentials/);
  });

  it('Prefer: code=418 names the documented statuses, in the body and the log (was 404 {})', async () => {
    const res = await request(galaxy.app).get('/planets/1').set(auth).set('Prefer', 'code=418');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(res.body)).toContain(
      'Prefer: code=418 is not documented for GET /planets/{planetId}; documented:',
    );
    expect(await lastLine()).toContain('Prefer: code=418 is not documented for GET /planets/{planetId}; documented:');
  });

  it('an oversized body: the reason, not the sample', async () => {
    const res = await request(galaxy.app)
      .post('/planets')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('the request body is larger than 1024 KiB');
    expect(await lastLine()).toMatch(/ 400 [\d.]+ms the request body is larger than 1024 KiB$/);
    expect(galaxy.violations).toEqual([]);
  });
});

describe('an error schema with no room for a reason', () => {
  const strict = join(dir, 'strict.json');
  writeFileSync(
    strict,
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'strict', version: '1' },
      paths: {
        '/things': {
          post: {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { type: 'object', required: ['name'] } } },
            },
            responses: {
              '201': { description: 'created', content: { 'application/json': { schema: { type: 'object' } } } },
              '400': {
                description: 'refused',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['code'],
                      additionalProperties: false,
                      properties: { code: { type: 'integer' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    }),
  );

  it('the body stays valid against the schema (nothing added), and the log still has the reason', async () => {
    const app = await serve(strict);
    const res = await request(app.app).post('/things').send({ nope: 1 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body)).toEqual(['code']);
    expect(await lastLine()).toMatch(/ POST \/things 400 [\d.]+ms the request body does not match the schema/);
    expect(app.violations).toEqual([]);
  });
});
