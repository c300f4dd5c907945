import { getAtPointer } from './json-pointer.js';

/**
 * Build a small instance that satisfies a JSON Schema (OpenAPI 3.0 or 3.1 flavour), for answers nobody wrote an
 * example for: the mock's `Prefer: code=NNN` bodies and documented headers, and valid parameter values for the
 * conformance runner. Deterministic on purpose (no randomness, fixed dates), so that two runs send and answer
 * the same bytes and a failure can be reproduced.
 *
 * What it honours: local `$ref`s, `const`, `enum`, `example`/`examples`/`default` (when `useExamples`), type lists
 * (the first non-null type), `allOf` (merged), `oneOf`/`anyOf` (the first branch that is not just `null`), the
 * string formats of JSON Schema and OpenAPI, `minLength`/`maxLength`, numeric bounds and `multipleOf`,
 * `minItems`/`prefixItems`, required properties, `minProperties`, `dependentRequired`, and
 * `contentMediaType: application/json` with `contentSchema` (the string holds JSON of that schema).
 *
 * What it does not promise: `pattern`, `not` other than `not: {required}`, and `oneOf` branches that overlap.
 * The result is a candidate: callers validate it with the compiled validator (the mock does so at start-up) and
 * say clearly when a spec needs an explicit example instead.
 */
export interface SampleOptions {
  /** Take `example`, `examples[0]` and `default` where the schema offers them (default: true). */
  useExamples?: boolean;
  /**
   * Which way the instance travels: for 'request' `readOnly` properties are left out (a client does not send
   * them; OpenAPI requires them in responses only), for 'response' `writeOnly` ones. Default: neither.
   */
  direction?: 'request' | 'response' | undefined;
}

type Resolved = { useExamples: boolean; direction: 'request' | 'response' | undefined };

/** Values for the string formats, chosen to be valid and obviously made up. */
const formatSamples: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00.000Z',
  date: '2024-01-01',
  time: '00:00:00Z',
  duration: 'PT1S',
  uuid: '00000000-0000-4000-8000-000000000000',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  'uri-reference': '/',
  iri: 'https://example.com/',
  'iri-reference': '/',
  'uri-template': 'https://example.com/{id}',
  'json-pointer': '/',
  'relative-json-pointer': '0',
  regex: '.*',
  byte: 'c3RyaW5n',
  binary: 'string',
  password: 'string',
};

const maxDepth = 24;

type Schema = Record<string, unknown>;

/** A sample of the schema found at `pointer` in `document`. */
export function sampleAtPointer(document: unknown, pointer: string, options: SampleOptions = {}): unknown {
  return sampleSchema(document, getAtPointer(document, pointer), options);
}

/** A sample of `schema`, resolving local `$ref`s against `document`. */
export function sampleSchema(document: unknown, schema: unknown, options: SampleOptions = {}): unknown {
  return sample(
    document,
    schema,
    { useExamples: options.useExamples ?? true, direction: options.direction },
    0,
    new Set(),
  );
}

function sample(document: unknown, raw: unknown, options: Resolved, depth: number, refs: Set<string>): unknown {
  if (raw === true || raw === undefined) return null;
  if (raw === false || raw === null || typeof raw !== 'object' || depth > maxDepth) return null;
  let schema = raw as Schema;

  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    // A schema that refers back to itself through required properties has no finite instance: stop there.
    if (!ref.startsWith('#') || refs.has(ref)) return null;
    const target = getAtPointer(document, ref.slice(1));
    const { $ref: _ignored, ...siblings } = schema;
    const next = new Set(refs).add(ref);
    // OpenAPI 3.1 allows keywords beside `$ref`; they narrow the target, so merge them in.
    if (Object.keys(siblings).length === 0) return sample(document, target, options, depth + 1, next);
    return sample(document, mergeSchemas([target as Schema, siblings]), options, depth + 1, next);
  }

  if ('const' in schema) return schema.const;
  if (options.useExamples) {
    if ('example' in schema && schema.example !== undefined) return schema.example;
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    if ('default' in schema && schema.default !== undefined) return schema.default;
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum.find((v) => v !== null) ?? schema.enum[0];
  }

  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    const parts = (allOf as unknown[]).map((part) => resolve(document, part));
    return sample(document, mergeSchemas([rest, ...parts]), options, depth + 1, refs);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const { [key]: _branches, ...rest } = schema;
    const chosen = branches.find((b) => !isNullOnly(resolve(document, b))) ?? branches[0];
    schema = mergeSchemas([rest, resolve(document, chosen)]);
    return sample(document, schema, options, depth + 1, refs);
  }

  switch (typeOf(schema)) {
    case 'null':
      return null;
    case 'boolean':
      return false;
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'string':
      return sampleString(document, schema, options, depth, refs);
    case 'array':
      return sampleArray(document, schema, options, depth, refs);
    case 'object':
      return sampleObject(document, schema, options, depth, refs);
    default:
      return null;
  }
}

function resolve(document: unknown, node: unknown): Schema {
  let current = node;
  const seen = new Set<string>();
  while (current && typeof current === 'object' && typeof (current as Schema).$ref === 'string') {
    const ref = (current as Schema).$ref as string;
    if (!ref.startsWith('#') || seen.has(ref)) break;
    seen.add(ref);
    const { $ref: _ignored, ...siblings } = current as Schema;
    const target = getAtPointer(document, ref.slice(1));
    current = Object.keys(siblings).length === 0 ? target : mergeSchemas([target as Schema, siblings]);
  }
  return current && typeof current === 'object' ? (current as Schema) : {};
}

/** Whether a property schema says `flag` (readOnly/writeOnly) itself, through `$ref`s, or in an `allOf` part. */
function isFlagged(document: unknown, node: unknown, flag: string, depth = 0): boolean {
  if (!node || typeof node !== 'object' || depth > maxDepth) return false;
  const schema = resolve(document, node);
  if ((node as Schema)[flag] === true || schema[flag] === true) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((part) => isFlagged(document, part, flag, depth + 1));
}

function isNullOnly(schema: Schema): boolean {
  return schema.type === 'null' || (Array.isArray(schema.type) && schema.type.every((t) => t === 'null'));
}

/** The type to build: the declared one (first non-null of a list), else the one the keywords imply. */
function typeOf(schema: Schema): string | undefined {
  const declared = schema.type;
  if (typeof declared === 'string') return declared;
  if (Array.isArray(declared)) return (declared.find((t) => t !== 'null') ?? declared[0]) as string | undefined;
  if ('properties' in schema || 'required' in schema || 'additionalProperties' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema) return 'array';
  if ('format' in schema || 'minLength' in schema || 'maxLength' in schema || 'pattern' in schema) return 'string';
  if ('minimum' in schema || 'maximum' in schema || 'multipleOf' in schema) return 'number';
  return undefined;
}

/** `allOf` semantics for the keywords that matter to a sample: properties and required lists add up. */
function mergeSchemas(parts: Schema[]): Schema {
  const merged: Schema = {};
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const part of parts) {
    if (!part || typeof part !== 'object') continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && value && typeof value === 'object') Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value)) for (const r of value) required.add(String(r));
      else if (key === 'type' && merged.type !== undefined) merged.type = intersectTypes(merged.type, value);
      else merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function intersectTypes(a: unknown, b: unknown): unknown {
  const list = (t: unknown): string[] => (Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : []);
  const left = list(a);
  const common = list(b).filter(
    (t) =>
      left.includes(t) || (t === 'integer' && left.includes('number')) || (t === 'number' && left.includes('integer')),
  );
  if (common.length === 0) return b;
  return common.length === 1 ? common[0] : common;
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const num = (key: string): number | undefined =>
    typeof schema[key] === 'number' ? (schema[key] as number) : undefined;
  let low = num('minimum');
  let high = num('maximum');
  const exclusiveLow = num('exclusiveMinimum') ?? (schema.exclusiveMinimum === true ? low : undefined);
  const exclusiveHigh = num('exclusiveMaximum') ?? (schema.exclusiveMaximum === true ? high : undefined);
  const step = integer ? 1 : 0.5;
  if (exclusiveLow !== undefined)
    low = Math.max(low ?? -Infinity, integer ? Math.floor(exclusiveLow) + 1 : exclusiveLow + step);
  if (exclusiveHigh !== undefined)
    high = Math.min(high ?? Infinity, integer ? Math.ceil(exclusiveHigh) - 1 : exclusiveHigh - step);
  let value = 0;
  if (low !== undefined && value < low) value = integer ? Math.ceil(low) : low;
  if (high !== undefined && value > high) value = integer ? Math.floor(high) : high;
  const multipleOf = num('multipleOf');
  if (multipleOf !== undefined && multipleOf > 0 && value % multipleOf !== 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
  }
  return value;
}

function sampleString(document: unknown, schema: Schema, options: Resolved, depth: number, refs: Set<string>): string {
  if (typeof schema.contentMediaType === 'string' && /json/.test(schema.contentMediaType) && schema.contentSchema) {
    return JSON.stringify(sample(document, schema.contentSchema, options, depth + 1, refs));
  }
  let value = (typeof schema.format === 'string' && formatSamples[schema.format]) || 'string';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (value.length < min) value = value + 'x'.repeat(min - value.length);
  if (value.length > max) value = value.slice(0, max);
  return value;
}

function sampleArray(
  document: unknown,
  schema: Schema,
  options: Resolved,
  depth: number,
  refs: Set<string>,
): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const items: unknown[] = prefix.slice(0, Math.max(min, 0)).map((p) => sample(document, p, options, depth + 1, refs));
  while (items.length < min) items.push(sample(document, schema.items, options, depth + 1, refs));
  return items;
}

function sampleObject(
  document: unknown,
  schema: Schema,
  options: Resolved,
  depth: number,
  refs: Set<string>,
): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  // A property that does not travel in this direction is neither required nor picked to fill minProperties.
  const flag = options.direction === 'request' ? 'readOnly' : options.direction === 'response' ? 'writeOnly' : '';
  const travels = (name: string): boolean =>
    !flag || !(name in properties) || !isFlagged(document, properties[name], flag);
  const wanted = new Set(Array.isArray(schema.required) ? schema.required.map(String).filter(travels) : []);
  const dependent = (schema.dependentRequired ?? {}) as Record<string, unknown>;
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  for (const name of Object.keys(properties)) {
    if (wanted.size >= minProperties) break;
    if (travels(name)) wanted.add(name);
  }
  // dependentRequired can chain (a needs b, b needs c): add until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of [...wanted]) {
      const needs = dependent[name];
      if (!Array.isArray(needs)) continue;
      for (const n of needs) {
        if (!wanted.has(String(n))) {
          wanted.add(String(n));
          changed = true;
        }
      }
    }
  }
  const result: Record<string, unknown> = {};
  for (const name of wanted) {
    const propertySchema = properties[name] ?? schema.additionalProperties ?? {};
    result[name] = sample(document, propertySchema, options, depth + 1, refs);
  }
  return result;
}
