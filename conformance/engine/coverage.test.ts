import { describe, expect, it } from 'vitest';
import { compiled, demoCredentials, exchange, fixtureSpec, json, operation, response } from '../test-helpers.js';
import type { CaseResult } from '../types.js';
import { computeCoverage } from './coverage.js';
import { finishPlan } from './finished-plan.js';
import { planSpec } from './plan.js';
import { parseTarget } from './target.js';

const langsmith = await compiled('langsmith');
const external = await compiled(fixtureSpec('external-root.yaml'));
const options = { credentials: demoCredentials(), params: new Map(), allowDestructive: false, seed: 1 };
const target = parseTarget('http://127.0.0.1:4010');
const langsmithPlan = finishPlan(
  planSpec(langsmith, options, () => true),
  target,
);
const externalPlan = finishPlan(
  planSpec(external, options, () => true),
  target,
);
const del = operation(langsmith, 'deleteMcpServer');

const preferResult = (
  status: number,
  outcome: CaseResult['outcome'],
  statuses: number[],
  reason?: string,
): CaseResult => ({
  id: `langsmith:deleteMcpServer:prefer:${status}`,
  specName: 'langsmith',
  operation: del.label,
  kind: 'prefer',
  title: `Prefer: code=${status}`,
  outcome,
  statuses,
  reason,
  preferredStatus: status,
});

describe('computeCoverage', () => {
  const rows = computeCoverage(
    [langsmithPlan],
    [
      { exchange: exchange({ operation: del, response: json(404, {}) }), failed: false },
      { exchange: exchange({ operation: del, kind: 'no-auth', response: json(401, {}) }), failed: false },
      { exchange: exchange({ operation: del, kind: 'wrong-auth', response: json(401, {}) }), failed: true },
      {
        exchange: exchange({ operation: del, kind: 'prefer', preferredStatus: 503, response: json(503, {}) }),
        failed: false,
      },
      { exchange: exchange({ operation: del, response: undefined }), failed: false },
    ],
    [
      preferResult(500, 'failed', [404]),
      preferResult(502, 'skipped', [], 'the target does not honour Prefer: code=NNN'),
    ],
    false,
  );
  const row = (status: string) => rows.find((r) => r.status === status);

  it('has one row per documented status of each planned operation, in spec order', () => {
    expect(rows.map((r) => r.status)).toEqual(['204', '400', '401', '403', '404', '500', '502', '503']);
    for (const r of rows) expect(r).toMatchObject({ specName: 'langsmith', operation: del.label });
  });

  it.each([
    ['a status reached naturally whose responses passed', '404', { state: 'passed', how: 'natural' }],
    ['a status where one response failed a check', '401', { state: 'failed', how: 'natural' }],
    ['a status reached only through Prefer', '503', { state: 'passed', how: 'Prefer' }],
    [
      'a Prefer case that got something else',
      '500',
      { state: 'not-provoked', how: 'asked with Prefer: code=500, got 404' },
    ],
    [
      'a Prefer case that was never sent',
      '502',
      { state: 'not-provoked', how: 'not provokable here: the target does not honour Prefer: code=NNN' },
    ],
    [
      'the success of a delete the run may not perform',
      '204',
      { state: 'not-provoked', how: expect.stringContaining('--allow-destructive') },
    ],
    ['a status nothing asked for', '403', { state: 'not-provoked', how: 'no planned case provoked it' }],
  ])('%s', (_name, status, want) => {
    expect(row(status)).toMatchObject(want);
  });

  it('counts a response in a documented range for the range, and says a range cannot be asked for', () => {
    const getThing = operation(external, 'getThing');
    const hit = computeCoverage(
      [externalPlan],
      [{ exchange: exchange({ operation: getThing, response: json(418, { title: 't' }) }), failed: false }],
      [],
      false,
    );
    expect(hit.find((r) => r.status === '4XX')).toMatchObject({ state: 'passed', how: 'natural' });
    const missed = computeCoverage(
      [externalPlan],
      [{ exchange: exchange({ operation: getThing, response: response(200) }), failed: false }],
      [],
      false,
    );
    expect(missed.find((r) => r.status === '4XX')).toMatchObject({
      state: 'not-provoked',
      how: 'a range (4XX) cannot be asked for; no case landed in it',
    });
  });
});
