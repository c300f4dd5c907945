import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../core/paths.js';
import { createMockApp, type MockApp } from './app.js';
import type { FixturesInput } from './fixtures.js';

/**
 * Records for a served spec file from the fixtures (`specFileRecords`, issue 11): readable and listed from the
 * start, back after a reset, the id read where a create would have written it; a broken entry is refused by the
 * fixtures schema with one coded line.
 */

const galaxy = fromRoot('node_modules/@scalar/galaxy/dist/latest.json');
const petstore = fromRoot('node_modules/@readme/oas-examples/3.1/json/petstore.json');
const apps: MockApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function serve(file: string, fixtures: FixturesInput, lines: string[] = []): Promise<MockApp> {
  const app = await createMockApp({ specFiles: [file], selfCheck: true, fixtures, log: (l) => lines.push(l) });
  apps.push(app);
  return app;
}

const planets = {
  '/planets': [
    { id: 7, name: 'Vulcan', type: 'terrestrial' },
    { id: 8, name: 'Kronos', type: 'terrestrial' },
  ],
};

describe('specFileRecords', () => {
  it('Galaxy: the planets are readable and listed at start, a create does not reuse their ids, reset brings them back', async () => {
    const m = await serve(galaxy, { specFileRecords: planets });
    const auth = { Authorization: 'Bearer x' };
    const read = await request(m.app).get('/planets/7').set(auth);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: 7, name: 'Vulcan' });
    const list = await request(m.app).get('/planets').set(auth);
    expect(list.body.data.map((p: { id: number }) => p.id)).toEqual([7, 8]);
    const created = await request(m.app).post('/planets').set(auth).send({ name: 'Risa' });
    expect(created.status).toBe(201);
    expect([7, 8]).not.toContain(created.body.id);
    expect((await request(m.app).delete('/planets/7').set(auth)).status).toBe(204);
    expect((await request(m.app).get('/planets/7').set(auth)).status).toBe(404);
    await request(m.app).post('/__mock/reset');
    expect((await request(m.app).get('/planets/7').set(auth)).status).toBe(200);
    expect((await request(m.app).get(`/planets/${created.body.id}`).set(auth)).status).toBe(404);
    expect(m.violations).toEqual([]);
  });

  it('Petstore: a user is found by the property named like the path parameter (username), not by "id"', async () => {
    const m = await serve(petstore, { specFileRecords: { '/user': [{ id: 1, username: 'ada', firstName: 'Ada' }] } });
    const read = await request(m.app).get('/v2/user/ada').set('api_key', 'k');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ username: 'ada', firstName: 'Ada' });
    expect((await request(m.app).get('/v2/user/1').set('api_key', 'k')).status).toBe(404);
  });

  it('a path that is no collection of this spec is ignored; a record without an id is left out with a log line', async () => {
    const lines: string[] = [];
    const m = await serve(
      galaxy,
      { specFileRecords: { '/moons': [{ id: 1 }], '/planets': [{ name: 'Nameless' }] } },
      lines,
    );
    const list = await request(m.app).get('/planets').set('Authorization', 'Bearer x');
    expect(JSON.stringify(list.body)).not.toContain('Nameless');
    expect(lines.some((l) => /specFileRecords \/planets: a record without an id/.test(l))).toBe(true);
  });

  it('the fixtures schema refuses a record that is not an object, and a key that is not a path', async () => {
    await expect(
      createMockApp({ specFiles: [galaxy], fixtures: { specFileRecords: { '/planets': [7] } } as never }),
    ).rejects.toThrow(/MCPC_CONFIG|specFileRecords/);
    await expect(
      createMockApp({ specFiles: [galaxy], fixtures: { specFileRecords: { planets: [] } } }),
    ).rejects.toThrow(/specFileRecords/);
  });
});
