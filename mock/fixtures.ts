import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ToolError } from '../core/errors.js';
import { fromRoot } from '../core/paths.js';
import { createSchemaCompiler } from './json-schema.js';

/**
 * The demo data the mock starts from: which API keys each API accepts and which resources exist. The default
 * ships as `mock/fixtures.json`; `--fixtures FILE` (or `createMockApp({fixtures})`) replaces it section by
 * section. Its shape is `mock/fixtures.schema.json`, checked on every load; a file that does not fit is a
 * `MCPC_CONFIG` error naming the place and the problem.
 */

export type StackOneCategory = 'hris' | 'ats';

/** One record of a linked account (an employee, a job, a candidate): an id plus what the provider returns. */
export type AccountRecord = { id: string } & Record<string, unknown>;

/** The record collections of a linked account; which ones it has follows from its category. */
export type RecordCollection = 'employees' | 'jobs' | 'candidates';

export const collectionsOf: Record<StackOneCategory, readonly RecordCollection[]> = {
  hris: ['employees'],
  ats: ['jobs', 'candidates'],
};

/** A provider account linked to an API key: what `x-account-id` names, and what the MCP tools work on. */
export interface StackOneAccount {
  id: string;
  owner: string;
  provider: string;
  category: StackOneCategory;
  name?: string;
  employees?: AccountRecord[];
  jobs?: AccountRecord[];
  candidates?: AccountRecord[];
}

export interface StackOneSessionLimits {
  /** Seconds without a request after which a session is closed; 0 keeps sessions open until deleted. */
  idleTimeoutSeconds?: number;
  /** Open sessions at most; one more closes the session unused the longest. */
  maxSessions?: number;
}

export interface StackOneFixtures {
  apiKeys: string[];
  sessions?: Array<{ id: string; owner: string; accountId?: string }>;
  /** Left out of a file: the demo accounts, linked to the file's first key (filled in when fixtures load). */
  accounts?: StackOneAccount[];
  sessionLimits?: StackOneSessionLimits;
}

/** Used where the fixtures give no session limits. */
export const defaultSessionLimits: Required<StackOneSessionLimits> = { idleTimeoutSeconds: 1800, maxSessions: 1000 };

export interface SmitheryFixtures {
  apiKeys: string[];
  namespaces: Array<{ name: string; owner: string; connections: string[] }>;
}

export interface LangSmithFixtures {
  apiKeys: string[];
  /** `owner` (one of apiKeys) defaults to the first key. */
  mcpServers?: Array<{ id: string; name: string; url?: string; owner?: string }>;
}

export interface Fixtures {
  stackone: StackOneFixtures;
  smithery: SmitheryFixtures;
  langsmith: LangSmithFixtures;
  /** Browser origins the mock serves beyond the loopback ones (like `--allow-origin`), e.g. a dev server's. */
  allowedOrigins?: string[];
  /**
   * The credentials a served spec file (`mock --spec FILE`) accepts, in whichever place its security schemes
   * name (a token, an API key, a Basic username); left out, any non-empty credential is accepted.
   */
  specFileCredentials?: string[];
  /**
   * Records a served spec file (`mock --spec FILE`) starts with, by concrete collection path as the spec writes it
   * (`/planets`, `/users/42/posts`): each readable at `{collection}/{id}` and listed by `GET {collection}` from the
   * start, and again after a reset.
   */
  specFileRecords?: Record<string, Array<Record<string, unknown>>>;
}

/** What a fixtures file may contain: any section may be left out (it keeps the default). */
export type FixturesInput = Partial<Fixtures> & { $schema?: string };

export const defaultFixturesFile = fromRoot('mock', 'fixtures.json');
export const fixturesSchemaFile = fromRoot('mock', 'fixtures.schema.json');

let compiledSchema: ValidateFunction | undefined;

/** The fixtures schema, compiled the first time fixtures are checked and reused after that. */
function fixturesValidator(): ValidateFunction {
  if (!compiledSchema) {
    compiledSchema = createSchemaCompiler().compile(JSON.parse(readFileSync(fixturesSchemaFile, 'utf8')) as object);
  }
  return compiledSchema;
}

/** Read, parse and check a fixtures file; sections it leaves out come from the default file. */
export function loadFixturesFile(file: string): Fixtures {
  return resolveFixtures(readFixturesJson(file), displayPath(file));
}

function readFixturesJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ToolError(
      'MCPC_CONFIG',
      code === 'ENOENT'
        ? `fixtures file ${displayPath(file)} does not exist`
        : code === 'EISDIR'
          ? `fixtures file ${displayPath(file)} is a directory`
          : `cannot read fixtures file ${displayPath(file)}: ${(error as Error).message}`,
      'give the path of a JSON file shaped like mock/fixtures.json (schema: mock/fixtures.schema.json)',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ToolError(
      'MCPC_CONFIG',
      `fixtures file ${displayPath(file)} is not valid JSON: ${describeJsonError(error as Error, text)}`,
      'fix the syntax at that line and column',
    );
  }
}

let defaults: Fixtures | undefined;

/** The shipped demo data (`mock/fixtures.json`), read once; each call returns a fresh copy. */
export function defaultFixtures(): Fixtures {
  // The shipped file is checked against the schema by the test suite; skipping that here saves compiling the
  // fixtures schema on every start (a tenth of the mock's start-up), which only user files need.
  if (!defaults) defaults = checkFixtures(readFixturesJson(defaultFixturesFile), 'mock/fixtures.json', undefined, true);
  return structuredClone(defaults);
}

/**
 * Check fixtures given as data (a parsed file, or an object from a test) and fill left-out sections from the
 * defaults. `source` names where they came from in error messages.
 */
export function resolveFixtures(input: unknown, source = 'fixtures'): Fixtures {
  return checkFixtures(input, source, defaultFixtures());
}

/** Check fixtures against the schema; exported for the test that holds the shipped file to it. */
export function schemaProblems(input: unknown): ErrorObject[] {
  const validate = fixturesValidator();
  return validate(input) ? [] : [...(validate.errors ?? [])];
}

function checkFixtures(input: unknown, source: string, base: Fixtures | undefined, trusted = false): Fixtures {
  const errors = trusted ? [] : schemaProblems(input);
  if (errors.length > 0) {
    const first = errors[0];
    const all = errors.map(describeSchemaError);
    throw new ToolError(
      'MCPC_CONFIG',
      `${source}: ${first ? describeSchemaError(first) : 'does not match the fixtures schema'}${all.length > 1 ? ` (and ${all.length - 1} more: ${all.slice(1, 4).join('; ')})` : ''}`,
      'fix the file; its shape is documented in mock/fixtures.schema.json and mock/README.md',
    );
  }
  const given = input as FixturesInput;
  const fixtures: Fixtures = {
    stackone: given.stackone ? withAccounts(given.stackone, base?.stackone) : (base?.stackone as StackOneFixtures),
    smithery: given.smithery ?? (base?.smithery as SmitheryFixtures),
    langsmith: given.langsmith ?? (base?.langsmith as LangSmithFixtures),
    ...(given.allowedOrigins ? { allowedOrigins: given.allowedOrigins } : {}),
    ...(given.specFileCredentials ? { specFileCredentials: given.specFileCredentials } : {}),
    ...(given.specFileRecords ? { specFileRecords: given.specFileRecords } : {}),
  };
  if (!fixtures.stackone || !fixtures.smithery || !fixtures.langsmith) {
    throw new ToolError(
      'MCPC_CONFIG',
      `${source}: the default fixtures must have all three sections (stackone, smithery, langsmith)`,
    );
  }
  checkReferences(fixtures, source);
  return structuredClone(fixtures);
}

/**
 * A StackOne section written before linked accounts existed (or that simply leaves them out) still gets tools:
 * the demo accounts of the default owner, linked to the section's first key. So an old `--fixtures` file with
 * only `apiKeys` keeps answering the contract's own `tools/call` example.
 */
function withAccounts(given: StackOneFixtures, base: StackOneFixtures | undefined): StackOneFixtures {
  if (given.accounts || !base) return given;
  const demoOwner = base.apiKeys[0];
  const owner = given.apiKeys[0] ?? '';
  const accounts = (base.accounts ?? []).filter((a) => a.owner === demoOwner).map((a) => ({ ...a, owner }));
  return { ...given, accounts };
}

/** What JSON Schema cannot say: owners must be keys of the same API, names must be unique. */
function checkReferences(fixtures: Fixtures, source: string): void {
  const fail = (where: string, message: string): never => {
    throw new ToolError('MCPC_CONFIG', `${source}: ${where}: ${message}`, 'fix the file (see mock/README.md)');
  };
  const seen = (list: string[], where: (i: number) => string, what: string): void => {
    const names = new Set<string>();
    list.forEach((name, i) => {
      if (names.has(name)) fail(where(i), `${what} '${name}' appears twice`);
      names.add(name);
    });
  };
  const stackone = fixtures.stackone;
  (stackone.sessions ?? []).forEach((s, i) => {
    if (!stackone.apiKeys.includes(s.owner))
      fail(`/stackone/sessions/${i}/owner`, `'${s.owner}' is not one of stackone.apiKeys`);
  });
  seen(
    (stackone.sessions ?? []).map((s) => s.id),
    (i) => `/stackone/sessions/${i}/id`,
    'session id',
  );
  checkAccounts(stackone, fail, seen);
  const smithery = fixtures.smithery;
  smithery.namespaces.forEach((ns, i) => {
    if (!smithery.apiKeys.includes(ns.owner))
      fail(`/smithery/namespaces/${i}/owner`, `'${ns.owner}' is not one of smithery.apiKeys`);
  });
  seen(
    smithery.namespaces.map((n) => n.name),
    (i) => `/smithery/namespaces/${i}/name`,
    'namespace',
  );
  (fixtures.langsmith.mcpServers ?? []).forEach((s, i) => {
    if (s.owner !== undefined && !fixtures.langsmith.apiKeys.includes(s.owner))
      fail(`/langsmith/mcpServers/${i}/owner`, `'${s.owner}' is not one of langsmith.apiKeys`);
  });
  seen(
    (fixtures.langsmith.mcpServers ?? []).map((s) => s.id.toLowerCase()),
    (i) => `/langsmith/mcpServers/${i}/id`,
    'MCP server id',
  );
}

type Fail = (where: string, message: string) => never;
type Seen = (list: string[], where: (i: number) => string, what: string) => void;

/** Linked accounts: linked to a key, ids unique, records where the category has them, references that resolve. */
function checkAccounts(stackone: StackOneFixtures, fail: Fail, seen: Seen): void {
  const accounts = stackone.accounts ?? [];
  seen(
    accounts.map((a) => a.id),
    (i) => `/stackone/accounts/${i}/id`,
    'account id',
  );
  accounts.forEach((account, i) => {
    const at = `/stackone/accounts/${i}`;
    if (!stackone.apiKeys.includes(account.owner))
      fail(`${at}/owner`, `'${account.owner}' is not one of stackone.apiKeys`);
    const own = collectionsOf[account.category];
    for (const collection of ['employees', 'jobs', 'candidates'] as const) {
      const records = account[collection];
      if (!records) continue;
      if (!own.includes(collection)) {
        fail(
          `${at}/${collection}`,
          `an ${account.category} account has no ${collection} (it has ${own.join(' and ')}); move them to an account of another category`,
        );
      }
      seen(
        records.map((r) => r.id),
        (j) => `${at}/${collection}/${j}/id`,
        `${collection.slice(0, -1)} id`,
      );
    }
    const jobs = new Set((account.jobs ?? []).map((j) => j.id));
    (account.candidates ?? []).forEach((candidate, j) => {
      const ids = Array.isArray(candidate.job_ids) ? (candidate.job_ids as string[]) : [];
      const unknown = ids.find((id) => !jobs.has(id));
      if (unknown !== undefined) {
        fail(`${at}/candidates/${j}/job_ids`, `'${unknown}' is not a job of account '${account.id}'`);
      }
    });
  });
  (stackone.sessions ?? []).forEach((session, i) => {
    if (session.accountId === undefined) return;
    const account = accounts.find((a) => a.id === session.accountId);
    if (!account || account.owner !== session.owner) {
      fail(
        `/stackone/sessions/${i}/accountId`,
        `'${session.accountId}' is not an account linked to '${session.owner}' (see stackone.accounts)`,
      );
    }
  });
}

function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath || '/';
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at}: unknown property '${(error.params as { additionalProperty: string }).additionalProperty}'`;
    case 'required':
      return `${at}: missing required property '${(error.params as { missingProperty: string }).missingProperty}'`;
    case 'pattern':
      return `${at}: ${error.message ?? 'does not match the pattern'}`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}

/** Node's JSON errors give a character position, or none at all; people need line and column. */
function describeJsonError(error: Error, text: string): string {
  // V8 either names a position or quotes a stretch of the text, which may span lines: keep only the reason.
  const token = /^Unexpected token '(.+?)',/s.exec(error.message);
  const reason = token
    ? `Unexpected token '${token[1]}'`
    : (error.message.split(/ in JSON at position | is not valid JSON/)[0] ?? error.message).replace(/\s+/g, ' ');
  const given = /at position (\d+)/.exec(error.message);
  const offset = given ? Number(given[1]) : firstErrorOffset(text);
  if (offset === undefined) return reason;
  const before = text.slice(0, offset).split('\n');
  return `${reason} at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Where JSON text first goes wrong, for the messages that do not say: the shortest prefix that fails for a
 * reason other than ending too early. Any prefix of a valid start only ends too early, so the search is exact.
 */
function firstErrorOffset(text: string): number | undefined {
  const endsEarly = (prefix: string): boolean => {
    try {
      JSON.parse(prefix);
      return true;
    } catch (error) {
      const message = (error as Error).message;
      const at = /at position (\d+)/.exec(message);
      return at ? Number(at[1]) >= prefix.length : /Unexpected end/.test(message);
    }
  };
  if (endsEarly(text)) return undefined;
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (endsEarly(text.slice(0, mid))) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
