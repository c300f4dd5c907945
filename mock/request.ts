import type { IncomingMessage } from 'node:http';
import { decodeForm, formMediaType, type MediaContext, multipartMediaType } from '../core/media-encoding.js';
import type { Operation, ParameterSpec } from '../core/operations.js';
import { coerceParameter, cookieValue, type RawParameter, spreadQueryObject } from '../core/parameters.js';
import { type CompiledSpec, formatViolations } from '../core/validators.js';
import { mediaMatches } from './prefer.js';
import type { BodyProblem } from './types.js';

/**
 * The request as the spec describes it: each parameter read from its place, converted from text by its schema
 * and validated with the compiled validator; the body read, parsed by its media type and validated. What a
 * handler receives has passed all of this, so the generated request types are true at run time.
 */

export interface RequestParameters {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
}

export interface ParameterProblem {
  parameter: ParameterSpec;
  message: string;
}

export interface IncomingParameters {
  path: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

export function readParameters(
  compiled: CompiledSpec,
  operation: Operation,
  incoming: IncomingParameters,
): { values: RequestParameters; problems: ParameterProblem[] } {
  const values: RequestParameters = { path: {}, query: {}, header: {}, cookie: {} };
  const problems: ParameterProblem[] = [];
  for (const parameter of operation.parameters) {
    const raw = rawValue(compiled.spec.document, parameter, incoming, operation.parameters);
    if (raw === undefined) {
      if (parameter.required) problems.push({ parameter, message: 'is required' });
      continue;
    }
    const value = coerceParameter(compiled.spec.document, parameter, raw);
    // OpenAPI says tools ignore a header parameter named Accept, Content-Type or Authorization: the handler
    // still sees it, but it is not validated (its schema describes documentation, not a constraint).
    if (!parameter.ignoredByOpenApi && parameter.schemaPointer) {
      const violations = compiled.validator(parameter.schemaPointer, 'request').validate(value);
      if (violations.length > 0) {
        problems.push({ parameter, message: violationText(formatViolations(violations)) });
        continue;
      }
    }
    values[parameter.in][parameter.name] = value;
  }
  return { values, problems };
}

function rawValue(
  document: unknown,
  parameter: ParameterSpec,
  incoming: IncomingParameters,
  siblings: ParameterSpec[],
): RawParameter {
  switch (parameter.in) {
    case 'path':
      return incoming.path[parameter.name];
    case 'query': {
      const spread = spreadQueryObject(document, parameter, incoming.query, siblings);
      if (spread) return spread;
      const value = incoming.query[parameter.name];
      if (typeof value === 'string') return value;
      if (Array.isArray(value)) return value.map(String);
      return undefined;
    }
    case 'header':
      return incoming.headers[parameter.name.toLowerCase()];
    case 'cookie': {
      const header = incoming.headers.cookie;
      return cookieValue(Array.isArray(header) ? header.join('; ') : header, parameter.name);
    }
  }
}

/** `/: must match format "uuid" (schema …)` → `must match format "uuid"`: the parameter is named by the caller. */
function violationText(lines: string[]): string {
  return lines.map((l) => l.replace(/^\/: /, '').replace(/ \(schema [^)]*\)$/, '')).join('; ');
}

export function describeParameterProblem(problem: ParameterProblem): string {
  return `${problem.parameter.in} parameter '${problem.parameter.name}' ${problem.message}`;
}

/** Request bodies above this are refused before parsing; none of the served operations needs more. */
export const bodyLimitBytes = 1024 * 1024;

/** JSON bodies nested deeper than this are refused before validation (a recursive validator could overflow). */
export const maxJsonDepth = 64;

/** Whether a parsed JSON value nests deeper than `max` arrays/objects; iterative, so it cannot overflow itself. */
function depthOver(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Read the whole body (bounded). Resolves `undefined` for an empty body and `'too-large'` past the limit. */
export function readRawBody(
  request: IncomingMessage,
  limit = bodyLimitBytes,
): Promise<Buffer | 'too-large' | undefined> {
  // Mounted in an app whose own body parser ran first (`parent.use(express.json())`), the stream has been read
  // already and will never end again: take what that parser made of it.
  if (request.readableEnded) {
    const given = (request as { body?: unknown }).body;
    return Promise.resolve(alreadyRead(given, request.headers['content-type'], limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      // Past the limit the rest is read and dropped, so the connection stays usable for the 400 that follows.
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : size === 0 ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A body another parser took in before the mock: a Buffer (express.raw) or text (express.text) as it came, a parsed
 * value written back in the request's own media type — form fields (express.urlencoded) as a form, anything else
 * (express.json) as JSON: its meaning, if not its bytes.
 */
function alreadyRead(body: unknown, contentType: string | undefined, limit: number): Buffer | 'too-large' | undefined {
  let bytes: Buffer | undefined;
  if (Buffer.isBuffer(body)) bytes = body;
  else if (typeof body === 'string') bytes = Buffer.from(body);
  else if (body !== undefined && /^application\/x-www-form-urlencoded/i.test(contentType ?? ''))
    bytes = Buffer.from(new URLSearchParams(body as Record<string, string>).toString());
  else if (body !== undefined) bytes = Buffer.from(JSON.stringify(body));
  if (!bytes || bytes.length === 0) return undefined;
  return bytes.length > limit ? 'too-large' : bytes;
}

/** Parse and validate a body against the operation's request body. */
export async function readBody(
  compiled: CompiledSpec,
  operation: Operation,
  contentType: string | undefined,
  raw: Buffer | 'too-large' | undefined,
): Promise<{ body: unknown } | { problem: BodyProblem }> {
  const spec = operation.requestBody;
  if (!spec) return { body: undefined };
  if (raw === 'too-large') return { problem: { kind: 'too-large', limit: `${bodyLimitBytes / 1024} KiB` } };
  if (raw === undefined) return spec.required ? { problem: { kind: 'missing' } } : { body: undefined };
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  const media = mediaType ? spec.content.find((m) => mediaMatches(m.mediaType.toLowerCase(), mediaType)) : undefined;
  if (!media) {
    return { problem: { kind: 'content-type', contentType, expected: spec.content.map((m) => m.mediaType) } };
  }
  const text = raw.toString('utf8');
  let value: unknown = text;
  if (/[/+]json$/.test(media.mediaType.split(';')[0] ?? '')) {
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { problem: { kind: 'parse', message: (error as Error).message } };
    }
    if (depthOver(value, maxJsonDepth)) {
      return { problem: { kind: 'parse', message: `JSON nested deeper than ${maxJsonDepth} levels` } };
    }
  }
  // Form and multipart bodies become the value their schema describes (core/media-encoding.ts, the inverse of
  // what the runner sends), then are validated like JSON: `"3"` of a form is 3 where the schema says integer.
  const context = { document: compiled.spec.document, mediaPointer: media.pointer };
  const form = mediaType === formMediaType;
  const multipart = mediaType === multipartMediaType;
  if (form) value = decodeForm(text, context);
  if (multipart) {
    const decoded = await decodeMultipart(raw, contentType ?? '', context);
    if ('problem' in decoded) return decoded;
    value = decoded.value;
  }
  const formLike = /^(multipart\/|application\/x-www-form-urlencoded)/i.test(media.mediaType) && !form && !multipart;
  if (media.schemaPointer && !formLike) {
    const violations = compiled.validator(media.schemaPointer, 'request').validate(value);
    if (violations.length > 0) {
      const validate = (part: unknown) =>
        formatViolations(compiled.validator(media.schemaPointer as string, 'request').validate(part));
      return { problem: { kind: 'schema', value, violations: formatViolations(violations), validate } };
    }
  }
  return { body: value };
}

/**
 * A multipart/form-data body as the value its schema describes: Node's own parser (`Request#formData()`) splits
 * the parts; text parts are typed by the schema as a form's are (`decodeForm`), a part sent as JSON is parsed,
 * and a file part is its content as text (what a `format: binary` string stands for).
 */
async function decodeMultipart(
  raw: Buffer,
  contentType: string,
  context: MediaContext,
): Promise<{ value: Record<string, unknown> } | { problem: BodyProblem }> {
  let parts: FormData;
  try {
    parts = await new Request('http://mock.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
  } catch (error) {
    return { problem: { kind: 'parse', format: 'multipart/form-data', message: (error as Error).message } };
  }
  const text = new URLSearchParams();
  const own: Record<string, unknown[]> = {};
  for (const [name, part] of parts.entries()) {
    if (typeof part === 'string') text.append(name, part);
    else {
      const content = await part.text();
      let parsed: unknown = content;
      if (/json/i.test(part.type)) {
        try {
          parsed = JSON.parse(content);
        } catch (error) {
          return { problem: { kind: 'parse', format: `part '${name}'`, message: (error as Error).message } };
        }
      }
      own[name] = [...(own[name] ?? []), parsed];
    }
  }
  const value: Record<string, unknown> = decodeForm(text.toString(), context);
  for (const [name, list] of Object.entries(own)) value[name] = list.length === 1 ? list[0] : list;
  return { value };
}

export function describeBodyProblem(problem: BodyProblem): string {
  switch (problem.kind) {
    case 'missing':
      return 'the request body is required';
    case 'content-type':
      return `Content-Type must be ${problem.expected.join(' or ')} (got ${problem.contentType ?? 'none'})`;
    case 'too-large':
      return `the request body is larger than ${problem.limit}`;
    case 'parse':
      return `the request body is not valid ${problem.format ?? 'JSON'}: ${problem.message}`;
    case 'schema':
      return `the request body does not match the schema: ${problem.violations.join('; ')}`;
  }
}
