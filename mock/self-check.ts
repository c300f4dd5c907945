import type { Operation } from '../core/operations.js';
import { type ResponseView, responseProblems } from '../core/response-rules.js';
import type { CompiledSpec } from '../core/validators.js';
import type { MockResponse } from './types.js';

/**
 * The mock proves itself: before an answer leaves, it is checked against the operation's documented responses
 * with the same rules the conformance runner's checks apply (core/response-rules.ts) — status documented,
 * no body on 204/304, content type documented for that status, body valid (each event of a stream too),
 * documented headers present where required and valid — over the response exactly as it will be written.
 * One set of rules, so a mock that passes its self-check cannot fail conformance on them.
 */

export interface SelfCheckViolation {
  spec: string;
  operation: string;
  status: number;
  problems: string[];
}

/** Problems of an answer, one line each; `method` is the request's (a HEAD answer carries no body). */
export type ResponseChecker = (operation: Operation, response: MockResponse, method?: string) => string[];

/**
 * The answer as the client will see it — what `writeResponse` (routes.ts) puts on the wire: JSON serialized,
 * text as it is, a Content-Type (with charset) only when there is a body, headers by lower-cased name.
 */
export function viewOfMockResponse(response: MockResponse, method: string): ResponseView {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = value;
  const wire = wireBody(response);
  if (!wire) return { status: response.status, headers, body: '', bodyBytes: 0, method };
  headers['content-type'] = wire.contentType;
  return {
    status: response.status,
    headers,
    body: wire.text,
    bodyBytes: Buffer.byteLength(wire.text),
    method,
    // The value before serialization: JSON.parse of what was just stringified would give it back.
    ...(wire.json ? { value: response.body } : {}),
  };
}

/** How an answer's body is written: JSON serialized, text as it is, the Content-Type with a charset. */
export function wireBody(response: MockResponse): { contentType: string; text: string; json: boolean } | undefined {
  if (response.body === undefined) return undefined;
  const contentType = response.contentType ?? 'application/json';
  const json = /[/+]json$/i.test(contentType.split(';')[0]?.trim() ?? '');
  const text = json || typeof response.body !== 'string' ? JSON.stringify(response.body) : response.body;
  return { contentType: /charset=/i.test(contentType) ? contentType : `${contentType}; charset=utf-8`, text, json };
}

export function createResponseChecker(compiled: CompiledSpec): ResponseChecker {
  return (operation, response, method = operation.method) =>
    responseProblems(compiled, operation, viewOfMockResponse(response, method)).map((p) => p.summary);
}
