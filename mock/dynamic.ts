import fc from 'fast-check';
import { getAtPointer } from '../core/json-pointer.js';
import { findResponse, type Operation } from '../core/operations.js';
import { sampleSchema, seededRandom } from '../core/sample.js';
import type { CompiledSpec } from '../core/validators.js';
import type { ResponseChecker } from './self-check.js';
import type { MockResponse } from './types.js';

/**
 * `Prefer: dynamic=true`: fresh valid data on every request, made from the response schema and seeded
 * (`--seed N`), so that the same seed gives the same answers to the same requests.
 *
 * Not a new schema generator: the structure comes from core's sampler (`core/sample.ts`: `$ref`s, `allOf`,
 * `oneOf` branches and discriminators, patterns through randexp, formats, required properties), drawn with a
 * per-request variant. core's sampler is deterministic by design (the runner needs reproducible plans), so this
 * module only varies what it built, with fast-check's arbitraries: plain strings become words, numbers and
 * integers a draw within the schema's bounds, booleans a coin, `uuid`/`date`/`date-time` strings fresh values,
 * enums a member; optional properties and array items are added (sampled by core, then varied) some of the
 * time. A leaf with a `pattern`, `const`, `format` other than those, or under `oneOf`/`anyOf`/`not` keeps
 * core's value. The caller validates the result and falls back to the canned body when it does not fit.
 */

type Schema = Record<string, unknown>;

const maxDepth = 12;

/** One request's draws: a seeded stream of numbers, and fast-check seeds taken from it. */
class Draws {
  readonly random: () => number;
  constructor(seed: number) {
    this.random = seededRandom(seed);
  }
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  pick<T>(arbitrary: fc.Arbitrary<T>): T {
    return fc.sample(arbitrary, { seed: this.int(2 ** 31), numRuns: 1 })[0] as T;
  }
}

/** Mix the `--seed` and the request's number into one 32-bit seed (so request 2 of seed 1 ≠ request 1 of seed 2). */
export function requestSeed(seed: number, n: number): number {
  let h = (Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) + Math.imul(n + 1, 0x27d4eb2f)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** A fresh value for the schema at `pointer`, varied by `seed`. A candidate: the caller validates it. */
export function dynamicValue(document: unknown, pointer: string, seed: number): unknown {
  const draws = new Draws(seed);
  const schema = getAtPointer(document, pointer);
  const base = sampleSchema(document, schema, {
    useExamples: false,
    direction: 'response',
    variant: 1 + draws.int(1_000_000),
  });
  return vary(document, schema, base, draws, 0);
}

function resolve(document: unknown, node: unknown): Schema {
  let current = node;
  for (let i = 0; i < 16 && current && typeof current === 'object'; i++) {
    const ref = (current as Schema).$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#')) break;
    current = getAtPointer(document, ref.slice(1));
  }
  return current && typeof current === 'object' ? (current as Schema) : {};
}

/** The properties and required names of an object schema and its `allOf` parts (enough to vary a value). */
function objectShape(document: unknown, schema: Schema, depth = 0): { properties: Schema; required: Set<string> } {
  const properties: Schema = { ...((schema.properties as Schema | undefined) ?? {}) };
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  if (Array.isArray(schema.allOf) && depth < maxDepth) {
    for (const part of schema.allOf) {
      const inner = objectShape(document, resolve(document, part), depth + 1);
      Object.assign(properties, inner.properties);
      for (const r of inner.required) required.add(r);
    }
  }
  return { properties, required };
}

const typeOf = (schema: Schema): string | undefined =>
  typeof schema.type === 'string'
    ? schema.type
    : Array.isArray(schema.type)
      ? (schema.type.find((t) => t !== 'null') as string | undefined)
      : undefined;

const num = (schema: Schema, key: string): number | undefined =>
  typeof schema[key] === 'number' ? (schema[key] as number) : undefined;

function vary(document: unknown, raw: unknown, value: unknown, draws: Draws, depth: number): unknown {
  if (depth > maxDepth) return value;
  const schema = resolve(document, raw);
  // Where core chose among alternatives, or a value is pinned, its choice stands.
  if ('const' in schema || 'oneOf' in schema || 'anyOf' in schema || 'not' in schema) return value;
  if (Array.isArray(schema.enum)) {
    const members = schema.enum.filter((v) => v !== null);
    return members.length > 0 ? draws.pick(fc.constantFrom(...members)) : value;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return varyObject(document, schema, value as Schema, draws, depth);
  }
  if (Array.isArray(value)) return varyArray(document, schema, value, draws, depth);
  if (typeof value === 'string') return varyString(schema, value, draws);
  if (typeof value === 'boolean') return draws.pick(fc.boolean());
  if (typeof value === 'number') return varyNumber(schema, value, draws);
  return value;
}

function varyObject(document: unknown, schema: Schema, value: Schema, draws: Draws, depth: number): Schema {
  const { properties, required } = objectShape(document, schema);
  const out: Schema = {};
  const maxProperties = num(schema, 'maxProperties') ?? Infinity;
  for (const [name, property] of Object.entries(properties)) {
    let current = value[name];
    if (current === undefined) {
      // An optional property, half the time (never a writeOnly one: this is a response).
      if (required.has(name) || draws.random() < 0.5 || resolve(document, property).writeOnly === true) continue;
      if (Object.keys(value).length + Object.keys(out).length >= maxProperties) continue;
      current = sampleSchema(document, property, { useExamples: false, direction: 'response', variant: 1 });
    }
    out[name] = vary(document, property, current, draws, depth + 1);
  }
  // Properties core made that the shape does not list (additionalProperties, discriminator names) stay as made.
  for (const [name, v] of Object.entries(value)) if (!(name in out)) out[name] = v;
  return out;
}

function varyArray(document: unknown, schema: Schema, value: unknown[], draws: Draws, depth: number): unknown[] {
  if (schema.uniqueItems === true || Array.isArray(schema.prefixItems) || !schema.items) return value;
  const max = Math.min(num(schema, 'maxItems') ?? Infinity, value.length + 3);
  const length = value.length + draws.int(Math.max(0, max - value.length) + 1);
  const items = [...value];
  while (items.length < length) {
    items.push(sampleSchema(document, schema.items, { useExamples: false, direction: 'response', variant: 1 }));
  }
  return items.map((item) => vary(document, schema.items, item, draws, depth + 1));
}

function varyString(schema: Schema, value: string, draws: Draws): string {
  if (typeof schema.pattern === 'string' || typeof schema.contentMediaType === 'string') return value;
  const min = num(schema, 'minLength') ?? 0;
  const max = num(schema, 'maxLength') ?? 40;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const day = fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2030-12-31T23:59:59Z'),
    noInvalidDate: true,
  });
  let drawn: string | undefined;
  if (format === 'uuid') drawn = draws.pick(fc.uuid({ version: 4 }));
  else if (format === 'date-time') drawn = draws.pick(day).toISOString();
  else if (format === 'date') drawn = draws.pick(day).toISOString().slice(0, 10);
  else if (format === undefined) drawn = draws.pick(fc.lorem({ maxCount: 3 }));
  if (drawn === undefined) return value;
  if (drawn.length < min) drawn += 'x'.repeat(min - drawn.length);
  return drawn.length > max ? drawn.slice(0, Math.max(max, min)) : drawn;
}

function varyNumber(schema: Schema, value: number, draws: Draws): number {
  if (num(schema, 'multipleOf') !== undefined) return value;
  const integer = typeOf(schema) === 'integer' || (typeOf(schema) === undefined && Number.isInteger(value));
  let low = num(schema, 'minimum') ?? (integer ? 1 : 0);
  let high = num(schema, 'maximum') ?? Math.max(low, 0) + 10_000;
  const exclusiveLow = num(schema, 'exclusiveMinimum') ?? (schema.exclusiveMinimum === true ? low : undefined);
  const exclusiveHigh = num(schema, 'exclusiveMaximum') ?? (schema.exclusiveMaximum === true ? high : undefined);
  if (exclusiveLow !== undefined) low = Math.max(low, exclusiveLow + (integer ? 1 : 0.01));
  if (exclusiveHigh !== undefined) high = Math.min(high, exclusiveHigh - (integer ? 1 : 0.01));
  if (!(high >= low)) return value;
  if (integer) {
    const lo = Math.ceil(Math.max(low, Number.MIN_SAFE_INTEGER));
    const hi = Math.floor(Math.min(high, Number.MAX_SAFE_INTEGER));
    const a = Math.max(lo, -(2 ** 31));
    const b = Math.min(hi, 2 ** 31 - 1);
    return b >= a ? draws.pick(fc.integer({ min: a, max: b })) : value;
  }
  return Math.round((low + draws.random() * (high - low)) * 100) / 100;
}

/** Draws per request before the canned body is kept: a schema core's sampler handles, one draw nearly always fits. */
const attempts = 4;

/**
 * `response` with a fresh body of its status and media type (JSON only; a stream, XML or text keeps its canned
 * body), the first of a few draws that passes the self-check's rule; `response` itself when none does.
 */
export function dynamicResponse(
  served: { compiled: CompiledSpec; check: ResponseChecker },
  operation: Operation,
  response: MockResponse,
  seed: number,
): MockResponse {
  const spec = findResponse(operation, response.status);
  const media = spec?.content.find((m) => m.mediaType === response.contentType);
  if (!media?.schemaPointer || media.itemSchemaPointer || !/json/i.test(media.mediaType)) return response;
  for (let i = 0; i < attempts; i++) {
    const body = dynamicValue(served.compiled.spec.document, media.schemaPointer, requestSeed(seed, i));
    const candidate = { ...response, body };
    if (served.check(operation, candidate, operation.method).length === 0) return candidate;
  }
  return response;
}
