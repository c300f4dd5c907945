import { headersRule } from '../../core/response-rules.js';
import type { Check } from '../types.js';
import { documentedResponse, outcomes, viewOf } from './util.js';

export const responseHeadersConformance: Check = {
  id: 'response-headers-conformance',
  description: 'documented response headers are present when required (and Retry-After on 408/429/503) and valid',
  applies: (ctx) => (documentedResponse(ctx)?.headers.length ?? 0) > 0,
  run(ctx) {
    const spec = documentedResponse(ctx);
    const view = viewOf(ctx.exchange);
    return spec && view ? outcomes(headersRule(ctx.compiled, spec, view)) : [];
  },
};
