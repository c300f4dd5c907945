import type { ParameterSpec } from '../../core/operations.js';
import { coerceBySchema } from '../../core/parameters.js';
import { compilePattern } from '../../core/regexp-dialect.js';
import { sampleCandidates, seededRandom, stringMatching } from '../../core/sample.js';
import { resolveLocalRef } from '../../core/spec.js';
import {
  type CompiledSpec,
  formatViolations as describeViolations,
  type SchemaViolation,
} from '../../core/validators.js';

/**
 * Values for planned requests: a valid instance of a schema (for bodies and parameters with no example or
 * --param), a well-formed value that names nothing (for "does not exist" cases and for every id the run may
 * not touch), and values that break a schema (for negative cases). Everything is deterministic for a seed.
 */

type Schema = Record<string, unknown>;

export interface Random {
  next(): number;
  hex(length: number): string;
}

/** mulberry32: tiny, fast, and the same sequence for the same seed on every machine. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    hex(length) {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
}

function deref(document: unknown, schema: unknown): Schema | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  return resolveLocalRef<Schema>(document, schema, '').value;
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties || schema.required) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

/**
 * A well-formed value that names nothing that exists: same type and format as a real one, so the target has
 * to look it up rather than reject it as malformed.
 */
export function nonexistentValue(document: unknown, input: unknown, random: Random): string {
  const schema = deref(document, input) ?? {};
  const type = typesOf(schema)[0];
  if (schema.format === 'uuid') {
    const h = random.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  if (type === 'integer' || type === 'number') return String(2_000_000_000 + Math.floor(random.next() * 100_000_000));
  let value = `mcpc-nonexistent-${random.hex(8)}`;
  if (typeof schema.minLength === 'number' && value.length < schema.minLength)
    value += random.hex(schema.minLength - value.length);
  return typeof schema.maxLength === 'number' ? value.slice(0, schema.maxLength) : value;
}

export interface InvalidValue {
  value: string;
  /** Which rule of the schema it breaks, for the case title. */
  breaks: string;
}

/**
 * Values (as the strings a parameter carries) that break the schema. Empty when nothing can break it: an
 * unconstrained string accepts every string, and planning a "wrong type" case for it would be a false alarm.
 */
export function invalidParameterValues(document: unknown, input: unknown): InvalidValue[] {
  const schema = deref(document, input);
  if (!schema) return [];
  const types = typesOf(schema);
  if (types.length === 1 && types[0] === 'string') return invalidStringValues(schema);
  const out: InvalidValue[] = [];
  // An array of enumerated items (`status=available`): an item outside the enum breaks it.
  const items = types.length === 1 && types[0] === 'array' ? deref(document, schema.items) : undefined;
  if (items && Array.isArray(items.enum) && !items.enum.includes('mcpc-not-in-enum'))
    out.push({ value: 'mcpc-not-in-enum', breaks: `items enum ${JSON.stringify(items.enum)}` });
  if (types.length === 0 || types.includes('string')) return out;
  if (types.every((t) => t === 'integer' || t === 'number'))
    out.push({ value: 'not-a-number', breaks: `type ${types.join('|')}` });
  if (types.includes('integer') && !types.includes('number')) out.push({ value: '1.5', breaks: 'type integer' });
  if (types.every((t) => t === 'boolean')) out.push({ value: 'not-a-boolean', breaks: 'type boolean' });
  return out;
}

/** Invalid values for a string-typed parameter: format, enum, length and pattern violations. */
function invalidStringValues(schema: Schema): InvalidValue[] {
  const out: InvalidValue[] = [];
  if (Array.isArray(schema.enum))
    out.push({ value: 'mcpc-not-in-enum', breaks: `enum ${JSON.stringify(schema.enum)}` });
  if (typeof schema.format === 'string' && formatViolations[schema.format]) {
    out.push({ value: formatViolations[schema.format] as string, breaks: `format ${schema.format}` });
  }
  if (typeof schema.maxLength === 'number')
    out.push({ value: 'x'.repeat(schema.maxLength + 1), breaks: `maxLength ${schema.maxLength}` });
  if (typeof schema.minLength === 'number' && schema.minLength > 1) {
    out.push({ value: 'x'.repeat(schema.minLength - 1), breaks: `minLength ${schema.minLength}` });
  }
  if (typeof schema.pattern === 'string') {
    for (const candidate of ['mcpc invalid !', '!', '0']) {
      const { regex } = compilePattern(schema.pattern);
      if (!regex) break;
      if (!regex.test(candidate)) {
        out.push({ value: candidate, breaks: `pattern ${schema.pattern}` });
        break;
      }
    }
  }
  return out;
}

const formatViolations: Record<string, string> = {
  uuid: 'not-a-uuid',
  'date-time': 'not-a-date-time',
  date: 'not-a-date',
  email: 'not-an-email',
  uri: 'not a uri',
  ipv4: '999.1.1.1',
  int32: 'not-a-number',
  int64: 'not-a-number',
};

/** A body that breaks the schema but is well-formed JSON: drops every required property, or flips the type. */
export function invalidBody(document: unknown, input: unknown): { value: unknown; breaks: string } | undefined {
  const schema = deref(document, input);
  if (!schema) return undefined;
  const required = collectRequired(document, schema);
  if (required.length > 0) return { value: {}, breaks: `required ${required.join(', ')}` };
  const types = typesOf(schema);
  if (types.includes('object')) return { value: [], breaks: 'type object' };
  if (types.includes('array')) return { value: {}, breaks: 'type array' };
  return undefined;
}

function collectRequired(document: unknown, schema: Schema, depth = 0): string[] {
  if (depth > 4) return [];
  if (Array.isArray(schema.required) && schema.required.length > 0) return schema.required.map(String);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const parts = schema[key];
    if (!Array.isArray(parts)) continue;
    const all = parts.map((p) => collectRequired(document, deref(document, p) ?? {}, depth + 1));
    // `{}` breaks a oneOf/anyOf only if every branch requires something.
    if (key !== 'allOf' && all.some((r) => r.length === 0)) return [];
    const flat = [...new Set(all.flat())];
    if (flat.length > 0) return flat;
  }
  return [];
}

/** The string form a parameter value takes on the wire (simple/form style, no explode). */
export function serialiseParameter(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => serialiseParameter(v)).join(',');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k},${serialiseParameter(v)}`)
      .join(',');
  }
  return String(value);
}

/** A value the runner may send as valid, or why none can be made. */
export type Produced =
  | { ok: true; value: string; source: 'example' | 'schema' | 'nonexistent' }
  | { ok: false; reason: string };

/** A less common but valid value (a boundary, an upper-case UUID, a unicode string) and what makes it unusual. */
export interface UnusualValue {
  value: unknown;
  label: string;
}

/** A body with one field of the wrong type, and which. */
export interface FieldViolation {
  field: string;
  value: unknown;
  breaks: string;
}

const headerSafe = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** An upper-case UUID (letters in every group a case-sensitive parser could trip on). */
export const upperCaseUuid = 'ABCDEF01-2345-4BCD-9EF0-0123456789AB';
/** Leap day, last second, milliseconds, a non-UTC offset with minutes: what a lazy date-time parser misses. */
export const unusualDateTime = '2024-02-29T23:59:59.123+05:30';
export const unicodeText = 'Grüße, 世界 — ✓';

/**
 * The one gate for "valid": every value the planner sends as valid is produced here and checked with the
 * compiled validator of its schema — the same validator the checks and the mock use (core/validators.ts).
 * Where no candidate validates, the caller gets the reason instead of a value, and skips the case.
 */
export class ValueFactory {
  private readonly document: unknown;

  constructor(
    readonly compiled: CompiledSpec,
    private readonly random: Random,
  ) {
    this.document = compiled.spec.document;
  }

  /** What the parameter's validator says of `text`, read the way a server reads it (coerced by schema). */
  parameterViolations(p: ParameterSpec, text: string): SchemaViolation[] {
    // A cookie travels in the Cookie header, and a cookie value may not hold `;` or `,` either.
    if (
      (p.in === 'header' && !headerSafe.test(text)) ||
      (p.in === 'cookie' && (!headerSafe.test(text) || /[;,]/.test(text)))
    ) {
      return [{ instancePath: '/', message: `not sendable as a ${p.in} value`, keyword: p.in, schemaPointer: '' }];
    }
    if (!p.schemaPointer) return [];
    const validator = this.compiled.validator(p.schemaPointer, 'request');
    const violations = validator.validate(this.readParameter(p, text));
    if (violations.length === 0) return violations;
    // A parameter described by `content` (e.g. application/json) carries its value as JSON text.
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object' && validator.validate(parsed).length === 0) return [];
    } catch {
      // not JSON: the violations stand
    }
    return violations;
  }

  /**
   * The JSON value a server reads from a parameter's text: coerced by schema (core/parameters.ts), and an
   * object in `simple`/`form` style (`k1,v1,k2,v2`, how serialiseParameter writes it) read back into one.
   */
  private readParameter(p: ParameterSpec, text: string): unknown {
    return readParameter(this.document, p, text);
  }

  /** What the body's validator says of `value` (schema pointer of the media type; none: anything goes). */
  bodyViolations(schemaPointer: string | undefined, value: unknown): SchemaViolation[] {
    return schemaPointer ? this.compiled.validator(schemaPointer, 'request').validate(value) : [];
  }

  /** A valid value for a parameter: its first example that validates, else a schema sample that does. */
  validParameter(p: ParameterSpec): Produced {
    const rejected: string[] = [];
    for (const example of p.examples) {
      const text = serialiseParameter(example.value);
      const violations = this.parameterViolations(p, text);
      if (violations.length === 0) return { ok: true, value: text, source: 'example' };
      rejected.push(`example '${example.name}' (${describeViolations(violations)[0]})`);
    }
    // A schema that allows anything samples as null: a parameter then carries a plain word instead of 'null'.
    const candidates = sampleCandidates(this.document, p.schema ?? {}, { direction: 'request' }).filter(
      (c) => c !== null && c !== undefined,
    );
    // An empty array or string on the wire (`status=`) is what a client sends when it has nothing: a server reads
    // it as missing or as one empty item, so a value sent as valid carries at least one item or character.
    const schema = deref(this.document, p.schema) ?? {};
    const items = typesOf(schema).includes('array') ? deref(this.document, schema.items) : undefined;
    const oneItem = items
      ? sampleCandidates(this.document, items, { direction: 'request' })
          .filter((c) => c !== null && c !== undefined)
          .map((c) => [c])
      : [];
    for (const candidate of [...candidates, ...oneItem, 'string']) {
      const text = serialiseParameter(candidate);
      if (text === '') continue;
      if (this.parameterViolations(p, text).length === 0) return { ok: true, value: text, source: 'schema' };
    }
    return {
      ok: false,
      reason: `no valid value for ${p.in} parameter '${p.name}' could be made from its schema${rejected.length > 0 ? `; the spec's ${rejected.join(', ')} breaks it` : ''} — pass --param ${p.name}=…`,
    };
  }

  /** A valid body: the first candidate sample of the schema that validates. */
  validBody(schemaPointer: string | undefined): { ok: true; value: unknown } | { ok: false; reason: string } {
    if (!schemaPointer) return { ok: true, value: {} };
    for (const candidate of sampleCandidates(this.document, { $ref: `#${schemaPointer}` }, { direction: 'request' })) {
      if (this.bodyViolations(schemaPointer, candidate).length === 0) return { ok: true, value: candidate };
    }
    return { ok: false, reason: `no body valid against ${schemaPointer} could be made from the schema` };
  }

  /**
   * A well-formed value that names nothing and still satisfies the schema (maximum, pattern, format…). An
   * enumerated parameter has no such value: every valid one is documented, none is made up.
   */
  freshParameter(p: ParameterSpec): Produced {
    const schema = deref(this.document, p.schema) ?? {};
    if (Array.isArray(schema.enum) || 'const' in schema) {
      return {
        ok: false,
        reason: `${p.in} parameter '${p.name}' is an enum: a made-up value would break its schema, and a documented one may name something real`,
      };
    }
    // A made-up value only surely names nothing where the schema leaves room for far more values than any
    // deployment holds: `orderId: integer, 1–10` has ten, and a made-up one is as likely as not a real order.
    const type = typesOf(schema)[0];
    if (type === 'integer' || type === 'number' || type === 'boolean') {
      const { low, high } = numericBounds(schema, type === 'integer');
      const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : 1;
      if (type === 'boolean' || (low !== undefined && high !== undefined && (high - low) / step < 1_000_000)) {
        return {
          ok: false,
          reason: `${p.in} parameter '${p.name}' allows too few values (${type === 'boolean' ? 'true or false' : `${low}–${high}`}) for a made-up one to surely name nothing`,
        };
      }
    }
    for (const candidate of this.freshCandidates(schema)) {
      if (this.parameterViolations(p, candidate).length === 0)
        return { ok: true, value: candidate, source: 'nonexistent' };
    }
    return {
      ok: false,
      reason: `no value of ${p.in} parameter '${p.name}' that names nothing and satisfies its schema could be made`,
    };
  }

  private freshCandidates(schema: Schema): string[] {
    const out = [nonexistentValue(this.document, schema, this.random)];
    const hex = this.random.hex(8);
    const type = typesOf(schema)[0];
    if (typeof schema.pattern === 'string') {
      const draw = seededRandomFrom(this.random);
      const bounds = {
        ...(typeof schema.minLength === 'number' ? { minLength: schema.minLength } : {}),
        ...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {}),
      };
      for (let i = 0; i < 4; i++) {
        const drawn = stringMatching(schema.pattern, draw, { ...bounds, maxRepeat: 12 });
        if (drawn !== undefined) out.push(drawn);
      }
    }
    if (type === 'integer' || type === 'number') {
      const { low, high } = numericBounds(schema, type === 'integer');
      const from = Math.max(low ?? 1, (high ?? 2_000_000_000) - 1_000_000, low ?? -Infinity);
      const to = high ?? from + 100_000_000;
      const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : 1;
      const steps = Math.floor((to - from) / step);
      if (steps >= 0)
        out.push(String(Math.ceil(from / step) * step + Math.floor(this.random.next() * (steps + 1)) * step));
    }
    const byFormat: Record<string, string> = {
      email: `mcpc-${hex}@example.com`,
      uri: `https://example.com/mcpc-${hex}`,
      url: `https://example.com/mcpc-${hex}`,
      hostname: `mcpc-${hex}.example.com`,
      'date-time': `2024-01-01T00:00:${String(Math.floor(this.random.next() * 60)).padStart(2, '0')}.${Math.floor(this.random.next() * 1000)}Z`,
    };
    if (typeof schema.format === 'string' && byFormat[schema.format]) out.push(byFormat[schema.format] as string);
    for (const candidate of sampleCandidates(this.document, schema, { direction: 'request' }))
      out.push(serialiseParameter(candidate));
    return out;
  }

  /**
   * Valid values in less common forms, each checked with `accepts`: numbers at `minimum`/`maximum`, strings at
   * `minLength`/`maxLength`, an upper-case UUID, a date-time with offset and fraction, a unicode string.
   */
  /** For a free string (no format, pattern, enum): its maxLength (Infinity without one); otherwise undefined. */
  freeStringMaxLength(input: unknown): number | undefined {
    const schema = deref(this.document, input);
    if (!schema || Array.isArray(schema.enum) || 'const' in schema) return undefined;
    if (typesOf(schema).find((t) => t !== 'null') !== 'string') return undefined;
    if (schema.format !== undefined || schema.pattern !== undefined) return undefined;
    return typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  }

  unusualValues(input: unknown, accepts: (value: unknown) => boolean, base?: unknown): UnusualValue[] {
    const schema = deref(this.document, input);
    if (!schema || Array.isArray(schema.enum) || 'const' in schema) return [];
    const out: UnusualValue[] = [];
    const type = typesOf(schema).find((t) => t !== 'null');
    if (type === 'integer' || type === 'number') {
      const { low, high } = numericBounds(schema, type === 'integer');
      const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
      const snap = (v: number, dir: 1 | -1) =>
        step === undefined ? v : (dir > 0 ? Math.ceil(v / step) : Math.floor(v / step)) * step;
      if (low !== undefined) out.push({ value: snap(low, 1), label: 'at minimum' });
      if (high !== undefined) out.push({ value: snap(high, -1), label: 'at maximum' });
    }
    if (type === 'string' || (type === undefined && typeof schema.format === 'string')) {
      // The planned UUID in upper case (it may name something real), else one with letters in every group.
      const upper = typeof base === 'string' && /[a-f]/.test(base) ? base.toUpperCase() : upperCaseUuid;
      if (schema.format === 'uuid') out.push({ value: upper, label: 'an upper-case UUID' });
      if (schema.format === 'date-time')
        out.push({ value: unusualDateTime, label: 'a date-time with offset and fraction' });
      if (schema.format === 'date') out.push({ value: '2024-02-29', label: 'a leap day' });
      const seed = typeof base === 'string' && base.length > 0 ? base : 'x';
      const draw = seededRandomFrom(this.random);
      for (const [key, label] of [
        ['minLength', 'at minLength'],
        ['maxLength', 'at maxLength'],
      ] as const) {
        const length = schema[key];
        if (typeof length !== 'number' || length > 4096 || (key === 'minLength' && length === 0)) continue;
        const value =
          typeof schema.pattern === 'string'
            ? stringMatching(schema.pattern, draw, { minLength: length, maxLength: length, maxRepeat: length })
            : seed.repeat(Math.ceil(length / seed.length)).slice(0, length);
        if (value !== undefined) out.push({ value, label: `${label} ${length}` });
      }
      if (schema.format === undefined && schema.pattern === undefined)
        out.push({ value: unicodeText, label: 'a unicode string' });
    }
    const seen = new Set<string>([JSON.stringify(base)]);
    return out.filter((u) => {
      const key = JSON.stringify(u.value);
      if (seen.has(key)) return false;
      seen.add(key);
      return accepts(u.value);
    });
  }

  /** Every documented value of an enumerated schema (null aside). */
  /** The enum of an array's items (`type: array, items: { enum: […] }`); [] for anything else. */
  itemEnumValues(input: unknown): unknown[] {
    const schema = deref(this.document, input);
    if (!schema || !typesOf(schema).includes('array')) return [];
    return this.enumValues(schema.items);
  }

  enumValues(input: unknown): unknown[] {
    const schema = deref(this.document, input);
    if (!schema) return [];
    if (Array.isArray(schema.enum)) return schema.enum.filter((v) => v !== null);
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches) && branches.every((b) => 'const' in (deref(this.document, b) ?? {})))
        return branches.map((b) => deref(this.document, b)?.const).filter((v) => v !== null);
    }
    return [];
  }

  /**
   * For each top-level field of an object body: the body with that field of a type its schema does not
   * allow, kept only when the validator rejects the result at that field.
   */
  fieldTypeViolations(schemaPointer: string | undefined, body: unknown): FieldViolation[] {
    if (!schemaPointer || !body || typeof body !== 'object' || Array.isArray(body)) return [];
    const properties = requestProperties(this.document, { $ref: `#${schemaPointer}` });
    const out: FieldViolation[] = [];
    for (const [field, propertySchema] of Object.entries(properties)) {
      if (!(field in body)) continue;
      const allowed = typesOf(deref(this.document, propertySchema) ?? {});
      if (allowed.length === 0) continue;
      const wrong = wrongTypeValues.find((w) => !allowed.some((t) => w.types.includes(t)));
      if (!wrong) continue;
      const broken = { ...(body as Record<string, unknown>), [field]: wrong.value };
      const path = `/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const violations = this.bodyViolations(schemaPointer, broken);
      if (!violations.some((v) => v.instancePath === path || v.instancePath.startsWith(`${path}/`))) continue;
      out.push({ field, value: wrong.value, breaks: `type ${allowed.join('|')}` });
    }
    return out;
  }
}

/**
 * The JSON value a server reads from a parameter's text: coerced by schema (core/parameters.ts), and an
 * object in `simple`/`form` style (`k1,v1,k2,v2`, how serialiseParameter writes it) read back into one.
 */
export function readParameter(document: unknown, p: ParameterSpec, text: string): unknown {
  const schema = deref(document, p.schema);
  if (!schema || !typesOf(schema).includes('object') || typesOf(schema).includes('string'))
    return coerceBySchema(document, p.schema, p.in, text);
  const parts = text === '' ? [] : text.split(',');
  if (parts.length % 2 !== 0) return text;
  const properties = propertiesOf(document, schema);
  const value: Record<string, unknown> = {};
  for (let i = 0; i < parts.length; i += 2) {
    const key = parts[i] as string;
    value[key] = coerceBySchema(document, deref(document, properties[key]), p.in, parts[i + 1] as string);
  }
  return value;
}

/** Values of one JSON type each, and which declared types each would satisfy. */
const wrongTypeValues: Array<{ value: unknown; types: string[] }> = [
  { value: 12345, types: ['integer', 'number'] },
  { value: 'mcpc-wrong-type', types: ['string'] },
  { value: true, types: ['boolean'] },
  { value: ['mcpc-wrong-type'], types: ['array'] },
  { value: { 'mcpc-wrong-type': true }, types: ['object'] },
];

/** The properties of an object schema, with those of its `allOf` parts merged in. */
export function propertiesOf(document: unknown, input: unknown, depth = 0): Record<string, unknown> {
  const schema = deref(document, input) ?? {};
  const own = (schema.properties ?? {}) as Record<string, unknown>;
  if (depth > 4) return { ...own };
  const merged: Record<string, unknown> = {};
  // allOf parts add up; oneOf/anyOf branches each may hold a field (the validator then says where it broke).
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const parts = schema[key];
    if (!Array.isArray(parts)) continue;
    for (const part of parts) {
      for (const [name, property] of Object.entries(propertiesOf(document, part, depth + 1)))
        if (!(name in merged) || key === 'allOf') merged[name] = property;
    }
  }
  return { ...merged, ...own };
}

/**
 * The properties a client sends in a request body: those of `propertiesOf` without the `readOnly` ones (OpenAPI:
 * they SHOULD NOT be sent; servers, Prism among them, reject them).
 */
export function requestProperties(document: unknown, input: unknown): Record<string, unknown> {
  const readOnly = (node: unknown, depth = 0): boolean => {
    const schema = deref(document, node);
    if (!schema || depth > 4) return false;
    return (
      schema.readOnly === true || (Array.isArray(schema.allOf) && schema.allOf.some((p) => readOnly(p, depth + 1)))
    );
  };
  return Object.fromEntries(Object.entries(propertiesOf(document, input)).filter(([, schema]) => !readOnly(schema)));
}

/** The inclusive bounds a number must lie within, from `minimum`/`maximum` and both forms of exclusive bounds. */
function numericBounds(schema: Schema, integer: boolean): { low: number | undefined; high: number | undefined } {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  let low = num('minimum');
  let high = num('maximum');
  const step = integer ? 1 : 0.5;
  const exclusiveLow = num('exclusiveMinimum') ?? (schema.exclusiveMinimum === true ? low : undefined);
  const exclusiveHigh = num('exclusiveMaximum') ?? (schema.exclusiveMaximum === true ? high : undefined);
  if (exclusiveLow !== undefined)
    low = Math.max(low ?? -Infinity, integer ? Math.floor(exclusiveLow) + 1 : exclusiveLow + step);
  if (exclusiveHigh !== undefined)
    high = Math.min(high ?? Infinity, integer ? Math.ceil(exclusiveHigh) - 1 : exclusiveHigh - step);
  if (integer) {
    if (low !== undefined) low = Math.ceil(low);
    if (high !== undefined) high = Math.floor(high);
  }
  return { low, high };
}

/** A `() => number` drawing from the planner's seeded generator, for randexp. */
function seededRandomFrom(random: Random): () => number {
  return seededRandom(Math.floor(random.next() * 2 ** 32));
}
