import { statusRule } from '../../core/response-rules.js';
import type { Check } from '../types.js';
import { specGapFor } from './spec-gap.js';
import { outcomes, viewOf } from './util.js';

export const statusCodeConformance: Check = {
  id: 'status-code-conformance',
  description: 'the response status is documented for the operation (exact code, NXX range or default)',
  applies: ({ exchange }) => exchange.operation !== undefined && exchange.response !== undefined,
  run(ctx) {
    const { exchange } = ctx;
    const view = viewOf(exchange);
    if (!exchange.operation || !view) return [];
    const problems = statusRule(exchange.operation, view, {
      authProbe: exchange.credentials === 'none' || exchange.credentials === 'wrong',
    });
    // A status a gap of the spec explains is the spec's finding (spec-gap), not also the target's.
    if (problems.length === 0 || specGapFor(exchange)) return [];
    return outcomes(problems);
  },
};
