import type { BodyReading } from '../../core/media-types.js';
import { findResponse, type MediaTypeSpec } from '../../core/operations.js';
import { documentedMedia, schemaRule, schemaRuleApplies } from '../../core/response-rules.js';
import type { CompiledSpec } from '../../core/validators.js';
import type { Check, Exchange } from '../types.js';
import { documentedResponse, outcomes, viewOf } from './util.js';

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
  return spec ? documentedMedia(compiled, spec, exchange.response?.headers['content-type']) : undefined;
}

export const responseSchemaConformance: Check = {
  id: 'response-schema-conformance',
  description: 'the body validates against the schema documented for its status and media type (each SSE event too)',
  applies: (ctx) => {
    const spec = documentedResponse(ctx);
    return !!spec && schemaRuleApplies(ctx.compiled, spec);
  },
  run(ctx) {
    const spec = documentedResponse(ctx);
    const view = viewOf(ctx.exchange);
    return spec && view ? outcomes(schemaRule(ctx.compiled, spec, view)) : [];
  },
};
