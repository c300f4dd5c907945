import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockApp } from '../app.js';
import type { AccountRecord } from '../fixtures.js';
import { actions, maxRecordsPerCollection, maxStringLength } from './catalogue.js';
import { mcpClient } from './test-helpers.js';

/**
 * Bounded state (issue 11 item 3): records made through tools cannot grow without limit — strings are capped by
 * the tools' input schemas, records per account collection by a documented limit — and a create costs the
 * same with 1 record as with 30 000.
 */

const mock = await createMockApp({ selfCheck: true });
const mcp = mcpClient(mock.app);
beforeEach(() => mock.reset());
afterEach(() => expect(mock.violations).toEqual([]));
afterAll(() => mock.close());

const hris = { headers: { 'x-account-id': 'bamboohr-demo' } };
const employees = () => mock.state.stackone.accounts.get('bamboohr-demo')?.records.employees as AccountRecord[];
const person = (i: number, extra: Record<string, unknown> = {}) => ({
  body: { first_name: 'Grace', last_name: `Hopper ${i}`, work_email: `grace${i}@example.com`, ...extra },
});

describe('string sizes', () => {
  it('every string argument of every tool has a maxLength (or an enum), every array a maxItems', async () => {
    const session = await mcp.initialize();
    const tools = (await mcp.rpc('tools/list', {}, { session })).result?.tools ?? [];
    expect(tools.length).toBeGreaterThan(0);
    const unbounded: string[] = [];
    const walk = (schema: Record<string, unknown>, at: string) => {
      if (schema.type === 'string' && schema.maxLength === undefined && schema.enum === undefined) unbounded.push(at);
      if (schema.type === 'array' && schema.maxItems === undefined) unbounded.push(at);
      for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>))
        walk(child, `${at}.${name}`);
      if (schema.items) walk(schema.items as Record<string, unknown>, `${at}[]`);
    };
    for (const tool of tools) walk(tool.inputSchema as Record<string, unknown>, tool.name);
    expect(unbounded).toEqual([]);
  });

  it('refuses a 0.9 MB string as invalid arguments (-32602) and stores nothing', async () => {
    const session = await mcp.initialize(hris);
    const before = employees().length;
    const answer = await mcp.call('hris_create_employee', person(1, { job_title: 'x'.repeat(900_000) }), {
      session,
      ...hris,
    });
    expect(answer.error?.code).toBe(-32602);
    expect(answer.error?.message).toMatch(/job_title.*(256|longer)|must NOT have more than 256/);
    expect(employees().length).toBe(before);
  });

  it('takes a string of exactly the limit, with non-ASCII characters', async () => {
    const session = await mcp.initialize(hris);
    const title = 'é'.repeat(maxStringLength);
    const answer = await mcp.call('hris_create_employee', person(2, { job_title: title }), { session, ...hris });
    expect(answer.result?.isError).toBe(false);
    expect(employees().at(-1)?.job_title).toBe(title);
  });
});

describe('records per account', () => {
  it(`stops at ${maxRecordsPerCollection} per collection with a documented 507 tool error, until a reset`, async () => {
    const session = await mcp.initialize(hris);
    const list = employees();
    while (list.length < maxRecordsPerCollection - 1) list.push({ id: `filler-${list.length}` });
    const last = await mcp.call('hris_create_employee', person(3), { session, ...hris });
    expect(last.result?.isError).toBe(false);
    expect(list.length).toBe(maxRecordsPerCollection);
    const refused = await mcp.call('hris_create_employee', person(4), { session, ...hris });
    expect(refused.result?.isError).toBe(true);
    expect(refused.result?.structuredContent).toMatchObject({ statusCode: 507 });
    expect(refused.result?.content?.[0]?.text).toMatch(/limit of 50000 employees.*\/__mock\/reset/);
    expect(list.length).toBe(maxRecordsPerCollection);
    // The other account's collections are not affected, and a reset empties the full one.
    mock.reset();
    const again = await mcp.call('hris_create_employee', person(5), { session: await mcp.initialize(hris), ...hris });
    expect(again.result?.isError).toBe(false);
  });
});

describe('create cost', () => {
  const create = actions.find((a) => a.name === 'hris_create_employee');
  if (!create) throw new Error('no hris_create_employee action');

  /** The fastest of five batches of 300 creates, in microseconds per create. */
  const timePerCreate = (from: number): number => {
    const account = mock.state.stackone.accounts.get('bamboohr-demo');
    if (!account) throw new Error('no account');
    let best = Number.POSITIVE_INFINITY;
    let n = from;
    for (let batch = 0; batch < 5; batch++) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 300; i++) {
        const outcome = create.run(person(n++), account, new Date(0));
        if (!outcome.ok) throw new Error(outcome.message);
      }
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e3 / 300);
    }
    return best;
  };

  it('is flat from a few records to 30 000 (within a factor of 2)', () => {
    const small = timePerCreate(1_000_000);
    let i = 0;
    while (employees().length < 30_000) {
      i++;
      employees().push({ id: `bulk-${i}`, work_email: `bulk${i}@example.com` });
    }
    const large = timePerCreate(2_000_000);
    expect(large / small, `${small.toFixed(2)} µs vs ${large.toFixed(2)} µs per create`).toBeLessThan(2);
    // Ids stay unique and readable after the bulk load.
    const ids = employees().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The duplicate check still sees the bulk-loaded records.
    const account = mock.state.stackone.accounts.get('bamboohr-demo');
    const dup =
      account &&
      create.run({ body: { first_name: 'A', last_name: 'B', work_email: 'bulk7@example.com' } }, account, new Date(0));
    expect(dup).toMatchObject({ ok: false, statusCode: 409 });
  });
});
