import { isJsonMediaType } from '../../../core/media-types.js';
import type { PlannedCase } from '../../types.js';
import { invalidParameterValues, updateAt } from '../values.js';
import type { CaseGenerator } from './index.js';
import { generatedCase, plannedValue, shown, variableParameters } from './shared.js';

/**
 * Input just over the schema's limits, one broken rule per case (Schemathesis' boundary negatives): a number
 * one step below `minimum` or above `maximum` (or at an exclusive bound), not a `multipleOf`, a string one under
 * `minLength` or over `maxLength`, an array one item short or over, a repeated item under `uniqueItems`; in a
 * body also each required field left out, an undeclared field where `additionalProperties: false`, a value
 * outside `enum`/`const`, and the same in the objects below, two levels down (an array of objects through its
 * first item). A deployment that checks types but not limits is
 * otherwise passed. Every value is confirmed by the compiled validator to break exactly the rule in the title
 * (ValueFactory.boundaryParameterValues / boundaryBodyViolations); judged by negative-data-rejection, whose
 * policy makes an accepted optional query/header/cookie value a warning (a failure with --strict).
 */
export const boundaryValues: CaseGenerator = {
  id: 'boundary',
  description: 'values just over the schema limits (negative)',
  // Three per field (see maxBreachesPerField) for four fields: an operation with more keeps its first twelve.
  budget: 12,
  generate(planner) {
    // Without valid credentials every case is answered 401 whatever its value: a boundary case would test nothing.
    if (planner.untouchable || planner.credentialsState !== 'valid') return [];
    const { factory } = planner;
    const document = planner.compiled.spec.document;
    const out: PlannedCase[] = [];
    for (const p of variableParameters(planner)) {
      const base = () => plannedValue(planner, p) ?? validText(planner.factory.validParameter(p));
      // The core invalid-parameter cases (plan.ts) already step over a string's length limits: not twice.
      const skip = new Set(invalidParameterValues(document, p.schema).map((v) => v.breaks));
      for (const invalid of factory.boundaryParameterValues(p, base, { skip })) {
        out.push(
          generatedCase(
            planner,
            'boundary',
            out.length,
            'invalid-parameter',
            `${p.in} parameter '${p.name}' = ${shown(invalid.value)} (breaks ${invalid.breaks})`,
            { replace: { parameter: p, value: invalid.value } },
          ),
        );
      }
    }
    const body = planner.bodyExamples[0];
    if (!body) return out;
    // A form body flattens nested objects and arrays into named text fields: only top-level scalars, omissions
    // and extra fields survive its encoding unchanged.
    const nested = isJsonMediaType(body.contentType);
    const limit = (boundaryValues.budget ?? Number.POSITIVE_INFINITY) - out.length + 1;
    for (const v of factory.boundaryBodyViolations(planner.bodySchemaPointer, body.value, { nested, limit })) {
      const value = updateAt(body.value, v.path ?? [v.field], () => (v.missing ? undefined : v.value));
      const what = v.missing ? 'missing' : `= ${shown(v.value)}`;
      out.push(
        generatedCase(
          planner,
          'boundary',
          out.length,
          'invalid-body',
          `body field '${v.field}' ${what} (breaks ${v.breaks})`,
          {
            body: { kind: 'value', value, contentType: body.contentType },
          },
        ),
      );
    }
    return out;
  },
};

function validText(produced: { ok: true; value: string } | { ok: false }): string | undefined {
  return produced.ok ? produced.value : undefined;
}
