import type { PlannedCase } from '../../types.js';
import type { OperationPlanner } from '../plan.js';
import { bodyFieldTypes } from './body-field-types.js';
import { boundaryValues } from './boundary-values.js';
import { enumValues } from './enum-values.js';
import { optionalParameters } from './optional-parameters.js';
import { otherIds } from './other-ids.js';
import { unusualValues } from './unusual-values.js';

/**
 * Case generators beyond the planner's core cases (valid, auth, missing, invalid, nonexistent, body), one file
 * each, registered here like the checks in conformance/checks/index.ts. Each gets the operation's planner and
 * returns its cases; every value a generator sends as valid has passed the compiled validator (ValueFactory).
 */
/** Where the generated cases will be sent: `inLinkContext` — inside a lifecycle that fills the linked values. */
export interface GenerationContext {
  inLinkContext?: boolean;
}

export interface CaseGenerator {
  id: string;
  description: string;
  /**
   * Cases of a budget of its own, outside the shared cap: the boundary negatives, so that stepping over every
   * limit does not crowd out the positive variants (and the other way round). Such a generator may stop making
   * cases one past its budget (so the remark says "more", without a count).
   */
  budget?: number;
  generate(planner: OperationPlanner, context?: GenerationContext): PlannedCase[];
}

export const caseGenerators: readonly CaseGenerator[] = [
  optionalParameters,
  enumValues,
  unusualValues,
  otherIds,
  bodyFieldTypes,
  boundaryValues,
];

/** At most this many generated cases per operation; the rest are counted in a remark. */
export const maxGeneratedCasesPerOperation = 24;

/**
 * The generated cases of one operation, taken in turns from each generator (so that a long enum does not
 * crowd out the boundaries), capped at `maxGeneratedCasesPerOperation`; then those of each generator with a
 * budget of its own, up to it.
 */
export function generatedCases(
  planner: OperationPlanner,
  planned: PlannedCase[] = [],
  cap = maxGeneratedCasesPerOperation,
  context: GenerationContext = {},
): PlannedCase[] {
  // A request another case (or generator) already sends is not sent twice: `limit=1` is both the optional
  // parameter's sample and its minimum.
  const seen = new Set(planned.map((c) => requestKey(c)));
  const lists = caseGenerators.map((g) =>
    g.generate(planner, context).filter((c) => {
      const key = requestKey(c);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
  const shared = lists.filter((_, i) => caseGenerators[i]?.budget === undefined);
  const out = takeTurns(shared, cap);
  const total = shared.reduce((n, l) => n + l.length, 0);
  if (total > out.length) {
    planner.remarks.push(
      `${planner.op.label}: ${total - out.length} more less-common-input case(s) not planned (at most ${cap} per operation)`,
    );
  }
  lists.forEach((list, i) => {
    const { budget, id } = caseGenerators[i] as CaseGenerator;
    if (budget === undefined) return;
    out.push(...list.slice(0, budget));
    if (list.length > budget)
      planner.remarks.push(`${planner.op.label}: more ${id} case(s) not planned (at most ${budget} per operation)`);
  });
  return out;
}

/** Up to `cap` cases taken in turns from each list. */
function takeTurns(lists: PlannedCase[][], cap: number): PlannedCase[] {
  const out: PlannedCase[] = [];
  const total = lists.reduce((n, l) => n + l.length, 0);
  for (let i = 0; out.length < Math.min(cap, total); i++) {
    for (const list of lists) if (i < list.length && out.length < cap) out.push(list[i] as PlannedCase);
  }
  return out;
}

function requestKey(c: PlannedCase): string {
  const { method, path, query, headers, body } = c.request;
  return JSON.stringify([c.kind, method, path, [...query].sort(), Object.entries(headers).sort(), body]);
}
