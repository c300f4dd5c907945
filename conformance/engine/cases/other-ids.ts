import type { CaseGenerator } from './index.js';
import { generatedCase, shown, variableParameters, variesPositively } from './shared.js';

/**
 * A valid value other than the spec's example for each parameter the valid case fills from an example (ids
 * first of all): a deployment that works only on the documented example ids is otherwise passed. The value
 * satisfies the schema and names nothing, so a 404 is fine; a 400/422 (positive-data-acceptance) or a 5xx
 * (not-a-server-error) is not.
 */
export const otherIds: CaseGenerator = {
  id: 'other-id',
  description: "a valid id other than the spec's examples",
  generate(planner, context = {}) {
    if (!variesPositively(planner, context)) return [];
    return variableParameters(planner)
      .filter((p) => planner.values.get(p)?.source === 'example')
      .flatMap((p, n) => {
        const fresh = planner.factory.freshParameter(p);
        if (!fresh.ok) return [];
        const c = generatedCase(
          planner,
          'other-id',
          n,
          'valid',
          `${p.in} parameter '${p.name}' = ${shown(fresh.value)} (a valid value other than the spec's example)`,
          { replace: { parameter: p, value: fresh.value } },
        );
        return [{ ...c, namesNothing: c.namesNothing || p.in === 'path' }];
      });
  },
};
