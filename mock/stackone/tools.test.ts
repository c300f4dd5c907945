import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../app.js';
import { fixturesSchemaFile } from '../fixtures.js';
import { writableFields } from './catalogue.js';
import { mcpClient } from './test-helpers.js';

/**
 * The tool catalogue through `POST /mcp`: which tools a session gets from its linked accounts, what they do to
 * the fixture data, how `param-style` and `tool-mode` change them, and which failures are protocol errors
 * (-32602) and which are tool results with `isError: true`. Self-check on throughout.
 */

const mock = await createMockApp({ selfCheck: true });
const mcp = mcpClient(mock.app);
beforeEach(() => mock.reset());
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

type Data = Record<string, unknown> & { id: string };

/** A successful tool result's structured content (the test fails on a protocol error or a tool error). */
async function ok(session: string, name: string, args: unknown, query = ''): Promise<Record<string, unknown>> {
  const answer = await mcp.call(name, args, { session, query });
  expect(answer.error).toBeUndefined();
  expect(answer.result?.isError).toBe(false);
  return answer.result?.structuredContent ?? {};
}

describe('tools from linked accounts', () => {
  it.each([
    ['demo-key, no x-account-id: both of its accounts', 'demo-key', undefined, 9, 'hris_list_employees'],
    ['demo-key, x-account-id of its HRIS account', 'demo-key', 'bamboohr-demo', 3, 'hris_list_employees'],
    ['demo-key, x-account-id of its ATS account', 'demo-key', 'greenhouse-demo', 6, 'ats_list_jobs'],
    ['other-key: its own HRIS account only', 'other-key', undefined, 3, 'hris_list_employees'],
  ])('%s', async (_name, key, account, count, first) => {
    const headers = account ? { 'x-account-id': account } : undefined;
    const session = await mcp.initialize({ key, ...(headers ? { headers } : {}) });
    const tools = (await mcp.rpc('tools/list', {}, { key, session })).result?.tools ?? [];
    expect(tools).toHaveLength(count);
    expect(tools[0]?.name).toBe(first);
  });

  it('acts on the account of the session: other-key sees its own employees', async () => {
    const session = await mcp.initialize({ key: 'other-key' });
    const page = await mcp.call('hris_list_employees', {}, { key: 'other-key', session });
    expect(((page.result?.structuredContent?.data ?? []) as Data[]).map((e) => e.id)).toEqual(['emp-901', 'emp-902']);
  });
});

describe('list, get and create against the fixture data', () => {
  let session: string;
  beforeEach(async () => {
    session = await mcp.initialize();
  });

  it('pages through every employee with page_size and next, and says when there is no more', async () => {
    const seen: string[] = [];
    let next: unknown;
    for (let page = 0; page < 10; page++) {
      const query = next === undefined ? { page_size: 3 } : { page_size: 3, next };
      const result = await ok(session, 'hris_list_employees', { query });
      seen.push(...(result.data as Data[]).map((e) => e.id));
      next = result.next;
      if (next === null) break;
    }
    expect(seen).toEqual(['emp-001', 'emp-002', 'emp-003', 'emp-004', 'emp-005', 'emp-006', 'emp-007']);
    expect(next).toBeNull();
  });

  it('defaults to 25 per page', async () => {
    const result = await ok(session, 'hris_list_employees', {});
    expect(result).toMatchObject({ next: null });
    expect(result.data).toHaveLength(7);
  });

  it.each([
    ['hris_list_employees', { employment_status: 'active' }, ['emp-001', 'emp-002', 'emp-003', 'emp-005']],
    ['hris_list_employees', { department: 'Research', employment_status: 'active' }, ['emp-003', 'emp-005']],
    ['ats_list_jobs', { status: 'open' }, ['job-101', 'job-102']],
    ['ats_list_candidates', { job_id: 'job-101' }, ['cand-201', 'cand-202']],
    ['ats_list_candidates', { email: 'radia@example.org' }, ['cand-203']],
  ])('%s filters by %j', async (tool, query, ids) => {
    const result = await ok(session, tool, { query });
    expect((result.data as Data[]).map((r) => r.id)).toEqual(ids);
  });

  it('returns only the fields asked for (and the id)', async () => {
    const result = await ok(session, 'hris_get_employee', { path: { id: 'emp-003' }, query: { fields: 'last_name' } });
    expect(result).toEqual({ data: { id: 'emp-003', last_name: 'Turing' } });
  });

  it('answers in text content and in structuredContent alike', async () => {
    const answer = await mcp.call('ats_get_job', { path: { id: 'job-102' } }, { session });
    expect(JSON.parse(answer.result?.content?.[0]?.text ?? '')).toEqual(answer.result?.structuredContent);
    expect(answer.result?.structuredContent?.data).toMatchObject({ title: 'Product Designer', status: 'open' });
  });

  it('creates records with the provider’s defaults; they show up in list and get; reset removes them', async () => {
    const created = await ok(session, 'hris_create_employee', {
      body: { first_name: 'Mary', last_name: 'Jackson', work_email: 'mary@example.com', start_date: '2026-03-02' },
    });
    expect(created).toEqual({
      statusCode: 201,
      message: 'Record created successfully',
      timestamp: expect.any(String),
      data: { id: 'emp-008', remote_id: 'emp-008' },
    });
    const fetched = await ok(session, 'hris_get_employee', { path: { id: 'emp-008' } });
    expect(fetched.data).toMatchObject({ first_name: 'Mary', employment_status: 'pending' });
    const job = await ok(session, 'ats_create_job', { body: { title: 'SRE' } });
    expect((await ok(session, 'ats_get_job', { path: { id: (job.data as Data).id } })).data).toMatchObject({
      status: 'draft',
    });
    mock.reset();
    const again = await mcp.initialize();
    expect((await ok(again, 'hris_list_employees', {})).data).toHaveLength(7);
  });

  it.each([
    [
      'an unknown id',
      'hris_get_employee',
      { path: { id: 'emp-404' } },
      404,
      "Employee 'emp-404' not found in account 'bamboohr-demo' (bamboohr)",
    ],
    [
      'a duplicate work email',
      'hris_create_employee',
      { body: { first_name: 'A', last_name: 'L', work_email: 'ada@example.com' } },
      409,
      "An employee with work_email 'ada@example.com' already exists (emp-001)",
    ],
    [
      'a candidate for a job that does not exist',
      'ats_create_candidate',
      { body: { first_name: 'A', last_name: 'B', email: 'ab@example.org', job_ids: ['job-999'] } },
      422,
      'job_ids name no job of this account: job-999',
    ],
    [
      'a cursor this server never issued',
      'ats_list_jobs',
      { query: { next: 'bm9wZQ' } },
      400,
      /^next 'bm9wZQ' is not a cursor/,
    ],
  ])('a tool-level failure is a result with isError: %s', async (_name, tool, args, status, message) => {
    const answer = await mcp.call(tool, args, { session });
    expect(answer.error).toBeUndefined();
    expect(answer.result).toEqual({
      content: [{ type: 'text', text: expect.stringMatching(/^\d{3}: /) }],
      structuredContent: {
        statusCode: status,
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      },
      isError: true,
    });
  });

  it.each([
    ['a required argument left out', 'hris_get_employee', {}, 'path.id is required'],
    ['a wrong type', 'hris_list_employees', { query: { page_size: '2' } }, 'query.page_size must be integer'],
    [
      'a bad email',
      'ats_create_candidate',
      { body: { first_name: 'A', last_name: 'B', email: 'x' } },
      'body.email must match format "email"',
    ],
    [
      'a value not in the enum',
      'ats_list_jobs',
      { query: { status: 'paused' } },
      'query.status must be equal to one of the allowed values',
    ],
    ['a group that is not an object', 'ats_list_jobs', { query: 'open' }, 'query must be an object'],
    [
      'an unknown group',
      'ats_list_jobs',
      { filter: {} },
      "unknown argument 'filter' (param-style nested takes: query)",
    ],
  ])('arguments that break the schema are a protocol error (-32602): %s', async (_name, tool, args, message) => {
    const answer = await mcp.call(tool, args, { session });
    expect(answer.error).toEqual({ code: -32602, message: `Invalid arguments for ${tool}: ${message}` });
  });
});

describe('param-style', () => {
  it.each([
    [
      'nested',
      ['query'],
      ['path', 'query'],
      { query: { page_size: 1 } },
      { path: { id: 'emp-002' }, query: { fields: 'first_name' } },
      { body: { title: 'QA', status: 'open' } },
    ],
    [
      'flat_prefixed',
      ['query_page_size', 'query_next', 'query_fields', 'query_employment_status', 'query_department'],
      ['path_id', 'query_fields'],
      { query_page_size: 1 },
      { path_id: 'emp-002', query_fields: 'first_name' },
      { body_title: 'QA', body_status: 'open' },
    ],
    [
      'flat_smart',
      ['page_size', 'next', 'fields', 'employment_status', 'department'],
      ['id', 'fields'],
      { page_size: 1 },
      { id: 'emp-002', fields: 'first_name' },
      { title: 'QA', status: 'open' },
    ],
  ])('%s: input schemas and the calls they take', async (style, listNames, getNames, listArgs, getArgs, createArgs) => {
    const query = `?param-style=${style}`;
    const session = await mcp.initialize({ query });
    const tools = (await mcp.rpc('tools/list', {}, { session, query })).result?.tools ?? [];
    const schemaOf = (name: string) => tools.find((t) => t.name === name)?.inputSchema;
    expect(Object.keys(schemaOf('hris_list_employees')?.properties ?? {})).toEqual(listNames);
    expect(Object.keys(schemaOf('hris_get_employee')?.properties ?? {})).toEqual(getNames);
    expect((await ok(session, 'hris_list_employees', listArgs, query)).data).toHaveLength(1);
    expect(await ok(session, 'hris_get_employee', getArgs, query)).toEqual({
      data: { id: 'emp-002', first_name: 'Grace' },
    });
    expect(await ok(session, 'ats_create_job', createArgs, query)).toMatchObject({ statusCode: 201 });
  });

  it('names arguments in errors the way the style does', async () => {
    const query = '?param-style=flat_prefixed';
    const session = await mcp.initialize({ query });
    const answer = await mcp.call('hris_get_employee', { query_fields: 'x' }, { session, query });
    expect(answer.error?.message).toBe('Invalid arguments for hris_get_employee: path_id is required');
  });

  it('given at initialize it holds for the session; given on a request it holds for that request', async () => {
    const session = await mcp.initialize({ query: '?param-style=flat_smart' });
    const list = async (query = '') =>
      Object.keys(
        (await mcp.rpc('tools/list', {}, { session, query })).result?.tools?.[1]?.inputSchema.properties ?? {},
      );
    expect(await list()).toEqual(['id', 'fields']);
    expect(await list('?param-style=nested')).toEqual(['path', 'query']);
    expect(await list()).toEqual(['id', 'fields']);
  });
});

describe('several accounts serving one tool', () => {
  const twoHris = {
    stackone: {
      apiKeys: ['k'],
      accounts: [
        { id: 'bamboo', owner: 'k', provider: 'bamboohr', category: 'hris' as const, employees: [] },
        {
          id: 'bob',
          owner: 'k',
          provider: 'hibob',
          category: 'hris' as const,
          employees: [{ id: 'b-1', first_name: 'B', last_name: 'O', work_email: 'b@o.example' }],
        },
      ],
    },
  };

  it.each([
    ['nested', { header: { 'x-account-id': 'bob' } }, 'header.x-account-id'],
    ['flat_prefixed', { 'header_x-account-id': 'bob' }, 'header_x-account-id'],
    ['flat_smart', { 'x-account-id': 'bob' }, 'x-account-id'],
  ])('%s: the tool takes the account as a required argument', async (style, args, name) => {
    const two = await createMockApp({ selfCheck: true, fixtures: twoHris });
    const client = mcpClient(two.app);
    const query = `?param-style=${style}`;
    const session = await client.initialize({ key: 'k', query });
    const tools = (await client.rpc('tools/list', {}, { key: 'k', session, query })).result?.tools ?? [];
    expect(tools.map((t) => t.name)).toEqual(['hris_list_employees', 'hris_get_employee', 'hris_create_employee']);
    const missing = await client.call('hris_list_employees', {}, { key: 'k', session, query });
    expect(missing.error?.message).toBe(
      `Invalid arguments for hris_list_employees: ${name} is required: one of bamboo, bob`,
    );
    const chosen = await client.call('hris_list_employees', args, { key: 'k', session, query });
    expect(chosen.result?.structuredContent).toEqual({ next: null, data: [expect.objectContaining({ id: 'b-1' })] });
    expect(two.violations).toEqual([]);
    await two.close();
  });

  it('needs no account argument in a session opened for one account', async () => {
    const two = await createMockApp({ selfCheck: true, fixtures: twoHris });
    const client = mcpClient(two.app);
    const session = await client.initialize({ key: 'k', headers: { 'x-account-id': 'bob' } });
    const page = await client.call('hris_list_employees', {}, { key: 'k', session });
    expect(((page.result?.structuredContent?.data ?? []) as Data[])[0]?.id).toBe('b-1');
    await two.close();
  });
});

describe('tool-mode=search_execute', () => {
  const query = '?tool-mode=search_execute';
  let session: string;
  beforeEach(async () => {
    session = await mcp.initialize({ query });
  });

  it('registers two tools per linked account', async () => {
    const tools = (await mcp.rpc('tools/list', {}, { session })).result?.tools ?? [];
    expect(tools.map((t) => t.name)).toEqual([
      'search_actions_bamboohr_demo',
      'execute_action_bamboohr_demo',
      'search_actions_greenhouse_demo',
      'execute_action_greenhouse_demo',
    ]);
    expect(tools[1]?.inputSchema).toMatchObject({
      properties: { action: { enum: ['hris_list_employees', 'hris_get_employee', 'hris_create_employee'] } },
      required: ['action'],
    });
  });

  it.each([
    [
      'list employees',
      'search_actions_bamboohr_demo',
      ['hris_list_employees', 'hris_get_employee', 'hris_create_employee'],
    ],
    [
      'hire new staff',
      'search_actions_bamboohr_demo',
      ['hris_create_employee', 'hris_list_employees', 'hris_get_employee'],
    ],
    [
      'candidate details',
      'search_actions_greenhouse_demo',
      ['ats_get_candidate', 'ats_list_candidates', 'ats_create_candidate'],
    ],
    ['payroll', 'search_actions_greenhouse_demo', []],
  ])('search "%s" ranks the account’s actions', async (text, tool, names) => {
    const found = await ok(session, tool, { query: text, limit: 3 });
    expect((found.actions as Array<{ name: string }>).map((a) => a.name)).toEqual(names);
  });

  it('search answers each match with its input schema in the session’s param-style', async () => {
    const styled = await mcp.initialize({ query: `${query}&param-style=flat_prefixed` });
    const found = await ok(styled, 'search_actions_bamboohr_demo', { query: 'get employee', limit: 1 });
    expect(found).toMatchObject({
      account: { id: 'bamboohr-demo', provider: 'bamboohr', category: 'hris' },
      actions: [{ name: 'hris_get_employee', score: 1, inputSchema: { required: ['path_id'] } }],
    });
  });

  it('execute runs an action of that account', async () => {
    const result = await ok(session, 'execute_action_greenhouse_demo', {
      action: 'ats_list_candidates',
      arguments: { query: { job_id: 'job-104' } },
    });
    expect((result.data as Data[]).map((c) => c.id)).toEqual(['cand-202']);
  });

  it.each([
    [
      'an action of another account',
      { action: 'hris_list_employees' },
      'action must be equal to one of the allowed values',
    ],
    ['no action', { arguments: {} }, 'action is required'],
    ['a search without query', { query: '' }, 'query must NOT have fewer than 1 characters'],
  ])('its own arguments are checked by its schema (-32602): %s', async (_name, args, message) => {
    const tool = 'query' in args ? 'search_actions_greenhouse_demo' : 'execute_action_greenhouse_demo';
    const answer = await mcp.call(tool, args, { session });
    expect(answer.error).toEqual({ code: -32602, message: `Invalid arguments: ${message}` });
  });

  it('the action’s arguments are the action’s business: a mismatch is a tool error the model can read', async () => {
    const answer = await mcp.call(
      'execute_action_greenhouse_demo',
      { action: 'ats_get_job', arguments: { id: 'job-101' } },
      { session },
    );
    expect(answer.result).toMatchObject({
      isError: true,
      structuredContent: {
        statusCode: 400,
        message: "Invalid arguments for ats_get_job: unknown argument 'id' (param-style nested takes: path, query)",
      },
    });
  });
});

describe('the fixtures schema and the catalogue agree', () => {
  it.each([
    ['employees', 'employee'],
    ['jobs', 'job'],
    ['candidates', 'candidate'],
  ] as const)('every field a create tool writes to %s is described in $defs/%s', (collection, def) => {
    const schema = JSON.parse(readFileSync(fixturesSchemaFile, 'utf8')) as {
      $defs: Record<string, { properties: Record<string, unknown> }>;
    };
    const described = Object.keys(schema.$defs[def]?.properties ?? {});
    expect(writableFields(collection).filter((f) => !described.includes(f))).toEqual([]);
  });
});

describe('fixtures files from before linked accounts', () => {
  it('still answer the contract’s own toolsCall example with their key', async () => {
    const old = await createMockApp({ selfCheck: true, fixtures: { stackone: { apiKeys: ['team-key'] } } });
    const client = mcpClient(old.app);
    const session = await client.initialize({ key: 'team-key' });
    const answer = await client.call('hris_list_employees', { query: { page_size: 2 } }, { key: 'team-key', session });
    expect(answer.result?.structuredContent?.data).toHaveLength(2);
    expect(old.violations).toEqual([]);
    await old.close();
  });
});
