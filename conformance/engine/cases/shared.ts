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
  const varied = variant.replace?.parameter;
  return {
    ...c,
    ...(varied ? { parameter: { name: varied.name, in: varied.in, required: varied.required } } : {}),
    id: `${c.id.slice(0, c.id.lastIndexOf(':'))}:${generator}-${n}`,
    namesNothing: c.namesNothing || (fresh !== undefined && fresh.size > 0),
  };
}

/** `'abc'` for titles: the wire form of a value, cut short when long. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : serialiseParameter(value);
  return `'${text.length > 40 ? `${text.slice(0, 37)}…` : text}'`;
}
