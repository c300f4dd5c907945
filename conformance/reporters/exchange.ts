import { type Exchange, type ReportedExchange, reportBodyLimit } from '../types.js';

/**
 * What a report keeps of an exchange: every header value, URL and body passed through `redact` (secrets become
 * `***`), each body cut at `reportBodyLimit` characters. Called by the engine as each exchange is recorded, so no
 * secret is ever held in a result.
 */
export function toReportedExchange(
  exchange: Exchange,
  specName: string,
  redact: (text: string) => string,
  options: { bodyLimit?: number; now?: number } = {},
): ReportedExchange {
  const limit = options.bodyLimit ?? reportBodyLimit;
  const now = options.now ?? Date.now();
  const cut = (body: string) => redact(body.length > limit ? body.slice(0, limit) : body);
  const headers = (h: Record<string, string>) =>
    Object.fromEntries(Object.entries(h).map(([name, value]) => [name, redact(value)]));
  const response = exchange.response;
  return {
    caseId: exchange.caseId,
    specName,
    operation: exchange.label,
    step: exchange.step,
    startedAt: new Date(now - (response?.elapsedMs ?? exchange.error?.elapsedMs ?? 0)).toISOString(),
    request: {
      method: exchange.request.method,
      url: redact(exchange.request.url),
      headers: headers(exchange.request.headers),
      body: exchange.request.body === undefined ? undefined : cut(exchange.request.body),
    },
    response: response && {
      status: response.status,
      headers: headers(response.headers),
      body: cut(response.body),
      bodyBytes: response.bodyBytes,
      truncated: response.truncated || response.body.length > limit,
      elapsedMs: response.elapsedMs,
    },
    error: exchange.error && {
      code: exchange.error.code,
      message: redact(exchange.error.message),
      elapsedMs: exchange.error.elapsedMs,
    },
  };
}
