import { escapeSegment, getAtPointer, parsePointer } from './json-pointer.js';
import type { OpenApiDocument, OpenApiVersion } from './spec.js';

/**
 * Turns the schemas of an OpenAPI document into plain JSON Schema that AJV compiles in strict mode,
 * without changing what they mean:
 *
 * - `nullable: true` (OpenAPI 3.0) becomes "or null". In a 3.1 document `nullable` is not a keyword at all;
 *   we still honour what the author plainly meant (the StackOne spec marks `data: null` as allowed this
 *   way), so a deployment that sends `null` there is not failed for the spec's mistake. `lint` reports
 *   every such place and conformance says once how it was treated.
 * - OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric JSON Schema forms.
 * - `x-` extensions are removed from schemas (they carry no validation meaning).
 * - With a `direction`, `required` is rewritten for that direction: OpenAPI says a required `readOnly` property
 *   is required in responses only and a required `writeOnly` property in requests only. So for 'request' the
 *   names of `readOnly` properties leave `required`, for 'response' those of `writeOnly` ones. Rewriting at
 *   conversion time (rather than teaching AJV a keyword) keeps each direction plain JSON Schema, compiled up
 *   front like the rest; validators.ts registers each direction's copy under its own base URI, and only when
 *   the spec uses readOnly/writeOnly at all. Without a direction, `required` is left as written.
 *
 * The input document is not touched: the result is a deep copy, with a map from every schema object in
 * the copy back to its JSON pointer in the spec, so that validation errors can name the spec location.
 */
export interface ConvertedDocument {
  /**
   * The converted copy. Filled on demand (`ensure`): a place holds what a whole-document conversion would put
   * there once `ensure` has been called for it (or for a schema whose `$ref`s reach it), and nothing before.
   */
  document: Record<string, unknown>;
  /** Schema object in the converted copy → JSON pointer of that schema in the spec. */
  pointerOf: WeakMap<object, string>;
  /** Pointers of `nullable` keywords found in a 3.1 document (in the schemas converted so far). */
  nullableIn31: string[];
  /** Every `format` value used by a schema converted so far, with one pointer where it is used. */
  formats: Map<string, string>;
  /** Whether a schema converted so far says `readOnly: true` or `writeOnly: true` (then the directions differ). */
  hasReadWriteOnly: boolean;
  /**
   * Whether the source has met one object at two places (YAML aliases): then a schema's subtree may hold objects
   * written elsewhere, and two schemas alike in content are not alike in where their parts were written.
   */
  sharesObjects: boolean;
  /** Convert the schema written at `pointer` and every schema it reaches through local `$ref`s, once. */
  ensure(pointer: string): void;
  /** Convert the whole document (what the defects' view of the whole spec needs). */
  ensureAll(): void;
  /** Whether nothing has been converted yet. */
  readonly empty: boolean;
}

/** Requests and responses: a required readOnly property is required in responses only, writeOnly in requests. */
export type SchemaDirection = 'request' | 'response';

/** JSON Schema keywords whose value is a schema. */
export const schemaValuedKeywords = new Set([
  'additionalProperties',
  'items',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
  'additionalItems',
]);
/** Keywords whose value is a list of schemas. */
export const schemaListKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
export const schemaMapKeywords = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);
/** Places in an OpenAPI (non-schema) object whose value is a schema. */
const schemaSlots = new Set(['schema', 'x-itemSchema', 'itemSchema']);
/** Data, not OpenAPI objects: never walked. */
const dataKeys = new Set(['example', 'examples', 'default', 'const', 'enum']);

/** The whole document converted at once: the defects' view of the whole spec (and what tests compare with). */
export function convertDocument(
  source: OpenApiDocument,
  version: OpenApiVersion,
  direction?: SchemaDirection,
): ConvertedDocument {
  const converted = createConverter(source, version, direction);
  converted.ensureAll();
  return converted;
}

/**
 * A converted copy that is filled on demand, one schema (and what its `$ref`s reach) at a time: a run that selects
 * a few operations of a 13 MB spec converts, and hands AJV, only their schemas. What sits at a place once it is
 * filled is exactly what a whole-document conversion puts there: a schema root (a component schema, or the value
 * of a `schema`/`itemSchema` slot of an OpenAPI object) is cloned and converted as a unit; literal data is shared;
 * examples are left out; the root's `x-` extensions other than `x-webhooks` are dropped.
 */
export function createConverter(
  source: OpenApiDocument,
  version: OpenApiVersion,
  direction?: SchemaDirection,
): ConvertedDocument {
  const document: Record<string, unknown> = {};
  const pointerOf = new WeakMap<object, string>();
  const nullableIn31: string[] = [];
  const formats = new Map<string, string>();
  /** Copies by original, shared by every fill, so an object met twice (YAML aliases) stays one object. */
  const copies = new Map<object, unknown>();
  /** Nodes of the copy that are filled completely (a schema root, data, or a whole OpenAPI subtree). */
  const complete = new WeakSet<object>();
  /** Pointers already ensured. */
  const ensured = new Set<string>();
  /** `$ref`s met while filling, still to be ensured. */
  const pending: string[] = [];
  /** Schema objects converted by the current `ensure`, for the `required` rewrite once their closure is there. */
  let fresh: Array<Record<string, unknown>> = [];
  let whole = false;

  const state = {
    document,
    pointerOf,
    nullableIn31,
    formats,
    hasReadWriteOnly: false,
    sharesObjects: false,
    get empty() {
      return ensured.size === 0 && !whole;
    },
    ensure(pointer: string) {
      if (whole) return;
      pending.push(`#${pointer}`);
      drain();
    },
    ensureAll() {
      if (whole) return;
      whole = true;
      const components = source.components as Record<string, unknown> | undefined;
      const schemas = components?.schemas;
      if (schemas && typeof schemas === 'object' && !Array.isArray(schemas)) {
        for (const name of Object.keys(schemas)) fillPath(['components', 'schemas', name]);
      }
      fillOpenApi(source, document, []);
      drain();
    },
  };

  const convertSchema = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const schema = node as Record<string, unknown>;
    if (pointerOf.has(schema)) return;
    pointerOf.set(schema, pointer);
    fresh.push(schema);
    if (schema.readOnly === true || schema.writeOnly === true) state.hasReadWriteOnly = true;

    for (const key of Object.keys(schema)) {
      if (key.startsWith('x-') && key !== 'x-itemSchema') delete schema[key];
    }
    if (typeof schema.format === 'string' && !formats.has(schema.format))
      formats.set(schema.format, `${pointer}/format`);
    if (version === '3.0') convertExclusiveBounds(schema);

    for (const [key, value] of Object.entries(schema)) {
      const at = `${pointer}/${escapeSegment(key)}`;
      if (schemaValuedKeywords.has(key)) {
        if (Array.isArray(value)) {
          for (const [i, v] of value.entries()) convertSchema(v, `${at}/${i}`);
        } else convertSchema(value, at);
      } else if (schemaListKeywords.has(key) && Array.isArray(value)) {
        for (const [i, v] of value.entries()) convertSchema(v, `${at}/${i}`);
      } else if (schemaMapKeywords.has(key) && value && typeof value === 'object') {
        for (const [name, sub] of Object.entries(value)) convertSchema(sub, `${at}/${escapeSegment(name)}`);
      }
    }

    if ('nullable' in schema) {
      if (version === '3.1') nullableIn31.push(`${pointer}/nullable`);
      const nullable = schema.nullable === true;
      delete schema.nullable;
      if (nullable) {
        const rest = makeNullable(schema, pointerOf, pointer);
        if (rest) fresh.push(rest);
      }
    }
  };

  /**
   * A deep copy of a subtree's structure, the part the conversion rewrites, for AJV. Examples are left out (lint
   * judges them in the spec itself); other literal data (defaults, enums, consts) is never rewritten, so the copy
   * shares it with the source instead of cloning it. Cycles are kept, as structuredClone would. The `$ref`s it
   * meets are queued, so that what they reach is filled too.
   */
  const clone = (node: unknown, names: boolean): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const known = copies.get(node);
    if (known !== undefined) {
      state.sharesObjects = true;
      return known;
    }
    if (Array.isArray(node)) {
      const copy: unknown[] = [];
      copies.set(node, copy);
      for (const item of node) copy.push(clone(item, false));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    copies.set(node, copy);
    for (const key of Object.keys(node)) {
      const value = (node as Record<string, unknown>)[key];
      if (!names) {
        if (exampleKeys.has(key)) continue;
        if (dataKeys.has(key)) {
          copy[key] = value;
          continue;
        }
        if (key === '$ref' && typeof value === 'string') pending.push(value);
      }
      copy[key] = clone(value, schemaMapKeywords.has(key) || key === 'schemas');
    }
    return copy;
  };

  /** What a place holds in the whole-document copy, seen from the OpenAPI object that holds it. */
  const kindOf = (path: readonly string[], key: string): 'schema' | 'data' | 'absent' | 'openapi' => {
    if (path.length === 2 && path[0] === 'components' && path[1] === 'schemas') return 'schema';
    if (exampleKeys.has(key)) return 'absent';
    if (dataKeys.has(key)) return 'data';
    if (schemaSlots.has(key)) return 'schema';
    return 'openapi';
  };

  /** Put into `holder[key]` the copy of `value` (a schema root, or data); `at` is its pointer. */
  const place = (holder: Record<string, unknown>, key: string, value: unknown, kind: 'schema' | 'data', at: string) => {
    if (kind === 'data') {
      holder[key] = value;
      queueRefsIn(value);
    } else {
      const copy = clone(value, false);
      holder[key] = copy;
      convertSchema(copy, at);
    }
    if (value && typeof value === 'object') complete.add(holder[key] as object);
  };

  /** Literal data at a place a `$ref` may name (a `default` response, say): follow the `$ref`s inside it too. */
  const queueRefsIn = (value: unknown, depth = 0): void => {
    if (!value || typeof value !== 'object' || depth > 256) return;
    if (Array.isArray(value)) {
      for (const item of value) queueRefsIn(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') pending.push(item);
      else queueRefsIn(item, depth + 1);
    }
  };

  /** Fill a whole OpenAPI-structure subtree: every schema slot in it converted, data shared, examples left out. */
  const fillOpenApi = (src: unknown, holder: Record<string, unknown> | unknown[], path: string[]): void => {
    if (complete.has(holder)) return;
    for (const key of Object.keys(src as object)) {
      const value = (src as Record<string, unknown>)[key];
      const kind = kindOf(path, key);
      if (kind === 'absent') continue;
      // The root's extensions (x-webhooks aside) are dropped from the copy; their schemas are still converted, as a
      // whole-document conversion did, for what it learns of them (formats, nullable in 3.1).
      const dropped = path.length === 0 && key.startsWith('x-') && key !== 'x-webhooks';
      if (dropped && kind === 'data') continue;
      const target = (dropped ? {} : holder) as Record<string, unknown>;
      if (kind !== 'openapi') {
        if (!(key in target)) place(target, key, value, kind, toPointerPath([...path, key]));
        continue;
      }
      if (value === null || typeof value !== 'object') {
        target[key] = value;
        continue;
      }
      let child = target[key] as Record<string, unknown> | unknown[] | undefined;
      if (child === undefined) {
        child = Array.isArray(value) ? [] : {};
        target[key] = child;
      }
      fillOpenApi(value, child, [...path, key]);
    }
    complete.add(holder);
  };

  /** Fill the place at `segments` (and what it needs to hold there), as the whole-document copy has it. */
  const fillPath = (segments: string[]): void => {
    let src: unknown = source;
    let holder: Record<string, unknown> | unknown[] = document;
    for (let i = 0; i < segments.length; i++) {
      if (complete.has(holder)) return;
      const key = segments[i]!;
      if (src === null || typeof src !== 'object' || !Object.hasOwn(src, key)) return;
      // The root's extensions are not in the copy (x-webhooks aside): a $ref into one names nothing, as before.
      if (i === 0 && key.startsWith('x-') && key !== 'x-webhooks') return;
      const value = (src as Record<string, unknown>)[key];
      const path = segments.slice(0, i);
      const kind = kindOf(path, key);
      if (kind === 'absent') return;
      const target = holder as Record<string, unknown>;
      if (kind !== 'openapi' || value === null || typeof value !== 'object') {
        if (!(key in target)) {
          if (kind === 'openapi') target[key] = value;
          else place(target, key, value, kind, toPointerPath(segments.slice(0, i + 1)));
        }
        return;
      }
      let child = target[key] as Record<string, unknown> | unknown[] | undefined;
      if (child === undefined) {
        child = Array.isArray(value) ? [] : {};
        target[key] = child;
      }
      src = value;
      holder = child;
    }
    // The pointer names an OpenAPI object itself (not a schema in it): it is filled whole.
    fillOpenApi(src, holder, segments);
  };

  const drain = (): void => {
    while (pending.length > 0) {
      const ref = pending.pop()!;
      // Only local references name a place in this document (external ones were bundled in when it was loaded).
      if (!ref.startsWith('#')) continue;
      const pointer = ref.slice(1);
      if (ensured.has(pointer)) continue;
      ensured.add(pointer);
      let segments: string[];
      try {
        segments = parsePointer(pointer);
      } catch {
        continue;
      }
      if (segments.length === 0) state.ensureAll();
      else fillPath(segments);
    }
    if (direction && state.hasReadWriteOnly) {
      const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
      for (const schema of fresh) dropRequired(document, schema, flag);
    }
    fresh = [];
  };

  return state;
}

const toPointerPath = (segments: readonly string[]): string => segments.map((s) => `/${escapeSegment(s)}`).join('');

type Schema = Record<string, unknown>;

/** Examples say nothing about what is valid, and are most of the bytes of a big spec: the copy leaves them out. */
const exampleKeys = new Set(['example', 'examples']);

/** Follow local `$ref`s (and nullable wrappers) to the schema that says what a node is. */
function resolveRef(document: Schema, node: unknown): Schema | undefined {
  let current = node;
  const seen = new Set<string>();
  while (current && typeof current === 'object' && typeof (current as Schema).$ref === 'string') {
    const ref = (current as Schema).$ref as string;
    if (!ref.startsWith('#') || seen.has(ref)) return undefined;
    seen.add(ref);
    current = getAtPointer(document, ref.slice(1));
  }
  return current && typeof current === 'object' && !Array.isArray(current) ? (current as Schema) : undefined;
}

/** Whether a property schema carries `flag` itself, through its `$ref`, or in one of its `allOf` parts. */
function isFlagged(document: Schema, node: unknown, flag: 'readOnly' | 'writeOnly', depth = 0): boolean {
  if (!node || typeof node !== 'object' || depth > 16) return false;
  if ((node as Schema)[flag] === true) return true;
  const target = resolveRef(document, node);
  if (!target) return false;
  if (target !== node && isFlagged(document, target, flag, depth + 1)) return true;
  const parts = target.allOf;
  return Array.isArray(parts) && parts.some((p) => isFlagged(document, p, flag, depth + 1));
}

/** The properties a schema declares, its own and those of its `allOf` parts (one level of `$ref` each). */
function declaredProperties(document: Schema, schema: Schema): Schema {
  const properties: Schema = {};
  const parts = Array.isArray(schema.allOf) ? schema.allOf : [];
  for (const part of [...parts.map((p) => resolveRef(document, p)), schema]) {
    const own = part?.properties;
    if (own && typeof own === 'object') Object.assign(properties, own);
  }
  return properties;
}

/** Remove from `required` (of the schema and of its inline `allOf` parts) the names of properties marked `flag`. */
function dropRequired(document: Schema, schema: Schema, flag: 'readOnly' | 'writeOnly'): void {
  const properties = declaredProperties(document, schema);
  const targets = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf : [])].filter(
    (t): t is Schema => !!t && typeof t === 'object' && typeof (t as Schema).$ref !== 'string',
  );
  for (const target of targets) {
    if (!Array.isArray(target.required)) continue;
    const kept = target.required.filter(
      (name) => !(String(name) in properties && isFlagged(document, properties[String(name)], flag)),
    );
    if (kept.length === target.required.length) continue;
    if (kept.length > 0) target.required = kept;
    else delete target.required;
  }
}

function convertExclusiveBounds(schema: Record<string, unknown>): void {
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof schema[flag] !== 'boolean') continue;
    if (schema[flag] === true && typeof schema[bound] === 'number') {
      schema[flag] = schema[bound];
      delete schema[bound];
    } else {
      delete schema[flag];
    }
  }
}

/** Annotation-only keywords that stay with the outer schema when it is wrapped in `anyOf`. */
const annotationKeys = new Set([
  'title',
  'description',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'default',
]);

function makeNullable(
  schema: Record<string, unknown>,
  pointerOf: WeakMap<object, string>,
  pointer: string,
): Record<string, unknown> | undefined {
  const type = schema.type;
  const simple =
    typeof type === 'string' &&
    !('enum' in schema) &&
    !('const' in schema) &&
    !hasComposition(schema) &&
    !('$ref' in schema);
  if (simple) {
    schema.type = [type, 'null'];
    return undefined;
  }
  if (Array.isArray(type) && !('enum' in schema) && !('const' in schema) && !hasComposition(schema)) {
    if (!type.includes('null')) schema.type = [...type, 'null'];
    return undefined;
  }
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(schema)) {
    if (annotationKeys.has(key)) continue;
    rest[key] = schema[key];
    delete schema[key];
  }
  pointerOf.set(rest, pointer);
  const nullSchema = { type: 'null' };
  pointerOf.set(nullSchema, `${pointer}/nullable`);
  schema.anyOf = [nullSchema, rest];
  return rest;
}

function hasComposition(schema: Record<string, unknown>): boolean {
  return 'allOf' in schema || 'anyOf' in schema || 'oneOf' in schema || 'not' in schema;
}
