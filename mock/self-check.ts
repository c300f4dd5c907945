import { documentedCodes, findResponse, type Operation } from '../core/operations.js';
import { coerceBySchema } from '../core/parameters.js';
import { type CompiledSpec, formatViolations } from '../core/validators.js';
import { bodyChecker } from './canned.js';
import { mediaMatches } from './prefer.js';
import type { MockResponse } from './types.js';

/**
 * The mock proves itself: before an answer leaves, it is checked against the operation's documented responses
 * with the same compiled validators the conformance runner uses — status documented, content type documented
 * for that status, body valid (each event of a stream too), no body where none is documented, documented
 * headers present where required and valid. The same rules as the runner's checks, so a mock that passes its
 * self-check cannot fail conformance on them.
 */

export interface SelfCheckViolation {
  spec: string;
  operation: string;
  status: number;
  problems: string[];
}

export type ResponseChecker = (operation: Operation, response: MockResponse) => string[];

/** Statuses where a client needs Retry-After to back off: expected when documented, even if not `required`. */
const retryStatuses = new Set([408, 429, 503]);

export function createResponseChecker(compiled: CompiledSpec): ResponseChecker {
  // One body checker per documented media type, made now: validators are compiled already, but the closures
  // that combine them (schema + stream items) are built once too, not per response.
  const checkers = new Map<string, (body: unknown) => string[]>();
  for (const operation of compiled.operations) {
    for (const response of operation.responses) {
      for (const media of response.content) checkers.set(media.pointer, bodyChecker(compiled, media));
    }
  }

  return (operation, response) => {
    const spec = findResponse(operation, response.status);
    if (!spec) {
      return [
        `status ${response.status} is not documented for ${operation.label} (documented: ${documentedCodes(operation).join(', ')})`,
      ];
    }
    const problems: string[] = [];
    const hasBody = response.body !== undefined && response.body !== '';
    if (spec.content.length === 0 || response.status === 204 || response.status === 304) {
      if (hasBody || response.contentType) {
        problems.push(
          `${spec.status} documents no body, but one was sent (${response.contentType ?? 'no content type'})`,
        );
      }
    } else if (!hasBody) {
      problems.push(
        `${spec.status} documents a body (${spec.content.map((m) => m.mediaType).join(', ')}), but none was sent`,
      );
    } else {
      const type = response.contentType?.split(';')[0]?.trim().toLowerCase();
      const media = type ? spec.content.find((m) => mediaMatches(m.mediaType.toLowerCase(), type)) : undefined;
      if (!media) {
        problems.push(
          `content type ${response.contentType ?? '(none)'} is not documented for ${spec.status} (documented: ${spec.content.map((m) => m.mediaType).join(', ')})`,
        );
      } else {
        problems.push(...(checkers.get(media.pointer)?.(response.body) ?? []).map((p) => `body ${p}`));
      }
    }
    const headers = new Map(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    for (const header of spec.headers) {
      const name = header.name.toLowerCase();
      if (name === 'content-type') continue;
      const value = headers.get(name);
      if (value === undefined) {
        if (header.required || (name === 'retry-after' && retryStatuses.has(response.status))) {
          problems.push(`header ${header.name} is documented for ${spec.status} but missing`);
        }
        continue;
      }
      if (!header.schemaPointer) continue;
      const typed = coerceBySchema(compiled.spec.document, header.schema, 'header', value);
      problems.push(
        ...formatViolations(compiled.validator(header.schemaPointer, 'response').validate(typed)).map(
          (v) => `header ${header.name} ${v}`,
        ),
      );
    }
    return problems;
  };
}
