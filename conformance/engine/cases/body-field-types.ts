import type { CaseGenerator } from './index.js';
import { generatedCase, shown } from './shared.js';

/**
 * A type violation per top-level body field (not only for the body as a whole): a deployment that checks the
 * body's shape but not each field's type is otherwise passed. Each broken body is confirmed invalid at that
 * field by the compiled validator; judged by negative-data-rejection.
 */
export const bodyFieldTypes: CaseGenerator = {
  id: 'field-type',
  description: 'a type violation per body field',
  generate(planner) {
    const body = planner.bodyExamples[0];
    if (planner.untouchable || !body) return [];
    return planner.factory.fieldTypeViolations(planner.bodySchemaPointer, body.value).map((v, n) =>
      generatedCase(
        planner,
        'field-type',
        n,
        'invalid-body',
        `body field '${v.field}' = ${shown(v.value)} (breaks ${v.breaks})`,
        {
          body: {
            kind: 'value',
            value: { ...(body.value as Record<string, unknown>), [v.field]: v.value },
            contentType: body.contentType,
          },
        },
      ),
    );
  },
};
