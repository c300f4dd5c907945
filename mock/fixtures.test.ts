import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { isToolError } from '../core/errors.js';
import { createMockApp } from './app.js';
import { defaultFixtures, defaultFixturesFile, loadFixturesFile, resolveFixtures, schemaProblems } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpc-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const account = (id: string) => ({ id, owner: 'k', provider: 'bamboohr', category: 'hris' });
const employee = (id: string) => ({ id, first_name: 'A', last_name: 'B', work_email: `${id}@example.com` });

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isToolError(error) && error.code === 'MCPC_CONFIG') return error.message;
    throw error;
  }
  throw new Error('expected an MCPC_CONFIG error');
}

describe('fixtures', () => {
  it('ships defaults with the demo credentials and data', () => {
    const f = defaultFixtures();
    expect(f.stackone.apiKeys).toContain('demo-key');
    expect(f.smithery.namespaces.find((n) => n.name === 'demo')?.connections).toHaveLength(20);
    expect(f.smithery.namespaces.find((n) => n.name === 'other')?.owner).not.toBe('demo-key');
    expect(f.langsmith.apiKeys).toEqual(['demo-key']);
  });

  it('ships a default file that fits the schema (start-up trusts it without checking)', () => {
    expect(schemaProblems(JSON.parse(readFileSync(defaultFixturesFile, 'utf8')))).toEqual([]);
  });

  it('ships linked accounts: an HRIS and an ATS account for demo-key, an HRIS account for other-key', () => {
    const accounts = defaultFixtures().stackone.accounts ?? [];
    expect(accounts.map((a) => [a.id, a.owner, a.category])).toEqual([
      ['bamboohr-demo', 'demo-key', 'hris'],
      ['greenhouse-demo', 'demo-key', 'ats'],
      ['hibob-other', 'other-key', 'hris'],
    ]);
  });

  it('links the demo accounts to the first key of a StackOne section that has no accounts (older files)', () => {
    const f = resolveFixtures({ stackone: { apiKeys: ['team-key', 'second'] } });
    expect(f.stackone.accounts?.map((a) => [a.id, a.owner])).toEqual([
      ['bamboohr-demo', 'team-key'],
      ['greenhouse-demo', 'team-key'],
    ]);
    expect(resolveFixtures({ stackone: { apiKeys: ['k'], accounts: [] } }).stackone.accounts).toEqual([]);
  });

  it('keeps the default for a section a file leaves out', () => {
    const f = resolveFixtures({ langsmith: { apiKeys: ['k1'] } });
    expect(f.langsmith.apiKeys).toEqual(['k1']);
    expect(f.stackone.apiKeys).toContain('demo-key');
  });

  it.each([
    ['an unknown top-level section', { stackOne: {} }, "fixtures: /: unknown property 'stackOne'"],
    [
      'a missing key list',
      { smithery: { namespaces: [] } },
      "fixtures: /smithery: missing required property 'apiKeys'",
    ],
    [
      'an empty key list',
      { langsmith: { apiKeys: [] } },
      'fixtures: /langsmith/apiKeys: must NOT have fewer than 1 items',
    ],
    [
      'a malformed connection id',
      { smithery: { apiKeys: ['k'], namespaces: [{ name: 'n', owner: 'k', connections: ['a b'] }] } },
      'fixtures: /smithery/namespaces/0/connections/0: must match pattern',
    ],
    [
      'a non-UUID server id',
      { langsmith: { apiKeys: ['k'], mcpServers: [{ id: 'x', name: 'n' }] } },
      'fixtures: /langsmith/mcpServers/0/id: must match format "uuid"',
    ],
    [
      'an owner that is not a key',
      { smithery: { apiKeys: ['k'], namespaces: [{ name: 'n', owner: 'z', connections: [] }] } },
      "fixtures: /smithery/namespaces/0/owner: 'z' is not one of smithery.apiKeys",
    ],
    [
      'a duplicate namespace',
      {
        smithery: {
          apiKeys: ['k'],
          namespaces: [
            { name: 'n', owner: 'k', connections: [] },
            { name: 'n', owner: 'k', connections: [] },
          ],
        },
      },
      "fixtures: /smithery/namespaces/1/name: namespace 'n' appears twice",
    ],
    [
      'a session of an unknown key',
      { stackone: { apiKeys: ['k'], sessions: [{ id: 's', owner: 'q' }] } },
      "fixtures: /stackone/sessions/0/owner: 'q' is not one of stackone.apiKeys",
    ],
    [
      'an account of an unknown category',
      { stackone: { apiKeys: ['k'], accounts: [{ id: 'a', owner: 'k', provider: 'x', category: 'crm' }] } },
      'fixtures: /stackone/accounts/0/category: must be equal to one of the allowed values',
    ],
    [
      'an account linked to no key',
      { stackone: { apiKeys: ['k'], accounts: [{ id: 'a', owner: 'q', provider: 'x', category: 'hris' }] } },
      "fixtures: /stackone/accounts/0/owner: 'q' is not one of stackone.apiKeys",
    ],
    [
      'two accounts with one id',
      { stackone: { apiKeys: ['k'], accounts: [account('a'), account('a')] } },
      "fixtures: /stackone/accounts/1/id: account id 'a' appears twice",
    ],
    [
      'jobs in an HRIS account',
      { stackone: { apiKeys: ['k'], accounts: [{ ...account('a'), jobs: [] }] } },
      'fixtures: /stackone/accounts/0/jobs: an hris account has no jobs (it has employees)',
    ],
    [
      'an employee without a work email',
      {
        stackone: {
          apiKeys: ['k'],
          accounts: [{ ...account('a'), employees: [{ id: 'e', first_name: 'A', last_name: 'B' }] }],
        },
      },
      "fixtures: /stackone/accounts/0/employees/0: missing required property 'work_email'",
    ],
    [
      'two employees with one id',
      {
        stackone: {
          apiKeys: ['k'],
          accounts: [{ ...account('a'), employees: [employee('e'), employee('e')] }],
        },
      },
      "fixtures: /stackone/accounts/0/employees/1/id: employee id 'e' appears twice",
    ],
    [
      'a candidate for a job the account does not have',
      {
        stackone: {
          apiKeys: ['k'],
          accounts: [
            {
              id: 'a',
              owner: 'k',
              provider: 'lever',
              category: 'ats',
              candidates: [{ id: 'c', first_name: 'A', last_name: 'B', email: 'a@b.example', job_ids: ['j'] }],
            },
          ],
        },
      },
      "fixtures: /stackone/accounts/0/candidates/0/job_ids: 'j' is not a job of account 'a'",
    ],
    [
      'a session for an account of another key',
      {
        stackone: {
          apiKeys: ['k', 'l'],
          accounts: [account('a')],
          sessions: [{ id: 's', owner: 'l', accountId: 'a' }],
        },
      },
      "fixtures: /stackone/sessions/0/accountId: 'a' is not an account linked to 'l' (see stackone.accounts)",
    ],
    [
      'a session cap of zero',
      { stackone: { apiKeys: ['k'], sessionLimits: { maxSessions: 0 } } },
      'fixtures: /stackone/sessionLimits/maxSessions: must be >= 1',
    ],
  ])('rejects %s, naming the place (MCPC_CONFIG)', (_name, input, message) => {
    expect(configError(() => resolveFixtures(input))).toContain(message);
  });

  it('names the file, line and column of invalid JSON', () => {
    const path = file('broken.json', '{\n  "langsmith": {\n    "apiKeys": ["k",]\n  }\n}\n');
    expect(configError(() => loadFixturesFile(path))).toMatch(
      /broken\.json is not valid JSON: Unexpected token '\]' at line 3, column 21$/,
    );
  });

  it('says so when the file does not exist', () => {
    expect(configError(() => loadFixturesFile(join(dir, 'missing.json')))).toMatch(/missing\.json does not exist/);
  });

  it('replaces the demo data: another key owns namespace demo', async () => {
    const path = file(
      'custom.json',
      JSON.stringify({
        smithery: { apiKeys: ['team-key'], namespaces: [{ name: 'demo', owner: 'team-key', connections: ['c1'] }] },
      }),
    );
    const mock = await createMockApp({ fixtures: path, selfCheck: true });
    const del = (key: string) => request(mock.app).delete('/connect/demo/c1').set('Authorization', `Bearer ${key}`);
    expect((await del('demo-key')).status).toBe(401);
    expect((await del('team-key')).status).toBe(200);
    expect(mock.violations).toEqual([]);
    await mock.close();
  });

  it('reloads a changed file, and keeps the old fixtures when the new ones are invalid', async () => {
    const path = file('watched.json', JSON.stringify({ langsmith: { apiKeys: ['first'] } }));
    const logged: string[] = [];
    const mock = await createMockApp({ fixtures: path, watchFixtures: true, log: (l) => logged.push(l) });
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
    };
    writeFileSync(path, JSON.stringify({ langsmith: { apiKeys: ['second'] } }));
    await until(() => mock.fixtures().langsmith.apiKeys[0] === 'second');
    expect(mock.fixtures().langsmith.apiKeys).toEqual(['second']);
    expect(logged.some((l) => l.startsWith('fixtures reloaded from'))).toBe(true);

    writeFileSync(path, '{"langsmith": {"apiKeys": []}}');
    await until(() => logged.some((l) => l.startsWith('fixtures not reloaded')));
    expect(logged.find((l) => l.startsWith('fixtures not reloaded'))).toMatch(/MCPC_CONFIG: .*\/langsmith\/apiKeys/);
    expect(mock.fixtures().langsmith.apiKeys).toEqual(['second']);
    await mock.close();
  });
});
