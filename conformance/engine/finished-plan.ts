import { documentedCodes, type Operation } from '../../core/operations.js';
import type { CompiledSpec } from '../../core/validators.js';
import type { PlannedCase, PlannedRequest } from '../types.js';
import type { UndoRecipe } from './consent.js';
import { propertyFields, safeToRepeat } from './fuzz.js';
import { type OperationPlanner, preferCase, type SpecPlan } from './plan.js';
import { baseUrlFor, pathServerPath, type TargetBase } from './target.js';

/**
 * The plan as finished data: everything the run may send is decided here, before anything is sent, so
 * `--dry-run` prints it whole and the engine never calls back into the planner. The planner's live objects
 * stop at this file.
 */

/** What the engine needs to know of an operation (the refused-credentials remark, coverage, Prefer). */
export interface OperationFacts {
  operation: Operation;
  secured: boolean;
  credentialsState: PlannedCase['credentials'];
  /** Needs consent and has none (engine/consent.ts): nothing is sent to it without --allow-destructive. */
  untouchable: boolean;
  /** Why it is safe, undoable or needs consent (a verb phrase after the label). */
  consentReason: string;
  /** How to delete what it creates (links to a DELETE, or the matching DELETE). */
  undo: UndoRecipe[];
  /** Base URL of this operation on the target (its own `servers` path, unless the target has a path). */
  baseUrl: string;
}

/** The request that deletes a resource the run created, with the link's value still to be bound. */
export interface CleanupTemplate {
  operation: Operation;
  request: PlannedRequest;
}

export interface FinishedPlan {
  compiled: CompiledSpec;
  /** Base URL of the spec on the target. */
  baseUrl: string;
  target: TargetBase;
  /** The cases, sent first. */
  cases: PlannedCase[];
  /**
   * One `Prefer: code=NNN` candidate per documented status of every operation that may be sent to; each is sent
   * only if no natural case reached that status, and only to a target that honours Prefer.
   */
  preferCandidates: PlannedCase[];
  /** Per delete operation a link can point at: how the run deletes what it created. */
  cleanup: CleanupTemplate[];
  operations: Map<Operation, OperationFacts>;
  remarks: string[];
  usedParams: Set<string>;
  /**
   * The operations the property phase varies, with their planners: the one place live planners outlive the plan,
   * because fast-check draws (and shrinks against the target) at run time. `--dry-run` names each and its fields.
   */
  property: OperationPlanner[];
  /** Documented body examples that break their own schema: a spec defect, stated in the report's notes. */
  invalidExamples: Array<{ operation: string; name: string; reason: string }>;
}

export function finishPlan(plan: SpecPlan, target: TargetBase): FinishedPlan {
  const { compiled, planners } = plan;
  const operations = new Map<Operation, OperationFacts>();
  for (const [op, p] of planners) {
    operations.set(op, {
      operation: op,
      secured: p.secured,
      credentialsState: p.credentialsState,
      untouchable: p.untouchable,
      consentReason: p.consent.reason,
      undo: p.consent.undo,
      baseUrl: baseUrlFor(target, compiled.index.basePath, op.serverPath),
    });
  }
  const preferCandidates: PlannedCase[] = [];
  for (const [op, p] of planners) {
    if (p.untouchable) continue;
    for (const code of documentedCodes(op)) {
      const c = preferCase(p, code);
      preferCandidates.push({ ...c, title: `${c.title} (sent only if no natural case reached ${code})` });
    }
  }
  // Every DELETE that undoes what an operation of the plan may create (its link, or the matching DELETE).
  const deleteTargets = new Set<Operation>();
  for (const p of planners.values()) {
    for (const recipe of p.consent.undo) {
      const op = compiled.index.byId.get(recipe.operationId);
      if (op && planners.has(op)) deleteTargets.add(op);
    }
  }
  return {
    compiled,
    baseUrl: baseUrlFor(target, compiled.index.basePath),
    target,
    cases: plan.cases.map((c) => withCreateAlternatives(c, planners)),
    preferCandidates,
    cleanup: [...deleteTargets].map((op) => ({ operation: op, request: planners.get(op)!.request() })),
    operations,
    remarks: plan.remarks,
    usedParams: plan.usedParams,
    property: [...planners.values()].filter((p) => safeToRepeat(p) && propertyFields(p).length > 0),
    invalidExamples: [...planners.values()].flatMap((p) =>
      p.invalidBodyExamples.map((e) => ({ operation: p.op.label, name: e.name, reason: e.reason })),
    ),
  };
}

/** A create step gets the requests with the operation's other documented bodies, to try in turn. */
function withCreateAlternatives(c: PlannedCase, planners: Map<Operation, OperationPlanner>): PlannedCase {
  if (!c.steps?.some((s) => s.role === 'create')) return c;
  return {
    ...c,
    steps: c.steps.map((step) => {
      if (step.role !== 'create') return step;
      const planner = planners.get(step.operation);
      const alternatives = (planner?.bodyExamples ?? [])
        .map((e) => planner!.request({ body: { kind: 'value', value: e.value, contentType: e.contentType } }))
        .filter((r) => r.body !== step.request.body);
      return alternatives.length > 0 ? { ...step, alternatives } : step;
    }),
  };
}

/** The base URL a case's request goes to. */
export function baseUrlOfCase(plan: FinishedPlan, operation: Operation | undefined, label: string): string {
  if (operation) return plan.operations.get(operation)?.baseUrl ?? plan.baseUrl;
  // A method the spec does not define: where the path's operations go.
  const path = label.slice(label.indexOf(' ') + 1);
  return baseUrlFor(plan.target, plan.compiled.index.basePath, pathServerPath(plan.compiled.spec.document, path));
}

/** The full URL of a planned request. */
export function urlOf(baseUrl: string, request: PlannedRequest): string {
  const query = request.query.length > 0 ? `?${new URLSearchParams(request.query).toString()}` : '';
  return `${baseUrl}${request.path}${query}`;
}
