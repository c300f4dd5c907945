import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../app.js';

const mock = await createMockApp({ selfCheck: true });
const agent = () => request(mock.app);
const del = (path: string, key?: string) => {
  const req = agent().delete(path);
  return key === undefined ? req : req.set('Authorization', `Bearer ${key}`);
};
beforeEach(() => mock.reset());
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

describe('Smithery DELETE /connect/{namespace}/{connectionId}', () => {
  it('deletes an owned connection once: 200 {"success":true}, then 404', async () => {
    const first = await del('/connect/demo/conn-20', 'demo-key');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ success: true });
    expect(mock.state.smithery.namespaces.get('demo')?.connections.has('conn-20')).toBe(false);
    const again = await del('/connect/demo/conn-20', 'demo-key');
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: 'not_found', message: "Connection 'conn-20' not found in namespace 'demo'" });
  });

  it.each([
    ['an unknown namespace', '/connect/nobody/conn-1'],
    ["another key's namespace", '/connect/other/conn-1'],
  ])('answers 404 for %s, with the same message either way', async (_name, path) => {
    const res = await del(path, 'demo-key');
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/^Namespace '\w+' not found$/);
  });

  it("lets the other key delete in its own namespace, and not in demo's", async () => {
    expect((await del('/connect/other/conn-1', 'other-key')).status).toBe(200);
    expect((await del('/connect/demo/conn-1', 'other-key')).status).toBe(404);
    expect(mock.state.smithery.namespaces.get('demo')?.connections.has('conn-1')).toBe(true);
  });

  it.each([
    ['a space', '/connect/demo/conn%201'],
    ['a leading dot', '/connect/.demo/conn-1'],
    ['an encoded slash', '/connect/demo/a%2Fb'],
    ['too long', `/connect/demo/${'c'.repeat(129)}`],
  ])('answers 400 for malformed input: %s', async (_name, path) => {
    const res = await del(path, 'demo-key');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.message).toMatch(/malformed/);
  });

  it.each([
    ['no key', undefined, 'Missing credentials: send Authorization: Bearer <API key>'],
    ['a wrong key', 'nope', 'Invalid API key: it is not one of the keys this Smithery mock accepts (see its fixtures)'],
  ])('answers 401 with the Error schema for %s (the documented spec gap)', async (_name, key, message) => {
    const res = await del('/connect/demo/conn-1', key);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized', message });
  });
});
