import { serialiseParameter } from '../values.js';
import type { CaseGenerator } from './index.js';
import { generatedCase, shown, variableParameters, variesPositively } from './shared.js';

/**
 * Each optional parameter sent with a valid value (its example, else a schema sample that validates): a
 * deployment that rejects a documented optional parameter is otherwise never caught, because the core cases
 * leave optional parameters out. Judged by positive-data-acceptance.
 */
export const optionalParameters: CaseGenerator = {
  id: 'optional',
  description: 'each optional parameter with a valid value',
  generate(planner, context = {}) {
    if (!variesPositively(planner, context)) return [];
    return variableParameters(planner)
      .filter((p) => !p.required && !planner.values.has(p))
      .flatMap((p, n) => {
        const produced = planner.factory.validParameter(p);
        if (!produced.ok) return [];
        return [
          generatedCase(
            planner,
            'optional',
            n,
            'valid',
            `valid request with optional ${p.in} parameter '${p.name}' = ${shown(produced.value)}`,
            { replace: { parameter: p, value: serialiseParameter(produced.value) } },
          ),
        ];
      });
  },
};
