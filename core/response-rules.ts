import { type BodyReading, bodyReading, mediaTypeOf } from './media-types.js';
import { documentedCodes, findResponse, type MediaTypeSpec, type Operation, type ResponseSpec } from './operations.js';
import { coerceBySchema } from './parameters.js';
import { parseSse } from './sse.js';
import { type CompiledSpec, contentSchemaPointerOf, formatViolations, type SchemaViolation } from './validators.js';
import { xmlToJson } from './xml.js';

/**
 * The response rules, written once: the mock's self-check (before an answer leaves) and the conformance runner's
 * checks (after it came back) both judge a response with these, so a response one side passes the other cannot
 * fail. Each rule looks at a small view of the response that both sides can give, and returns structured
 * problems: the runner turns them into findings, the mock into its one-line log strings (`summary`).
 *
 * Where the two sides used to disagree, one behaviour is decided here:
 * - header values are read with `coerceBySchema` (OpenAPI `simple` style: arrays split on commas, a number
 *   only when the text is a number, `true`/`false` only for booleans), so `Retry-After: soon` is "must be integer"
 *   rather than NaN, and `X-Flag: yes` is not silently `false`;
 * - a 304 may carry the Content-Length (and Content-Type) of the 200 it stands for (RFC 9110 §8.6, §15.4.5):
 *   only body bytes count; a 204 must not announce a body at all;
 * - a HEAD answer has no body by definition: the body rules (content type, schema) do not apply to it, the
 *   status and header rules do;
 * - a documented wildcard (`application/*`, `*\/*`) covers a concrete type, an exact match is preferred over a
 *   wildcard, and the body is read by the type that came back (a JSON body under `*\/*` is validated as JSON).
 */

/** A response as both sides can give it. */
export interface ResponseView {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as text (UTF-8); '' when there is none. */
  body: string;
  bodyBytes: number;
  /** The request method (`HEAD` answers carry no body). */
  method: string;
  /** True when the body was cut at a size cap: it cannot be validated. */
  truncated?: boolean;
  /** The body already parsed (the mock has the value before it serializes it): spares a parse. */
  value?: unknown;
}

export type ResponseRule = 'status' | 'no-content-body' | 'content-type' | 'schema' | 'headers';

export interface ResponseProblem {
  rule: ResponseRule;
  /** What was expected, in a sentence. */
  expected: string;
  /** What came back, in a sentence. */
  actual: string;
  /** Schema violations as `instancePath: message (schema pointer)`. */
  details: string[];
  /** When the spec may be the culprit: both fixes. */
  hint?: string;
  /** The whole problem on one line (the mock's log and self-check error). */
  summary: string;
}

/** Does a documented media type (`application/*`, `*\/*`, exact) cover the response's? */
export function mediaTypeMatches(documented: string, actual: string): boolean {
  const [dType, dSub] = (mediaTypeOf(documented) ?? '').split('/');
  const [aType, aSub] = (mediaTypeOf(actual) ?? '').split('/');
  return (dType === '*' || dType === aType) && (dSub === '*' || dSub === aSub);
}

/**
 * The documented media type a Content-Type falls under — exact first, then `type/*`, then `*\/*` — and how the
 * body is read (by the type that came back); undefined when nothing documented covers it.
 */
export function documentedMedia(
  compiled: CompiledSpec,
  spec: ResponseSpec,
  contentType: string | undefined,
): { media: MediaTypeSpec; reading: BodyReading } | undefined {
  const actual = mediaTypeOf(contentType);
  if (!actual) return undefined;
  const specificity = (m: MediaTypeSpec) => {
    const type = mediaTypeOf(m.mediaType) ?? '';
    return type === actual ? 0 : type.startsWith('*/') ? 2 : 1;
  };
  const media = spec.content
    .filter((m) => mediaTypeMatches(m.mediaType, actual))
    .sort((a, b) => specificity(a) - specificity(b))[0];
  if (!media) return undefined;
  return { media, reading: bodyReading(actual, compiled.spec.document, media.schemaPointer) };
}

/** `200 application/json, 42 byte body`: how a response is described in an "actual". */
export function describeResponse(view: ResponseView): string {
  const type = view.headers['content-type'];
  return `${view.status}${type ? ` ${type}` : ''}${view.bodyBytes ? `, ${view.bodyBytes} byte body` : ', no body'}`;
}

export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function problem(rule: ResponseRule, p: Omit<ResponseProblem, 'rule' | 'details'> & { details?: string[] }) {
  return { rule, details: [], ...p } as ResponseProblem;
}

/** The status is documented (exact code, `NXX` range or `default`). */
export function statusRule(
  operation: Operation,
  view: ResponseView,
  options: { authProbe?: boolean } = {},
): ResponseProblem[] {
  if (findResponse(operation, view.status)) return [];
  const status = view.status;
  const codes = documentedCodes(operation).join(', ');
  const documented = operation.responses.map((r) => r.status).join(', ');
  let hint: string | undefined;
  if ((status === 401 || status === 403) && options.authProbe) {
    hint = `The spec is the likely culprit: it secures ${operation.label} but documents no ${status}. Fix one side: document ${status} (with its error schema) under ${operation.pointer}/responses, or change the deployment to answer a documented status.`;
  } else if (status === 405 || status === 404 || status === 415 || status === 406) {
    hint = `Either document ${status} under ${operation.pointer}/responses, or change the deployment.`;
  }
  return [
    problem('status', {
      expected: `one of the documented statuses ${documented || '(none)'} (codes: ${codes})`,
      actual: describeResponse(view),
      hint,
      summary: `status ${status} is not documented for ${operation.label} (documented: ${codes})`,
    }),
  ];
}

/** A 204 or 304 carries no body — on the headers too for a 204, since clients drop the bytes. */
export function noContentBodyRule(view: ResponseView): ResponseProblem[] {
  if (view.status !== 204 && view.status !== 304) return [];
  // A 304 may carry the Content-Length of the 200 it stands for (RFC 9110 §8.6); only its bytes count.
  const length = view.status === 204 ? Number(view.headers['content-length'] ?? '0') : 0;
  const chunked = view.headers['transfer-encoding'] !== undefined;
  if (view.bodyBytes === 0 && !(length > 0) && !chunked) return [];
  const evidence = [
    view.bodyBytes > 0 ? `${view.bodyBytes} body bytes` : undefined,
    length > 0 ? `Content-Length: ${length}` : undefined,
    chunked ? `Transfer-Encoding: ${view.headers['transfer-encoding']}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return [
    problem('no-content-body', {
      expected: `no body on ${view.status}`,
      actual: evidence,
      summary: `${view.status} documents no body, but one was sent (${evidence})`,
    }),
  ];
}

/** The Content-Type is one documented for the status; a documented body is present; no undocumented body. */
export function contentTypeRule(spec: ResponseSpec, view: ResponseView): ResponseProblem[] {
  if (view.method.toUpperCase() === 'HEAD' || view.status === 204 || view.status === 304) return [];
  const documented = spec.content.map((m) => m.mediaType);
  const header = view.headers['content-type'];
  const actual = mediaTypeOf(header);
  if (documented.length === 0) {
    if (view.bodyBytes === 0) return [];
    return [
      problem('content-type', {
        expected: `no body: the spec documents no content for ${spec.status}`,
        actual: `a ${view.bodyBytes} byte ${actual ?? 'untyped'} body`,
        hint: `Either document the body under ${spec.pointer}/content, or stop sending it.`,
        summary: `${spec.status} documents no body, but one was sent (${actual ?? 'no content type'})`,
      }),
    ];
  }
  if (view.bodyBytes === 0) {
    return [
      problem('content-type', {
        expected: `a body of type ${documented.join(' or ')}`,
        actual: actual ? `no body (Content-Type ${header}, 0 bytes)` : 'no body and no Content-Type',
        summary: `${spec.status} documents a body (${documented.join(', ')}), but none was sent`,
      }),
    ];
  }
  if (!actual) {
    return [
      problem('content-type', {
        expected: `Content-Type ${documented.join(' or ')}`,
        actual: 'no Content-Type header',
        summary: `content type (none) is not documented for ${spec.status} (documented: ${documented.join(', ')})`,
      }),
    ];
  }
  if (documented.some((d) => mediaTypeMatches(d, actual))) return [];
  return [
    problem('content-type', {
      expected: `Content-Type ${documented.join(' or ')}`,
      actual: `Content-Type ${header}`,
      summary: `content type ${actual} is not documented for ${spec.status} (documented: ${documented.join(', ')})`,
    }),
  ];
}

/** Whether the schema rule can say anything for this documented response (a readable, described body). */
export function schemaRuleApplies(compiled: CompiledSpec, spec: ResponseSpec): boolean {
  // A wildcard (`*/*`) may turn out to be JSON: only a concrete type can be known to be unreadable in advance.
  return spec.content.some(
    (m) =>
      (m.schemaPointer || m.itemSchemaPointer) &&
      (m.mediaType.includes('*') ||
        bodyReading(m.mediaType, compiled.spec.document, m.schemaPointer) !== 'content-type-only'),
  );
}

/** The body validates against the schema documented for its status and media type (each SSE event too). */
export function schemaRule(compiled: CompiledSpec, spec: ResponseSpec, view: ResponseView): ResponseProblem[] {
  if (view.method.toUpperCase() === 'HEAD' || view.bodyBytes === 0 || view.truncated) return [];
  const found = documentedMedia(compiled, spec, view.headers['content-type']);
  if (!found) return [];
  const { media, reading } = found;
  const where = `${spec.status} ${media.mediaType}`;
  if (reading === 'json' && view.value === undefined) {
    try {
      return bodyValueRule(compiled, media, reading, JSON.parse(view.body), view.body, where);
    } catch (error) {
      const message = (error as Error).message;
      return [
        problem('schema', {
          expected: `a JSON body (${where})`,
          actual: `not JSON (${message}): ${excerpt(view.body)}`,
          summary: `body is not JSON (${message})`,
        }),
      ];
    }
  }
  return bodyValueRule(compiled, media, reading, reading === 'json' ? view.value : view.body, view.body, where);
}

/**
 * A body value of a documented media type against its schema: parsed JSON as it is, XML text through the `xml`
 * mapping, an event stream event by event (and each event's JSON `data`), plain text as the string. Used by the
 * schema rule and by the mock when it vets its own canned bodies and spec examples.
 */
export function bodyValueRule(
  compiled: CompiledSpec,
  media: MediaTypeSpec,
  reading: BodyReading,
  value: unknown,
  text = typeof value === 'string' ? value : JSON.stringify(value),
  where = media.mediaType,
): ResponseProblem[] {
  if (reading === 'event-stream') {
    return media.itemSchemaPointer && typeof value === 'string' ? eventRule(compiled, media, value, where) : [];
  }
  if (!media.schemaPointer || reading === 'content-type-only') return [];
  let body = value;
  const xmlProblems: SchemaViolation[] = [];
  if (reading === 'xml' && typeof value === 'string') {
    const converted = xmlToJson(value, compiled.spec.document, media.schemaPointer);
    if (!converted.ok) {
      return [
        problem('schema', {
          expected: `an XML body (${where})`,
          actual: `not well-formed XML (${converted.error}): ${excerpt(value)}`,
          summary: `body is not well-formed XML (${converted.error})`,
        }),
      ];
    }
    body = converted.value;
    xmlProblems.push(...converted.problems);
  }
  const violations = [...xmlProblems, ...compiled.validator(media.schemaPointer, 'response').validate(body)];
  if (violations.length === 0) return [];
  const details = formatViolations(violations);
  return [
    problem('schema', {
      expected: `a body matching ${media.schemaPointer} (${where})`,
      actual: excerpt(text ?? ''),
      details,
      summary: `body ${details.join('; ')}`,
    }),
  ];
}

function eventRule(compiled: CompiledSpec, media: MediaTypeSpec, text: string, where: string): ResponseProblem[] {
  const itemPointer = media.itemSchemaPointer as string;
  const { events, problems } = parseSse(text);
  const out = problems.map((p) =>
    problem('schema', { expected: 'a well-formed event stream', actual: p, summary: `body event stream: ${p}` }),
  );
  if (events.length === 0) {
    out.push(
      problem('schema', {
        expected: `at least one event (${where})`,
        actual: 'an event stream with no events',
        summary: 'body event stream: no events',
      }),
    );
  }
  const itemValidator = compiled.validator(itemPointer, 'response');
  const dataPointer = contentSchemaPointerOf(compiled.spec.document, itemPointer);
  events.forEach((event, i) => {
    const item: Record<string, unknown> = { event: event.event, data: event.data };
    if (event.id !== undefined) item.id = event.id;
    if (event.retry !== undefined) item.retry = event.retry;
    const violations = formatViolations(itemValidator.validate(item));
    if (violations.length > 0) {
      out.push(
        problem('schema', {
          expected: `event ${i + 1} to match ${itemPointer}`,
          actual: `event ${i + 1}: ${excerpt(event.data)}`,
          details: violations,
          summary: `body event ${i + 1}: ${violations.join('; ')}`,
        }),
      );
    }
    if (!dataPointer) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.data);
    } catch {
      out.push(
        problem('schema', {
          expected: `event ${i + 1} data to be JSON`,
          actual: excerpt(event.data),
          summary: `body event ${i + 1}: data is not JSON`,
        }),
      );
      return;
    }
    const dataViolations = formatViolations(compiled.validator(dataPointer, 'response').validate(parsed));
    if (dataViolations.length > 0) {
      out.push(
        problem('schema', {
          expected: `event ${i + 1} data to match ${dataPointer}`,
          actual: excerpt(event.data),
          details: dataViolations,
          summary: `body event ${i + 1} data: ${dataViolations.join('; ')}`,
        }),
      );
    }
  });
  return out;
}

/** Where a server that omits Retry-After leaves its clients guessing: treated as required even if not marked. */
const retryStatuses = new Set([408, 429, 503]);

/** Documented response headers are present when required (and Retry-After on 408/429/503) and valid. */
export function headersRule(compiled: CompiledSpec, spec: ResponseSpec, view: ResponseView): ResponseProblem[] {
  const out: ResponseProblem[] = [];
  for (const header of spec.headers) {
    const name = header.name.toLowerCase();
    if (name === 'content-type') continue;
    const value = view.headers[name];
    if (value === undefined) {
      const retry = name === 'retry-after' && retryStatuses.has(view.status);
      if (header.required || retry) {
        out.push(
          problem('headers', {
            expected: `header ${header.name}${header.required ? ' (required)' : ` (documented on ${spec.status}; clients need it to back off)`}`,
            actual: `no ${header.name} header`,
            summary: `header ${header.name} is documented for ${spec.status} but missing`,
          }),
        );
      }
      continue;
    }
    if (!header.schemaPointer) continue;
    const typed = coerceBySchema(compiled.spec.document, header.schema, 'header', value);
    const details = formatViolations(compiled.validator(header.schemaPointer, 'response').validate(typed));
    if (details.length > 0) {
      out.push(
        problem('headers', {
          expected: `header ${header.name} to match ${header.schemaPointer}`,
          actual: `${header.name}: ${value}`,
          details,
          summary: `header ${header.name} ${details.join('; ')}`,
        }),
      );
    }
  }
  return out;
}

/** Every rule over one response, in the order a reader wants them: what the mock's self-check applies. */
export function responseProblems(compiled: CompiledSpec, operation: Operation, view: ResponseView): ResponseProblem[] {
  const status = statusRule(operation, view);
  const spec = findResponse(operation, view.status);
  if (!spec) return status;
  return [
    ...noContentBodyRule(view),
    ...contentTypeRule(spec, view),
    ...schemaRule(compiled, spec, view),
    ...headersRule(compiled, spec, view),
  ];
}
