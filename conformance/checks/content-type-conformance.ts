import { contentTypeRule } from '../../core/response-rules.js';
import type { Check } from '../types.js';
import { documentedResponse, outcomes, viewOf } from './util.js';

export const contentTypeConformance: Check = {
  id: 'content-type-conformance',
  description: 'the Content-Type is one documented for that status; a documented body is present; no undocumented body',
  applies: (ctx) => documentedResponse(ctx) !== undefined,
  run(ctx) {
    const spec = documentedResponse(ctx);
    const view = viewOf(ctx.exchange);
    return spec && view ? outcomes(contentTypeRule(spec, view)) : [];
  },
};
