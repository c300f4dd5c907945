import { describe, expect, it } from 'vitest';
import { isToolError } from '../../core/errors.js';
import { createInProcessClient } from '../http/in-process.js';
import { demoCredentials, specFile } from '../test-helpers.js';
import { baseUrlFor, defaultRunOptions, prepareConformance, runConformance } from './run.js';
import { parseTarget } from './target.js';

describe('baseUrlFor', () => {
  it.each([
    [
      'a target without a path keeps the spec base path',
      'http://127.0.0.1:4010',
      '/v1/deepagents',
      'http://127.0.0.1:4010/v1/deepagents',
    ],
    [
      'a bare trailing slash is an explicit root: it replaces the base path',
      'http://127.0.0.1:4010/',
      '/v1/deepagents',
      'http://127.0.0.1:4010',
    ],
    ['a query without a path keeps the base path', 'http://127.0.0.1:4010?x=1', '/v1', 'http://127.0.0.1:4010/v1'],
    [
      'a target with a path replaces the base path',
      'https://staging.example.com/langsmith',
      '/v1/deepagents',
      'https://staging.example.com/langsmith',
    ],
    [
      'its trailing slashes are dropped',
      'https://staging.example.com/langsmith//',
      '/v1/deepagents',
      'https://staging.example.com/langsmith',
    ],
    ['a spec without a base path', 'http://localhost:4010', '', 'http://localhost:4010'],
    ['an IPv6 host keeps its brackets and port', 'http://[::1]:4010', '/v1', 'http://[::1]:4010/v1'],
  ])('%s', (_name, target, basePath, want) => {
    expect(baseUrlFor(parseTarget(target), basePath)).toBe(want);
  });
});

describe('prepareConformance (plans, sends nothing)', () => {
  const options = {
    specs: ['stackone', 'smithery', 'langsmith'],
    target: 'http://127.0.0.1:4010',
    credentials: demoCredentials(),
    params: new Map<string, string>(),
    allowDestructive: false,
    ...defaultRunOptions,
  };

  it('gives each spec its base URL on the target', async () => {
    const prepared = await prepareConformance(options);
    expect(prepared.plans.map((p) => [p.compiled.spec.name, p.baseUrl])).toEqual([
      ['stackone', 'http://127.0.0.1:4010'],
      ['smithery', 'http://127.0.0.1:4010'],
      ['langsmith', 'http://127.0.0.1:4010/v1/deepagents'],
    ]);
  });

  it.each([
    [
      'an --operation that matches nothing',
      { operations: ['noSuchOperation'] },
      "--operation 'noSuchOperation' matches no operation",
    ],
    ['a --target that is not a URL', { target: '127.0.0.1:4010' }, "--target '127.0.0.1:4010' is not a URL"],
    ['a --target that is not http', { target: 'ftp://127.0.0.1' }, 'is not http or https'],
    ['an unknown --check', { checks: ['status-codes'] }, "unknown check 'status-codes'"],
  ])('%s is a usage error', async (_name, override, message) => {
    const error = await prepareConformance({ ...options, specs: ['smithery'], ...override }).catch((e: unknown) => e);
    expect(isToolError(error) && error.code).toBe('MCPC_USAGE');
    expect((error as Error).message).toContain(message);
  });

  it('remarks on a --param that no selected operation has', async () => {
    const prepared = await prepareConformance({
      ...options,
      specs: ['smithery'],
      params: new Map([['no-such-param', 'x']]),
    });
    expect(prepared.remarks).toContain('--param no-such-param matched no parameter of the selected operations');
  });
});

describe('where requests go (--target path, path- and operation-level servers)', () => {
  const spec = specFile(
    'servers.yaml',
    `openapi: 3.0.3
info: { title: servers, version: '1' }
servers: [{ url: 'https://api.example.com/v2' }]
paths:
  /plain:
    get:
      operationId: plain
      responses: { '200': { description: ok } }
  /uploads:
    servers: [{ url: 'https://uploads.example.com/upload/{version}', variables: { version: { default: v9 } } }]
    get:
      operationId: listUploads
      responses: { '200': { description: ok } }
    post:
      operationId: createUpload
      servers: [{ url: /ops }]
      responses: { '201': { description: created } }
`,
  );
  // POST /uploads may create data nothing in the spec undoes: consent lets it be sent (and makes the
  // unsupported-method probe a PATCH).
  const base = {
    specs: [spec],
    credentials: demoCredentials(),
    params: new Map<string, string>(),
    allowDestructive: true,
    ...defaultRunOptions,
  };

  /** Where each operation's requests go, as the in-process target saw them (method + URL without query). */
  async function sentTo(target: string): Promise<Record<string, string[]>> {
    const client = createInProcessClient(() => ({ status: 200 }));
    const prepared = await prepareConformance({ ...base, target });
    await runConformance({ ...base, target, client, phases: prepared.phases.filter((p) => p.name === 'cases') });
    const seen: Record<string, string[]> = {};
    for (const r of client.requests) {
      const url = new URL(r.url);
      const key = `${r.method} ${url.origin}`;
      seen[key] = [...new Set([...(seen[key] ?? []), url.pathname])].sort();
    }
    return seen;
  }

  it.each([
    [
      'no path on the target: the spec base path, the path-level and the operation-level servers',
      'http://127.0.0.1:4010',
      {
        'GET http://127.0.0.1:4010': ['/upload/v9/uploads', '/v2/plain'],
        'POST http://127.0.0.1:4010': ['/ops/uploads'],
        // A method the spec does not define goes where its path's servers say, else to the spec's base path.
        'PATCH http://127.0.0.1:4010': ['/upload/v9/uploads', '/v2/plain'],
      },
    ],
    [
      'an explicit / replaces every base path',
      'http://127.0.0.1:4010/',
      {
        'GET http://127.0.0.1:4010': ['/plain', '/uploads'],
        'POST http://127.0.0.1:4010': ['/uploads'],
        'PATCH http://127.0.0.1:4010': ['/plain', '/uploads'],
      },
    ],
    [
      'an explicit path replaces every base path',
      'https://staging.example.com/gw/',
      {
        'GET https://staging.example.com': ['/gw/plain', '/gw/uploads'],
        'POST https://staging.example.com': ['/gw/uploads'],
        'PATCH https://staging.example.com': ['/gw/plain', '/gw/uploads'],
      },
    ],
  ])('%s', async (_name, target, want) => {
    expect(await sentTo(target)).toEqual(want);
  });
});

describe('--dry-run data: the whole plan, Prefer candidates and cleanup included', () => {
  it('describes every phase of every spec without sending', async () => {
    const options = {
      specs: ['stackone'],
      target: 'http://127.0.0.1:4010',
      credentials: demoCredentials(),
      params: new Map<string, string>(),
      allowDestructive: false,
      ...defaultRunOptions,
    };
    const prepared = await prepareConformance(options);
    const [plan] = prepared.plans;
    const byPhase = Object.fromEntries(prepared.phases.map((p) => [p.name, p.describe(plan!, options)]));
    expect(Object.keys(byPhase)).toEqual(['cases', 'Prefer', 'property', 'cleanup']);
    expect(byPhase.cases!.length).toBe(plan!.cases.length);
    // One Prefer candidate per documented status of every operation that may be sent to.
    const statuses = plan!.compiled.operations.flatMap((op) =>
      op.responses.filter((r) => /^\d+$/.test(r.status)).map((r) => `${op.operationId}:prefer:${r.status}`),
    );
    expect(byPhase.Prefer!.map((c) => c.id.replace(/^stackone:/, '')).sort()).toEqual(statuses.sort());
    expect(byPhase.Prefer!.every((c) => c.title.includes('sent only if no natural case reached'))).toBe(true);
    expect(byPhase.cleanup!.map((c) => `${c.requests[0]?.method} ${c.requests[0]?.url}`)).toEqual([
      'DELETE http://127.0.0.1:4010/mcp',
    ]);
    // A create step carries, as data, the requests with the operation's other documented bodies to try in turn.
    const creates = plan!.cases.flatMap((c) => c.steps ?? []).filter((s) => s.role === 'create');
    expect(creates.length).toBeGreaterThan(0);
    for (const step of creates) {
      const bodies = (step.alternatives ?? []).map((r) => r.body);
      expect(bodies.length).toBeGreaterThan(0);
      expect(new Set([step.request.body, ...bodies]).size).toBe(bodies.length + 1);
    }
  });
});
