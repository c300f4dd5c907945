import { findResponse } from '../../core/operations.js';
import { responseMedia } from '../checks/response-schema-conformance.js';
import type { CaseResult, CoverageRow, Exchange } from '../types.js';
import type { FinishedPlan } from './finished-plan.js';

/**
 * Operation × documented status: passed (a response with that status passed every check), failed (one did
 * not), or not provoked, with why. A deployment rarely returns 502 on demand; the matrix says so instead of
 * pretending.
 */
export function computeCoverage(
  plans: Array<Pick<FinishedPlan, 'compiled' | 'operations'>>,
  exchanges: Array<{ exchange: Exchange; failed: boolean }>,
  cases: CaseResult[],
  allowDestructive: boolean,
): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (const plan of plans) {
    for (const op of plan.operations.keys()) {
      for (const documented of op.responses) {
        const hits = exchanges.filter(
          ({ exchange }) =>
            exchange.operation === op &&
            exchange.response &&
            findResponse(op, exchange.response.status)?.status === documented.status,
        );
        const row = { specName: plan.compiled.spec.name, operation: op.label, status: documented.status };
        if (hits.length > 0) {
          const natural = hits.some(({ exchange }) => exchange.preferredStatus === undefined);
          const failed = hits.some((h) => h.failed);
          rows.push({ ...row, state: failed ? 'failed' : 'passed', how: natural ? 'natural' : 'Prefer' });
          continue;
        }
        const preferCase = cases.find(
          (c) => c.kind === 'prefer' && c.operation === op.label && String(c.preferredStatus) === documented.status,
        );
        let how: string;
        const facts = plan.operations.get(op);
        if (facts?.untouchable) how = `not sent: the operation ${facts.consentReason} (pass --allow-destructive)`;
        else if (!/^\d+$/.test(documented.status))
          how = `a range (${documented.status}) cannot be asked for; no case landed in it`;
        else if (preferCase?.outcome === 'skipped') how = `not provokable here: ${preferCase.reason}`;
        else if (preferCase)
          how = `asked with Prefer: code=${documented.status}, got ${preferCase.statuses.join(', ') || 'no response (timeout/connection closed)'}`;
        else if (documented.status.startsWith('2') && op.method === 'delete' && !allowDestructive) {
          how =
            'needs an existing resource; the run deletes only what it created (pass --allow-destructive with --param for its id)';
        } else how = 'no planned case provoked it';
        rows.push({ ...row, state: 'not-provoked', how });
      }
    }
  }
  return rows;
}

/**
 * The remark naming every operation × status whose answer came in a media type that cannot be read against its
 * schema (an image, an octet stream, a CSV table, text with an object schema): for those only the Content-Type
 * was checked, and a pass there says nothing of the body. Undefined when there were none.
 */
export function contentTypeOnlyRemark(
  plans: Array<Pick<FinishedPlan, 'compiled'>>,
  exchanges: Array<{ exchange: Exchange; specName: string }>,
): string | undefined {
  const pairs = new Set<string>();
  for (const { exchange, specName } of exchanges) {
    const plan = plans.find((p) => p.compiled.spec.name === specName);
    if (!plan || !exchange.operation || !exchange.response || exchange.response.bodyBytes === 0) continue;
    const found = responseMedia(plan.compiled, exchange);
    if (found?.reading !== 'content-type-only') continue;
    const documented = findResponse(exchange.operation, exchange.response.status)?.status ?? '';
    pairs.add(`${specName} ${exchange.operation.label} ${documented} ${found.media.mediaType}`);
  }
  if (pairs.size === 0) return undefined;
  return `content type only (the body's media type cannot be validated against its schema; only its Content-Type was checked): ${[...pairs].sort().join(', ')}`;
}
