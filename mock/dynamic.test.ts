import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../core/paths.js';
import { createMockApp, type MockApp } from './app.js';

/**
 * `Prefer: dynamic=true` (issue 11 item 7): fresh data per request from the response schema, seeded by `--seed`.
 * Every answer goes through the self-check (on), so a dynamic body that did not fit would be a 500 here and a
 * violation; the runner's own response check is the same rule.
 */

const apps: MockApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function serve(path: string, seed?: number, specs?: ['smithery']): Promise<MockApp> {
  const app = await createMockApp({
    specFiles: path ? [fromRoot('node_modules', path)] : [],
    ...(specs ? { specs } : {}),
    selfCheck: true,
    ...(seed !== undefined ? { seed } : {}),
  });
  apps.push(app);
  return app;
}

const petstore = '@readme/oas-examples/3.0/json/petstore.json';
const galaxy = '@scalar/galaxy/dist/latest.json';

/** The same five requests against a fresh mock with this seed: their bodies. */
async function bodies(path: string, seed: number, url: string, auth: Record<string, string>): Promise<unknown[]> {
  const m = await serve(path, seed);
  const out: unknown[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await request(m.app).get(url).set(auth).set('Prefer', 'dynamic=true');
    expect(res.status).toBe(200);
    out.push(res.body);
  }
  expect(m.violations).toEqual([]);
  return out;
}

describe.each<{ name: string; path: string; url: string; auth: Record<string, string> }>([
  {
    name: 'Petstore 3.0',
    path: petstore,
    url: '/v2/pet/findByStatus?status=available',
    auth: { api_key: 'k', Authorization: 'Bearer t' },
  },
  { name: 'Galaxy', path: galaxy, url: '/planets', auth: { Authorization: 'Bearer anything' } },
])('Prefer: dynamic=true on $name', ({ path, url, auth }) => {
  it('repeats with one seed, differs between seeds and between requests, and every body fits', async () => {
    const first = await bodies(path, 7, url, auth);
    const again = await bodies(path, 7, url, auth);
    const other = await bodies(path, 8, url, auth);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // Fresh per request: five answers are not one answer five times.
    expect(new Set(first.map((b) => JSON.stringify(b))).size).toBeGreaterThan(1);
  });

  it('without the preference, the canned answer stays the same on every request', async () => {
    const m = await serve(path, 7);
    const a = await request(m.app).get(url).set(auth);
    const b = await request(m.app).get(url).set(auth);
    expect(a.body).toEqual(b.body);
  });
});

describe('Prefer: dynamic=true with stored resources and with a forced status', () => {
  it('a created planet reads back and lists as stored, not as fresh data', async () => {
    const m = await serve(galaxy, 3);
    const auth = { Authorization: 'Bearer t', Prefer: 'dynamic=true' };
    const created = await request(m.app).post('/planets').set(auth).send({ name: 'Vulcan' });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('Vulcan');
    const read = await request(m.app).get(`/planets/${created.body.id}`).set(auth);
    expect(read.body).toMatchObject({ id: created.body.id, name: 'Vulcan' });
    const list = await request(m.app).get('/planets').set(auth);
    expect(list.body.data.map((p: { id: unknown }) => p.id)).toEqual([created.body.id]);
    expect(m.violations).toEqual([]);
  });

  it('code=NNN, dynamic=true is fresh data of that status; on a bundled spec too', async () => {
    const m = await serve('', 5, ['smithery']);
    for (let i = 0; i < 4; i++) {
      const res = await request(m.app)
        .delete('/connect/demo/conn-1')
        .set('Authorization', 'Bearer demo-key')
        .set('Prefer', 'code=200, dynamic=true');
      expect(res.status).toBe(200);
    }
    expect(m.violations).toEqual([]);
  });

  it('refuses a dynamic value that is neither true nor false with a 400 saying so', async () => {
    const m = await serve(galaxy);
    const res = await request(m.app).get('/planets').set('Authorization', 'Bearer x').set('Prefer', 'dynamic=maybe');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('dynamic must be true or false');
  });

  it('dynamic=false is the canned answer', async () => {
    const m = await serve(galaxy, 1);
    const auth = { Authorization: 'Bearer x' };
    const canned = await request(m.app).get('/planets').set(auth);
    const off = await request(m.app).get('/planets').set(auth).set('Prefer', 'dynamic=false');
    expect(off.body).toEqual(canned.body);
  });
});
