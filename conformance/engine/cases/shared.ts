import type { ParameterSpec } from '../../../core/operations.js';
import type { CaseKind, PlannedCase } from '../../types.js';
import { actsOnResource, type OperationPlanner, type Variant } from '../plan.js';
import { serialiseParameter } from '../values.js';
import type { GenerationContext } from './index.js';

/**
 * What the generators share: which operations and parameters may be varied, and how a varied case is built.
 * Safety: an operation that acts on an existing resource (DELETE/PUT/PATCH, POST /x/{id}/…) keeps naming
 * only fresh ids in every generated case — even with --allow-destructive, a variant never touches what the
 * run's own valid case acts on — so the generators vary only the other parameters.
 */

/**
 * Whether positive variants of this operation can be judged at all: valid credentials, and inside its links —
 * its linked values planned, or the cases sent inside a lifecycle that fills them.
 */
export function variesPositively(planner: OperationPlanner, context: GenerationContext = {}): boolean {
  if (planner.untouchable || planner.credentialsState !== 'valid') return false;
  if (planner.validityGap() !== undefined) return false;
  return context.inLinkContext === true || !planner.linkedParameters.some((p) => !planner.values.has(p));
}

/** The parameters a generator may vary: not ignored, not filled by links, not the id of a resource acted on. */
export function variableParameters(planner: OperationPlanner): ParameterSpec[] {
  const acts = actsOnResource(planner.op.method, planner.op);
  return planner.op.parameters.filter(
    (p) =>
      !p.ignoredByOpenApi &&
      !planner.linkedParameters.includes(p) &&
      !(acts && planner.resourceParameters.includes(p)) &&
      !(acts && planner.values.get(p)?.source === 'param'),
  );
}

/** The JSON value a planned parameter carries, for comparing a variant with it. */
export function plannedValue(planner: OperationPlanner, p: ParameterSpec): string | undefined {
  return planner.values.get(p)?.value;
}

/**
 * A generated case: ids made unique per generator, and for an operation that acts on a resource, every
 * resource id (and --param id) fresh, so the case names nothing.
 */
export function generatedCase(
  planner: OperationPlanner,
  generator: string,
  n: number,
  kind: CaseKind,
  title: string,
  variant: Variant,
): PlannedCase {
  const acts = actsOnResource(planner.op.method, planner.op);
  const fresh = acts ? planner.freshIdentifiers() : undefined;
  const replaceAll = fresh && fresh.size > 0 ? new Map([...fresh, ...(variant.replaceAll ?? [])]) : variant.replaceAll;
  const c = planner.caseFor(kind, n, title, { ...variant, ...(replaceAll ? { replaceAll } : {}) });
  return {
    ...c,
    id: `${c.id.slice(0, c.id.lastIndexOf(':'))}:${generator}-${n}`,
    namesNothing: c.namesNothing || (fresh !== undefined && fresh.size > 0) || namesMadeUpId(variant),
  };
}

/**
 * An identifier the run made up (`x-account-id: string`, no example to take a real one from) is valid by its
 * schema yet names nothing: a deployment may answer it "not found" or "unknown", which says nothing about
 * valid input, so the case is judged as a not-found case (nonexistent-id-not-found), not as a rejected input.
 */
function namesMadeUpId(variant: Variant): boolean {
  const replaced = variant.replace;
  // A path id is the planner's business (fresh, or — where the schema leaves too few values — a real one).
  if (!replaced || replaced.parameter.in === 'path' || replaced.parameter.examples.length > 0) return false;
  return /(^|[-_.])id$|[a-z]Id$/.test(replaced.parameter.name);
}

/** `'abc'` for titles: the wire form of a value, cut short when long. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : serialiseParameter(value);
  return `'${text.length > 40 ? `${text.slice(0, 37)}…` : text}'`;
}
