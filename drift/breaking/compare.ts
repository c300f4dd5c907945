import { escapeSegment, getAtPointer } from '../../core/json-pointer.js';
import {
  indexOperations,
  type MediaTypeSpec,
  type Operation,
  type ParameterSpec,
  type ResponseSpec,
  type SecurityAlternative,
  type SecuritySchemeSpec,
} from '../../core/operations.js';
import { type LoadedSpec, resolveLocalRef } from '../../core/spec.js';
import { type AddChange, type BreakingChange, createChangeCollector } from './changes.js';
import { compareSchemas, type Direction, type SchemaComparison, schemaFingerprint } from './schema.js';

export interface CompareOptions {
  /** Today, for `x-sunset` dates (tests). */
  now?: Date;
}

/**
 * Compare two versions of one spec, operation by operation, on the structures `core/operations.ts` has
 * already resolved (parameters, bodies, responses, effective security). Operations are matched by method
 * and path with parameter names blanked (`/a/{id}` is `/a/{key}`), so renaming a path parameter is one
 * finding and not a removed plus an added operation.
 * Webhooks and callbacks follow, with the sides of the wire swapped.
 */
export function compareSpecs(before: LoadedSpec, after: LoadedSpec, options: CompareOptions = {}): BreakingChange[] {
  const collector = createChangeCollector();
  const now = options.now ?? new Date();
  comparePathItems(before, after, collector.at, now, undefined);
  compareReversed(before, after, collector.at, now);
  return collector.changes();
}

/** How a set of path items is reported: `paths` as they are, or webhooks/callbacks (the API is the client). */
interface Reversed {
  /** `webhook` or `callback …`: prefixed to every context. */
  kind: string;
  removed: 'webhook-removed' | 'callback-removed';
  added: 'webhook-added' | 'callback-added';
  /** Rewrites the pointers of the stand-in document (`/paths/…`) to where the items really are. */
  oldPointer: (pointer: string) => string;
  newPointer: (pointer: string) => string;
}

/**
 * Compare the operations of two documents' `paths`. For webhooks and callbacks (`reversed`) the documents are
 * stand-ins whose `paths` hold the webhooks or the callback's path items, and the directions swap: clients read
 * the request the API sends them and send the response.
 */
function comparePathItems(
  before: LoadedSpec,
  after: LoadedSpec,
  at: (context: string) => AddChange,
  now: Date,
  reversed: Reversed | undefined,
): void {
  const oldIndex = indexOperations(before);
  const newIndex = indexOperations(after);
  const collector = { at };
  const cmp: Omit<SchemaComparison, 'add'> = {
    oldDoc: before.document,
    newDoc: after.document,
    visited: new Set(),
  };
  const newByKey = new Map(newIndex.operations.map((op) => [operationKey(op), op]));
  const oldKeys = new Set(oldIndex.operations.map(operationKey));
  const newPaths = new Set(newIndex.operations.map((op) => templateOf(op.path)));
  const reportedPaths = new Set<string>();

  for (const oldOp of oldIndex.operations) {
    const newOp = newByKey.get(operationKey(oldOp));
    if (!newOp && reversed) {
      collector.at(`${reversed.kind} ${oldOp.label}`)(
        reversed.removed,
        'old',
        oldOp.pointer,
        `${reversed.kind} ${oldOp.label} is no longer sent`,
      );
      continue;
    }
    if (!newOp && oldOp.deprecated) {
      const sunset = sunsetOf(before.document, oldOp.pointer, collector.at(oldOp.label));
      const early = sunset !== undefined && sunset > now;
      collector.at(oldOp.label)(
        early ? 'operation-removed-before-sunset' : 'deprecated-operation-removed',
        'old',
        oldOp.pointer,
        early
          ? `deprecated operation ${oldOp.label} was removed before its sunset date ${isoDay(sunset)}`
          : `deprecated operation ${oldOp.label} was removed${sunset ? ` after its sunset date ${isoDay(sunset)}` : ''}`,
      );
      continue;
    }
    if (!newOp) {
      const path = templateOf(oldOp.path);
      if (newPaths.has(path)) {
        collector.at(oldOp.label)('operation-removed', 'old', oldOp.pointer, `operation ${oldOp.label} was removed`);
      } else if (!reportedPaths.has(path)) {
        reportedPaths.add(path);
        collector.at(oldOp.path)(
          'path-removed',
          'old',
          `/paths/${escapeSegment(oldOp.path)}`,
          `path ${oldOp.path} was removed with all its operations: ${oldIndex.operations
            .filter((op) => templateOf(op.path) === path)
            .map((op) => op.label)
            .join(', ')}`,
        );
      }
      continue;
    }
    if (reversed) {
      compareReversedOperation(cmp, oldOp, newOp, (context) => collector.at(`${reversed.kind} ${context}`));
      continue;
    }
    compareOperation(cmp, oldOp, newOp, (context) => collector.at(context), now, {
      old: oldIndex.securitySchemes,
      new: newIndex.securitySchemes,
    });
  }
  for (const newOp of newIndex.operations) {
    if (oldKeys.has(operationKey(newOp))) continue;
    if (reversed)
      collector.at(`${reversed.kind} ${newOp.label}`)(
        reversed.added,
        'new',
        newOp.pointer,
        `new ${reversed.kind} ${newOp.label}`,
      );
    else collector.at(newOp.label)('operation-added', 'new', newOp.pointer, `new operation ${newOp.label}`);
  }
}

/** An RFC 3339 date or date-time, or an HTTP-date (RFC 9110 IMF-fixdate, as the Sunset header writes it). */
const sunsetDate =
  /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?)?$|^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * `x-sunset` (a date or date-time) of the object at `pointer`, when it is one. One that is not a date is
 * said (`sunset-not-a-date`) and treated as absent, never silently ignored.
 */
function sunsetOf(doc: unknown, pointer: string, add: AddChange): Date | undefined {
  const node = getAtPointer(doc, pointer);
  const raw = node && typeof node === 'object' ? (node as Record<string, unknown>)['x-sunset'] : undefined;
  if (raw === undefined) return undefined;
  const date =
    raw instanceof Date ? raw : typeof raw === 'string' && sunsetDate.test(raw.trim()) ? new Date(raw) : undefined;
  if (date && !Number.isNaN(date.getTime())) return date;
  add(
    'sunset-not-a-date',
    'old',
    `${pointer}/x-sunset`,
    `x-sunset ${JSON.stringify(raw)} is not a date (RFC 3339 / HTTP-date); treated as absent`,
  );
  return undefined;
}

const isoDay = (date: Date | undefined): string => date?.toISOString().slice(0, 10) ?? '';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A stand-in for `spec` whose `paths` are `items` (webhooks, or a callback's path items). */
function standIn(spec: LoadedSpec, items: Record<string, unknown>): LoadedSpec {
  return { ...spec, document: { ...spec.document, paths: items } };
}

/** Rewrites `/paths/…` of a stand-in to `prefix/…`. */
const rebase =
  (prefix: string) =>
  (pointer: string): string =>
    pointer.startsWith('/paths/') ? `${prefix}/${pointer.slice('/paths/'.length)}` : pointer;

/** Webhooks (3.1) and every operation's callbacks, compared with the directions swapped. */
function compareReversed(before: LoadedSpec, after: LoadedSpec, at: (context: string) => AddChange, now: Date): void {
  const run = (
    oldItems: unknown,
    newItems: unknown,
    kind: string,
    names: Pick<Reversed, 'removed' | 'added'>,
    oldAt: string,
    newAt: string,
  ) => {
    if (!isRecord(oldItems) && !isRecord(newItems)) return;
    const reversed: Reversed = { kind, ...names, oldPointer: rebase(oldAt), newPointer: rebase(newAt) };
    // Pointers reported from the stand-ins are rewritten to where the items are in the real documents.
    const rewrite = (context: string): AddChange => {
      const add = at(context);
      return (rule, side, pointer, message) =>
        add(rule, side, (side === 'old' ? reversed.oldPointer : reversed.newPointer)(pointer), message);
    };
    comparePathItems(
      standIn(before, isRecord(oldItems) ? oldItems : {}),
      standIn(after, isRecord(newItems) ? newItems : {}),
      rewrite,
      now,
      reversed,
    );
  };
  run(
    before.document.webhooks,
    after.document.webhooks,
    'webhook',
    { removed: 'webhook-removed', added: 'webhook-added' },
    '/webhooks',
    '/webhooks',
  );

  const oldIndex = indexOperations(before);
  const newByKey = new Map(indexOperations(after).operations.map((op) => [operationKey(op), op]));
  for (const oldOp of oldIndex.operations) {
    const newOp = newByKey.get(operationKey(oldOp));
    if (!newOp) continue;
    const oldCallbacks = getAtPointer(before.document, `${oldOp.pointer}/callbacks`);
    const newCallbacks = getAtPointer(after.document, `${newOp.pointer}/callbacks`);
    const names = new Set([
      ...Object.keys(isRecord(oldCallbacks) ? oldCallbacks : {}),
      ...Object.keys(isRecord(newCallbacks) ? newCallbacks : {}),
    ]);
    for (const name of names) {
      const entry = (callbacks: unknown) => (isRecord(callbacks) ? callbacks[name] : undefined);
      const oldAt = resolveLocalRef(
        before.document,
        entry(oldCallbacks),
        `${oldOp.pointer}/callbacks/${escapeSegment(name)}`,
      );
      const newAt = resolveLocalRef(
        after.document,
        entry(newCallbacks),
        `${newOp.pointer}/callbacks/${escapeSegment(name)}`,
      );
      run(
        oldAt.value,
        newAt.value,
        `callback '${name}' of ${newOp.label}:`,
        { removed: 'callback-removed', added: 'callback-added' },
        oldAt.pointer,
        newAt.pointer,
      );
    }
  }
}

/**
 * A webhook or callback operation: the API sends the request (clients read it, so response rules apply to
 * its body) and clients send the response (request rules apply).
 */
function compareReversedOperation(
  base: Omit<SchemaComparison, 'add'>,
  oldOp: Operation,
  newOp: Operation,
  at: At,
): void {
  const schemas = (context: string): SchemaComparison => ({ ...base, add: at(`${newOp.label} › ${context}`) });
  const add = at(newOp.label);
  if (oldOp.requestBody && newOp.requestBody)
    compareContent('response', oldOp.requestBody.content, newOp.requestBody.content, 'request body', add, schemas);
  const newByStatus = new Map(newOp.responses.map((r) => [r.status, r]));
  for (const oldResponse of oldOp.responses) {
    const newResponse = newByStatus.get(oldResponse.status);
    if (newResponse)
      compareContent(
        'request',
        oldResponse.content,
        newResponse.content,
        `response ${newResponse.status}`,
        add,
        schemas,
      );
  }
}

const templateOf = (path: string): string => path.replace(/\{[^}]*\}/g, '{}');
const operationKey = (op: Operation): string => `${op.method} ${templateOf(op.path)}`;
const pathParameterNames = (path: string): string[] => [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '');

type At = (context: string) => AddChange;

function compareOperation(
  base: Omit<SchemaComparison, 'add'>,
  oldOp: Operation,
  newOp: Operation,
  at: At,
  now: Date,
  schemes: { old: Map<string, SecuritySchemeSpec>; new: Map<string, SecuritySchemeSpec> },
): void {
  const add = at(newOp.label);
  const schemas = (context: string): SchemaComparison => ({ ...base, add: at(`${newOp.label} › ${context}`) });
  if (newOp.deprecated && !oldOp.deprecated)
    add('operation-deprecated', 'new', `${newOp.pointer}/deprecated`, `${newOp.label} is now deprecated`);
  compareParameters(base, oldOp, newOp, add, schemas, now);
  compareRequestBody(oldOp, newOp, add, schemas);
  compareResponses({ old: base.oldDoc, new: base.newDoc }, oldOp, newOp, add, schemas);
  compareSecurity(base.newDoc, oldOp, newOp, add, schemes);
}

function parameterKey(p: ParameterSpec, pathRenames: Map<string, string>): string {
  if (p.in === 'path') return `path:${pathRenames.get(p.name) ?? p.name}`;
  // Header names are case-insensitive on the wire.
  return `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
}

function compareParameters(
  base: Omit<SchemaComparison, 'add'>,
  oldOp: Operation,
  newOp: Operation,
  add: AddChange,
  schemas: (context: string) => SchemaComparison,
  now: Date,
): void {
  // Path parameters are matched by their position in the template: `{id}` → `{key}` is a rename.
  const oldNames = pathParameterNames(oldOp.path);
  const newNames = pathParameterNames(newOp.path);
  const renames = new Map(oldNames.map((name, i) => [name, newNames[i] ?? name]));
  const newByKey = new Map(newOp.parameters.map((p) => [parameterKey(p, new Map()), p]));
  const matched = new Set<ParameterSpec>();
  const unmatchedOld: ParameterSpec[] = [];
  const pairs: Array<[ParameterSpec, ParameterSpec]> = [];

  for (const oldParam of oldOp.parameters) {
    const newParam = newByKey.get(parameterKey(oldParam, renames));
    if (!newParam) {
      unmatchedOld.push(oldParam);
      continue;
    }
    matched.add(newParam);
    pairs.push([oldParam, newParam]);
    if (oldParam.in === 'path' && oldParam.name !== newParam.name)
      add(
        'path-parameter-renamed',
        'new',
        newParam.pointer,
        `path parameter '${oldParam.name}' was renamed to '${newParam.name}'`,
      );
  }
  const unmatchedNew = () => newOp.parameters.filter((p) => !matched.has(p));
  const fingerprint = (doc: unknown, p: ParameterSpec) =>
    p.schemaPointer ? schemaFingerprint(doc, getAtPointer(doc, p.schemaPointer), p.schemaPointer) : '';

  for (const oldParam of unmatchedOld) {
    const moved = unmatchedNew().find((p) => p.name.toLowerCase() === oldParam.name.toLowerCase());
    if (moved) {
      matched.add(moved);
      pairs.push([oldParam, moved]);
      add(
        'parameter-moved',
        'new',
        moved.pointer,
        `parameter '${oldParam.name}' moved from ${oldParam.in} to ${moved.in}`,
      );
      continue;
    }
    const print = fingerprint(base.oldDoc, oldParam);
    const renamed = unmatchedNew().find(
      (p) => p.in === oldParam.in && p.in !== 'path' && fingerprint(base.newDoc, p) === print,
    );
    if (renamed) {
      matched.add(renamed);
      pairs.push([oldParam, renamed]);
      add(
        'parameter-renamed',
        'new',
        renamed.pointer,
        `${oldParam.in} parameter '${oldParam.name}' was renamed to '${renamed.name}'`,
      );
      continue;
    }
    const sunset = oldParam.deprecated ? sunsetOf(base.oldDoc, oldParam.pointer, add) : undefined;
    const early = sunset !== undefined && sunset > now;
    add(
      !oldParam.deprecated
        ? 'request-parameter-removed'
        : early
          ? 'request-parameter-removed-before-sunset'
          : 'deprecated-parameter-removed',
      'old',
      oldParam.pointer,
      `${oldParam.deprecated ? 'deprecated ' : ''}${oldParam.in} parameter '${oldParam.name}' was removed${early ? ` before its sunset date ${isoDay(sunset)}` : ''}`,
    );
  }
  for (const added of unmatchedNew()) {
    add(
      added.required ? 'request-parameter-added-required' : 'request-parameter-added',
      'new',
      added.pointer,
      `new ${added.required ? 'required' : 'optional'} ${added.in} parameter '${added.name}'`,
    );
  }

  for (const [oldParam, newParam] of pairs) {
    if (newParam.required && !oldParam.required)
      add(
        'request-parameter-became-required',
        'new',
        newParam.pointer,
        `${newParam.in} parameter '${newParam.name}' was optional, is now required`,
      );
    compareStyle(base, oldParam, newParam, add);
    if (oldParam.schemaPointer && newParam.schemaPointer) {
      compareSchemas(
        schemas(`${newParam.in} parameter '${newParam.name}'`),
        'request',
        { node: getAtPointer(base.oldDoc, oldParam.schemaPointer), pointer: oldParam.schemaPointer },
        { node: getAtPointer(base.newDoc, newParam.schemaPointer), pointer: newParam.schemaPointer },
        newParam.name,
      );
    }
  }
}

/** The serialisation of a parameter, defaults filled in (OpenAPI: form/explode for query and cookie, simple otherwise). */
function styleOf(doc: unknown, p: ParameterSpec): { style: string; explode: boolean } {
  const raw = getAtPointer(doc, p.pointer);
  const node = isRecord(raw) ? raw : {};
  const style = typeof node.style === 'string' ? node.style : p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple';
  const explode = typeof node.explode === 'boolean' ? node.explode : style === 'form';
  return { style, explode };
}

function compareStyle(
  base: Omit<SchemaComparison, 'add'>,
  oldParam: ParameterSpec,
  newParam: ParameterSpec,
  add: AddChange,
): void {
  // A parameter described by `content` is serialised by its media type, not by style.
  if (oldParam.in !== newParam.in) return;
  const before = styleOf(base.oldDoc, oldParam);
  const after = styleOf(base.newDoc, newParam);
  if (before.style === after.style && before.explode === after.explode) return;
  const describe = (s: { style: string; explode: boolean }) => `style ${s.style}${s.explode ? ', exploded' : ''}`;
  add(
    'request-parameter-style-changed',
    'new',
    newParam.pointer,
    `${newParam.in} parameter '${newParam.name}' is now sent as ${describe(after)}, was ${describe(before)}`,
  );
}

/** Media types match case-insensitively and without parameters' spacing differences. */
const mediaKey = (m: MediaTypeSpec): string => m.mediaType.toLowerCase().replace(/\s+/g, '');
/** The essence of a media type (RFC 9110 §8.3.1): type/subtype, without parameters such as `charset`. */
const mediaEssence = (m: MediaTypeSpec): string => mediaKey(m).split(';')[0] as string;

/**
 * Pair each old media type with its new one: the same one first, else one with the same essence
 * (`application/json` and `application/json; charset=utf-8` are one media type).
 */
function pairMedia(before: MediaTypeSpec[], after: MediaTypeSpec[]): Map<MediaTypeSpec, MediaTypeSpec> {
  const pairs = new Map<MediaTypeSpec, MediaTypeSpec>();
  const left = new Set(after);
  const take = (old: MediaTypeSpec, key: (m: MediaTypeSpec) => string): void => {
    const match = [...left].find((m) => key(m) === key(old));
    if (!match) return;
    pairs.set(old, match);
    left.delete(match);
  };
  for (const old of before) take(old, mediaKey);
  for (const old of before) if (!pairs.has(old)) take(old, mediaEssence);
  return pairs;
}

function compareContent(
  direction: Direction,
  before: MediaTypeSpec[],
  after: MediaTypeSpec[],
  where: string,
  add: AddChange,
  schemas: (context: string) => SchemaComparison,
): void {
  const pairs = pairMedia(before, after);
  const paired = new Set(pairs.values());
  for (const newMedia of after) {
    if (!paired.has(newMedia))
      add('media-type-added', 'new', newMedia.pointer, `${where} now offers media type ${newMedia.mediaType}`);
  }
  for (const oldMedia of before) {
    const newMedia = pairs.get(oldMedia);
    if (newMedia && mediaKey(newMedia) !== mediaKey(oldMedia))
      add(
        'media-type-parameters-changed',
        'new',
        newMedia.pointer,
        `${where} media type ${oldMedia.mediaType} is now written ${newMedia.mediaType} (same type, parameters changed)`,
      );
    if (!newMedia) {
      add(
        direction === 'request' ? 'request-media-type-removed' : 'response-media-type-removed',
        'old',
        oldMedia.pointer,
        `${where} no longer offers media type ${oldMedia.mediaType}`,
      );
      continue;
    }
    const context = `${where} ${newMedia.mediaType}`;
    for (const key of ['schemaPointer', 'itemSchemaPointer'] as const) {
      const oldPointer = oldMedia[key];
      const newPointer = newMedia[key];
      if (!oldPointer || !newPointer) continue;
      const cmp = schemas(context);
      compareSchemas(
        cmp,
        direction,
        { node: getAtPointer(cmp.oldDoc, oldPointer), pointer: oldPointer },
        { node: getAtPointer(cmp.newDoc, newPointer), pointer: newPointer },
        key === 'schemaPointer' ? 'body' : 'event',
      );
    }
  }
}

function compareRequestBody(
  oldOp: Operation,
  newOp: Operation,
  add: AddChange,
  schemas: (context: string) => SchemaComparison,
): void {
  const before = oldOp.requestBody;
  const after = newOp.requestBody;
  if (after?.required && !before?.required) {
    add(
      'request-body-became-required',
      'new',
      after.pointer,
      before ? 'the request body was optional, is now required' : 'a required request body was added',
    );
  }
  if (before && !after)
    add('request-body-removed', 'old', before.pointer, 'the operation no longer takes a request body');
  if (before && after) compareContent('request', before.content, after.content, 'request body', add, schemas);
}

const isSuccess = (status: string): boolean => /^2(\d\d|XX)$/.test(status);

function compareResponses(
  docs: { old: unknown; new: unknown },
  oldOp: Operation,
  newOp: Operation,
  add: AddChange,
  schemas: (context: string) => SchemaComparison,
): void {
  const newByStatus = new Map(newOp.responses.map((r) => [r.status, r]));
  const oldStatuses = new Set(oldOp.responses.map((r) => r.status));
  const addedSuccess = newOp.responses.filter((r) => isSuccess(r.status) && !oldStatuses.has(r.status));
  const replacements = new Set<ResponseSpec>();
  const slot = (doc: unknown, op: Operation, status: string) =>
    `${op.pointer}/responses/${escapeSegment(rawStatusKey(doc, op, status))}`;

  for (const oldResponse of oldOp.responses) {
    const newResponse = newByStatus.get(oldResponse.status);
    if (newResponse) {
      compareResponse(oldResponse, newResponse, add, schemas);
      continue;
    }
    const replacement = isSuccess(oldResponse.status) ? addedSuccess[0] : undefined;
    if (replacement) {
      replacements.add(replacement);
      add(
        'success-status-changed',
        'new',
        slot(docs.new, newOp, replacement.status),
        `success status ${oldResponse.status} was replaced by ${replacement.status}`,
      );
    } else {
      add(
        'response-status-removed',
        'old',
        slot(docs.old, oldOp, oldResponse.status),
        `documented status ${oldResponse.status} was removed`,
      );
    }
  }
  for (const newResponse of newOp.responses) {
    if (!oldStatuses.has(newResponse.status) && !replacements.has(newResponse))
      add(
        'response-status-added',
        'new',
        slot(docs.new, newOp, newResponse.status),
        `new documented status ${newResponse.status}`,
      );
  }
}

/** `responses` keys are written `200`, `4xx` or `default`; ResponseSpec normalises them, a pointer must not. */
function rawStatusKey(doc: unknown, op: Operation, status: string): string {
  const responses = getAtPointer(doc, `${op.pointer}/responses`);
  const keys = responses && typeof responses === 'object' ? Object.keys(responses) : [];
  return keys.find((k) => (k.toLowerCase() === 'default' ? 'default' : k.toUpperCase()) === status) ?? status;
}

function compareResponse(
  oldResponse: ResponseSpec,
  newResponse: ResponseSpec,
  add: AddChange,
  schemas: (context: string) => SchemaComparison,
): void {
  const where = `response ${newResponse.status}`;
  compareContent('response', oldResponse.content, newResponse.content, where, add, schemas);
  for (const newHeader of newResponse.headers) {
    if (!oldResponse.headers.some((h) => h.name.toLowerCase() === newHeader.name.toLowerCase()))
      add('response-header-added', 'new', newHeader.pointer, `${where} now documents header ${newHeader.name}`);
  }
  for (const oldHeader of oldResponse.headers) {
    const newHeader = newResponse.headers.find((h) => h.name.toLowerCase() === oldHeader.name.toLowerCase());
    if (!newHeader) {
      add(
        oldHeader.required ? 'response-required-header-removed' : 'response-header-removed',
        'old',
        oldHeader.pointer,
        `${where} no longer documents ${oldHeader.required ? 'required' : 'optional'} header ${oldHeader.name}`,
      );
      continue;
    }
    if (oldHeader.required && !newHeader.required)
      add(
        'response-header-became-optional',
        'new',
        newHeader.pointer,
        `${where} header ${newHeader.name} was required, is now optional`,
      );
    if (oldHeader.schemaPointer && newHeader.schemaPointer) {
      const cmp = schemas(`${where} header ${newHeader.name}`);
      compareSchemas(
        cmp,
        'response',
        { node: oldHeader.schema, pointer: oldHeader.schemaPointer },
        { node: newHeader.schema, pointer: newHeader.schemaPointer },
        newHeader.name,
      );
    }
  }
}

const describeAlternative = (alternative: SecurityAlternative): string =>
  alternative.length === 0
    ? 'no credentials'
    : alternative.map((r) => (r.scopes.length > 0 ? `${r.scheme} [${r.scopes.join(', ')}]` : r.scheme)).join(' + ');

/**
 * A client that satisfied an old alternative still gets in when some new alternative asks for no scheme
 * and no scope that the old one did not already ask for.
 */
function stillAccepted(oldAlternative: SecurityAlternative, newAlternatives: SecurityAlternative[]): boolean {
  return newAlternatives.some((alternative) =>
    alternative.every((requirement) =>
      oldAlternative.some(
        (o) => o.scheme === requirement.scheme && requirement.scopes.every((s) => o.scopes.includes(s)),
      ),
    ),
  );
}

function compareSecurity(
  newDoc: unknown,
  oldOp: Operation,
  newOp: Operation,
  add: AddChange,
  schemes: { old: Map<string, SecuritySchemeSpec>; new: Map<string, SecuritySchemeSpec> },
): void {
  // No security at all means anonymous access: one alternative with no requirement.
  const oldAlternatives = oldOp.security.length > 0 ? oldOp.security : [[]];
  const newAlternatives = newOp.security.length > 0 ? newOp.security : [[]];
  const pointer =
    getAtPointer(newDoc, `${newOp.pointer}/security`) !== undefined ? `${newOp.pointer}/security` : '/security';
  const wanted = newAlternatives.map(describeAlternative).join(' or ');
  for (const alternative of oldAlternatives) {
    if (stillAccepted(alternative, newAlternatives)) continue;
    const schemesOf = (a: SecurityAlternative) =>
      a
        .map((r) => r.scheme)
        .sort()
        .join(' ');
    const rescoped = newAlternatives.find((a) => a.length > 0 && schemesOf(a) === schemesOf(alternative));
    if (alternative.length === 0) {
      add('security-requirement-added', 'new', pointer, `needed no credentials, now requires ${wanted}`);
    } else if (rescoped) {
      const extra = rescoped.flatMap((r) =>
        r.scopes
          .filter((s) => !alternative.some((o) => o.scheme === r.scheme && o.scopes.includes(s)))
          .map((s) => `${r.scheme}:${s}`),
      );
      add(
        'security-scope-added',
        'new',
        pointer,
        `clients using ${describeAlternative(alternative)} now also need scope(s) ${extra.join(', ')}`,
      );
    } else {
      add(
        'security-requirement-changed',
        'new',
        pointer,
        `clients using ${describeAlternative(alternative)} are no longer accepted (now: ${wanted})`,
      );
    }
  }
  const used = new Set(oldOp.security.flat().map((r) => r.scheme));
  for (const name of used) {
    const before = schemes.old.get(name);
    const after = schemes.new.get(name);
    const stillUsed = newOp.security.flat().some((r) => r.scheme === name);
    if (before && !after && stillUsed) {
      add(
        'security-scheme-removed',
        'old',
        `/components/securitySchemes/${escapeSegment(name)}`,
        `security scheme '${name}' is still required but no longer defined`,
      );
      continue;
    }
    if (!before || !after || !stillUsed) continue;
    const fields = ['type', 'scheme', 'in', 'paramName'] as const;
    const changed = fields.filter((f) => (before[f] ?? '') !== (after[f] ?? ''));
    if (changed.length > 0) {
      add(
        'security-scheme-changed',
        'new',
        `/components/securitySchemes/${escapeSegment(name)}`,
        `security scheme '${name}' changed ${changed.map((f) => `${f} from '${before[f] ?? ''}' to '${after[f] ?? ''}'`).join(', ')}`,
      );
    }
  }
}
