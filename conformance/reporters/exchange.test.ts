import { describe, expect, it } from 'vitest';
import { createRedactor } from '../http/curl.js';
import type { Exchange } from '../types.js';
import { toReportedExchange } from './exchange.js';

/** What a report keeps of an exchange: redacted everywhere a secret can be, bodies cut at the limit. */
const secret = 'tok-SECRET-123';
const redact = createRedactor([{ value: secret, envName: 'MCP_CONTRACTS_AUTH_BEARERAUTH' }]).redact;
const exchange = {
  caseId: 'c',
  step: undefined,
  label: 'GET /x',
  request: {
    method: 'GET',
    path: '/x',
    query: [],
    url: `http://x/x?key=${secret}`,
    headers: { authorization: `Bearer ${secret}` },
    body: `{"token":"${secret}"}`,
  },
  response: {
    status: 200,
    headers: { 'x-echo': secret },
    body: `${secret}${'y'.repeat(5000)}`,
    bodyBytes: 5014,
    truncated: false,
    elapsedMs: 250,
  },
  error: undefined,
} as unknown as Exchange;

describe('toReportedExchange', () => {
  const reported = toReportedExchange(exchange, 'spec', redact, {
    bodyLimit: 1000,
    now: Date.parse('2026-01-01T00:00:01Z'),
  });

  it('redacts the URL, every header, and both bodies', () => {
    expect(JSON.stringify(reported)).not.toContain(secret);
    expect(reported.request.headers.authorization).toBe('Bearer ***');
    expect(reported.response!.headers['x-echo']).toBe('***');
  });

  it('cuts a body at the limit and says so; keeps a short one whole', () => {
    expect(reported.response!.body.length).toBeLessThanOrEqual(1000);
    expect(reported.response!.truncated).toBe(true);
    expect(reported.response!.bodyBytes).toBe(5014);
    expect(toReportedExchange(exchange, 'spec', redact, { bodyLimit: 10_000 }).response!.truncated).toBe(false);
  });

  it('dates the request from when the response came, minus the time it took', () => {
    expect(reported.startedAt).toBe('2026-01-01T00:00:00.750Z');
  });
});
