import { createHash } from 'node:crypto';
import { getAtPointer } from './json-pointer.js';
import { resolveLocalRef } from './spec.js';

/**
 * A request body value as bytes on the wire, per its media type and the OpenAPI `encoding` object:
 *
 * - `application/x-www-form-urlencoded`: one `name=value` pair per property, with the property's `style`
 *   (`form` default, `spaceDelimited`, `pipeDelimited`, `deepObject`), `explode` (default true for `form`) and
 *   `allowReserved`; a property with an `encoding.contentType` (e.g. `application/json`) is sent as that text.
 *   Delimiters are written as OpenAPI's style table writes them (`a=1,2`, `a=1%202`, `a=1|2`, `a[k]=v`).
 * - `multipart/form-data`: one part per property, arrays as repeated parts; a part's Content-Type is its
 *   `encoding.contentType`, or by OpenAPI's defaults: `application/json` for objects, `application/octet-stream`
 *   for `format: binary` / `contentEncoding` / `contentMediaType` strings, none (text) for other scalars. A binary
 *   part is a small file part with a filename.
 * - any other media type: a string value as it is (a binary placeholder from `format: binary` becomes the small
 *   sample file); anything else as JSON text (there is no XML request encoder).
 *
 * The multipart writer is small and hand-written (the layout is undici's, the one Node's own FormData produces)
 * because Node's FormData cannot give a non-file part a Content-Type (a JSON part would become a file named
 * "blob") and reading `new Response(form)` is asynchronous, while a plan must be finished data. Tests parse
 * every body back with Node's own multipart parser (`Request#formData()`) and compare with FormData's bytes.
 * The boundary is derived from the content, so a plan stays the same for a seed.
 */

export interface EncodedBody {
  body: string;
  /** The Content-Type header to send (with the boundary for multipart). */
  contentType: string;
}

export interface EncodingObject {
  contentType?: string;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
}

export interface MediaContext {
  document: unknown;
  /** Pointer of the media type object (`…/requestBody/content/multipart~1form-data`): its `encoding` and schema. */
  mediaPointer?: string | undefined;
}

export const formMediaType = 'application/x-www-form-urlencoded';
export const multipartMediaType = 'multipart/form-data';

/** The small stand-in for a file in a binary part: printable, so it survives as text in plans and reports. */
export const sampleFileBytes = 'mcp-contracts sample file\n';

/**
 * The request media type a client would pick among the documented ones: JSON, then a form, then multipart, then
 * any other type this module can write (text, octet stream), and only then the first one listed (e.g. XML,
 * which is sent as JSON text: no request encoder exists for it).
 */
export function preferredRequestMedia<T extends { mediaType: string }>(content: T[]): T | undefined {
  const rank = (m: string): number => {
    const type = m.split(';')[0]!.trim().toLowerCase();
    if (type === 'application/json' || type.endsWith('+json')) return 0;
    if (type === formMediaType) return 1;
    if (type === multipartMediaType) return 2;
    if (type.startsWith('text/') || type === 'application/octet-stream') return 3;
    return 4;
  };
  return [...content].sort((a, b) => rank(a.mediaType) - rank(b.mediaType))[0];
}

export function encodeBody(value: unknown, mediaType: string, context: MediaContext): EncodedBody {
  const m = mediaType.split(';')[0]!.trim().toLowerCase();
  const json = m === 'application/json' || m.endsWith('+json');
  // A string given for a form is taken to be the serialised form already (`example: "a=1&b=2"`).
  if (m === formMediaType && typeof value !== 'string')
    return { body: encodeForm(value, encodingOf(context)), contentType: mediaType };
  if (m === multipartMediaType) return encodeMultipart(value, context);
  if (!json && typeof value === 'string') {
    // A binary upload (`image/png`, `application/octet-stream`) sampled from `format: binary` is a placeholder word.
    const binary = !m.startsWith('text/') && m !== formMediaType && isPlaceholder(value);
    return { body: binary ? sampleFileBytes : value, contentType: mediaType };
  }
  return { body: JSON.stringify(value), contentType: mediaType };
}

function encodingOf(context: MediaContext): Record<string, EncodingObject> {
  if (!context.mediaPointer) return {};
  const media = getAtPointer(context.document, context.mediaPointer) as { encoding?: unknown } | undefined;
  const encoding = media?.encoding;
  return encoding && typeof encoding === 'object' ? (encoding as Record<string, EncodingObject>) : {};
}

/** The media type's schema and its `allOf` branches, resolved: where its properties are declared. */
function schemaBranches(context: MediaContext): Array<Record<string, unknown>> {
  if (!context.mediaPointer) return [];
  const media = getAtPointer(context.document, context.mediaPointer) as { schema?: unknown } | undefined;
  const resolve = (node: unknown) => resolveLocalRef<Record<string, unknown>>(context.document, node, '').value;
  const root = resolve(media?.schema);
  if (!root || typeof root !== 'object') return [];
  return [root, ...((Array.isArray(root.allOf) ? root.allOf : []) as unknown[]).map(resolve)].filter(
    (b): b is Record<string, unknown> => !!b && typeof b === 'object',
  );
}

const propertiesOf = (branch: Record<string, unknown>): Record<string, unknown> =>
  (branch.properties as Record<string, unknown> | undefined) ?? {};

/** The property names of the media type's schema. */
function propertyNames(context: MediaContext): string[] {
  return schemaBranches(context).flatMap((b) => Object.keys(propertiesOf(b)));
}

/** The resolved schema of property `name` of the media type's schema, if there is one. */
function propertySchema(context: MediaContext, name: string): Record<string, unknown> | undefined {
  const prop = schemaBranches(context)
    .map((b) => propertiesOf(b)[name])
    .find((p) => p !== undefined);
  return prop === undefined ? undefined : resolveLocalRef<Record<string, unknown>>(context.document, prop, '').value;
}

// RFC 3986 reserved characters: with `allowReserved` they go out as they are.
const reserved = /%(3A|2F|3F|23|5B|5D|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi;

function pct(text: string, allowReserved: boolean): string {
  const encoded = encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return allowReserved ? encoded.replace(reserved, (e) => decodeURIComponent(e)) : encoded;
}

const scalarText = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

export function encodeForm(value: unknown, encoding: Record<string, EncodingObject> = {}): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return pct(scalarText(value), false);
  const pairs: string[] = [];
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const enc = encoding[name] ?? {};
    const style = enc.style ?? 'form';
    const explode = enc.explode ?? style === 'form';
    const r = enc.allowReserved ?? false;
    const key = pct(name, false);
    if (enc.contentType && !enc.style && typeof v === 'object' && v !== null) {
      pairs.push(`${key}=${pct(JSON.stringify(v), r)}`);
    } else if (Array.isArray(v)) {
      const items = v.map((item) => pct(scalarText(item), r));
      if (style === 'form' && explode) pairs.push(...items.map((i) => `${key}=${i}`));
      else
        pairs.push(`${key}=${items.join(style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '|' : ',')}`);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (style === 'deepObject')
        pairs.push(...entries.map(([k, x]) => `${key}[${pct(k, false)}]=${pct(scalarText(x), r)}`));
      else if (explode) pairs.push(...entries.map(([k, x]) => `${pct(k, false)}=${pct(scalarText(x), r)}`));
      else pairs.push(`${key}=${entries.map(([k, x]) => `${pct(k, r)},${pct(scalarText(x), r)}`).join(',')}`);
    } else {
      pairs.push(`${key}=${pct(scalarText(v), r)}`);
    }
  }
  return pairs.join('&');
}

interface Part {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  content: string;
}

function isBinary(schema: Record<string, unknown> | undefined): boolean {
  return (
    !!schema &&
    (schema.format === 'binary' ||
      schema.format === 'base64' ||
      typeof schema.contentEncoding === 'string' ||
      (typeof schema.contentMediaType === 'string' && !/^text\/|json/.test(schema.contentMediaType)))
  );
}

function partsOf(value: unknown, context: MediaContext): Part[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return [{ name: 'value', filename: undefined, contentType: undefined, content: scalarText(value) }];
  }
  const encoding = encodingOf(context);
  const parts: Part[] = [];
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const schema = propertySchema(context, name);
    const explicit = encoding[name]?.contentType?.split(',')[0]?.trim();
    const array = Array.isArray(v) && !/json/.test(explicit ?? '');
    const itemSchema = array
      ? resolveLocalRef<Record<string, unknown>>(context.document, schema?.items, '').value
      : schema;
    for (const item of array ? (v as unknown[]) : [v]) {
      const binary = isBinary(itemSchema) || (!!explicit && !/^text\/|json/.test(explicit));
      if (binary) {
        parts.push({
          name,
          filename: `${name}.bin`,
          contentType: explicit ?? (itemSchema?.contentMediaType as string | undefined) ?? 'application/octet-stream',
          // A sampled "binary" string is a placeholder word, not a file: send a small, recognisable file instead.
          content: typeof item === 'string' && item.length > 0 && !isPlaceholder(item) ? item : sampleFileBytes,
        });
      } else if (item !== null && typeof item === 'object') {
        parts.push({
          name,
          filename: undefined,
          contentType: explicit ?? 'application/json',
          content: JSON.stringify(item),
        });
      } else {
        parts.push({ name, filename: undefined, contentType: explicit, content: scalarText(item) });
      }
    }
  }
  return parts;
}

const isPlaceholder = (s: string): boolean => s === 'string' || s === 'binary';

/** WHATWG's escaping of names in Content-Disposition: `"` → %22, CR → %0D, LF → %0A. */
const dispositionName = (s: string): string => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export function encodeMultipart(value: unknown, context: MediaContext): EncodedBody {
  const parts = partsOf(value, context);
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  let boundary = `----mcp-contracts-${digest.slice(0, 24)}`;
  for (let i = 0; parts.some((p) => p.content.includes(boundary)) && i < 8; i++) boundary += digest[24 + i];
  const lines: string[] = [];
  for (const p of parts) {
    lines.push(`--${boundary}\r\n`);
    lines.push(
      `Content-Disposition: form-data; name="${dispositionName(p.name)}"${p.filename ? `; filename="${dispositionName(p.filename)}"` : ''}\r\n`,
    );
    if (p.contentType) lines.push(`Content-Type: ${p.contentType}\r\n`);
    lines.push(`\r\n${p.content}\r\n`);
  }
  lines.push(`--${boundary}--\r\n`);
  return { body: lines.join(''), contentType: `${multipartMediaType}; boundary=${boundary}` };
}

/**
 * A body of this media type that its parser must refuse, for the malformed-body probe, or undefined where no
 * such body exists: a form decodes from any text (`%zz` is kept as text by common parsers), so a malformed form
 * proves nothing. Multipart: parts delimited by a boundary other than the declared one, never closed.
 */
export function malformedBody(mediaType: string): EncodedBody | undefined {
  const m = mediaType.split(';')[0]!.trim().toLowerCase();
  if (m === 'application/json' || m.endsWith('+json')) return { body: '{"mcpc-malformed": ', contentType: mediaType };
  if (m === 'application/xml' || m === 'text/xml' || m.endsWith('+xml'))
    return { body: '<mcpc-malformed><unclosed></mcpc-malformed>', contentType: mediaType };
  if (m === multipartMediaType) {
    return {
      body: '--mcpc-undeclared-boundary\r\nContent-Disposition: form-data; name="mcpc-malformed"\r\n\r\n1\r\n',
      contentType: `${multipartMediaType}; boundary=mcpc-declared-boundary`,
    };
  }
  return undefined;
}

/**
 * A form body back into the value its schema describes (the inverse of `encodeForm` for that schema): repeated
 * or delimited values become arrays where the property is an array, `name[key]` a deepObject, and scalars are
 * typed as the schema says (`"3"` for `type: integer` is 3; text that does not fit stays text). The planner
 * can check with it that an "invalid" body is still invalid once encoded — a number for a string property is
 * not, as a form carries only text — and the mock can read form requests with it.
 */
export function decodeForm(text: string, context: MediaContext): Record<string, unknown> {
  const encoding = encodingOf(context);
  const out: Record<string, unknown> = {};
  const pairs = text === '' ? [] : text.split('&').map((pair) => pair.split('=').map(decodeComponent));
  const deep = /^(.+)\[([^\]]*)\]$/;
  for (const [rawKey = '', value = ''] of pairs) {
    const nested = deep.exec(rawKey);
    if (nested && encoding[nested[1]!]?.style === 'deepObject') {
      const target = (out[nested[1]!] ?? {}) as Record<string, unknown>;
      target[nested[2]!] = value;
      out[nested[1]!] = target;
      continue;
    }
    const list = out[rawKey];
    out[rawKey] = list === undefined ? value : Array.isArray(list) ? [...list, value] : [list, value];
  }
  // An exploded `form` object spreads its keys over the body (`R=100&G=200`): with one such property, keys no
  // property claims are its own.
  const exploded = propertyNames(context).filter((name) => {
    const enc = encoding[name] ?? {};
    return (
      typeOf(propertySchema(context, name)) === 'object' && (enc.style ?? 'form') === 'form' && enc.explode !== false
    );
  });
  if (exploded.length === 1) {
    const known = new Set(propertyNames(context));
    const spread = Object.keys(out).filter((k) => !known.has(k));
    if (spread.length > 0) {
      out[exploded[0]!] = Object.fromEntries(spread.map((k) => [k, out[k]]));
      for (const k of spread) delete out[k];
    }
  }
  for (const [name, value] of Object.entries(out)) {
    const schema = propertySchema(context, name);
    if (typeOf(schema) === 'object' && typeof value === 'string') {
      // form, no explode: `color=R,100,G,200`.
      const parts = value.split(',');
      const pairs = parts.flatMap((_, i) => (i % 2 === 0 ? [[parts[i]!, parts[i + 1] ?? ''] as const] : []));
      out[name] = Object.fromEntries(pairs);
    }
    const current = out[name];
    const style = encoding[name]?.style ?? 'form';
    const delimiter = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
    if (typeOf(schema) === 'array') {
      const items = Array.isArray(value)
        ? value
        : typeof value === 'string' && value !== ''
          ? value.split(delimiter)
          : [];
      const itemSchema = resolveLocalRef<Record<string, unknown>>(context.document, schema?.items, '').value;
      out[name] = items.map((item) => typeScalar(String(item), itemSchema));
    } else if (current && typeof current === 'object' && !Array.isArray(current)) {
      const props = resolveLocalRef<Record<string, unknown>>(context.document, schema, '').value?.properties as
        | Record<string, unknown>
        | undefined;
      out[name] = Object.fromEntries(
        Object.entries(current).map(([k, v]) => [
          k,
          typeScalar(String(v), resolveLocalRef<Record<string, unknown>>(context.document, props?.[k], '').value),
        ]),
      );
    } else if (typeof current === 'string') {
      out[name] = typeScalar(current, schema);
    }
  }
  return out;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function typeOf(schema: Record<string, unknown> | undefined): string | undefined {
  const type = schema?.type;
  return Array.isArray(type) ? (type.find((t) => t !== 'null') as string | undefined) : (type as string | undefined);
}

function typeScalar(text: string, schema: Record<string, unknown> | undefined): unknown {
  const type = typeOf(schema);
  if ((type === 'integer' || type === 'number') && /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text))
    return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
