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
import type { LoadedSpec } from '../../core/spec.js';
import { type AddChange, type BreakingChange, createChangeCollector } from './changes.js';
import { compareSchemas, type Direction, type SchemaComparison, schemaFingerprint } from './schema.js';

/**
 * Compare two versions of one spec, operation by operation, on the structures `core/operations.ts` has
 * already resolved (parameters, bodies, responses, effective security). Operations are matched by method
 * and path with parameter names blanked (`/a/{id}` is `/a/{key}`), so renaming a path parameter is one
 * finding and not a removed plus an added operation.
 */
export function compareSpecs(before: LoadedSpec, after: LoadedSpec): BreakingChange[] {
  const oldIndex = indexOperations(before);
  const newIndex = indexOperations(after);
  const collector = createChangeCollector();
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
          `path ${oldOp.path} was removed with all its operations`,
        );
      }
      continue;
    }
    compareOperation(cmp, oldOp, newOp, (context) => collector.at(context), {
      old: oldIndex.securitySchemes,
      new: newIndex.securitySchemes,
    });
  }
  for (const newOp of newIndex.operations) {
    if (!oldKeys.has(operationKey(newOp)))
      collector.at(newOp.label)('operation-added', 'new', newOp.pointer, `new operation ${newOp.label}`);
  }
  return collector.changes();
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
  schemes: { old: Map<string, SecuritySchemeSpec>; new: Map<string, SecuritySchemeSpec> },
): void {
  const add = at(newOp.label);
  const schemas = (context: string): SchemaComparison => ({ ...base, add: at(`${newOp.label} › ${context}`) });
  if (newOp.deprecated && !oldOp.deprecated)
    add('operation-deprecated', 'new', `${newOp.pointer}/deprecated`, `${newOp.label} is now deprecated`);
  compareParameters(base, oldOp, newOp, add, schemas);
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
    add(
      'request-parameter-removed',
      'old',
      oldParam.pointer,
      `${oldParam.in} parameter '${oldParam.name}' was removed`,
    );
  }
  for (const added of unmatchedNew()) {
    if (added.required)
      add(
        'request-parameter-added-required',
        'new',
        added.pointer,
        `new required ${added.in} parameter '${added.name}'`,
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

/** Media types match case-insensitively and without parameters' spacing differences. */
const mediaKey = (m: MediaTypeSpec): string => m.mediaType.toLowerCase().replace(/\s+/g, '');

function compareContent(
  direction: Direction,
  before: MediaTypeSpec[],
  after: MediaTypeSpec[],
  where: string,
  add: AddChange,
  schemas: (context: string) => SchemaComparison,
): void {
  const afterByKey = new Map(after.map((m) => [mediaKey(m), m]));
  for (const oldMedia of before) {
    const newMedia = afterByKey.get(mediaKey(oldMedia));
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
  for (const oldHeader of oldResponse.headers) {
    const newHeader = newResponse.headers.find((h) => h.name.toLowerCase() === oldHeader.name.toLowerCase());
    if (!newHeader) {
      add('response-header-removed', 'old', oldHeader.pointer, `${where} no longer documents header ${oldHeader.name}`);
      continue;
    }
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
    if (alternative.length === 0) {
      add('security-requirement-added', 'new', pointer, `needed no credentials, now requires ${wanted}`);
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
    if (!before || !after || !newOp.security.flat().some((r) => r.scheme === name)) continue;
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
