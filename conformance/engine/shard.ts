import { ToolError } from '../../core/errors.js';
import type { Operation } from '../../core/operations.js';
import type { PlannedCase } from '../types.js';
import type { FinishedPlan } from './finished-plan.js';

/**
 * `--shard i/n`: the planned work split over n CI jobs, deterministically (every job plans the whole run with the
 * same seed, then keeps its part). The unit is a group of operations that must stay together: a lifecycle
 * (create → use → delete, however many operations it spans) and the methods of one path (the unsupported-method
 * probe of a path goes with them). So every case, Prefer probe and property run lands in exactly one shard, and
 * what a shard's cases create is deleted by the same shard. Groups are dealt largest first to the shard with the
 * fewest cases so far, so shards come out about even.
 */

export interface Shard {
  /** 1-based, as written: `--shard 2/3` is index 2 of total 3. */
  index: number;
  total: number;
}

/** `where` names the source in the error: `--shard`, `MCP_CONTRACTS_SHARD`, or the config file's key. */
export function parseShard(raw: string, where = '--shard', code: 'MCPC_USAGE' | 'MCPC_CONFIG' = 'MCPC_USAGE'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new ToolError(
      code,
      `${where} must be i/n with 1 ≤ i ≤ n, got '${raw}'`,
      'for example --shard 2/3 in the second of three CI jobs (a matrix job passes its own number as i)',
    );
  }
  return { index, total };
}

/** The operations a shard answers for, as `spec NUL label`: its coverage rows are about these. */
export interface ShardedPlans {
  plans: FinishedPlan[];
  owned: Set<string>;
}

export const operationKey = (specName: string, label: string): string => `${specName}\u0000${label}`;

/** The path of an operation label or of an unsupported-method label (`METHOD /path`). */
const pathOf = (label: string): string => label.slice(label.indexOf(' ') + 1);

export function shardPlans(plans: FinishedPlan[], shard: Shard): ShardedPlans {
  // Union-find over `spec NUL path`: paths joined by a lifecycle end up in one group.
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(key, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    const [low, high] = ra < rb ? [ra, rb] : [rb, ra];
    parent.set(high, low);
  };
  const pathKey = (plan: FinishedPlan, label: string) => `${plan.compiled.spec.name}\u0000${pathOf(label)}`;
  const caseKey = (plan: FinishedPlan, c: PlannedCase) => pathKey(plan, c.operation?.label ?? c.label);
  for (const plan of plans) {
    for (const op of plan.operations.keys()) find(pathKey(plan, op.label));
    for (const c of plan.cases) {
      find(caseKey(plan, c));
      for (const step of c.steps ?? []) union(caseKey(plan, c), pathKey(plan, step.operation.label));
    }
  }
  const weight = new Map<string, number>();
  for (const plan of plans)
    for (const c of plan.cases) weight.set(find(caseKey(plan, c)), (weight.get(find(caseKey(plan, c))) ?? 0) + 1);
  const groups = [...new Set([...parent.keys()].map(find))];
  groups.sort((a, b) => (weight.get(b) ?? 0) - (weight.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const load = Array.from({ length: shard.total }, () => 0);
  const assigned = new Map<string, number>();
  for (const group of groups) {
    const lightest = load.indexOf(Math.min(...load));
    assigned.set(group, lightest + 1);
    load[lightest] = (load[lightest] ?? 0) + (weight.get(group) ?? 0);
  }
  const mine = (plan: FinishedPlan, label: string): boolean => assigned.get(find(pathKey(plan, label))) === shard.index;
  const owned = new Set<string>();
  const sharded = plans.map((plan) => {
    const ownedOps = new Set<Operation>([...plan.operations.keys()].filter((op) => mine(plan, op.label)));
    for (const op of ownedOps) owned.add(operationKey(plan.compiled.spec.name, op.label));
    return {
      ...plan,
      cases: plan.cases.filter((c) => mine(plan, c.operation?.label ?? c.label)),
      preferCandidates: plan.preferCandidates.filter((c) => c.operation && ownedOps.has(c.operation)),
      property: plan.property.filter((p) => ownedOps.has(p.op)),
    };
  });
  return { plans: sharded, owned };
}
