import { mediaTypeOf } from '../../core/media-types.js';
import { contentTypeRule, mediaTypeMatches } from '../../core/response-rules.js';
import type { Check, CheckOutcome, Exchange } from '../types.js';
import { documentedResponse, outcomes, viewOf } from './util.js';

export const contentTypeConformance: Check = {
  id: 'content-type-conformance',
  description:
    'the Content-Type is one documented for that status (and, on a success, one the request accepted); a documented body is present; no undocumented body',
  applies: (ctx) => documentedResponse(ctx) !== undefined,
  run(ctx) {
    const spec = documentedResponse(ctx);
    const view = viewOf(ctx.exchange);
    if (!spec || !view) return [];
    const found = outcomes(contentTypeRule(spec, view));
    return found.length > 0 ? found : notAccepted(ctx.exchange, ctx.options.strict);
  },
};

/**
 * A success in a media type the request did not accept (`Accept: application/json` answered with an event
 * stream): a client that can read only what it asked for breaks. HTTP lets a server disregard Accept (RFC 9110
 * §12.5.1), and many serve JSON only where a spec also lists XML, so it is a warning — a failure under --strict.
 * Errors are left alone (servers commonly answer them in one type), and so is a request that accepts anything.
 */
function notAccepted(exchange: Exchange, strict: boolean): CheckOutcome[] {
  const response = exchange.response;
  const accept = exchange.request.headers.accept;
  if (!response || !accept || response.status < 200 || response.status >= 300 || response.bodyBytes === 0) return [];
  const actual = mediaTypeOf(response.headers['content-type']);
  if (!actual) return [];
  const accepted = accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '')
    .filter((t) => t !== '');
  if (accepted.length === 0 || accepted.some((t) => mediaTypeMatches(t, actual))) return [];
  return [
    {
      severity: strict ? 'failure' : 'warning',
      expected: `a body in a media type the request accepted (Accept: ${accept})`,
      actual: `Content-Type ${response.headers['content-type']}: a client that asked for ${accepted.join(' or ')} cannot read it`,
    },
  ];
}
