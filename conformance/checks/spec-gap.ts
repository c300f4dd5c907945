import { type SpecGapRule, specDefectRules, specGapsOf } from '../../core/spec-defects.js';
import type { Check, Exchange } from '../types.js';
import { describeStatus, documentedResponse, policySeverity } from './util.js';

/**
 * The gap in the spec (one that lint reports) that explains an undocumented status, if any: a secured operation
 * without 401 answering 401/403 to missing or wrong credentials, an operation without any success status
 * answering 2xx, an operation without any client error answering 4xx. Any other undocumented status is the
 * target's (`status-code-conformance`); a status is never both.
 */
export function specGapFor(exchange: Exchange): SpecGapRule | undefined {
  const op = exchange.operation;
  const status = exchange.response?.status;
  if (!op || status === undefined) return undefined;
  const gaps = specGapsOf(op);
  const authProbe = exchange.credentials === 'none' || exchange.credentials === 'wrong';
  if ((status === 401 || status === 403) && authProbe && gaps.has('secured-operation-without-401')) {
    return 'secured-operation-without-401';
  }
  if (status >= 200 && status < 300 && gaps.has('operation-without-success-status')) {
    return 'operation-without-success-status';
  }
  if (status >= 400 && status < 500 && gaps.has('operation-without-client-error')) {
    return 'operation-without-client-error';
  }
  return undefined;
}

export const specGap: Check = {
  id: 'spec-gap',
  description:
    "an undocumented status that a gap of the spec explains (lint finds it): the spec's finding, a warning (a failure with --strict)",
  applies: ({ exchange }) =>
    exchange.operation !== undefined && exchange.response !== undefined && specGapsOf(exchange.operation).size > 0,
  run(ctx) {
    const { exchange } = ctx;
    if (documentedResponse(ctx)) return [];
    const rule = specGapFor(exchange);
    if (!rule) return [];
    const op = exchange.operation!;
    const status = exchange.response!.status;
    const documented = op.responses.map((r) => r.status).join(', ') || '(none)';
    return [
      {
        severity: policySeverity(ctx),
        expected: `a documented status (${documented}); the spec has a gap here (lint rule mcp-contracts:${rule}: ${specDefectRules[rule].description})`,
        actual: describeStatus(exchange),
        hint: `The spec, not the target, is the likely culprit. Fix one side: document ${status} (with its body schema) under ${op.pointer}/responses, or change the deployment to answer one of ${documented}.`,
      },
    ];
  },
};
