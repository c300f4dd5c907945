import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { documentedCodes, fillPathTemplate, findResponse, type Operation } from '../core/operations.js';
import { loadSpec } from '../core/spec.js';
import { compileSpec } from '../core/validators.js';
import { buildCannedResponses } from './canned.js';
import { dynamicResponse } from './dynamic.js';
import type { Fixtures } from './fixtures.js';
import { preferredResponse } from './prefer.js';
import { withReason } from './refusal.js';
import type { ServedSpec } from './routes.js';
import { createResponseChecker } from './self-check.js';
import type { ApiBehaviour, MockContext, MockResponse } from './types.js';

/**
 * `mock --spec FILE`: any OpenAPI 3.0/3.1 document served by the same engine as the bundled specs (request
 * validation with the compiled validators, credentials per the spec's schemes, `Prefer`, the self-check), with
 * business logic that is not written but inferred from the paths:
 *
 * - a collection is a path `P` with an item path `P/{id}` and a `POST P`: the POST creates a resource (its id
 *   taken from the body where the body names one, else made to fit the id parameter's schema), readable at
 *   `P/{id}`, listed by `GET P`, changed by `PUT`/`PATCH`/`POST` on `P/{id}`, and gone after `DELETE P/{id}`;
 * - the id a create answers is written where the create's OpenAPI `links` read it (`$response.body#/id`), else
 *   into the body property named like the id parameter, else `id`;
 * - an id of such a collection that names nothing — never created, or deleted — gets the documented 404 (or
 *   410), on the item path and every path under it; where none is documented, the canned success, as Prism;
 * - everything else answers its documented success from the spec's examples, else a body built from the
 *   schema (mock/canned.ts).
 *
 * Every answer made from stored data is held to the response schema first; where the data do not fit (a body
 * property the response does not have), the canned answer with the id filled in goes instead.
 */

/** The resources of one served spec file: concrete collection path → id → record; and what was deleted. */
export interface InferredStore {
  collections: Map<string, Map<string, Record<string, unknown>>>;
  /** `collection path/id` of deleted resources: 404 from then on. */
  gone: Set<string>;
  nextId: number;
}

export function createInferredStore(): InferredStore {
  return { collections: new Map(), gone: new Set(), nextId: 1 };
}

type Role =
  | { kind: 'create'; collection: string; item: Operation }
  | { kind: 'list'; collection: string }
  | { kind: 'item'; collection: string; idParam: string; create: Operation }
  | { kind: 'other' };

interface Collection {
  /** The collection's path template, e.g. `/pets` or `/users/{userId}/posts`. */
  template: string;
  idParam: string;
  create: Operation;
  item: Operation;
}

/** Collections of a spec: a `POST P` and an operation on `P/{param}`. */
function collectionsOf(operations: readonly Operation[]): Collection[] {
  const found: Collection[] = [];
  for (const op of operations) {
    const last = /\/\{([^}]+)\}$/.exec(op.path);
    if (!last?.[1]) continue;
    const template = op.path.slice(0, -last[0].length) || '/';
    if (found.some((c) => c.template === template)) continue;
    const create = operations.find((o) => o.method === 'post' && o.path === template);
    if (create) found.push({ template, idParam: last[1], create, item: op });
  }
  return found;
}

function roleOf(op: Operation, collections: Collection[]): Role {
  const itemOf = collections.find((c) => op.path === `${c.template === '/' ? '' : c.template}/{${c.idParam}}`);
  if (itemOf) return { kind: 'item', collection: itemOf.template, idParam: itemOf.idParam, create: itemOf.create };
  const at = collections.find((c) => c.template === op.path);
  if (at && op.method === 'post') return { kind: 'create', collection: at.template, item: at.item };
  if (at && op.method === 'get') return { kind: 'list', collection: at.template };
  return { kind: 'other' };
}

/** Load, compile and serve one OpenAPI file. */
export async function servedFile(
  file: string,
  storeOf: (name: string, seed: (store: InferredStore, fixtures: Fixtures) => string[]) => () => InferredStore,
): Promise<ServedSpec> {
  const compiled = compileSpec(await loadSpec(file));
  const skipped: string[] = [];
  const canned = buildCannedResponses(compiled, (why) => skipped.push(why));
  const check = createResponseChecker(compiled);
  const name = basename(file).replace(/\.(ya?ml|json)$/i, '');
  const collections = collectionsOf(compiled.operations);
  const store = storeOf(name, (fresh, fixtures) => seedRecords(fresh, collections, fixtures.specFileRecords ?? {}));
  const documented = (op: Operation, status: number, accept?: string): MockResponse | undefined => {
    if (!findResponse(op, status)) return undefined;
    const chosen = preferredResponse(op, canned, { code: status }, accept);
    return 'error' in chosen ? undefined : chosen.response;
  };
  const behaviour: ApiBehaviour = {
    spec: name,
    title: name,
    // Any non-empty credential in the place the spec's schemes say (the banner says so).
    apiKeys: (fixtures) => fixtures.specFileCredentials ?? 'any',
    wrongKeyStatus: 401,
    // A status the operation does not document (a 401 where the spec lists none) is a spec gap; the mock answers
    // the client error the operation does document instead, so every answer stays within the contract.
    // The documented body gets the real reason wherever its schema has room for it (mock/refusal.ts).
    error: (op, status, detail) => {
      const chosen = errorFor(op, status, detail);
      return chosen.unchecked ? chosen : withReason(chosen, detail.message, (r) => check(op, r).length === 0);
    },
  };
  const errorFor = (op: Operation, status: number, detail: { code: string; message: string }): MockResponse =>
    documented(op, status) ??
    (status >= 400 && status < 500
      ? documentedCodes(op)
          .filter((c) => c >= 400 && c < 500)
          .map((c) => documented(op, c))
          .find((r) => r !== undefined)
      : undefined) ?? {
      status,
      contentType: 'application/json',
      body: { error: detail.code, message: detail.message },
      // The operation documents no client error at all (a spec gap the runner reports as the spec's): the
      // refusal goes out as it is rather than as a self-check 500.
      unchecked: true,
    };
  const served: ServedSpec = { name, compiled, canned, check, behaviour, notices: skipped };
  const logic = new InferredLogic(served, collections, store, documented);
  served.handle = (op, request, ctx, accept) => logic.handle(op, request, ctx, accept);
  return served;
}

interface Request {
  path: unknown;
  query: unknown;
  header: unknown;
  body: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

class InferredLogic {
  constructor(
    private readonly served: ServedSpec,
    private readonly collections: Collection[],
    private readonly store: () => InferredStore,
    private readonly documented: (op: Operation, status: number, accept?: string) => MockResponse | undefined,
  ) {}

  handle(op: Operation, request: Request, ctx: MockContext, accept: string | undefined): MockResponse {
    const path = Object.fromEntries(Object.entries((request.path ?? {}) as object).map(([k, v]) => [k, String(v)]));
    const store = this.store();
    // A resource of a collection named anywhere in the path must exist: `/pets/{petId}/photos` of a deleted pet
    // is as gone as the pet.
    const missing = this.missingResource(op, path, store);
    if (missing) return missing;
    const role = roleOf(op, this.collections);
    switch (role.kind) {
      case 'create':
        return this.create(op, role, path, request.body, accept, store, ctx);
      case 'list':
        return this.list(op, fillPathTemplate(role.collection, path), accept, store, ctx.dynamicSeed);
      case 'item':
        return this.item(op, role, path, request.body, accept, store);
      case 'other':
        return this.success(op, accept, ctx.dynamicSeed);
    }
  }

  /**
   * The documented success (the lowest 2xx, else what the spec documents first), from the canned table; with
   * `Prefer: dynamic=true` (a seed), fresh data of it. Stored resources are answered as stored either way.
   */
  private success(op: Operation, accept: string | undefined, dynamicSeed?: number): MockResponse {
    const codes = documentedCodes(op);
    const code = codes.find((c) => c >= 200 && c < 300) ?? (findResponse(op, 200) ? 200 : codes[0]);
    const answer = (code !== undefined ? this.documented(op, code, accept) : undefined) ?? { status: code ?? 204 };
    return dynamicSeed === undefined ? answer : dynamicResponse(this.served, op, answer, dynamicSeed);
  }

  private notFound(op: Operation): MockResponse | undefined {
    return this.documented(op, 404) ?? this.documented(op, 410);
  }

  private missingResource(op: Operation, path: Record<string, string>, store: InferredStore): MockResponse | undefined {
    for (const c of this.collections) {
      const prefix = `${c.template === '/' ? '' : c.template}/{${c.idParam}}`;
      if (op.path !== prefix && !op.path.startsWith(`${prefix}/`)) continue;
      const id = path[c.idParam];
      if (id === undefined) continue;
      const key = fillPathTemplate(c.template, path);
      if (!store.collections.get(key)?.has(id)) {
        // Where no 404/410 is documented there is no way to say "not found": answer as Prism would.
        return this.notFound(op);
      }
    }
    return undefined;
  }

  /** The response if it fits the spec, else `fallback`. */
  private fitting(op: Operation, response: MockResponse, fallback: MockResponse): MockResponse {
    return this.served.check(op, response, op.method).length === 0 ? response : fallback;
  }

  private create(
    op: Operation,
    role: Extract<Role, { kind: 'create' }>,
    path: Record<string, string>,
    body: unknown,
    accept: string | undefined,
    store: InferredStore,
    ctx: MockContext,
  ): MockResponse {
    const answer = this.success(op, accept, ctx.dynamicSeed);
    // A create the spec documents no success for (Petstore 3.0's POST /pet: 405 only) creates nothing.
    if (answer.status < 200 || answer.status >= 300) return answer;
    const paramName = /\{([^}]+)\}$/.exec(role.item.path)?.[1] ?? 'id';
    const field = idFieldOf(op, answer.body, paramName);
    const given = isObject(body) ? (body[paramName] ?? (field ? body[field] : undefined)) : undefined;
    const id = this.newId(role.item, paramName, given, store);
    const key = fillPathTemplate(role.collection, path);
    const records = store.collections.get(key) ?? new Map<string, Record<string, unknown>>();
    store.collections.set(key, records);
    let record: Record<string, unknown> = { ...(isObject(body) ? body : {}) };
    if (isObject(answer.body)) {
      const withId = { ...answer.body, ...(field ? { [field]: id } : {}) };
      const merged = { ...withId, ...record, ...(field ? { [field]: id } : {}) };
      const chosen = this.fitting(op, { ...answer, body: merged }, { ...answer, body: withId });
      record = chosen.body as Record<string, unknown>;
      records.set(String(id), record);
      store.gone.delete(`${key}/${id}`);
      ctx.log(`created ${key}/${id}`);
      return chosen;
    }
    if (field) record[field] = id;
    records.set(String(id), record);
    store.gone.delete(`${key}/${id}`);
    return answer;
  }

  /** An id for a new resource: the one the body names if it fits the id parameter, else one made to fit. */
  private newId(item: Operation, paramName: string, given: unknown, store: InferredStore): string | number {
    const param = item.parameters.find((p) => p.in === 'path' && p.name === paramName);
    const validator = param?.schemaPointer ? this.served.compiled.validator(param.schemaPointer, 'request') : undefined;
    const fits = (value: unknown) => !validator || validator.validate(value).length === 0;
    const n = store.nextId++;
    const candidates = [given, n, 1000 + n, String(1000 + n), randomUUID(), `res-${n}`];
    return (candidates.find((c) => (typeof c === 'string' || typeof c === 'number') && fits(c)) ?? `res-${n}`) as
      | string
      | number;
  }

  private list(
    op: Operation,
    key: string,
    accept: string | undefined,
    store: InferredStore,
    dynamicSeed: number | undefined,
  ): MockResponse {
    // Nothing created yet: with `Prefer: dynamic=true`, a fresh page; else the spec's.
    const answer = this.success(op, accept, dynamicSeed);
    const records = [...(store.collections.get(key)?.values() ?? [])];
    if (records.length === 0) return answer;
    if (Array.isArray(answer.body)) return this.fitting(op, { ...answer, body: records }, answer);
    if (!isObject(answer.body)) return answer;
    // A page object: the array the example has, else the usual names of one, whichever fits the schema.
    const page = answer.body;
    const keys = [...Object.keys(page).filter((k) => Array.isArray(page[k])), 'data', 'items', 'results'];
    for (const key of keys) {
      const fitted = { ...answer, body: { ...page, [key]: records } };
      if (this.served.check(op, fitted, op.method).length === 0) return fitted;
    }
    return answer;
  }

  private item(
    op: Operation,
    role: Extract<Role, { kind: 'item' }>,
    path: Record<string, string>,
    body: unknown,
    accept: string | undefined,
    store: InferredStore,
  ): MockResponse {
    const key = fillPathTemplate(role.collection, path);
    const id = path[role.idParam] ?? '';
    const records = store.collections.get(key);
    const record = records?.get(id);
    const answer = this.success(op, accept);
    if (!records || !record) return this.notFound(op) ?? answer;
    if (op.method === 'delete') {
      records.delete(id);
      store.gone.add(`${key}/${id}`);
      return answer;
    }
    let current = record;
    if (op.method !== 'get' && op.method !== 'head' && isObject(body)) {
      const field = idFieldOf(role.create, record, role.idParam);
      const next = { ...(op.method === 'put' ? {} : record), ...body, ...(field ? { [field]: record[field] } : {}) };
      // A change is kept only if the resource still reads back as the spec describes it.
      const read = role.create;
      const readable = this.served.check(read, { ...this.success(read, accept), body: next }, read.method).length === 0;
      if (readable) {
        records.set(id, next);
        current = next;
      }
    }
    if (!isObject(answer.body)) return answer;
    return this.fitting(op, { ...answer, body: current }, answer);
  }
}

/**
 * Where a create's answer carries the new id: the property its success response's `links` read it from
 * (`$response.body#/id`), else the property named like the id parameter, else `id`, else one ending in `id`.
 */
function idFieldOf(op: Operation, body: unknown, paramName: string): string | undefined {
  if (!isObject(body)) return undefined;
  for (const response of op.responses) {
    if (!/^2/.test(response.status)) continue;
    for (const link of response.links) {
      for (const [name, expression] of Object.entries(link.parameters)) {
        const field = /^\$response\.body#\/([^/]+)$/.exec(expression)?.[1];
        if (field && name.replace(/^path\./, '') === paramName) return field;
      }
    }
  }
  if (paramName in body) return paramName;
  if ('id' in body) return 'id';
  return Object.keys(body).find((k) => /id$/i.test(k));
}

/** A concrete collection path (`/users/42/posts`) as the collection of the spec it belongs to, if any. */
function collectionAt(collections: Collection[], key: string): Collection | undefined {
  return collections.find((c) => {
    const pattern = c.template
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    return new RegExp(`^${pattern}$`).test(key);
  });
}

/**
 * The fixtures' `specFileRecords` (collection path → records) in a fresh store: each record readable at
 * `{collection}/{id}` and listed by the collection, its id read where a create would have written it (the
 * property named like the id parameter, else `id`, else the create's `links`). Paths that are not a collection
 * of this spec are left to the other served files; the fixtures schema has checked that each record is an
 * object with an id. New ids continue after the largest numeric one given.
 */
export function seedRecords(
  store: InferredStore,
  collections: Collection[],
  records: Record<string, Array<Record<string, unknown>>>,
): string[] {
  const problems: string[] = [];
  for (const [key, list] of Object.entries(records)) {
    const collection = collectionAt(collections, key);
    if (!collection) continue;
    const stored = store.collections.get(key) ?? new Map<string, Record<string, unknown>>();
    store.collections.set(key, stored);
    for (const record of list) {
      const field =
        record[collection.idParam] !== undefined
          ? collection.idParam
          : idFieldOf(collection.create, record, collection.idParam);
      const id = field ? record[field] : undefined;
      if (typeof id !== 'string' && typeof id !== 'number') {
        problems.push(
          `fixtures: specFileRecords ${key}: a record without an id (a string or number in '${collection.idParam}' or 'id') is left out`,
        );
        continue;
      }
      stored.set(String(id), structuredClone(record));
      if (typeof id === 'number' && id >= store.nextId) store.nextId = Math.floor(id) + 1;
    }
  }
  return problems;
}
