import { ToolError } from '../core/errors.js';
import { getAtPointer } from '../core/json-pointer.js';
import { bodyReading } from '../core/media-types.js';
import type { MediaTypeSpec, Operation, ResponseSpec } from '../core/operations.js';
import { coerceBySchema } from '../core/parameters.js';
import { bodyValueRule } from '../core/response-rules.js';
import { sampleAtPointer } from '../core/sample.js';
import { formatSseEvent } from '../core/sse.js';
import { type CompiledSpec, contentSchemaPointerOf, formatViolations } from '../core/validators.js';
import { isXmlMediaType } from '../core/xml.js';

/**
 * Every documented response of every operation, built once when the app is created: the spec's named examples
 * that validate against their schema, a body for each media type (the first valid example, else one built
 * from the schema), and a value for each documented header. `Prefer: code=NNN` and `Prefer: example=NAME`
 * answer from here, so a request never builds or compiles anything. A spec example that does not match its
 * own schema is kept out and remembered with why, so asking for it gets a clear answer instead of a body the
 * self-check would reject.
 */

export interface CannedMedia {
  mediaType: string;
  /** Named examples that validate, in spec order. */
  examples: Map<string, unknown>;
  /** Named examples that do not validate against the schema (a spec defect), with the violations. */
  invalidExamples: Map<string, string[]>;
  /** What `Prefer: code` answers: the first valid example, else a body built from the schema. */
  body: unknown;
}

export interface CannedResponse {
  spec: ResponseSpec;
  media: CannedMedia[];
  headers: Record<string, string>;
}

/** operationId → status as written in the spec (`404`, `4XX`, `default`) → canned response. */
export type CannedTable = Map<string, Map<string, CannedResponse>>;

/** Header values that mean something, where a sample string would not (seconds for Retry-After). */
const meaningfulHeaderValues: Record<string, string> = { 'retry-after': '1' };

/**
 * `skipUnbuildable`: for a spec file the mock did not ship with, a media type no valid body can be built for is
 * left out (and reported through the callback) rather than stopping the mock; the status still answers in its
 * other media types, or without a body.
 */
export function buildCannedResponses(compiled: CompiledSpec, skipUnbuildable?: (why: string) => void): CannedTable {
  const table: CannedTable = new Map();
  for (const operation of compiled.operations) {
    const byStatus = new Map<string, CannedResponse>();
    for (const response of operation.responses) {
      byStatus.set(response.status, {
        spec: response,
        media: response.content.flatMap((media) => {
          if (!skipUnbuildable) return [cannedMedia(compiled, operation, response, media)];
          // The mock writes JSON, not XML through the schema's `xml` object: where a JSON sibling is documented,
          // that is the answer (a documented media type either way).
          if (isXmlMediaType(media.mediaType) && response.content.some((m) => /json/i.test(m.mediaType))) return [];
          try {
            return [cannedMedia(compiled, operation, response, media)];
          } catch (error) {
            if (!(error instanceof ToolError)) throw error;
            skipUnbuildable(error.message);
            return [];
          }
        }),
        headers: cannedHeaders(compiled, operation, response),
      });
    }
    table.set(operation.operationId, byStatus);
  }
  return table;
}

function cannedMedia(
  compiled: CompiledSpec,
  operation: Operation,
  response: ResponseSpec,
  media: MediaTypeSpec,
): CannedMedia {
  const examples = new Map<string, unknown>();
  const invalidExamples = new Map<string, string[]>();
  const check = bodyChecker(compiled, media);
  const candidates = media.itemSchemaPointer ? streamExamples(compiled, response, media) : media.examples;
  for (const example of candidates) {
    const problems = check(example.value);
    if (problems.length === 0) examples.set(example.name, example.value);
    else invalidExamples.set(example.name, problems);
  }
  let body: unknown = examples.values().next().value;
  if (examples.size === 0) {
    let built = media.itemSchemaPointer ? sampleStream(compiled, media) : sampleBody(compiled, media, check);
    // An XML body whose schema is a bare string: the sample string as the text of one element is well-formed.
    if (typeof built === 'string' && /xml/i.test(media.mediaType) && !built.trimStart().startsWith('<')) {
      const wrapped = `<value>${built.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</value>`;
      if (check(wrapped).length === 0) built = wrapped;
    }
    const problems = check(built);
    if (problems.length > 0) {
      throw new ToolError(
        'MCPC_SPEC_SCHEMA',
        `${compiled.spec.file}: cannot build a valid ${response.status} ${media.mediaType} body for ${operation.label} from its schema (${problems.join('; ')})`,
        `add an example to ${media.pointer}`,
      );
    }
    body = built;
  }
  return { mediaType: media.mediaType, examples, invalidExamples, body };
}

/**
 * Validation of a whole body value of this media type, with the rule the self-check and the runner apply to
 * what comes back (core/response-rules.ts): its schema, and for a stream each event and its data.
 */
export function bodyChecker(compiled: CompiledSpec, media: MediaTypeSpec): (body: unknown) => string[] {
  const document = compiled.spec.document;
  const read = bodyReading(media.mediaType, document, media.schemaPointer);
  // A wildcard media type (`*/*`) is written as JSON by the mock: its values are checked as JSON.
  const reading = read === 'content-type-only' && media.mediaType.includes('*') ? 'json' : read;
  return (body) => bodyValueRule(compiled, media, reading, body).map((p) => p.summary);
}

/**
 * A stream media type has no examples of its own in OpenAPI 3.1; its JSON sibling's named examples, each sent
 * as one event, are the natural ones (`Prefer: example=initialize` with `Accept: text/event-stream`).
 */
function streamExamples(
  compiled: CompiledSpec,
  response: ResponseSpec,
  media: MediaTypeSpec,
): Array<{ name: string; value: unknown }> {
  const sibling = response.content.find((m) => m !== media && /json/.test(m.mediaType));
  if (!sibling || !media.itemSchemaPointer) return media.examples;
  return [
    ...media.examples,
    ...sibling.examples.map((e) => ({
      name: e.name,
      value: formatSseEvent({ event: streamEventName(compiled, media), data: JSON.stringify(e.value) }),
    })),
  ];
}

function sampleStream(compiled: CompiledSpec, media: MediaTypeSpec): string {
  const dataPointer = contentSchemaPointerOf(compiled.spec.document, media.itemSchemaPointer ?? '');
  const data = dataPointer ? sampleAtPointer(compiled.spec.document, dataPointer, { direction: 'response' }) : {};
  return formatSseEvent({ event: streamEventName(compiled, media), data: JSON.stringify(data) });
}

/** The `event:` field the item schema asks for (`const: message`), or none. */
function streamEventName(compiled: CompiledSpec, media: MediaTypeSpec): string | undefined {
  // The index has resolved the item schema's $ref already: the pointer names the schema itself.
  const item = getAtPointer(compiled.spec.document, media.itemSchemaPointer ?? '') as
    | { properties?: { event?: { const?: unknown } } }
    | undefined;
  const name = item?.properties?.event?.const;
  return typeof name === 'string' ? name : undefined;
}

function sampleBody(compiled: CompiledSpec, media: MediaTypeSpec, check: (body: unknown) => string[]): unknown {
  if (!media.schemaPointer) return '';
  // Examples inside the schema make the most realistic body; if they do not validate, build without them.
  const withExamples = sampleAtPointer(compiled.spec.document, media.schemaPointer, {
    useExamples: true,
    direction: 'response',
  });
  if (check(withExamples).length === 0) return withExamples;
  return sampleAtPointer(compiled.spec.document, media.schemaPointer, { useExamples: false, direction: 'response' });
}

function cannedHeaders(compiled: CompiledSpec, operation: Operation, response: ResponseSpec): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of response.headers) {
    const node = getAtPointer(compiled.spec.document, header.pointer) as { example?: unknown } | undefined;
    const fromSpec = node?.example ?? header.schema?.example;
    let value =
      fromSpec !== undefined
        ? String(fromSpec)
        : (meaningfulHeaderValues[header.name.toLowerCase()] ??
          (header.schemaPointer
            ? String(sampleAtPointer(compiled.spec.document, header.schemaPointer, { direction: 'response' }))
            : 'value'));
    if (header.schemaPointer) {
      const validator = compiled.validator(header.schemaPointer, 'response');
      const coerce = (v: string) => coerceBySchema(compiled.spec.document, header.schema, 'header', v);
      if (validator.validate(coerce(value)).length > 0) {
        value = String(
          sampleAtPointer(compiled.spec.document, header.schemaPointer, { useExamples: false, direction: 'response' }),
        );
        const problems = formatViolations(validator.validate(coerce(value)));
        if (problems.length > 0) {
          throw new ToolError(
            'MCPC_SPEC_SCHEMA',
            `${compiled.spec.file}: cannot build a valid ${header.name} header for ${response.status} of ${operation.label} (${problems.join('; ')})`,
            `add an example to ${header.pointer}`,
          );
        }
      }
    }
    headers[header.name] = value;
  }
  return headers;
}
