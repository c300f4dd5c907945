import { documentedCodes } from '../../core/operations.js';
import type { Check } from '../types.js';
import { specGapFor } from './spec-gap.js';
import { describeStatus, documentedResponse } from './util.js';

export const statusCodeConformance: Check = {
  id: 'status-code-conformance',
  description: 'the response status is documented for the operation (exact code, NXX range or default)',
  applies: ({ exchange }) => exchange.operation !== undefined && exchange.response !== undefined,
  run(ctx) {
    const { exchange } = ctx;
    const op = exchange.operation!;
    if (documentedResponse(ctx)) return [];
    // A status a gap of the spec explains is the spec's finding (spec-gap), not also the target's.
    if (specGapFor(exchange)) return [];
    const status = exchange.response!.status;
    const documented = op.responses.map((r) => r.status).join(', ');
    const authCase = exchange.credentials === 'none' || exchange.credentials === 'wrong';
    let hint: string | undefined;
    if ((status === 401 || status === 403) && authCase) {
      hint = `The spec is the likely culprit: it secures ${op.label} but documents no ${status}. Fix one side: document ${status} (with its error schema) under ${op.pointer}/responses, or change the deployment to answer a documented status.`;
    } else if (status === 405 || status === 404 || status === 415 || status === 406) {
      hint = `Either document ${status} under ${op.pointer}/responses, or change the deployment.`;
    }
    return [
      {
        severity: 'failure',
        expected: `one of the documented statuses ${documented || '(none)'} (codes: ${documentedCodes(op).join(', ')})`,
        actual: describeStatus(exchange),
        hint,
      },
    ];
  },
};
