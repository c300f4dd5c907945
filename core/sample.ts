import { createRequire } from 'node:module';
import { getAtPointer } from './json-pointer.js';
import { compilePattern } from './regexp-dialect.js';

interface RandExpInstance {
  max: number;
  randInt(a: number, b: number): number;
  gen(): string;
}
type RandExpClass = new (pattern: string) => RandExpInstance;
let randExpClass: RandExpClass | undefined;

/** randexp, loaded on the first `pattern` (a tenth of a second at start-up the mock and npm start need not pay). */
function loadRandExp(): RandExpClass {
  if (!randExpClass) {
    // CommonJS with a default export: the class sits on `.default`.
    const loaded = createRequire(import.meta.url)('randexp') as { default?: RandExpClass } & RandExpClass;
    randExpClass = loaded.default ?? loaded;
  }
  return randExpClass;
}

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
 * `pattern` is honoured through randexp (repetition bounded, drawn from a seeded generator), `uniqueItems` by
 * varying each item, `discriminator` by naming the chosen branch (its `mapping` key, else its schema name).
 *
 * What it does not promise: `not` other than `not: {required}`, and `oneOf` branches that overlap. The result
 * is a candidate: callers validate it with the compiled validator (the mock does so at start-up; the runner
 * takes the first of `sampleCandidates` that validates) and say clearly when no valid value can be made.
 */
export interface SampleOptions {
  /** Take `example`, `examples[0]` and `default` where the schema offers them (default: true). */
  useExamples?: boolean;
  /**
   * Which way the instance travels: for 'request' `readOnly` properties are left out (a client does not send
   * them; OpenAPI requires them in responses only), for 'response' `writeOnly` ones. Default: neither.
   */
  direction?: 'request' | 'response' | undefined;
  /**
   * 0 (default): the plain deterministic sample. Another number: another, still deterministic, choice of
   * `oneOf`/`anyOf` branches and of the strings drawn for `pattern`s — the next candidate when one fails.
   */
  variant?: number;
}

type Resolved = {
  useExamples: boolean;
  direction: 'request' | 'response' | undefined;
  variant: number;
  random: () => number;
  /** Made distinct per array item when the array says `uniqueItems`. */
  salt: number;
  /** The last `$ref` followed: names the branch a `discriminator` must point at. */
  ref: string | undefined;
};

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
  const variant = options.variant ?? 0;
  return sample(
    document,
    schema,
    {
      useExamples: options.useExamples ?? true,
      direction: options.direction,
      variant,
      random: seededRandom(variant),
      salt: 0,
      ref: undefined,
    },
    0,
    new Set(),
  );
}

/**
 * Up to `count` distinct candidates for a valid instance, most natural first: the sample with the schema's
 * own examples, without them, then other branch and pattern choices. Callers keep the first that validates.
 */
export function sampleCandidates(
  document: unknown,
  schema: unknown,
  options: Omit<SampleOptions, 'variant' | 'useExamples'> & { count?: number } = {},
): unknown[] {
  const count = options.count ?? 8;
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (let i = 0; out.length < count && i < count * 2; i++) {
    const value = sampleSchema(document, schema, {
      direction: options.direction,
      useExamples: i === 0,
      variant: i === 0 ? 0 : i - 1,
    });
    const key = JSON.stringify(value) ?? 'undefined';
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/** mulberry32, seeded: the same draws on every machine. */
export function seededRandom(seed: number): () => number {
  let state = (seed * 0x9e3779b1) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A string matching `pattern` (JavaScript syntax with the `u` flag, as the validators compile it), drawn with
 * `random`; repetitions (`*`, `+`, `{n,}`) are bounded by `maxRepeat`. Undefined when JavaScript cannot compile
 * the pattern or no draw (of a few) matches it within the length bounds.
 */
export function stringMatching(
  pattern: string,
  random: () => number,
  bounds: { minLength?: number; maxLength?: number; maxRepeat?: number } = {},
): string | undefined {
  const regex = compilePattern(pattern).regex;
  if (!regex) return undefined;
  const min = bounds.minLength ?? 0;
  const max = bounds.maxLength ?? Infinity;
  let generator: RandExpInstance;
  try {
    generator = new (loadRandExp())(pattern);
  } catch {
    return undefined;
  }
  generator.randInt = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
  for (let attempt = 0; attempt < 12; attempt++) {
    // Grow the repetition bound when the draws come out too short for minLength.
    generator.max = Math.max(bounds.maxRepeat ?? 6, Math.min(min, 4096)) * (attempt < 6 ? 1 : 2);
    let value: string;
    try {
      value = generator.gen();
    } catch {
      return undefined;
    }
    const length = [...value].length;
    if (length >= min && length <= max && regex.test(value)) return value;
  }
  return undefined;
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
    const through = { ...options, ref };
    // OpenAPI 3.1 allows keywords beside `$ref`; they narrow the target, so merge them in.
    if (Object.keys(siblings).length === 0) return sample(document, target, through, depth + 1, next);
    return sample(document, mergeSchemas([target as Schema, siblings]), through, depth + 1, next);
  }

  if ('const' in schema) return schema.const;
  if (options.useExamples) {
    if ('example' in schema && schema.example !== undefined) return schema.example;
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    if ('default' in schema && schema.default !== undefined) return schema.default;
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const values = schema.enum.filter((v) => v !== null);
    if (values.length === 0) return schema.enum[0];
    return options.variant === 0 ? values[0] : values[Math.floor(options.random() * values.length)];
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
    const usable = branches.filter((b) => !isNullOnly(resolve(document, b)));
    const pool = usable.length > 0 ? usable : branches;
    const chosen = options.variant === 0 ? pool[0] : pool[Math.floor(options.random() * pool.length)];
    const ref = chosen && typeof (chosen as Schema).$ref === 'string' ? ((chosen as Schema).$ref as string) : undefined;
    schema = mergeSchemas([rest, resolve(document, chosen)]);
    const value = sample(document, schema, { ...options, ref: ref ?? options.ref }, depth + 1, refs);
    return withDiscriminator(document, schema, rest.discriminator, ref, value);
  }

  switch (typeOf(schema)) {
    case 'null':
      return null;
    case 'boolean':
      return false;
    case 'integer':
      return sampleNumber(schema, true, options.salt);
    case 'number':
      return sampleNumber(schema, false, options.salt);
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

/**
 * A branch picked under a `discriminator` must say so: its property holds the `mapping` key that points at the
 * branch, else the branch's schema name. A branch that pins the property itself (`const`/`enum`) is left be.
 */
function withDiscriminator(
  document: unknown,
  branch: Schema,
  discriminator: unknown,
  ref: string | undefined,
  value: unknown,
): unknown {
  const property = (discriminator as { propertyName?: unknown } | undefined)?.propertyName;
  if (typeof property !== 'string' || !ref || !value || typeof value !== 'object' || Array.isArray(value)) return value;
  const name = discriminatorValue(discriminator, ref);
  const own = resolve(document, (branch.properties as Record<string, unknown> | undefined)?.[property]);
  if ('const' in own || (Array.isArray(own.enum) && !own.enum.includes(name))) return value;
  return { ...(value as Record<string, unknown>), [property]: name };
}

/** The discriminator value naming the schema at `ref`: its `mapping` key, else the last segment of the ref. */
function discriminatorValue(discriminator: unknown, ref: string): string {
  const mapping = ((discriminator as { mapping?: unknown }).mapping ?? {}) as Record<string, unknown>;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const key = Object.keys(mapping).find((k) => mapping[k] === ref || mapping[k] === name);
  return key ?? name;
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

function sampleNumber(schema: Schema, integer: boolean, salt = 0): number {
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
  const multipleOf = num('multipleOf');
  const unit = multipleOf !== undefined && multipleOf > 0 ? multipleOf : 1;
  // The value nearest 0 within the bounds; a salt (uniqueItems) steps away from it, inward.
  let start = 0;
  if (low !== undefined && start < low) start = integer ? Math.ceil(low) : low;
  if (high !== undefined && start > high) start = integer ? Math.floor(high) : high;
  let value = start + salt * unit;
  if (high !== undefined && value > high) value = start - salt * unit;
  if (multipleOf !== undefined && multipleOf > 0 && !isMultiple(value, multipleOf)) {
    const up = roundTo(Math.ceil(value / multipleOf) * multipleOf, multipleOf);
    value = high !== undefined && up > high ? roundTo(Math.floor(value / multipleOf) * multipleOf, multipleOf) : up;
  }
  return value;
}

/** Rounded to the decimals of `step`, so that 0.1 * 3 is 0.3 and not 0.30000000000000004. */
function roundTo(value: number, step: number): number {
  const decimals = (String(step).split('.')[1] ?? '').length;
  return decimals === 0 ? value : Number(value.toFixed(decimals));
}

function isMultiple(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

function sampleString(document: unknown, schema: Schema, options: Resolved, depth: number, refs: Set<string>): string {
  if (typeof schema.contentMediaType === 'string' && /json/.test(schema.contentMediaType) && schema.contentSchema) {
    return JSON.stringify(sample(document, schema.contentSchema, options, depth + 1, refs));
  }
  const formatted = typeof schema.format === 'string' ? formatSamples[schema.format] : undefined;
  let value = formatted ?? 'string';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (options.salt > 0 && !formatted) value += String(options.salt);
  if (typeof schema.pattern === 'string' && !matches(schema.pattern, value)) {
    const drawn = stringMatching(schema.pattern, options.random, { minLength: min, maxLength: max });
    if (drawn !== undefined) return drawn;
  }
  if (value.length < min) value = value + 'x'.repeat(min - value.length);
  if (value.length > max) value = value.slice(0, max);
  return value;
}

function matches(pattern: string, value: string): boolean {
  return compilePattern(pattern).regex?.test(value) ?? false;
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
  const unique = schema.uniqueItems === true;
  // Each item its own salt when they must differ (and the examples off, which would repeat one value).
  const itemOptions = (i: number): Resolved =>
    unique ? { ...options, salt: i, useExamples: options.useExamples && i === 0 } : options;
  const items: unknown[] = prefix
    .slice(0, Math.max(min, 0))
    .map((p, i) => sample(document, p, itemOptions(i), depth + 1, refs));
  while (items.length < min) items.push(sample(document, schema.items, itemOptions(items.length), depth + 1, refs));
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
  const inner = { ...options, salt: 0 };
  for (const name of wanted) {
    const propertySchema = properties[name] ?? schema.additionalProperties ?? {};
    result[name] = sample(document, propertySchema, inner, depth + 1, refs);
  }
  // An allOf child of a schema with a discriminator (`Cat: allOf [Pet, …]`) names itself in that property.
  const discriminator = schema.discriminator as { propertyName?: unknown } | undefined;
  if (typeof discriminator?.propertyName === 'string' && options.ref && discriminator.propertyName in result) {
    return withDiscriminator(document, schema, discriminator, options.ref, result) as Record<string, unknown>;
  }
  return result;
}
