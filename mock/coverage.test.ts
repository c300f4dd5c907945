import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentedCodes, findResponse } from '../core/operations.js';
import type { OperationId } from '../generated/operations.js';
import { createMockApp } from './app.js';
import { initializeBody } from './examples.js';

/**
 * Every operation × every documented status, with the self-check on: a status is provoked the way a client
 * would run into it where that is possible, and with `Prefer: code=NNN` for the rest. The table of natural
 * provocations is data; the Prefer rows are computed from the spec, so a status added to a spec is covered
 * (and checked) without touching this file.
 */

const mock = await createMockApp({ selfCheck: true });
const agent = () => request(mock.app);
beforeEach(() => mock.reset());
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

const uuid = '0b6c3a1e-2f4d-4c8a-9e7b-5d1f2a3b4c5d';
const ping = { jsonrpc: '2.0', id: 7, method: 'ping' };

async function openSession(key = 'demo-key'): Promise<string> {
  const res = await agent().post('/mcp').auth(key, '').type('json').send(initializeBody);
  expect(res.status).toBe(200);
  return res.headers['mcp-session-id'] as string;
}

type Send = () => Promise<request.Response>;

/** How each status is reached without Prefer, where a client can reach it. */
const natural: Record<OperationId, Record<number, Send>> = {
  stackone_mcp_delete: {
    200: async () =>
      agent()
        .delete('/mcp')
        .auth('demo-key', '')
        .set('mcp-session-id', await openSession()),
    400: () => agent().delete('/mcp').auth('demo-key', ''),
    401: () => agent().delete('/mcp').set('mcp-session-id', 'demo-session'),
    404: () => agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', 'no-such-session'),
  },
  stackone_mcp_post: {
    200: () => agent().post('/mcp').auth('demo-key', '').type('json').send(initializeBody),
    202: async () =>
      agent()
        .post('/mcp')
        .auth('demo-key', '')
        .set('mcp-session-id', await openSession())
        .send({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    400: () => agent().post('/mcp').auth('demo-key', '').send(ping),
    401: () => agent().post('/mcp').auth('wrong-key', '').send(ping),
    404: () => agent().post('/mcp').auth('demo-key', '').set('mcp-session-id', 'no-such-session').send(ping),
  },
  'deleteSmithery.run:namespace:connectionId': {
    200: () => agent().delete('/connect/demo/conn-1').set('Authorization', 'Bearer demo-key'),
    400: () => agent().delete('/connect/demo/conn%20one').set('Authorization', 'Bearer demo-key'),
    401: () => agent().delete('/connect/demo/conn-1'),
    404: () => agent().delete('/connect/demo/conn-404').set('Authorization', 'Bearer demo-key'),
  },
  deleteMcpServer: {
    204: () => agent().delete(`/v1/deepagents/mcp-servers/${uuid}`).set('X-Api-Key', 'demo-key'),
    400: () => agent().delete('/v1/deepagents/mcp-servers/not-a-uuid').set('X-Api-Key', 'demo-key'),
    401: () => agent().delete(`/v1/deepagents/mcp-servers/${uuid}`),
    403: () => agent().delete(`/v1/deepagents/mcp-servers/${uuid}`).set('X-Api-Key', 'wrong-key'),
  },
};

/** A request each operation accepts, for Prefer to turn into the status asked for. */
const valid: Record<OperationId, (prefer: string) => request.Test> = {
  stackone_mcp_delete: (prefer) =>
    agent().delete('/mcp').auth('demo-key', '').set('mcp-session-id', 'demo-session').set('Prefer', prefer),
  stackone_mcp_post: (prefer) => agent().post('/mcp').auth('demo-key', '').set('Prefer', prefer).send(ping),
  'deleteSmithery.run:namespace:connectionId': (prefer) =>
    agent().delete('/connect/demo/conn-1').set('Authorization', 'Bearer demo-key').set('Prefer', prefer),
  deleteMcpServer: (prefer) =>
    agent().delete(`/v1/deepagents/mcp-servers/${uuid}`).set('X-Api-Key', 'demo-key').set('Prefer', prefer),
};

const operations = mock.served.flatMap((s) => s.compiled.operations);
const rows = operations.flatMap((op) =>
  documentedCodes(op).map((status) => ({
    label: `${op.specName} ${op.label}`,
    op,
    status,
    how: natural[op.operationId as OperationId]?.[status] ? 'natural' : 'Prefer',
  })),
);

describe('every operation × every documented status (self-check on)', () => {
  it('serves every operation of the three specs', () => {
    expect(operations.map((o) => o.operationId).sort()).toEqual(Object.keys(natural).sort());
  });

  it('provokes only documented statuses naturally', () => {
    for (const op of operations) {
      for (const status of Object.keys(natural[op.operationId as OperationId])) {
        expect(documentedCodes(op), `${op.label} ${status}`).toContain(Number(status));
      }
    }
  });

  it.each(rows)('$label → $status ($how)', async ({ op, status, how }) => {
    const id = op.operationId as OperationId;
    const res = how === 'natural' ? await (natural[id][status] as Send)() : await valid[id](`code=${status}`);
    expect(res.status).toBe(status);
    const documented = findResponse(op, status);
    expect(documented).toBeDefined();
    if (documented?.content.length) {
      expect(documented.content.map((m) => m.mediaType)).toContain(res.headers['content-type']?.split(';')[0]);
    } else {
      expect(res.text ?? '').toBe('');
    }
    // Documented Retry-After is sent where a client needs it to back off.
    if ([408, 429, 503].includes(status) && documented?.headers.some((h) => h.name === 'Retry-After')) {
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('covers every documented status of every operation', () => {
    const covered = new Set(rows.map((r) => `${r.op.operationId} ${r.status}`));
    const documented = operations.flatMap((op) => documentedCodes(op).map((s) => `${op.operationId} ${s}`));
    expect([...covered].sort()).toEqual(documented.sort());
    // 37 = 13 (POST /mcp) + 12 (DELETE /mcp) + 4 (Smithery) + 8 (LangSmith)
    expect(covered.size).toBe(37);
  });
});
