import type { AccountRecord, RecordCollection, StackOneCategory } from '../fixtures.js';
import type { LinkedAccount } from '../state.js';

/**
 * The actions behind StackOne's MCP tools: a small slice of its unified HRIS and ATS APIs (list, get and create
 * for employees, jobs and candidates), each with the real shape of its arguments — grouped by where the HTTP
 * call would put them (`path`, `query`, `body`) — and an implementation over the linked account's fixture
 * records. How the arguments are presented to a client (`param-style`) and how actions become tools
 * (`tool-mode`) is decided elsewhere (param-style.ts, tools.ts); an action only ever sees grouped arguments.
 */

/** A JSON Schema object, as MCP tools publish them. */
export type JsonSchema = Record<string, unknown>;

export type ParamLocation = 'path' | 'query' | 'body';

export interface ParamGroup {
  properties: Record<string, JsonSchema>;
  required: string[];
}

export type ParamGroups = Partial<Record<ParamLocation, ParamGroup>>;

/** An action's arguments, grouped by location whatever the param style the client used. */
export type GroupedArguments = Partial<Record<ParamLocation, Record<string, unknown>>>;

/** What an action did: the response body of the unified API, or the HTTP error it would have answered. */
export type ActionOutcome =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; statusCode: number; message: string };

export interface Action {
  /** The tool name in `individual` mode, e.g. `hris_list_employees`. */
  name: string;
  category: StackOneCategory;
  title: string;
  description: string;
  /** The unified API call the action stands for, e.g. `GET /unified/hris/employees`. */
  http: string;
  readOnly: boolean;
  params: ParamGroups;
  run(args: GroupedArguments, account: LinkedAccount, now: Date): ActionOutcome;
}

/** One kind of record of a category, and what its list, get and create actions need to know about it. */
interface Resource {
  category: StackOneCategory;
  collection: RecordCollection;
  singular: string;
  idPrefix: string;
  /** The create body: the record's writable fields. */
  fields: Record<string, JsonSchema>;
  required: string[];
  /** Filled in on create when the body leaves them out. */
  defaults: Record<string, unknown>;
  /** List filters: a query parameter each, matched against the record. */
  filters: Record<string, { schema: JsonSchema; matches(record: AccountRecord, value: unknown): boolean }>;
  /** A field no two records may share (a second create with it is a 409, as the provider would answer). */
  unique?: string;
  /** Checks that need the rest of the account, e.g. that the jobs a candidate applies to exist (422). */
  check?(record: Record<string, unknown>, account: LinkedAccount): string | undefined;
}

/**
 * What one account may hold, so that a loop of creates cannot take the laptop's memory: every string argument
 * has a `maxLength` in the tool's input schema (so an oversized one is invalid arguments, -32602, before any
 * record is made), arrays a `maxItems`, and each collection of an account at most `maxRecordsPerCollection`
 * records (one more create is a tool error with status 507, until `POST /__mock/reset`).
 */
export const maxStringLength = 256;
export const maxTextLength = 4096;
export const maxArrayItems = 100;
export const maxRecordsPerCollection = 50_000;

/** Give every string of a schema map a `maxLength` (and every array a `maxItems`) where it has none. */
function bounded(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => {
      if (schema.type === 'string' && schema.maxLength === undefined && schema.enum === undefined) {
        return [name, { ...schema, maxLength: maxStringLength }];
      }
      if (schema.type === 'array' && schema.maxItems === undefined) {
        const items = schema.items as JsonSchema | undefined;
        return [name, { ...schema, maxItems: maxArrayItems, ...(items ? { items: bounded({ i: items }).i } : {}) }];
      }
      return [name, schema];
    }),
  );
}

export const defaultPageSize = 25;
const maxPageSize = 100;

const pageSize: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: maxPageSize,
  default: defaultPageSize,
  description: `Records per page (1 to ${maxPageSize}).`,
};
const next: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: maxStringLength,
  description: 'The `next` cursor of the previous page; leave out for the first page.',
};
const fields: JsonSchema = {
  type: 'string',
  pattern: '^[a-z_]+(,[a-z_]+)*$',
  maxLength: maxStringLength,
  description: 'Comma-separated fields to return, e.g. `first_name,last_name` (all when left out; `id` always).',
};
const id: JsonSchema = { type: 'string', minLength: 1, maxLength: maxStringLength, description: 'The record id.' };

/** Employees and candidates are both people. */
const personName: Record<string, JsonSchema> = {
  first_name: { type: 'string', minLength: 1, description: 'Given name.' },
  last_name: { type: 'string', minLength: 1, description: 'Family name.' },
};

const equals = (field: string) => (record: AccountRecord, value: unknown) => record[field] === value;

const resources: Resource[] = (
  [
    {
      category: 'hris',
      collection: 'employees',
      singular: 'employee',
      idPrefix: 'emp',
      fields: {
        ...personName,
        work_email: { type: 'string', format: 'email', description: 'Work email address (unique).' },
        job_title: { type: 'string', description: 'Job title.' },
        department: { type: 'string', description: 'Department name.' },
        employment_status: {
          type: 'string',
          enum: ['active', 'pending', 'leave', 'terminated'],
          description: 'Employment status (default `pending`: a new hire before their start date).',
        },
        start_date: { type: 'string', format: 'date', description: 'First working day, YYYY-MM-DD.' },
      },
      required: ['first_name', 'last_name', 'work_email'],
      defaults: { employment_status: 'pending' },
      filters: {
        employment_status: {
          schema: {
            type: 'string',
            enum: ['active', 'pending', 'leave', 'terminated'],
            description: 'Only this status.',
          },
          matches: equals('employment_status'),
        },
        department: { schema: { type: 'string', description: 'Only this department.' }, matches: equals('department') },
      },
      unique: 'work_email',
    },
    {
      category: 'ats',
      collection: 'jobs',
      singular: 'job',
      idPrefix: 'job',
      fields: {
        title: { type: 'string', minLength: 1, description: 'Job title as posted.' },
        status: {
          type: 'string',
          enum: ['draft', 'open', 'closed', 'archived'],
          description: 'Hiring status (default `draft`).',
        },
        department: { type: 'string', description: 'Department name.' },
        location: { type: 'string', description: 'Office or remote region.' },
      },
      required: ['title'],
      defaults: { status: 'draft' },
      filters: {
        status: {
          schema: { type: 'string', enum: ['draft', 'open', 'closed', 'archived'], description: 'Only this status.' },
          matches: equals('status'),
        },
      },
    },
    {
      category: 'ats',
      collection: 'candidates',
      singular: 'candidate',
      idPrefix: 'cand',
      fields: {
        ...personName,
        email: { type: 'string', format: 'email', description: 'Email address (unique).' },
        title: { type: 'string', description: 'Current job title.' },
        job_ids: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          description: 'Ids of the jobs the candidate applies to (from ats_list_jobs).',
        },
      },
      required: ['first_name', 'last_name', 'email'],
      defaults: { job_ids: [] },
      filters: {
        job_id: {
          schema: { type: 'string', minLength: 1, description: 'Only candidates applying to this job.' },
          matches: (record, value) => Array.isArray(record.job_ids) && record.job_ids.includes(value),
        },
        email: {
          schema: { type: 'string', description: 'Only the candidate with this email.' },
          matches: equals('email'),
        },
      },
      unique: 'email',
      check(record, account) {
        const jobs = recordIndex(account.records.jobs).ids;
        const unknown = ((record.job_ids ?? []) as string[]).filter((j) => !jobs.has(j));
        return unknown.length > 0 ? `job_ids name no job of this account: ${unknown.join(', ')}` : undefined;
      },
    },
  ] as Resource[]
).map(
  (r): Resource => ({
    ...r,
    fields: bounded(r.fields),
    filters: Object.fromEntries(
      Object.entries(r.filters).map(([name, f]) => [name, { ...f, schema: bounded({ f: f.schema }).f as JsonSchema }]),
    ),
  }),
);

const categoryTitles: Record<StackOneCategory, string> = { hris: 'HRIS', ats: 'ATS' };

function listAction(r: Resource): Action {
  const filterProperties = Object.fromEntries(Object.entries(r.filters).map(([name, f]) => [name, f.schema]));
  return {
    name: `${r.category}_list_${r.collection}`,
    category: r.category,
    title: `List ${r.collection}`,
    description: `List the ${r.collection} of the linked ${categoryTitles[r.category]} account, one page at a time: pass the \`next\` of a page to get the one after it (null on the last page).`,
    http: `GET /unified/${r.category}/${r.collection}`,
    readOnly: true,
    params: {
      query: { properties: { page_size: pageSize, next, fields, ...filterProperties }, required: [] },
    },
    run(args, account) {
      const query = args.query ?? {};
      let records = account.records[r.collection];
      for (const [name, filter] of Object.entries(r.filters)) {
        if (query[name] !== undefined) records = records.filter((record) => filter.matches(record, query[name]));
      }
      const offset = query.next === undefined ? 0 : decodeCursor(String(query.next));
      if (offset === undefined) {
        return {
          ok: false,
          statusCode: 400,
          message: `next '${String(query.next)}' is not a cursor this server issued; leave it out to start from the first page`,
        };
      }
      const size = typeof query.page_size === 'number' ? query.page_size : defaultPageSize;
      const page = records.slice(offset, offset + size).map((record) => pick(record, query.fields));
      const more = offset + size < records.length;
      return { ok: true, data: { next: more ? encodeCursor(offset + size) : null, data: page } };
    },
  };
}

function getAction(r: Resource): Action {
  return {
    name: `${r.category}_get_${r.singular}`,
    category: r.category,
    title: `Get ${r.singular}`,
    description: `Get one ${r.singular} of the linked ${categoryTitles[r.category]} account by id.`,
    http: `GET /unified/${r.category}/${r.collection}/{id}`,
    readOnly: true,
    params: { path: { properties: { id }, required: ['id'] }, query: { properties: { fields }, required: [] } },
    run(args, account) {
      const wanted = String(args.path?.id);
      const record = account.records[r.collection].find((candidate) => candidate.id === wanted);
      if (!record) {
        return {
          ok: false,
          statusCode: 404,
          message: `${capitalise(r.singular)} '${wanted}' not found in account '${account.id}' (${account.provider})`,
        };
      }
      return { ok: true, data: { data: pick(record, args.query?.fields) } };
    },
  };
}

function createAction(r: Resource): Action {
  return {
    name: `${r.category}_create_${r.singular}`,
    category: r.category,
    title: `Create ${r.singular}`,
    description: `Create ${withArticle(r.singular)} in the linked ${categoryTitles[r.category]} account; answers the new id.`,
    http: `POST /unified/${r.category}/${r.collection}`,
    readOnly: false,
    params: { body: { properties: r.fields, required: r.required } },
    run(args, account, now) {
      const body = { ...r.defaults, ...(args.body ?? {}) };
      const records = account.records[r.collection];
      const index = recordIndex(records, r.unique);
      if (records.length >= maxRecordsPerCollection) {
        return {
          ok: false,
          statusCode: 507,
          message: `Account '${account.id}' holds the mock's limit of ${maxRecordsPerCollection} ${r.collection}; POST /__mock/reset goes back to the fixtures`,
        };
      }
      const unique = r.unique;
      const taken = unique ? index.unique.get(body[unique]) : undefined;
      if (taken && unique) {
        return {
          ok: false,
          statusCode: 409,
          message: `${capitalise(withArticle(r.singular))} with ${unique} '${String(body[unique])}' already exists (${taken.id})`,
        };
      }
      const problem = r.check?.(body, account);
      if (problem) return { ok: false, statusCode: 422, message: problem };
      const created = { id: freeId(r.idPrefix, index), ...body };
      records.push(created);
      index.add(created);
      return {
        ok: true,
        data: {
          statusCode: 201,
          message: 'Record created successfully',
          timestamp: now.toISOString(),
          data: { id: created.id, remote_id: created.id },
        },
      };
    },
  };
}

/** Every action, in the order tools are listed: per resource list, get, create. */
export const actions: readonly Action[] = resources.flatMap((r) => [listAction(r), getAction(r), createAction(r)]);

export function actionsFor(category: StackOneCategory): Action[] {
  return actions.filter((a) => a.category === category);
}

/** The writable fields of each kind of record, for the test that holds the fixtures schema to the catalogue. */
export function writableFields(collection: RecordCollection): string[] {
  return Object.keys(resources.find((r) => r.collection === collection)?.fields ?? {});
}

// Cursors are opaque to clients (as StackOne's are) but need no state here: the offset, base64url-encoded.
function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

function pick(record: AccountRecord, wanted: unknown): AccountRecord {
  if (typeof wanted !== 'string') return record;
  const keep = new Set(['id', ...wanted.split(',')]);
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep.has(key))) as AccountRecord;
}

/**
 * The ids (and the unique field's values) of a collection, kept next to its array so that a create is O(1)
 * however many records there are: built once per array (a reset makes new arrays), rebuilt if the array was
 * changed behind its back (its length no longer matches), and extended by each create.
 */
interface RecordIndex {
  ids: Set<string>;
  unique: Map<unknown, AccountRecord>;
  /** The next number to try for a new id. */
  next: number;
  size: number;
  add(record: AccountRecord): void;
}

const indexes = new WeakMap<AccountRecord[], RecordIndex>();

function recordIndex(records: AccountRecord[], uniqueField?: string): RecordIndex {
  const known = indexes.get(records);
  if (known && known.size === records.length) return known;
  const index: RecordIndex = {
    ids: new Set(),
    unique: new Map(),
    next: records.length + 1,
    size: 0,
    add(record) {
      this.ids.add(record.id);
      if (uniqueField !== undefined && record[uniqueField] !== undefined) this.unique.set(record[uniqueField], record);
      this.size++;
    },
  };
  for (const record of records) index.add(record);
  indexes.set(records, index);
  return index;
}

/** `emp-008` after `emp-007`: readable, and stable across runs for the same fixtures. */
function freeId(prefix: string, index: RecordIndex): string {
  // Numbers only go up, so each is tried at most once over the life of the collection.
  for (;;) {
    const candidate = `${prefix}-${String(index.next++).padStart(3, '0')}`;
    if (!index.ids.has(candidate)) return candidate;
  }
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
