import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../core/paths.js';
import { createMockApp, type MockApp } from '../../mock/app.js';
import { startCli } from './mock-process.js';

/**
 * `mock --spec FILE` keeps state inferred from the spec (issue 11 items 7–8): on four third-party specs, a
 * create → read → list → delete → read-404 flow, with the self-check on so every answer fits the spec. (The
 * conformance runner against the same four is in test/slow/mock-spec-file.test.ts.)
 */

const file = (path: string) => fromRoot('node_modules', path);
const apps: MockApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function serve(path: string, fixtures?: { specFileCredentials: string[] }): Promise<MockApp> {
  const app = await createMockApp({ specFiles: [file(path)], selfCheck: true, ...(fixtures ? { fixtures } : {}) });
  apps.push(app);
  return app;
}

describe('the stateful flow on each spec', () => {
  it('Galaxy: POST /planets → GET /planets/{id} → listed → DELETE → 404', async () => {
    const m = await serve('@scalar/galaxy/dist/latest.json');
    const auth = { Authorization: 'Bearer anything' };
    const created = await request(m.app).post('/planets').set(auth).send({ name: 'Vulcan', type: 'terrestrial' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.name).toBe('Vulcan');
    const read = await request(m.app).get(`/planets/${id}`).set(auth);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, name: 'Vulcan' });
    const list = await request(m.app).get('/planets').set(auth);
    expect(list.body.data.map((p: { id: unknown }) => p.id)).toEqual([id]);
    expect((await request(m.app).delete(`/planets/${id}`).set(auth)).status).toBe(204);
    expect((await request(m.app).get(`/planets/${id}`).set(auth)).status).toBe(404);
    expect((await request(m.app).delete(`/planets/${id}`).set(auth)).status).toBe(404);
    expect(m.violations).toEqual([]);
  });

  it('Train Travel: POST /bookings → GET /bookings/{id} (a uuid) → listed → DELETE → 404', async () => {
    const m = await serve('@readme/oas-examples/3.1/json/train-travel.json');
    const auth = { Authorization: 'Bearer anything', Accept: 'application/json' };
    const body = { trip_id: '4f4e4e10-c824-4d63-b37a-d8d698862f1d', passenger_name: 'Ada', has_dog: true };
    const created = await request(m.app).post('/bookings').set(auth).send(body);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await request(m.app).get(`/bookings/${id}`).set(auth)).body).toMatchObject({ id, passenger_name: 'Ada' });
    const list = await request(m.app).get('/bookings').set(auth);
    expect(JSON.stringify(list.body)).toContain(id);
    expect((await request(m.app).delete(`/bookings/${id}`).set(auth)).status).toBe(204);
    expect((await request(m.app).get(`/bookings/${id}`).set(auth)).status).toBe(404);
    expect(m.violations).toEqual([]);
  });

  it.each(['@readme/oas-examples/3.0/json/petstore.json', '@readme/oas-examples/3.1/json/petstore.json'])(
    'Petstore (%s): POST /user → GET /user/{username} → DELETE → 404 (the spec has no list of users)',
    async (path) => {
      const m = await serve(path);
      const created = await request(m.app)
        .post('/v2/user')
        .set('api_key', 'k')
        .send({ username: 'ada', firstName: 'Ada' });
      expect(created.status).toBe(200);
      const read = await request(m.app).get('/v2/user/ada').set('api_key', 'k');
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ username: 'ada', firstName: 'Ada' });
      // Petstore documents no success for DELETE /user/{username} (400 and 404 only): the user is gone all the same.
      await request(m.app).delete('/v2/user/ada').set('api_key', 'k');
      expect((await request(m.app).get('/v2/user/ada').set('api_key', 'k')).status).toBe(404);
      expect(m.violations).toEqual([]);
    },
  );
});

describe('what a served file does not infer', () => {
  it('an id never created gets the documented 404; a POST /__mock/reset forgets everything', async () => {
    const m = await serve('@scalar/galaxy/dist/latest.json');
    const auth = { Authorization: 'Bearer x' };
    expect((await request(m.app).get('/planets/4242').set(auth)).status).toBe(404);
    const created = await request(m.app).post('/planets').set(auth).send({ name: 'Kepler' });
    expect((await request(m.app).get(`/planets/${created.body.id}`).set(auth)).status).toBe(200);
    await request(m.app).post('/__mock/reset');
    expect((await request(m.app).get(`/planets/${created.body.id}`).set(auth)).status).toBe(404);
  });

  it('credentials: any non-empty value by default; only the fixtures’ when they name some', async () => {
    // POST /planets takes Galaxy's global security (its GETs are public).
    const post = (app: MockApp, auth?: string) => {
      const req = request(app.app).post('/planets');
      return (auth ? req.set('Authorization', auth) : req).send({ name: 'Ceti' });
    };
    const open = await serve('@scalar/galaxy/dist/latest.json');
    expect((await post(open, 'Bearer whatever')).status).toBe(201);
    // Galaxy documents no 401 for it: the refusal is the client error it does document (400), not a success.
    expect((await post(open)).status).toBe(400);
    const closed = await serve('@scalar/galaxy/dist/latest.json', { specFileCredentials: ['right'] });
    expect((await post(closed, 'Bearer right')).status).toBe(201);
    expect((await post(closed, 'Bearer wrong')).status).toBe(400);
    expect(closed.violations).toEqual([]);
  });

  it('an invalid body is refused with the spec’s own 400', async () => {
    const m = await serve('@scalar/galaxy/dist/latest.json');
    const res = await request(m.app).post('/planets').set('Authorization', 'Bearer x').send({ name: 7 });
    expect(res.status).toBe(400);
    expect(m.violations).toEqual([]);
  });
});

describe('the built CLI', () => {
  it('mock --spec FILE says what it serves and how, and serves it', async () => {
    const cli = startCli(['mock', '--spec', file('@scalar/galaxy/dist/latest.json'), '--port', '0']);
    try {
      const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 15_000);
      await cli.waitFor(/Ready in/, 15_000);
      expect(cli.output()).toMatch(/any non-empty credential is accepted/);
      expect(cli.output()).toMatch(/POST \{collection\} creates/);
      const res = await fetch(`${url}/planets`, { headers: { Authorization: 'Bearer x' } });
      expect(res.status).toBe(200);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exit;
    }
  });

  it('--seed: the same seed gives the same Prefer: dynamic=true answers from the built CLI; another seed others', async () => {
    const galaxy = file('@scalar/galaxy/dist/latest.json');
    const answers = async (seed: string): Promise<string[]> => {
      const cli = startCli(['mock', '--spec', galaxy, '--port', '0', '--seed', seed, '--quiet']);
      try {
        const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 15_000);
        const out: string[] = [];
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${url}/planets`, { headers: { Authorization: 'Bearer x', Prefer: 'dynamic=true' } });
          expect(res.status).toBe(200);
          out.push(await res.text());
        }
        return out;
      } finally {
        cli.child.kill('SIGTERM');
        await cli.exit;
      }
    };
    const first = await answers('11');
    expect(await answers('11')).toEqual(first);
    expect(await answers('12')).not.toEqual(first);
  });

  it('refuses a --seed that is not a whole number with one coded line', async () => {
    const cli = startCli(['mock', '--spec', file('@scalar/galaxy/dist/latest.json'), '--port', '0', '--seed', 'abc']);
    expect(await cli.exit).toBe(2);
    expect(cli.output()).toMatch(/MCPC_USAGE.*--seed must be a whole number/);
    expect(cli.output()).not.toMatch(/\bat \w+ \(/);
  });

  it('a --spec that is neither a bundled name nor a file is one coded usage error', async () => {
    const cli = startCli(['mock', '--spec', 'nope.yaml', '--port', '0']);
    expect(await cli.exit).toBe(2);
    expect(cli.output()).toMatch(/MCPC_USAGE.*neither a bundled spec/);
    expect(cli.output()).not.toMatch(/\bat \w+ \(/);
  });
});
