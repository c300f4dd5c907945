import { findResponse } from '../../core/operations.js';
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
        if (plan.operations.get(op)?.untouchable)
          how = 'not sent: the operation changes a resource no parameter names (pass --allow-destructive)';
        else if (!/^\d+$/.test(documented.status))
          how = `a range (${documented.status}) cannot be asked for; no case landed in it`;
        else if (preferCase?.outcome === 'skipped') how = `not provokable here: ${preferCase.reason}`;
        else if (preferCase)
          how = `asked with Prefer: code=${documented.status}, got ${preferCase.statuses.join(', ') || 'no response'}`;
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
