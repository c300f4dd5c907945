import { type BodyReading, bodyReading } from '../../core/media-types.js';
import { findResponse, type MediaTypeSpec } from '../../core/operations.js';
import { parseSse } from '../../core/sse.js';
import {
  type CompiledSpec,
  contentSchemaPointerOf,
  formatViolations,
  type SchemaViolation,
} from '../../core/validators.js';
import { xmlToJson } from '../../core/xml.js';
import type { Check, CheckOutcome, Exchange } from '../types.js';
import { documentedResponse, excerpt, mediaTypeMatches, mediaTypeOf } from './util.js';

/**
 * The documented media type a response's Content-Type falls under, and how its body can be read (core/media-types.ts):
 * undefined when nothing documented matches (content-type-conformance reports that).
 */
export function responseMedia(
  compiled: CompiledSpec,
  exchange: Exchange,
): { media: MediaTypeSpec; reading: BodyReading } | undefined {
  const spec =
    exchange.operation && exchange.response ? findResponse(exchange.operation, exchange.response.status) : undefined;
  const actual = mediaTypeOf(exchange.response?.headers['content-type']);
  if (!spec || !actual) return undefined;
  const media =
    spec.content.find((m) => m.mediaType.toLowerCase() === actual) ??
    spec.content.find((m) => mediaTypeMatches(m.mediaType, actual));
  if (!media) return undefined;
  return { media, reading: bodyReading(actual, compiled.spec.document, media.schemaPointer) };
}

export const responseSchemaConformance: Check = {
  id: 'response-schema-conformance',
  description: 'the body validates against the schema documented for its status and media type (each SSE event too)',
  applies: (ctx) => {
    const spec = documentedResponse(ctx);
    const document = ctx.compiled.spec.document;
    // A wildcard (`*/*`) may turn out to be JSON: only a concrete type can be known to be unreadable in advance.
    return (
      !!spec &&
      spec.content.some(
        (m) =>
          (m.schemaPointer || m.itemSchemaPointer) &&
          (m.mediaType.includes('*') || bodyReading(m.mediaType, document, m.schemaPointer) !== 'content-type-only'),
      )
    );
  },
  run(ctx) {
    const spec = documentedResponse(ctx);
    const response = ctx.exchange.response;
    if (!spec || !response || response.bodyBytes === 0 || response.truncated) return [];
    const found = responseMedia(ctx.compiled, ctx.exchange);
    if (!found) return [];
    const { media, reading } = found;
    const where = `${spec.status} ${media.mediaType}`;

    if (reading === 'event-stream') {
      if (!media.itemSchemaPointer) return [];
      const { events, problems } = parseSse(response.body);
      const out: CheckOutcome[] = problems.map((p) => ({
        severity: 'failure' as const,
        expected: 'a well-formed event stream',
        actual: p,
      }));
      if (events.length === 0) {
        out.push({
          severity: 'failure',
          expected: `at least one event (${where})`,
          actual: 'an event stream with no events',
        });
      }
      const itemValidator = ctx.compiled.validator(media.itemSchemaPointer, 'response');
      const dataPointer = contentSchemaPointerOf(ctx.compiled.spec.document, media.itemSchemaPointer);
      events.forEach((event, i) => {
        const item: Record<string, unknown> = { event: event.event, data: event.data };
        if (event.id !== undefined) item.id = event.id;
        if (event.retry !== undefined) item.retry = event.retry;
        const violations = itemValidator.validate(item);
        if (violations.length > 0) {
          out.push({
            severity: 'failure',
            expected: `event ${i + 1} to match ${media.itemSchemaPointer}`,
            actual: `event ${i + 1}: ${excerpt(event.data)}`,
            details: formatViolations(violations),
          });
        }
        if (!dataPointer) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(event.data);
        } catch {
          out.push({ severity: 'failure', expected: `event ${i + 1} data to be JSON`, actual: excerpt(event.data) });
          return;
        }
        const dataViolations = ctx.compiled.validator(dataPointer, 'response').validate(parsed);
        if (dataViolations.length > 0) {
          out.push({
            severity: 'failure',
            expected: `event ${i + 1} data to match ${dataPointer}`,
            actual: excerpt(event.data),
            details: formatViolations(dataViolations),
          });
        }
      });
      return out;
    }

    if (!media.schemaPointer || reading === 'content-type-only') return [];
    let body: unknown = response.body;
    const xmlProblems: SchemaViolation[] = [];
    if (reading === 'xml') {
      const converted = xmlToJson(response.body, ctx.compiled.spec.document, media.schemaPointer);
      if (!converted.ok) {
        return [
          {
            severity: 'failure',
            expected: `an XML body (${where})`,
            actual: `not well-formed XML (${converted.error}): ${excerpt(response.body)}`,
          },
        ];
      }
      body = converted.value;
      xmlProblems.push(...converted.problems);
    } else if (reading === 'json') {
      try {
        body = JSON.parse(response.body);
      } catch (error) {
        return [
          {
            severity: 'failure',
            expected: `a JSON body (${where})`,
            actual: `not JSON (${(error as Error).message}): ${excerpt(response.body)}`,
          },
        ];
      }
    }
    const violations = [...xmlProblems, ...ctx.compiled.validator(media.schemaPointer, 'response').validate(body)];
    if (violations.length === 0) return [];
    return [
      {
        severity: 'failure',
        expected: `a body matching ${media.schemaPointer} (${where})`,
        actual: excerpt(response.body),
        details: formatViolations(violations),
      },
    ];
  },
};
