import type { ParameterSpec } from './operations.js';
import { resolveLocalRef } from './spec.js';

/**
 * Path, query, header and cookie parameters arrive as text. Before a parameter can be validated against its
 * schema it has to become the JSON value the schema talks about: `"2"` for `type: integer` is the number 2,
 * `"a,b"` for `type: array` in a header is `["a", "b"]`. This follows OpenAPI's default serialization styles
 * (`simple` for path and header, `form` with `explode: true` for query and cookie); a value that cannot be
 * converted is left as text, so that the validator reports it ("must be integer") instead of it vanishing.
 *
 * https://spec.openapis.org/oas/v3.1.0#style-values
 */

/**
 * A parameter as it arrived: one text, the texts of a repeated query key, or — for an object in a query spread over
 * keys of its own (`deepObject`'s `f[a]=1`, an exploded `form` object's `R=100&G=200`) — its properties' texts.
 */
export type RawParameter = string | string[] | Record<string, string | string[]> | undefined;

/** The JSON type a parameter's schema expects (first non-null of a type list), or undefined for "anything". */
export function parameterType(document: unknown, schema: Record<string, unknown> | undefined): string | undefined {
  if (!schema) return undefined;
  const { value } = resolveLocalRef<Record<string, unknown>>(document, schema, '');
  const type = value?.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  return undefined;
}

/** Convert a raw parameter value to what its schema describes. `undefined` stays `undefined` (absent). */
export function coerceParameter(document: unknown, parameter: ParameterSpec, raw: RawParameter): unknown {
  if (raw === undefined) return undefined;
  // A parameter described by `content` is one text in that media type: JSON is parsed, anything else kept.
  if (parameter.contentType !== undefined) {
    const text = typeof raw === 'string' ? raw : Array.isArray(raw) ? (raw[0] ?? '') : undefined;
    if (text === undefined) return raw;
    return isJsonContent(parameter) ? jsonOrText(text) : text;
  }
  if (!Array.isArray(raw) && typeof raw === 'object') return objectOf(document, parameter.schema, parameter.in, raw);
  const type = parameterType(document, parameter.schema);
  // `spaceDelimited`/`pipeDelimited` (a query array, not exploded): `ids=1%202`, `ids=1|2`.
  const delimiter = parameter.explode ? undefined : { spaceDelimited: ' ', pipeDelimited: '|' }[parameter.style ?? ''];
  if (type === 'array' && delimiter !== undefined && typeof raw === 'string')
    return coerceBySchema(document, parameter.schema, parameter.in, raw === '' ? [] : raw.split(delimiter));
  // An object written in one text (`simple`, or `form` not exploded): `R,100,G,200`.
  if (type === 'object' && typeof raw === 'string') {
    const pairs = pairsOf(raw);
    return pairs ? objectOf(document, parameter.schema, parameter.in, pairs) : raw;
  }
  return coerceBySchema(document, parameter.schema, parameter.in, raw);
}

/** A parameter described by JSON `content` (`application/json`, `…+json`): its value is JSON text. */
export function isJsonContent(parameter: ParameterSpec): boolean {
  return parameter.contentType !== undefined && /json/i.test(parameter.contentType);
}

/** The JSON value of `text`, or the text itself where it is not JSON (the validator then says what is wrong). */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `k1,v1,k2,v2` (an object in `simple` style, or `form` not exploded) as its keys' texts; undefined for an odd count. */
export function pairsOf(text: string): Record<string, string> | undefined {
  const parts = text === '' ? [] : text.split(',');
  if (parts.length % 2 !== 0) return undefined;
  const pairs: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 2) pairs[parts[i] as string] = parts[i + 1] as string;
  return pairs;
}

/** An object parameter's properties, each converted by its own schema. */
function objectOf(
  document: unknown,
  schema: Record<string, unknown> | undefined,
  location: ParameterSpec['in'],
  raw: Record<string, string | string[]>,
): Record<string, unknown> {
  const { value } = resolveLocalRef<Record<string, unknown>>(document, schema, '');
  const properties = (value?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) out[key] = coerceBySchema(document, properties[key], location, text);
  return out;
}

/**
 * The properties of an object query parameter that the query spreads over keys of its own: `deepObject`'s
 * `name[key]=…`, or an exploded `form` object's own keys (`R=100&G=200`: those the schema declares, or any where
 * it takes additional properties). The names of the operation's other query parameters (`siblings`) are never read
 * as this one's keys. Undefined when the parameter is not such an object, or none of its keys came.
 */
export function spreadQueryObject(
  document: unknown,
  parameter: ParameterSpec,
  query: Record<string, unknown>,
  siblings: ParameterSpec[] = [],
): Record<string, string | string[]> | undefined {
  if (parameter.in !== 'query' || parameter.contentType !== undefined) return undefined;
  if (parameterType(document, parameter.schema) !== 'object') return undefined;
  const claimed = new Set(siblings.filter((q) => q !== parameter && q.in === 'query').map((q) => q.name));
  const texts = (value: unknown) =>
    typeof value === 'string' ? value : Array.isArray(value) ? value.map(String) : undefined;
  const out: Record<string, string | string[]> = {};
  if (parameter.style === 'deepObject') {
    const prefix = `${parameter.name}[`;
    for (const [key, value] of Object.entries(query)) {
      const text = texts(value);
      if (key.startsWith(prefix) && key.endsWith(']') && text !== undefined && !claimed.has(key))
        out[key.slice(prefix.length, -1)] = text;
    }
  } else if (parameter.style === 'form' && parameter.explode) {
    const { value: schema } = resolveLocalRef<Record<string, unknown>>(document, parameter.schema, '');
    // Its declared properties; every other key too where it says it takes more (`additionalProperties`), but never
    // a key that is another parameter's name.
    const open = schema?.additionalProperties === true || typeof schema?.additionalProperties === 'object';
    const keys = open ? Object.keys(query) : Object.keys((schema?.properties ?? {}) as object);
    for (const key of keys) {
      const text = texts(query[key]);
      if (text !== undefined && !claimed.has(key)) out[key] = text;
    }
  } else return undefined;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The same conversion for any text value with a schema, e.g. a response header (which OpenAPI serializes like a
 * header parameter, `simple` style).
 */
export function coerceBySchema(
  document: unknown,
  schema: Record<string, unknown> | undefined,
  location: ParameterSpec['in'],
  raw: string | string[] | undefined,
): unknown {
  if (raw === undefined) return undefined;
  const type = parameterType(document, schema);
  if (type === 'array') {
    const list = Array.isArray(raw) ? raw : raw === '' ? [] : splitSimple(raw, location);
    const { value } = resolveLocalRef<Record<string, unknown>>(document, schema, '');
    const itemType = parameterType(document, value?.items as Record<string, unknown> | undefined);
    return list.map((item) => coerceScalar(item, itemType));
  }
  // A repeated scalar query parameter (`?a=1&a=2`) is not what the schema describes: keep the list so the
  // validator says "must be string" rather than silently taking one of the values.
  if (Array.isArray(raw)) return raw.length === 1 ? coerceScalar(raw[0] ?? '', type) : raw;
  return coerceScalar(raw, type);
}

function splitSimple(raw: string, location: ParameterSpec['in']): string[] {
  // Headers may be folded into one comma-separated line; path `simple` style is comma-separated too.
  return raw.split(',').map((s) => (location === 'header' ? s.trim() : s));
}

function coerceScalar(raw: string, type: string | undefined): unknown {
  switch (type) {
    case 'integer':
    case 'number':
      return /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'null':
      return raw === '' || raw === 'null' ? null : raw;
    default:
      return raw;
  }
}

/** The first value of a raw parameter (query strings and headers may repeat), or undefined. */
export function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The value of a cookie from a `Cookie` request header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}
