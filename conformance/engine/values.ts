import { resolveLocalRef } from '../../core/spec.js';

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
      try {
        if (!new RegExp(schema.pattern, 'u').test(candidate)) {
          out.push({ value: candidate, breaks: `pattern ${schema.pattern}` });
          break;
        }
      } catch {
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
