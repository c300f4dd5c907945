import { afterEach, describe, expect, it } from 'vitest';
import { type LenientDeployment, startLenientDeployment, type VerdictDefect } from './lenient-deployment.js';

/**
 * The stand-in itself: each defect is really there (so a conformance run that passes a variant is the runner's
 * miss, not a stand-in without its bug), and the lenient deployment answers the same request correctly.
 */
const basic = `Basic ${Buffer.from('demo-key:').toString('base64')}`;
const json = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = (id: unknown = 'init-1') =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
const toolsList = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

let running: LenientDeployment[] = [];
afterEach(async () => {
  await Promise.all(running.map((d) => d.close()));
  running = [];
});
async function both(defect: VerdictDefect) {
  const lenient = await startLenientDeployment();
  const broken = await startLenientDeployment({ defects: [defect] });
  running.push(lenient, broken);
  return { lenient, broken };
}
async function openSession(d: LenientDeployment): Promise<string> {
  const res = await fetch(`${d.url}/mcp`, {
    method: 'POST',
    headers: { ...json, authorization: basic },
    body: initialize(),
  });
  expect(res.status).toBe(200);
  return res.headers.get('mcp-session-id') ?? '';
}

describe('the lenient deployment', () => {
  it('ignores an out-of-enum optional parameter, chunks its bodies, and answers HTTP errors as JSON-RPC with id null', async () => {
    const d = await startLenientDeployment();
    running.push(d);
    const ok = await fetch(`${d.url}/mcp?param-style=nonsense`, {
      method: 'POST',
      headers: { ...json, authorization: basic },
      body: initialize(),
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe(
      'acme-stackone-gateway',
    );
    const unknown = await fetch(`${d.url}/mcp`, {
      method: 'POST',
      headers: { ...json, authorization: basic, 'mcp-session-id': 'nope' },
      body: toolsList,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('transfer-encoding')).toBe('chunked');
    expect(unknown.headers.get('x-request-id')).toBeTruthy();
    expect(await unknown.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32001 }, statusCode: 404 });
  });

  it('serves an event stream from the MCP SDK when only text/event-stream is accepted', async () => {
    const d = await startLenientDeployment();
    running.push(d);
    const res = await fetch(`${d.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: basic },
      body: initialize(),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await res.text()).toMatch(/data: \{"result":\{"protocolVersion"/);
  });
});

describe('each defect is present in its variant, and absent from the lenient deployment', () => {
  it('auth-bypass-on-real-resources: a real session or connection needs no credentials', async () => {
    const { lenient, broken } = await both('auth-bypass-on-real-resources');
    for (const [d, status] of [
      [lenient, 401],
      [broken, 200],
    ] as const) {
      const session = await openSession(d);
      const use = await fetch(`${d.url}/mcp`, {
        method: 'POST',
        headers: { ...json, 'mcp-session-id': session },
        body: toolsList,
      });
      expect(use.status).toBe(status);
      const del = await fetch(`${d.url}/connect/demo/conn-3`, { method: 'DELETE' });
      expect(del.status).toBe(status);
      const made = await fetch(`${d.url}/connect/demo/conn-999`, { method: 'DELETE' });
      expect(made.status).toBe(401); // a made-up id still meets the auth check: that is what hid the bypass
    }
  });

  it('deleted-session-400: a closed session answers 400, not 404', async () => {
    const { lenient, broken } = await both('deleted-session-400');
    for (const [d, status] of [
      [lenient, 404],
      [broken, 400],
    ] as const) {
      const session = await openSession(d);
      const headers = { ...json, authorization: basic, 'mcp-session-id': session };
      expect((await fetch(`${d.url}/mcp`, { method: 'DELETE', headers })).status).toBe(200);
      expect((await fetch(`${d.url}/mcp`, { method: 'POST', headers, body: toolsList })).status).toBe(status);
    }
  });

  it('rejects-uppercase-uuid', async () => {
    const { lenient, broken } = await both('rejects-uppercase-uuid');
    const path = '/v1/deepagents/mcp-servers/6F1C2A4E-8B3D-4F5A-9C7E-1D2B3A4C5E6F';
    const send = (d: LenientDeployment) =>
      fetch(`${d.url}${path}`, { method: 'DELETE', headers: { 'x-api-key': 'demo-key' } });
    expect((await send(lenient)).status).toBe(204);
    expect((await send(broken)).status).toBe(400);
  });

  it('rejects-optional-parameter and rejects-enum-value', async () => {
    for (const [defect, query] of [
      ['rejects-optional-parameter', 'tool-mode=individual'],
      ['rejects-enum-value', 'param-style=flat_smart'],
    ] as const) {
      const { lenient, broken } = await both(defect);
      const send = (d: LenientDeployment) =>
        fetch(`${d.url}/mcp?${query}`, {
          method: 'POST',
          headers: { ...json, authorization: basic },
          body: initialize(),
        });
      expect((await send(lenient)).status).toBe(200);
      expect((await send(broken)).status).toBe(400);
    }
  });

  it('rejects-unexampled-ids: a valid id unlike the docs’ examples gets -32600', async () => {
    const { lenient, broken } = await both('rejects-unexampled-ids');
    const send = async (d: LenientDeployment, id: unknown) =>
      (await (
        await fetch(`${d.url}/mcp`, {
          method: 'POST',
          headers: { ...json, authorization: basic },
          body: initialize(id),
        })
      ).json()) as { id: unknown; error?: { code: number } };
    expect((await send(broken, 'init-7')).error).toBeUndefined();
    expect((await send(broken, 'Req_ÄB 1')).error?.code).toBe(-32600);
    expect((await send(lenient, 'Req_ÄB 1')).error).toBeUndefined();
    expect((await send(lenient, 'Req_ÄB 1')).id).toBe('Req_ÄB 1');
  });

  it('crashes-on-unusual-strings: % in a header, an emoji in the query', async () => {
    const { lenient, broken } = await both('crashes-on-unusual-strings');
    for (const [where, value] of [
      ['header', '100% sure'],
      ['query', 'acc 🚀'],
    ] as const) {
      const send = (d: LenientDeployment) =>
        fetch(`${d.url}/mcp${where === 'query' ? `?x-account-id=${encodeURIComponent(value)}` : ''}`, {
          method: 'POST',
          headers: { ...json, authorization: basic, ...(where === 'header' ? { 'x-account-id': value } : {}) },
          body: initialize(),
        });
      expect((await send(lenient)).status).toBe(200);
      const crashed = await send(broken);
      expect(crashed.status).toBe(500);
      expect(await crashed.json()).toMatchObject({ statusCode: 500, message: 'Internal server error' });
    }
  });
});
