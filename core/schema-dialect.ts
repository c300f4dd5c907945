import { escapeSegment, getAtPointer } from './json-pointer.js';
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
  document: Record<string, unknown>;
  /** Schema object in the converted copy → JSON pointer of that schema in the spec. */
  pointerOf: WeakMap<object, string>;
  /** Pointers of `nullable` keywords found in a 3.1 document. */
  nullableIn31: string[];
  /** Every `format` value used by a schema, with one pointer where it is used. */
  formats: Map<string, string>;
  /** Whether any schema says `readOnly: true` or `writeOnly: true` (then the directions differ). */
  hasReadWriteOnly: boolean;
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

export function convertDocument(
  source: OpenApiDocument,
  version: OpenApiVersion,
  direction?: SchemaDirection,
): ConvertedDocument {
  const document = cloneStructure(source) as Record<string, unknown>;
  const pointerOf = new WeakMap<object, string>();
  const nullableIn31: string[] = [];
  const formats = new Map<string, string>();
  /** Every schema object of the copy, for the `required` rewrite once all of them are converted. */
  const all: Array<Record<string, unknown>> = [];
  let hasReadWriteOnly = false;

  const convertSchema = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const schema = node as Record<string, unknown>;
    if (pointerOf.has(schema)) return;
    pointerOf.set(schema, pointer);
    all.push(schema);
    if (schema.readOnly === true || schema.writeOnly === true) hasReadWriteOnly = true;

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
        if (rest) all.push(rest);
      }
    }
  };

  const walkOpenApi = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walkOpenApi(item, `${pointer}/${i}`);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const at = `${pointer}/${escapeSegment(key)}`;
      if (dataKeys.has(key)) continue;
      if (schemaSlots.has(key)) convertSchema(value, at);
      else walkOpenApi(value, at);
    }
  };

  const components = document.components as Record<string, unknown> | undefined;
  const schemas = components?.schemas as Record<string, unknown> | undefined;
  if (schemas && typeof schemas === 'object') {
    for (const [name, schema] of Object.entries(schemas))
      convertSchema(schema, `/components/schemas/${escapeSegment(name)}`);
  }
  walkOpenApi(document, '');
  // Extensions go, except `x-webhooks`: OpenAPI 3.0 specs (GitHub's) keep their webhooks there, with schemas.
  for (const key of Object.keys(document)) if (key.startsWith('x-') && key !== 'x-webhooks') delete document[key];
  if (direction && hasReadWriteOnly) {
    const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
    for (const schema of all) dropRequired(document, schema, flag);
  }
  return { document, pointerOf, nullableIn31, formats, hasReadWriteOnly };
}

type Schema = Record<string, unknown>;

/** Examples say nothing about what is valid, and are most of the bytes of a big spec: the copy leaves them out. */
const exampleKeys = new Set(['example', 'examples']);

/**
 * A deep copy of the document's structure, the part the conversion rewrites, for AJV. Examples are left out (lint
 * judges them in the spec itself); other literal data (defaults, enums, consts) is never rewritten, so the copy
 * shares it with the source instead of cloning it. Objects met twice (YAML aliases) stay one object, and cycles are kept, as
 * structuredClone would.
 */
function cloneStructure(source: unknown): unknown {
  const copies = new Map<object, unknown>();
  /** `names`: the keys of this object are names (of properties, of component schemas), not keywords. */
  const clone = (node: unknown, names: boolean): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const known = copies.get(node);
    if (known !== undefined) return known;
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
      if (!names && exampleKeys.has(key)) continue;
      if (!names && dataKeys.has(key)) copy[key] = value;
      else copy[key] = clone(value, schemaMapKeywords.has(key) || key === 'schemas');
    }
    return copy;
  };
  return clone(source, false);
}

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
