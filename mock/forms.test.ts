import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../core/paths.js';
import { createMockApp, type MockApp } from './app.js';

/**
 * Form (`application/x-www-form-urlencoded`) and `multipart/form-data` request bodies under `mock --spec FILE`
 * (issue 11): decoded by their schema (core/media-encoding.ts; Node's own multipart parser) and validated like
 * JSON, on Petstore 3.0's updatePetWithForm and uploadFile, and on a small spec whose form creates a resource,
 * so that the decoded, typed value can be read back.
 */

const apps: MockApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function serve(file: string, lines: string[] = []): Promise<MockApp> {
  const app = await createMockApp({ specFiles: [file], selfCheck: true, log: (line) => lines.push(line) });
  apps.push(app);
  return app;
}

const petstore = fromRoot('node_modules/@readme/oas-examples/3.0/json/petstore.json');
const auth = { Authorization: 'Bearer t' };

describe('Petstore 3.0', () => {
  it('uploadFile: a multipart body with a file and a text part is accepted (200 ApiResponse)', async () => {
    const m = await serve(petstore);
    const res = await request(m.app)
      .post('/v2/pet/1/uploadImage')
      .set(auth)
      .field('additionalMetadata', 'front view')
      .attach('file', Buffer.from('\x89PNG fake'), { filename: 'rex.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expect(m.violations).toEqual([]);
  });

  it('uploadFile: a part that is not the string its schema says, or a broken multipart body, is a 400', async () => {
    const m = await serve(petstore);
    const boundary = 'b0undary';
    const jsonPart = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="additionalMetadata"; filename="meta.json"',
      'Content-Type: application/json',
      '',
      '{"angle":"front"}',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const wrongType = await request(m.app)
      .post('/v2/pet/1/uploadImage')
      .set(auth)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(jsonPart);
    expect(wrongType.status).toBe(400);
    expect(JSON.stringify(wrongType.body)).toContain('additionalMetadata');
    const broken = await request(m.app)
      .post('/v2/pet/1/uploadImage')
      .set(auth)
      .set('Content-Type', 'multipart/form-data')
      .send('not multipart at all');
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.body)).toContain('multipart/form-data');
  });

  it('updatePetWithForm: a form is accepted; a field sent twice (an array, not the string) is refused', async () => {
    const lines: string[] = [];
    const m = await serve(petstore, lines);
    const ok = await request(m.app).post('/v2/pet/1').set(auth).type('form').send('name=Rex&status=sold');
    // Its only documented answer is 405 "Invalid input", for success and refusal alike: the log line says which.
    expect(ok.status).toBe(405);
    expect(lines.at(-1)).not.toContain('does not match');
    const twice = await request(m.app).post('/v2/pet/1').set(auth).type('form').send('name=Rex&name=Max');
    expect(twice.status).toBe(405);
    expect(lines.at(-1)).toContain('the request body does not match the schema');
    expect(m.violations).toEqual([]);
  });
});

const spec = {
  openapi: '3.1.0',
  info: { title: 'forms', version: '1' },
  paths: {
    '/things': {
      post: {
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/NewThing' } },
            'multipart/form-data': {
              schema: { $ref: '#/components/schemas/NewThing' },
              encoding: { meta: { contentType: 'application/json' } },
            },
          },
        },
        responses: {
          '201': {
            description: 'made',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '400': { description: 'bad', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/things/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': { description: 'none', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      NewThing: {
        type: 'object',
        required: ['name', 'count'],
        properties: {
          name: { type: 'string', minLength: 1 },
          count: { type: 'integer', minimum: 0 },
          tags: { type: 'array', items: { type: 'string' } },
          meta: { type: 'object', properties: { colour: { type: 'string' } } },
        },
      },
      Thing: {
        type: 'object',
        required: ['id', 'name'],
        properties: {
          id: { type: 'integer' },
          name: { type: 'string' },
          count: { type: 'integer' },
          tags: { type: 'array', items: { type: 'string' } },
          meta: { type: 'object' },
        },
      },
    },
  },
};

describe('a spec whose create takes a form or multipart', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'mcpc-forms-')), 'forms.json');
  writeFileSync(file, JSON.stringify(spec));

  it('stores the typed value of a form: "3" is 3, a repeated field an array (read back as stored)', async () => {
    const m = await serve(file);
    const made = await request(m.app).post('/things').type('form').send('name=Kim+Lee&count=3&tags=a&tags=b%26c');
    expect(made.status).toBe(201);
    const read = await request(m.app).get(`/things/${made.body.id}`);
    expect(read.body).toMatchObject({ name: 'Kim Lee', count: 3, tags: ['a', 'b&c'] });
    expect(m.violations).toEqual([]);
  });

  it('stores a multipart body with a JSON part as its object', async () => {
    const m = await serve(file);
    const made = await request(m.app)
      .post('/things')
      .field('name', 'Box')
      .field('count', '0')
      .attach('meta', Buffer.from('{"colour":"red"}'), { filename: 'meta.json', contentType: 'application/json' });
    expect(made.status).toBe(201);
    const read = await request(m.app).get(`/things/${made.body.id}`);
    expect(read.body).toMatchObject({ name: 'Box', count: 0, meta: { colour: 'red' } });
  });

  it('refuses with 400 a form that misses a required field, has text for an integer, or a negative count', async () => {
    const m = await serve(file);
    for (const body of ['count=3', 'name=A&count=three', 'name=A&count=-1', 'name=&count=1']) {
      const res = await request(m.app).post('/things').type('form').send(body);
      expect(res.status, body).toBe(400);
    }
    const multipart = await request(m.app).post('/things').field('name', 'A').field('count', 'x');
    expect(multipart.status).toBe(400);
    expect(m.violations).toEqual([]);
  });
});
