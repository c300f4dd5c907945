import { formatViolations } from '../../core/validators.js';
import type { Check, CheckOutcome } from '../types.js';
import { documentedResponse } from './util.js';

/** Where a server that omits Retry-After leaves its clients guessing: treated as required even if not marked. */
const retryStatuses = new Set([408, 429, 503]);

export const responseHeadersConformance: Check = {
  id: 'response-headers-conformance',
  description: 'documented response headers are present when required (and Retry-After on 408/429/503) and valid',
  applies: (ctx) => (documentedResponse(ctx)?.headers.length ?? 0) > 0,
  run(ctx) {
    const spec = documentedResponse(ctx);
    const response = ctx.exchange.response;
    if (!spec || !response) return [];
    const out: CheckOutcome[] = [];
    for (const header of spec.headers) {
      const name = header.name.toLowerCase();
      if (name === 'content-type') continue;
      const value = response.headers[name];
      if (value === undefined) {
        const retry = name === 'retry-after' && retryStatuses.has(response.status);
        if (header.required || retry) {
          out.push({
            severity: 'failure',
            expected: `header ${header.name}${header.required ? ' (required)' : ` (documented on ${spec.status}; clients need it to back off)`}`,
            actual: `no ${header.name} header`,
          });
        }
        continue;
      }
      if (!header.schemaPointer) continue;
      const schemaType = header.schema?.type;
      const typed =
        schemaType === 'integer' || schemaType === 'number'
          ? Number(value)
          : schemaType === 'boolean'
            ? value === 'true'
            : value;
      const violations = ctx.compiled.validator(header.schemaPointer, 'response').validate(typed);
      if (violations.length > 0) {
        out.push({
          severity: 'failure',
          expected: `header ${header.name} to match ${header.schemaPointer}`,
          actual: `${header.name}: ${value}`,
          details: formatViolations(violations),
        });
      }
    }
    return out;
  },
};
