import type { ParameterSpec } from '../../core/operations.js';
import { coerceBySchema, isJsonContent, jsonOrText, pairsOf } from '../../core/parameters.js';
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
  // An array of numbers or booleans (`ids=4&ids=5`): items of another type break it — as many as `minItems` asks
  // (each its own, for `uniqueItems`), so that the item type is the one rule broken.
  const itemTypes = items && !Array.isArray(items.enum) ? typesOf(items) : [];
  const wrongItems = (word: string) => {
    const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
    return Array.from({ length: count }, (_, i) => (i === 0 ? word : `${word}-${i + 1}`)).join(',');
  };
  if (itemTypes.length > 0 && itemTypes.every((t) => t === 'integer' || t === 'number'))
    out.push({ value: wrongItems('not-a-number'), breaks: `items type ${itemTypes.join('|')}` });
  else if (itemTypes.length === 1 && itemTypes[0] === 'boolean')
    out.push({ value: wrongItems('not-a-boolean'), breaks: 'items type boolean' });
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
  // A readOnly property may be left out of a request, required or not: not named as what `{}` breaks.
  const declared = propertiesOf(document, schema);
  const writable = requestProperties(document, schema);
  const required = collectRequired(document, schema).filter((name) => !(name in declared) || name in writable);
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

/**
 * The query pairs a parameter's text goes out as, by its style. A plan keeps every value as text — items and an
 * object's keys and values comma-joined (serialiseParameter writes it so, readParameter reads it so, a report shows
 * it so) — and it takes its style's form here, on the way out:
 * - `form` exploded (OpenAPI's default): an array one pair per item (`?id=1&id=2`, what frameworks read as a list,
 *   where `id=1,2` is to them the one item "1,2"); an object one pair per property (`?R=100&G=200`);
 * - `deepObject`: one pair per property, `?color[R]=100&color[G]=200`;
 * - `spaceDelimited`/`pipeDelimited` not exploded: `?id=1%202`, `?id=1|2` (exploded, as `form`);
 * - `form` not exploded, a `content` parameter (its JSON text), or a schema that also allows a string (where
 *   `1,2` may be meant whole): the text as it is.
 */
export function queryPairs(document: unknown, p: ParameterSpec, text: string): Array<[string, string]> {
  if (text === '' || p.contentType !== undefined) return [[p.name, text]];
  const types = typesOf(deref(document, p.schema) ?? {});
  if (types.includes('string')) return [[p.name, text]];
  const parts = text.split(',');
  if (types.includes('array')) {
    const delimiter = { spaceDelimited: ' ', pipeDelimited: '|' }[p.style ?? ''];
    if (p.explode) return parts.map((item) => [p.name, item]);
    return delimiter !== undefined ? [[p.name, parts.join(delimiter)]] : [[p.name, text]];
  }
  if (types.includes('object') && parts.length % 2 === 0) {
    const entries: Array<[string, string]> = [];
    for (let i = 0; i < parts.length; i += 2) entries.push([parts[i] as string, parts[i + 1] as string]);
    if (p.style === 'deepObject') return entries.map(([k, v]) => [`${p.name}[${k}]`, v]);
    if (p.style === 'form' && p.explode) return entries;
  }
  return [[p.name, text]];
}

/**
 * Whether a value survives its trip as text: a plan writes items and an object's keys and values comma-joined, and
 * a style splits them again (`|` for pipeDelimited, a space for spaceDelimited), so an item holding one of those
 * — an example tag "New York, NY" — would arrive as two. A `content` parameter's JSON text carries anything.
 */
export function writable(p: ParameterSpec, value: unknown): boolean {
  if (p.contentType !== undefined || value === null || typeof value !== 'object') return true;
  const separators = [',', ...(p.style === 'pipeDelimited' ? ['|'] : p.style === 'spaceDelimited' ? [' '] : [])];
  const parts = Array.isArray(value) ? value : Object.entries(value).flat();
  return parts.every(
    (part) => (typeof part !== 'object' || part === null) && !separators.some((sep) => String(part).includes(sep)),
  );
}

/**
 * The text a parameter's value is sent as: a JSON `content` parameter carries the value's JSON text (`[4,5]`), any
 * other one its style's text (serialiseParameter: `4,5`).
 */
export function parameterText(p: ParameterSpec, value: unknown): string {
  return isJsonContent(p) ? JSON.stringify(value) : serialiseParameter(value);
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
  /** The field's name; `owner.name` one object level down. */
  field: string;
  value: unknown;
  breaks: string;
  /** The field is left out (a required property missing) rather than given `value`. */
  missing?: boolean;
  /** Where the field is, one key per object level (a name may hold a dot), an item's index (a number) per array. */
  path?: Array<string | number>;
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
      if (!writable(p, example.value)) {
        rejected.push(
          `example '${example.name}' (an item or key holds a separator of its style, so it would arrive changed)`,
        );
        continue;
      }
      const text = parameterText(p, example.value);
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
      if (!writable(p, candidate)) continue;
      const text = parameterText(p, candidate);
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
      // As for validParameter: an empty value (`ids=`, an array with no item) is read as missing or as one empty
      // item, never sent as valid.
      if (candidate === '') continue;
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

  /**
   * Boundary negatives for a parameter (Schemathesis' "negative data" at the limits): a number just below
   * `minimum`/above `maximum` (or at an exclusive bound), one not a `multipleOf`, a string one under `minLength`,
   * an array one item under `minItems`/over `maxItems` or with a repeated item. Each is kept only where the
   * compiled validator, reading the text the way a server does, reports exactly one violation — of the rule
   * named — so no value the spec accepts is ever planned as invalid (a conformant deployment would be failed).
   * `base` gives the valid value the case would otherwise send (short strings and arrays are built from it;
   * asked only where the schema has a limit); `skip` names rules already broken elsewhere (the core cases').
   */
  boundaryParameterValues(
    p: ParameterSpec,
    baseOf: () => string | undefined,
    {
      skip = new Set<string>(),
      perParameter = maxBreachesPerField,
    }: { skip?: Set<string>; perParameter?: number } = {},
  ): InvalidValue[] {
    const schema = deref(this.document, p.schema);
    if (!schema || !p.schemaPointer || !limitKeywords.some((k) => k in schema)) return [];
    const base = baseOf();
    const declared = (deref(this.document, { $ref: `#${p.pointer}` }) ?? {}) as Schema;
    // `q=` is the one way to send an empty string, and only a query string carries it as such: an empty path
    // segment reroutes the request, and an empty header or cookie is dropped or refused before the server
    // reads it. `allowEmptyValue: true` says the empty value is legal, whatever minLength says.
    const emptyString = p.in === 'query' && declared.allowEmptyValue !== true;
    const baseValue = base === undefined ? undefined : readParameter(this.document, p, base);
    // A query array goes out one pair per item (queryPairs). An exploded `form` cookie array is still sent
    // comma-joined: a server that reads `a,b` as the single item "a,b" must reject that reading too, or the case
    // would fail it unfairly.
    const exploded = p.in === 'cookie' && declared.explode !== false;
    const out: InvalidValue[] = [];
    for (const breach of breachesOf(schema, baseValue, { emptyString, emptyArray: false })) {
      if (skip.has(breach.breaks)) continue;
      for (const candidate of breach.values) {
        const text = parameterText(p, candidate);
        if (text === base) continue;
        const violations = this.parameterViolations(p, text);
        if (!onlyBreaks(violations, breach.keywords, '')) continue;
        if (exploded && Array.isArray(candidate) && this.validateRaw(p.schemaPointer, [text]).length === 0) continue;
        out.push({ value: text, breaks: breach.breaks });
        break;
      }
      if (out.length >= perParameter) break;
    }
    return out;
  }

  private validateRaw(schemaPointer: string, value: unknown): SchemaViolation[] {
    return this.compiled.validator(schemaPointer, 'request').validate(value);
  }

  /**
   * Boundary negatives for an object body, one broken rule per body: each required property left out, an
   * undeclared property where `additionalProperties: false`, and per property present the limits above plus
   * enum/const — at the top level, then in the objects below it (`owner.name`), down to `maxBoundaryDepth` levels,
   * an array of objects through its first item (`lines[0].quantity`), level by level, so that the top-level fields
   * come first in the budget. `nested: false` (form bodies, whose encoding flattens structure) keeps to top-level
   * scalars, omissions and extra fields. Each body is kept only where the validator reports exactly the one
   * violation named, at that field.
   */
  boundaryBodyViolations(
    schemaPointer: string | undefined,
    body: unknown,
    {
      nested = true,
      perField = maxBreachesPerField,
      limit = Number.POSITIVE_INFINITY,
    }: { nested?: boolean; perField?: number; limit?: number } = {},
  ): FieldViolation[] {
    if (!schemaPointer || !isObject(body)) return [];
    const out: FieldViolation[] = [];
    const at = (path: Array<string | number>) =>
      path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    type Level = { schema: unknown; value: Record<string, unknown>; prefix: Array<string | number>; depth: number };
    const visit = ({ schema, value, prefix, depth }: Level, below: Level[]) => {
      // Past `limit` nothing more is validated (a big body would otherwise cost a validation per field).
      const attempt = (
        broken: Record<string, unknown>,
        keywords: string[],
        where: Array<string | number>,
        mention?: string,
      ) =>
        out.length < limit &&
        onlyBreaks(
          this.bodyViolations(
            schemaPointer,
            updateAt(body, prefix, () => broken),
          ),
          keywords,
          at(where),
          mention,
        );
      // A few omissions tried per object: the core invalid-body case already leaves every required field out at once.
      let omitted = 0;
      for (const field of requiredOf(this.document, schema)) {
        if (!(field in value) || omitted >= perField) continue;
        const { [field]: _dropped, ...rest } = value;
        if (attempt(rest, ['required'], prefix, field))
          out.push({
            field: fieldLabel([...prefix, field]),
            path: [...prefix, field],
            value: undefined,
            breaks: 'required',
            missing: true,
          });
        omitted++;
      }
      const extra = 'mcpc-undeclared';
      if (closed(this.document, schema) && !(extra in value)) {
        if (attempt({ ...value, [extra]: 'x' }, ['additionalProperties', 'unevaluatedProperties'], prefix))
          out.push({
            field: fieldLabel([...prefix, extra]),
            path: [...prefix, extra],
            value: 'x',
            // Named by the keyword the schema uses: Prism, for one, enforces additionalProperties but ignores
            // unevaluatedProperties in a 3.1 document (it validates as draft-07), and the title must tell them apart.
            breaks: `${deref(this.document, schema)?.additionalProperties === false ? 'additionalProperties' : 'unevaluatedProperties'} false`,
          });
      }
      for (const [field, propertySchema] of Object.entries(requestProperties(this.document, schema))) {
        if (!(field in value)) continue;
        const fieldSchema = deref(this.document, propertySchema);
        if (!fieldSchema) continue;
        const current = value[field];
        const path = [...prefix, field];
        let kept = 0;
        for (const breach of breachesOf(fieldSchema, current, { emptyString: true, emptyArray: true })) {
          if (!nested && (Array.isArray(current) || breach.keywords.includes('uniqueItems'))) break;
          const hit = breach.values.find(
            (candidate) =>
              JSON.stringify(candidate) !== JSON.stringify(current) &&
              attempt({ ...value, [field]: candidate }, breach.keywords, path),
          );
          if (hit === undefined) continue;
          out.push({ field: fieldLabel(path), path, value: hit, breaks: breach.breaks });
          if (++kept >= perField) break;
        }
        if (!nested || depth + 1 >= maxBoundaryDepth) continue;
        if (isObject(current)) below.push({ schema: fieldSchema, value: current, prefix: path, depth: depth + 1 });
        else if (Array.isArray(current) && isObject(current[0]) && fieldSchema.items !== undefined)
          below.push({ schema: fieldSchema.items, value: current[0], prefix: [...path, 0], depth: depth + 1 });
      }
    };
    let level: Level[] = [{ schema: { $ref: `#${schemaPointer}` }, value: body, prefix: [], depth: 0 }];
    while (level.length > 0 && out.length < limit) {
      const below: Level[] = [];
      for (const object of level) visit(object, below);
      level = below;
    }
    return out.slice(0, limit);
  }
}

/** How many object levels the boundary body cases go down: the top, and two below it (`order.lines[0].quantity`). */
export const maxBoundaryDepth = 3;

/** `owner.name`, `lines[0].quantity`: a body field's path as a title shows it. */
export function fieldLabel(path: Array<string | number>): string {
  return path.reduce<string>(
    (label, key) => (typeof key === 'number' ? `${label}[${key}]` : label ? `${label}.${key}` : key),
    '',
  );
}

/**
 * `root` with the value at `path` (object keys, array indices) replaced by what `update` makes of it, or left out
 * where `update` gives `undefined` for a key of an object; everything off the path is shared, nothing is changed
 * in place.
 */
export function updateAt(root: unknown, path: Array<string | number>, update: (current: unknown) => unknown): unknown {
  if (path.length === 0) return update(root);
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[Number(head)] = updateAt(root[Number(head)], rest, update);
    return copy;
  }
  const object = (root ?? {}) as Record<string, unknown>;
  const next = updateAt(object[head], rest, update);
  if (next === undefined && rest.length === 0) {
    const { [head]: _dropped, ...others } = object;
    return others;
  }
  return { ...object, [head]: next };
}

/** At most this many boundary negatives per parameter or body field: the limits themselves (below/above), then
 * the rest; a field seldom has more than two limits, and the operation-wide cap (cases/index.ts) bounds the sum. */
export const maxBreachesPerField = 3;

/** The keywords breachesOf steps over: a schema with none of them has no boundary to break. */
const limitKeywords = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'enum',
  'const',
];

/** One rule of a schema stepped over: candidate values (the first the validator confirms is used), the keyword(s)
 * the validator reports for it, and the title text. */
interface Breach {
  values: unknown[];
  keywords: string[];
  breaks: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** What a oneOf/anyOf reports besides the rule each branch breaks: the combinator's own failure and `not`/`if`. */
const branchNoise = new Set(['oneOf', 'anyOf', 'not', 'if', 'then', 'else']);

/**
 * The changed value breaks one rule, the one its title names: the validator reports that keyword at `path`
 * (naming `mention`, the required property left out) and nothing else. Under a oneOf/anyOf every branch reports
 * its own failures (a JSON-RPC body's other methods fail on `method`); there, nothing but the named keyword
 * (repeated per branch) and the combinator's own failures may be reported where the value changed.
 */
function onlyBreaks(violations: SchemaViolation[], keywords: string[], path: string, mention?: string): boolean {
  const where = (v: SchemaViolation) => (v.instancePath === '/' ? '' : v.instancePath);
  const named = violations.filter(
    (v) => where(v) === path && keywords.includes(v.keyword) && (!mention || v.message.includes(`'${mention}'`)),
  );
  if (named.length === 0) return false;
  if (named.length === violations.length) return true;
  if (!violations.some((v) => v.keyword === 'oneOf' || v.keyword === 'anyOf')) return false;
  return violations
    .filter((v) => where(v) === path || (path !== '' && where(v).startsWith(`${path}/`)))
    .every((v) => keywords.includes(v.keyword) || branchNoise.has(v.keyword));
}

/** The required properties of an object schema, with those of its `allOf` parts. */
function requiredOf(document: unknown, input: unknown, depth = 0): string[] {
  const schema = deref(document, input) ?? {};
  const own = Array.isArray(schema.required) ? schema.required.map(String) : [];
  if (depth > 4 || !Array.isArray(schema.allOf)) return own;
  return [...new Set([...own, ...schema.allOf.flatMap((part) => requiredOf(document, part, depth + 1))])];
}

/** The object schema says no property beyond those it declares (`additionalProperties: false`). */
function closed(document: unknown, input: unknown): boolean {
  const schema = deref(document, input) ?? {};
  return schema.additionalProperties === false || schema.unevaluatedProperties === false;
}

/** A float result without binary noise (0.1 * 3 → 0.3). */
const tidy = (n: number) => Number(n.toPrecision(12));

/**
 * The rules of one schema level a value can step just over, in order of value: numeric bounds, length, item
 * counts, uniqueness, multipleOf, enum/const. Candidates only; the caller confirms each with the validator.
 */
function breachesOf(
  schema: Schema,
  base: unknown,
  { emptyString, emptyArray }: { emptyString: boolean; emptyArray: boolean },
): Breach[] {
  const out: Breach[] = [];
  const type = typesOf(schema).find((t) => t !== 'null');
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  if (type === 'integer' || type === 'number') {
    const step = (num('multipleOf') ?? 0) > 0 ? (num('multipleOf') as number) : 1;
    // Above the top, then below the bottom: 3.1's numeric exclusive bound and 3.0's boolean one (with
    // maximum/minimum) are broken by the bound itself, an inclusive one by the next multiple of `step` past it.
    for (const [inclusive, exclusive, direction] of [
      ['maximum', 'exclusiveMaximum', 1],
      ['minimum', 'exclusiveMinimum', -1],
    ] as const) {
      const bound = num(inclusive);
      const flag = schema[exclusive];
      if (typeof flag === 'number') out.push({ values: [flag], keywords: [exclusive], breaks: `${exclusive} ${flag}` });
      else if (flag === true && bound !== undefined)
        out.push({ values: [bound], keywords: [exclusive, inclusive], breaks: `${exclusive} ${bound}` });
      if (bound !== undefined && flag !== true) {
        const past = direction > 0 ? Math.floor(bound / step) + 1 : Math.ceil(bound / step) - 1;
        out.push({ values: [tidy(past * step)], keywords: [inclusive], breaks: `${inclusive} ${bound}` });
      }
    }
    const multipleOf = num('multipleOf');
    if (multipleOf !== undefined && multipleOf > 0 && !(type === 'integer' && multipleOf === 1)) {
      const { low, high } = numericBounds(schema, type === 'integer');
      const from =
        typeof base === 'number'
          ? base
          : low !== undefined
            ? Math.ceil(low / multipleOf) * multipleOf
            : high !== undefined
              ? Math.floor(high / multipleOf) * multipleOf
              : 0;
      const off = type === 'integer' ? 1 : multipleOf / 2;
      out.push({
        values: [tidy(from + off), tidy(from - off)],
        keywords: ['multipleOf'],
        breaks: `multipleOf ${multipleOf}`,
      });
    }
  }
  if (type === 'string') {
    const text = typeof base === 'string' && base.length > 0 ? base : 'x';
    const max = num('maxLength');
    if (max !== undefined && max < 4096) {
      const long = text.repeat(Math.ceil((max + 1) / text.length)).slice(0, max + 1);
      out.push({ values: [long, 'x'.repeat(max + 1)], keywords: ['maxLength'], breaks: `maxLength ${max}` });
    }
    const min = num('minLength');
    if (min !== undefined && min >= 1 && (min > 1 || emptyString))
      out.push({
        values: [text.slice(0, min - 1), 'x'.repeat(min - 1)],
        keywords: ['minLength'],
        breaks: `minLength ${min}`,
      });
  }
  if (type === 'array' && Array.isArray(base) && base.length > 0) {
    const max = num('maxItems');
    if (max !== undefined && max < 1000) {
      const longer = Array.from({ length: max + 1 }, (_, i) => base[i % base.length]);
      // Under uniqueItems the extra items must differ: a number past the largest, or a suffixed string.
      const numbers = base.filter((v): v is number => typeof v === 'number');
      const top = numbers.length > 0 ? Math.max(...numbers) : 0;
      const distinct = Array.from({ length: max + 1 }, (_, i) => {
        if (i < base.length) return base[i];
        return typeof base[0] === 'number' ? top + i - base.length + 1 : `${String(base[0])}-${i}`;
      });
      out.push({ values: [longer, distinct], keywords: ['maxItems'], breaks: `maxItems ${max}` });
    }
    const min = num('minItems');
    if (min !== undefined && min >= 1 && (min > 1 || emptyArray))
      out.push({ values: [base.slice(0, min - 1)], keywords: ['minItems'], breaks: `minItems ${min}` });
    if (schema.uniqueItems === true)
      out.push({
        values: [
          [base[0], ...base],
          [base[0], base[0], ...base.slice(2)],
        ],
        keywords: ['uniqueItems'],
        breaks: 'uniqueItems',
      });
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const numbers = schema.enum.filter((v): v is number => typeof v === 'number');
    const outside = numbers.length > 0 && type !== 'string' ? Math.max(...numbers) + 1 : 'mcpc-not-in-enum';
    out.push({ values: [outside], keywords: ['enum'], breaks: `enum ${JSON.stringify(schema.enum)}` });
  }
  if ('const' in schema) {
    const c = schema.const;
    const other =
      typeof c === 'number' ? c + 1 : typeof c === 'boolean' ? !c : typeof c === 'string' ? `${c}-mcpc` : undefined;
    if (other !== undefined) out.push({ values: [other], keywords: ['const'], breaks: `const ${JSON.stringify(c)}` });
  }
  return out;
}

/**
 * The JSON value a server reads from a parameter's text: coerced by schema (core/parameters.ts), and an
 * object in `simple`/`form` style (`k1,v1,k2,v2`, how serialiseParameter writes it) read back into one.
 */
export function readParameter(document: unknown, p: ParameterSpec, text: string): unknown {
  if (isJsonContent(p)) return jsonOrText(text);
  const schema = deref(document, p.schema);
  if (!schema || !typesOf(schema).includes('object') || typesOf(schema).includes('string'))
    return coerceBySchema(document, p.schema, p.in, text);
  const pairs = pairsOf(text);
  if (!pairs) return text;
  const properties = propertiesOf(document, schema);
  const value: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(pairs))
    value[key] = coerceBySchema(document, deref(document, properties[key]), p.in, item);
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
