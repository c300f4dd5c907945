import { mediaTypeOf } from '../../core/media-types.js';
import { findResponse, type ResponseSpec } from '../../core/operations.js';
import { describeResponse, type ResponseProblem, type ResponseView } from '../../core/response-rules.js';
import { parseSse } from '../../core/sse.js';
import type { CheckContext, CheckOutcome, Exchange } from '../types.js';

export { isJsonMediaType, mediaTypeOf } from '../../core/media-types.js';
export { excerpt, mediaTypeMatches } from '../../core/response-rules.js';

/** The view of an exchange's response the shared response rules (core/response-rules.ts) judge. */
export function viewOf(exchange: Exchange): ResponseView | undefined {
  const r = exchange.response;
  if (!r) return undefined;
  return {
    status: r.status,
    headers: r.headers,
    body: r.body,
    bodyBytes: r.bodyBytes,
    method: exchange.request.method,
    truncated: r.truncated,
  };
}

/** The shared rules' problems as the outcomes of a check: each one a failure. */
export function outcomes(problems: ResponseProblem[]): CheckOutcome[] {
  return problems.map((p) => ({
    severity: 'failure',
    expected: p.expected,
    actual: p.actual,
    ...(p.details.length > 0 ? { details: p.details } : {}),
    ...(p.hint ? { hint: p.hint } : {}),
  }));
}

export function documentedResponse(ctx: CheckContext): ResponseSpec | undefined {
  const { exchange } = ctx;
  if (!exchange.operation || !exchange.response) return undefined;
  return findResponse(exchange.operation, exchange.response.status);
}

export function hasBody(exchange: Exchange): boolean {
  return (exchange.response?.bodyBytes ?? 0) > 0;
}

export interface JsonRpcMessageView {
  id: unknown;
  hasId: boolean;
  error: { code?: unknown; message?: unknown } | undefined;
  isResponse: boolean;
  result: unknown;
}

/** The JSON-RPC messages in a response body (JSON, or each SSE event's data); [] when it is not JSON-RPC. */
export function jsonRpcMessages(exchange: Exchange): JsonRpcMessageView[] {
  const response = exchange.response;
  if (!response || response.bodyBytes === 0 || response.truncated) return [];
  const mediaType = mediaTypeOf(response.headers['content-type']);
  const texts = mediaType === 'text/event-stream' ? parseSse(response.body).events.map((e) => e.data) : [response.body];
  const messages: JsonRpcMessageView[] = [];
  for (const text of texts) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      if (!item || typeof item !== 'object' || (item as { jsonrpc?: unknown }).jsonrpc !== '2.0') continue;
      const record = item as Record<string, unknown>;
      messages.push({
        id: record.id,
        hasId: 'id' in record,
        error:
          record.error && typeof record.error === 'object' ? (record.error as JsonRpcMessageView['error']) : undefined,
        isResponse: 'result' in record || 'error' in record,
        result: record.result,
      });
    }
  }
  return messages;
}

/** The request's JSON-RPC id, when the request body is a JSON-RPC request. */
export function jsonRpcRequest(exchange: Exchange): { id: unknown; hasId: boolean; method: unknown } | undefined {
  const body = exchange.request.body;
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || parsed.jsonrpc !== '2.0') return undefined;
    return { id: parsed.id, hasId: 'id' in parsed, method: parsed.method };
  } catch {
    return undefined;
  }
}

/** A 2xx that is still a refusal: every JSON-RPC message in it is an `error`. */
export function rejectedByJsonRpc(exchange: Exchange): boolean {
  const messages = jsonRpcMessages(exchange);
  return messages.length > 0 && messages.every((m) => m.error !== undefined);
}

/** The operation says of itself that repeating it is harmless ("not idempotent" does not count). */
export function describesIdempotent(description: string | undefined): boolean {
  return /(?<!\bnot\s|\bnon-)\bidempotent\b/i.test(description ?? '');
}

export function isJsonRpcError(exchange: Exchange): boolean {
  return jsonRpcMessages(exchange).some((m) => m.error !== undefined);
}

export function describeStatus(exchange: Exchange): string {
  const view = viewOf(exchange);
  return view ? describeResponse(view) : 'no response';
}

export const negativeKinds = new Set([
  'missing-parameter',
  'invalid-parameter',
  'missing-body',
  'malformed-body',
  'invalid-body',
]);

/** The status is documented by its exact code or its `NXX` range; a `default` does not count. */
export function documentedExactlyOrByRange(exchange: Exchange): boolean {
  const status = exchange.response?.status;
  if (!exchange.operation || status === undefined) return false;
  const range = `${String(status)[0]}XX`;
  return exchange.operation.responses.some((r) => r.status === String(status) || r.status.toUpperCase() === range);
}

/** The verdict policy: what a lenient run reports as a warning, a strict one (`--strict`) fails. */
export function policySeverity(ctx: CheckContext): 'failure' | 'warning' {
  return ctx.options.strict ? 'failure' : 'warning';
}
