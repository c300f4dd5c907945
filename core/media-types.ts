import { getAtPointer } from './json-pointer.js';
import { resolveLocalRef } from './spec.js';
import { isXmlMediaType } from './xml.js';

/**
 * How a body of a given media type can be checked against its schema:
 *
 * - `json`: `application/json`, `*+json`: parsed, then validated.
 * - `xml`: `application/xml`, `text/xml`, `*+xml`: parsed and mapped through the `xml` object (core/xml.ts).
 * - `event-stream`: `text/event-stream`: each event validated (core/sse.ts).
 * - `text`: another `text/*` type whose schema is a plain `type: string`: the text itself is the value.
 * - `content-type-only`: everything else (text/csv with a table schema, images, `application/octet-stream`,
 *   `format: binary`, forms and multipart in responses): only the Content-Type is checked, and reports say so.
 *
 * The reading is about the media type: a JSON or XML body without a documented schema reads as `json`/`xml`
 * and simply has nothing to be validated against.
 */
export type BodyReading = 'json' | 'xml' | 'event-stream' | 'text' | 'content-type-only';

export function isJsonMediaType(mediaType: string): boolean {
  const m = mediaType.toLowerCase();
  return m === 'application/json' || m.endsWith('+json');
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  return contentType.split(';')[0]?.trim().toLowerCase() || undefined;
}

export function bodyReading(mediaType: string, document: unknown, schemaPointer: string | undefined): BodyReading {
  const m = mediaTypeOf(mediaType) ?? '';
  if (m === 'text/event-stream') return 'event-stream';
  if (isJsonMediaType(m)) return 'json';
  if (isXmlMediaType(m)) return 'xml';
  if (m.startsWith('text/') && schemaPointer && isPlainStringSchema(document, schemaPointer)) return 'text';
  return 'content-type-only';
}

/** `type: string` (or `[string, null]`) without a binary format: any text can be validated as that string. */
function isPlainStringSchema(document: unknown, pointer: string): boolean {
  const { value } = resolveLocalRef<Record<string, unknown>>(document, getAtPointer(document, pointer), pointer);
  if (!value || typeof value !== 'object') return false;
  const types = Array.isArray(value.type) ? value.type.filter((t) => t !== 'null') : [value.type];
  return types.length === 1 && types[0] === 'string' && value.format !== 'binary' && value.format !== 'byte';
}
