import { describe, expect, it } from 'vitest';
import { isToolError } from '../../core/errors.js';
import { demoCredentials } from '../test-helpers.js';
import { baseUrlFor, defaultRunOptions, prepareConformance } from './run.js';
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
