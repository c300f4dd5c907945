import { type BreakingRuleId, type BreakingSeverity, breakingRules } from './rules.js';

/** One breaking (or notable) change between two versions of a spec, before it is placed in a file. */
export interface BreakingChange {
  rule: BreakingRuleId;
  severity: BreakingSeverity;
  /** Which document `pointer` points into: `new` (the working spec) or `old` (for removals). */
  side: 'old' | 'new';
  pointer: string;
  /** What changed, in one sentence. */
  message: string;
  /**
   * Where the change is felt: `DELETE /mcp › response 400 application/json`. A change to a shared component
   * is reported once, with every operation that reaches it.
   */
  contexts: string[];
}

export type AddChange = (rule: BreakingRuleId, side: 'old' | 'new', pointer: string, message: string) => void;

/** Collects changes, merging the same change found through several operations into one finding. */
export function createChangeCollector(): {
  at(context: string): AddChange;
  changes(): BreakingChange[];
} {
  const byKey = new Map<string, BreakingChange>();
  return {
    at:
      (context) =>
      (rule, side, pointer, message): void => {
        const key = `${rule}\u0000${side}\u0000${pointer}`;
        const existing = byKey.get(key);
        if (existing) {
          if (!existing.contexts.includes(context)) existing.contexts.push(context);
          return;
        }
        byKey.set(key, { rule, severity: breakingRules[rule].severity, side, pointer, message, contexts: [context] });
      },
    changes: () => [...byKey.values()],
  };
}
