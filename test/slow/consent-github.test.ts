import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../core/paths.js';
import { runCli } from '../e2e/cli.js';

/**
 * Issue 9, item 15: without --allow-destructive, a run against GitHub's api.github.com plans nothing that may
 * create, change or delete data, except creations it can undo through the spec (and then undoes). The dry run
 * marks each planned request `safe`, `undoable` or `needs-consent`; this counts them by method and marking.
 *
 * Assumed shape (the marking is being added in parallel): `--dry-run --report json=FILE` writes the plan, and
 * every planned request in it — wherever it sits — is an object with a string `method`, a `url` or `path`, and
 * a string `consent`. The walk below finds them by those fields, so the nesting may change freely.
 */

const githubSpec = fromRoot('node_modules/@octokit/openapi/generated/api.github.com.json');
const httpMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'POST', 'PUT', 'PATCH', 'DELETE']);

interface PlannedRequest {
  method: string;
  where: string;
  consent: unknown;
}

/** Every object that looks like a planned request: an HTTP method and somewhere to send it. */
function plannedRequests(node: unknown, found: PlannedRequest[] = []): PlannedRequest[] {
  if (Array.isArray(node)) {
    for (const item of node) plannedRequests(item, found);
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const where = typeof o.url === 'string' ? o.url : typeof o.path === 'string' ? o.path : undefined;
    if (typeof o.method === 'string' && httpMethods.has(o.method.toUpperCase()) && where !== undefined) {
      found.push({ method: o.method.toUpperCase(), where, consent: o.consent });
    }
    for (const value of Object.values(o)) plannedRequests(value, found);
  }
  return found;
}

function countByMethodAndConsent(requests: PlannedRequest[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const r of requests) {
    const row = counts[r.method] ?? {};
    counts[r.method] = row;
    const key = typeof r.consent === 'string' ? r.consent : 'unmarked';
    row[key] = (row[key] ?? 0) + 1;
  }
  return counts;
}

describe('consent on GitHub’s api.github.com (dry run, no --allow-destructive)', () => {
  it('plans zero requests that need consent, each one marked', { timeout: 240_000 }, async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'mcpc-github-')), 'plan.json');
    const started = Date.now();
    const run = await runCli(
      [
        'conformance',
        '--dry-run',
        '--spec',
        githubSpec,
        '--target',
        'http://127.0.0.1:9',
        '--report',
        `json=${report}`,
      ],
      { timeoutMs: 200_000 },
    );
    const seconds = (Date.now() - started) / 1000;
    console.info(`dry run of api.github.com: ${seconds.toFixed(1)} s wall, exit ${run.code}`);
    expect(run.stderr.slice(0, 2000)).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(report), 'the dry run writes its plan with --report json=FILE').toBe(true);

    const requests = plannedRequests(JSON.parse(readFileSync(report, 'utf8')));
    const counts = countByMethodAndConsent(requests);
    console.info(`planned requests by method and marking: ${JSON.stringify(counts)}`);
    // The plan is the whole spec (about 1000 operations), not an empty one that trivially needs no consent.
    expect(requests.length).toBeGreaterThan(1000);
    expect(counts.GET?.safe ?? 0).toBeGreaterThan(500);

    const markings = new Set(requests.map((r) => r.consent));
    expect([...markings].filter((m) => !['safe', 'undoable', 'needs-consent'].includes(String(m)))).toEqual([]);
    const needsConsent = requests.filter((r) => r.consent === 'needs-consent');
    expect(needsConsent.map((r) => `${r.method} ${r.where}`).slice(0, 20)).toEqual([]);

    // Reads are safe; nothing is marked safe that the marking itself calls a write.
    for (const method of ['GET', 'HEAD'])
      expect(Object.keys(counts[method] ?? {}).filter((k) => k !== 'safe')).toEqual([]);
    // Irreversible actions from the report are not sent at all: revoking credentials cannot be undone.
    const path = (r: PlannedRequest) => r.where.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '');
    expect(requests.filter((r) => r.method === 'POST' && path(r) === '/credentials/revoke')).toEqual([]);
    // A creation that is sent is one the spec can undo (POST /user/keys ↔ DELETE /user/keys/{key_id}).
    for (const r of requests.filter(
      (q) => q.method === 'POST' && ['/user/keys', '/gists', '/user/repos'].includes(path(q)),
    ))
      expect(r.consent).toBe('undoable');
  });
});

describe('the plan walk', () => {
  it('finds planned requests wherever they sit and counts unmarked ones as such', () => {
    const plan = {
      specs: [
        {
          cases: [
            { title: 'valid', request: { method: 'get', url: 'http://h/a', consent: 'safe' } },
            {
              steps: [
                { request: { method: 'POST', path: '/user/keys', consent: 'undoable' } },
                { request: { method: 'DELETE', path: '/user/keys/1' } },
              ],
            },
          ],
        },
      ],
      operations: [{ method: 'GET', operationId: 'no request: no url or path' }],
    };
    const requests = plannedRequests(plan);
    expect(countByMethodAndConsent(requests)).toEqual({
      GET: { safe: 1 },
      POST: { undoable: 1 },
      DELETE: { unmarked: 1 },
    });
  });
});
