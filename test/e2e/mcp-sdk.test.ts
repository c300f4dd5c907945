import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findResponse } from '../../core/operations.js';
import { type RunningMockServer, startMockServer } from '../../mock/server.js';

/**
 * The official MCP TypeScript SDK as a real client of the mock's StackOne `POST /mcp`: what an agent developer
 * gets when they point their client at `npx mcp-contracts mock`. Each flow connects (initialize, the initialized
 * notification, the SDK's optional GET stream — a 405 here), lists tools, calls them, terminates the session
 * (the SDK sends DELETE /mcp) and shows with a raw request that the session is gone: 404 with the contract's
 * error body. The mock runs with its self-check on, so every answer the SDK read was valid against the contract.
 */

let server: RunningMockServer;
beforeAll(async () => {
  server = await startMockServer({ port: 0, host: '127.0.0.1', selfCheck: true, logRequests: false });
});
afterAll(() => server.close());
// Each flow starts from the fixtures (one of them creates a candidate).
beforeEach(() => server.mock.reset());

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  requests: Array<{ method: string; status: number; accept: string | null }>;
}

/** An SDK client on `/mcp?query` with the demo key; every HTTP exchange it makes is recorded. */
async function connect(
  query = '',
  options: { headers?: Record<string, string>; accept?: string } = {},
): Promise<Connected> {
  const requests: Connected['requests'] = [];
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp${query}`), {
    // The SDK merges these headers into every request it makes (POST, GET and DELETE).
    requestInit: { headers: { Authorization: basic('demo-key'), ...options.headers } },
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      // To make the server answer with an event stream, ask for nothing else (the SDK itself accepts both).
      if (options.accept && init?.method === 'POST') headers.set('accept', options.accept);
      const response = await fetch(url, { ...init, headers });
      requests.push({
        method: init?.method ?? 'GET',
        status: response.status,
        accept: response.headers.get('content-type'),
      });
      return response;
    },
  });
  const client = new Client({ name: 'mcp-contracts-sdk-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, requests };
}

/** Terminate through the SDK, then show with a raw request that the session no longer exists. */
async function terminateAndProbe({ client, transport, requests }: Connected): Promise<void> {
  const sessionId = transport.sessionId as string;
  await transport.terminateSession();
  expect(requests.at(-1)).toMatchObject({ method: 'DELETE', status: 200 });
  expect(transport.sessionId).toBeUndefined();
  await client.close();

  const probe = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: {
      Authorization: basic('demo-key'),
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'MCP-Protocol-Version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/list' }),
  });
  expect(probe.status).toBe(404);
  const body = (await probe.json()) as Record<string, unknown>;
  expect(body).toEqual({
    statusCode: 404,
    message: `MCP session '${sessionId}' not found or already closed`,
    timestamp: expect.any(String),
  });
  // The contract's 404 body (NotFoundResponse), checked with the same validators as the self-check.
  const stackone = server.mock.served.find((s) => s.name === 'stackone')!;
  const post = stackone.compiled.index.byId.get('stackone_mcp_post')!;
  expect(findResponse(post, 404)).toBeDefined();
  expect(stackone.check(post, { status: 404, contentType: 'application/json', body })).toEqual([]);
  expect(server.mock.violations).toEqual([]);
}

function structured(result: Awaited<ReturnType<Client['callTool']>>): Record<string, unknown> {
  expect(result.isError).toBe(false);
  return result.structuredContent as Record<string, unknown>;
}

describe('the official MCP SDK against the mock (Streamable HTTP, demo credentials, self-check on)', () => {
  it('connects, lists, calls, follows a cursor, terminates — and the session is gone (param-style nested)', async () => {
    const connected = await connect();
    const { client, transport, requests } = connected;
    // The SDK offers 2025-11-25, which the mock speaks; the SDK sends it on every later request.
    expect(transport.protocolVersion).toBe('2025-11-25');
    expect(client.getServerVersion()).toMatchObject({ name: 'stackone-mcp', version: '1.0.0' });
    expect(client.getInstructions()).toContain('bamboohr-demo');
    // initialize 200, initialized 202, and the SDK's optional GET stream, which the mock declines with 405.
    await expect
      .poll(() => requests.map((r) => `${r.method} ${r.status}`))
      .toEqual(['POST 200', 'POST 202', 'GET 405']);

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'hris_list_employees',
      'hris_get_employee',
      'hris_create_employee',
      'ats_list_jobs',
      'ats_get_job',
      'ats_create_job',
      'ats_list_candidates',
      'ats_get_candidate',
      'ats_create_candidate',
    ]);
    expect(tools[0]?.inputSchema.properties).toHaveProperty('query');

    // The contract's own toolsCall example.
    const first = structured(
      await client.callTool({ name: 'hris_list_employees', arguments: { query: { page_size: 2 } } }),
    );
    expect((first.data as Array<{ first_name: string }>).map((e) => e.first_name)).toEqual(['Ada', 'Grace']);
    const second = structured(
      await client.callTool({ name: 'hris_list_employees', arguments: { query: { page_size: 2, next: first.next } } }),
    );
    expect((second.data as Array<{ id: string }>).map((e) => e.id)).toEqual(['emp-003', 'emp-004']);

    const created = structured(
      await client.callTool({
        name: 'ats_create_candidate',
        arguments: {
          body: { first_name: 'Ada', last_name: 'Byron', email: 'ada.byron@example.org', job_ids: ['job-101'] },
        },
      }),
    );
    const id = (created.data as { id: string }).id;
    const fetched = structured(await client.callTool({ name: 'ats_get_candidate', arguments: { path: { id } } }));
    expect(fetched.data).toMatchObject({ id, email: 'ada.byron@example.org', job_ids: ['job-101'] });

    // A failure of the tool is a result the model can read; invalid arguments are a protocol error.
    const missing = await client.callTool({ name: 'hris_get_employee', arguments: { path: { id: 'emp-404' } } });
    expect(missing).toMatchObject({ isError: true, structuredContent: { statusCode: 404 } });
    await expect(
      client.callTool({ name: 'hris_list_employees', arguments: { query: { page_size: 0 } } }),
    ).rejects.toThrow(/-32602.*query\.page_size must be >= 1/);
    await expect(client.ping()).resolves.toEqual({});

    await terminateAndProbe(connected);
  });

  it.each([
    ['flat_prefixed', { query_page_size: 2 }, { path_id: 'emp-002' }, 'query_page_size'],
    ['flat_smart', { page_size: 2 }, { id: 'emp-002' }, 'page_size'],
  ])('the same flow with param-style=%s', async (style, listArgs, getArgs, pageSizeName) => {
    const connected = await connect(`?param-style=${style}`);
    const { client } = connected;
    const { tools } = await client.listTools();
    const list = tools.find((t) => t.name === 'hris_list_employees');
    expect(Object.keys(list?.inputSchema.properties ?? {})).toContain(pageSizeName);
    const page = structured(await client.callTool({ name: 'hris_list_employees', arguments: listArgs }));
    expect(page.data).toHaveLength(2);
    const one = structured(await client.callTool({ name: 'hris_get_employee', arguments: getArgs }));
    expect(one.data).toMatchObject({ id: 'emp-002', last_name: 'Hopper' });
    // The nested shape is not what this session's tools take.
    await expect(
      client.callTool({ name: 'hris_list_employees', arguments: { query: { page_size: 2 } } }),
    ).rejects.toThrow(/-32602.*unknown argument 'query'/);
    await terminateAndProbe(connected);
  });

  it('the same flow with tool-mode=search_execute: search, then execute what it found', async () => {
    const connected = await connect('?tool-mode=search_execute&param-style=flat_smart');
    const { client } = connected;
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'search_actions_bamboohr_demo',
      'execute_action_bamboohr_demo',
      'search_actions_greenhouse_demo',
      'execute_action_greenhouse_demo',
    ]);
    const found = structured(
      await client.callTool({
        name: 'search_actions_greenhouse_demo',
        arguments: { query: 'list open jobs', limit: 2 },
      }),
    );
    const best = (found.actions as Array<{ name: string; inputSchema: { properties: Record<string, unknown> } }>)[0];
    expect(best?.name).toBe('ats_list_jobs');
    expect(Object.keys(best?.inputSchema.properties ?? {})).toContain('status');
    const jobs = structured(
      await client.callTool({
        name: 'execute_action_greenhouse_demo',
        arguments: { action: best?.name, arguments: { status: 'open' } },
      }),
    );
    expect((jobs.data as Array<{ id: string }>).map((j) => j.id)).toEqual(['job-101', 'job-102']);
    // Wrong arguments for the action found: a tool error the model can correct.
    const wrong = await client.callTool({
      name: 'execute_action_greenhouse_demo',
      arguments: { action: 'ats_get_job', arguments: {} },
    });
    expect(wrong).toMatchObject({ isError: true });
    expect(JSON.stringify(wrong.content)).toContain('id is required');
    await terminateAndProbe(connected);
  });

  it('reaches only the account named by x-account-id, with answers as an event stream', async () => {
    const connected = await connect('', {
      headers: { 'x-account-id': 'greenhouse-demo' },
      accept: 'text/event-stream',
    });
    const { client, requests } = connected;
    const { tools } = await client.listTools();
    expect(tools.every((t) => t.name.startsWith('ats_'))).toBe(true);
    const candidates = structured(
      await client.callTool({ name: 'ats_list_candidates', arguments: { query: { job_id: 'job-101' } } }),
    );
    expect((candidates.data as Array<{ id: string }>).map((c) => c.id)).toEqual(['cand-201', 'cand-202']);
    expect(requests.filter((r) => r.method === 'POST' && r.status === 200).map((r) => r.accept)).toEqual(
      Array(3).fill('text/event-stream; charset=utf-8'),
    );
    await terminateAndProbe(connected);
  });
});
