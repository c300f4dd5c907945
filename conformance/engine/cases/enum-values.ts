import { parameterText } from '../values.js';
import type { CaseGenerator } from './index.js';
import { generatedCase, plannedValue, shown, variableParameters, variesPositively } from './shared.js';

/**
 * Every documented value of an enumerated parameter, or of the items of an enumerated array parameter (other
 * than the one the valid case already sends): a
 * deployment that rejects one documented value is otherwise passed. Judged by positive-data-acceptance.
 */
export const enumValues: CaseGenerator = {
  id: 'enum',
  description: 'each enum value of a parameter',
  generate(planner, context = {}) {
    if (!variesPositively(planner, context)) return [];
    const out = [];
    let n = 0;
    for (const p of variableParameters(planner)) {
      // An array of enumerated items (`status=available,pending,sold`) gets each item alone too.
      const values = planner.factory.enumValues(p.schema);
      const items = values.length === 0 ? planner.factory.itemEnumValues(p.schema).map((v) => [v]) : [];
      for (const value of [...values, ...items]) {
        const text = parameterText(p, value);
        if (text === plannedValue(planner, p) || planner.factory.parameterViolations(p, text).length > 0) continue;
        out.push(
          generatedCase(planner, 'enum', n++, 'valid', `${p.in} parameter '${p.name}' = ${shown(text)} (enum value)`, {
            replace: { parameter: p, value: text },
          }),
        );
      }
    }
    return out;
  },
};
