import type { ConformanceResult, ReportedExchange } from '../types.js';
import { safeJson } from './json.js';
import { isBinary } from './text.js';

/**
 * `--report har=FILE`: the run's traffic as a HAR 1.2 archive (http://www.softwareishard.com/blog/har-12-spec/),
 * which a browser's network panel and HAR viewers open. Every exchange the checks judged, secrets redacted as in
 * every report; a binary body is described in `comment`, not kept; an exchange that got no response has status 0
 * and its error in `_error` (the custom-field convention of HAR).
 */
export function renderHar(result: ConformanceResult, version: string): string {
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'mcp-contracts', version },
      comment: `conformance ${result.verdict.status}: ${result.verdict.reason}`,
      entries: result.exchanges.map(entry),
    },
  };
  return `${safeJson(JSON.stringify(har, null, 2))}\n`;
}

const pairs = (headers: Record<string, string>) => Object.entries(headers).map(([name, value]) => ({ name, value }));

function entry(e: ReportedExchange) {
  const url = new URL(e.request.url);
  const requestType = e.request.headers['content-type'] ?? '';
  const response = e.response;
  const responseType = response?.headers['content-type'] ?? '';
  const binary = response ? isBinary(response.body, responseType, response.headers['content-encoding']) : false;
  // A request that got no response took its time too: a hung one waited the whole timeout.
  const elapsed = response?.elapsedMs ?? e.error?.elapsedMs ?? 0;
  return {
    startedDateTime: e.startedAt,
    time: elapsed,
    request: {
      method: e.request.method,
      url: e.request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(e.request.headers),
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      ...(e.request.body === undefined
        ? {}
        : { postData: { mimeType: requestType || 'application/octet-stream', params: [], text: e.request.body } }),
      headersSize: -1,
      bodySize: e.request.body === undefined ? 0 : Buffer.byteLength(e.request.body),
    },
    response: {
      status: response?.status ?? 0,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: response ? pairs(response.headers) : [],
      content: {
        size: response?.bodyBytes ?? 0,
        mimeType: responseType || 'x-unknown',
        ...(response && !binary ? { text: response.body } : {}),
        ...(binary
          ? { comment: `binary body of ${response?.bodyBytes} bytes, not kept` }
          : response?.truncated
            ? { comment: `cut: the report keeps the first ${response.body.length} characters` }
            : {}),
      },
      redirectURL: response?.headers.location ?? '',
      headersSize: -1,
      bodySize: response?.bodyBytes ?? -1,
      ...(e.error ? { _error: `${e.error.code}: ${e.error.message}` } : {}),
    },
    cache: {},
    timings: { send: 0, wait: elapsed, receive: 0 },
    comment: `${e.specName} ${e.operation} — case ${e.caseId}${e.step ? ` (${e.step})` : ''}`,
  };
}
