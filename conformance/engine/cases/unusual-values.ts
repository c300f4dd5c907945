import { coerceBySchema } from '../../../core/parameters.js';
import type { PlannedCase } from '../../types.js';
import { actsOnResource, type Variant } from '../plan.js';
import { parameterText, requestProperties } from '../values.js';
import type { CaseGenerator } from './index.js';
import { generatedCase, plannedValue, shown, variableParameters, variesPositively } from './shared.js';

/**
 * Valid input in less common forms, for parameters and for the top-level fields of the body: values at
 * `minimum`/`maximum` and `minLength`/`maxLength`, an upper-case UUID, a date-time with offset and fraction,
 * a unicode string. Each is checked against the compiled validator first; judged by positive-data-acceptance.
 */
export const unusualValues: CaseGenerator = {
  id: 'unusual',
  description: 'boundary values, upper-case UUIDs, date-times with offsets, unicode strings',
  generate(planner, context = {}) {
    if (!variesPositively(planner, context)) return [];
    const { factory } = planner;
    const document = planner.compiled.spec.document;
    const out: PlannedCase[] = [];
    const add = (title: string, variant: Variant) =>
      out.push(generatedCase(planner, 'unusual', out.length, 'valid', title, variant));
    for (const p of variableParameters(planner)) {
      const planned = plannedValue(planner, p);
      const base = planned === undefined ? undefined : coerceBySchema(document, p.schema, p.in, planned);
      const accepts = (v: unknown) => factory.parameterViolations(p, parameterText(p, v)).length === 0;
      for (const u of factory.unusualValues(p.schema, accepts, base)) {
        const text = parameterText(p, u.value);
        add(`${p.in} parameter '${p.name}' = ${shown(text)} (${u.label})`, { replace: { parameter: p, value: text } });
      }
      // What trips routers, decoders and log lines, sent every run rather than left to the property phase's draw
      // (which runs for reads only): judged for crashes and the response rules, not for acceptance — a free string
      // may have rules the spec does not state.
      for (const hazard of hazardValues(factory.freeStringMaxLength(p.schema))) {
        if (!accepts(hazard.value) || hazard.value === planned) continue;
        out.push(
          generatedCase(
            planner,
            'unusual',
            out.length,
            'hazard',
            `${p.in} parameter '${p.name}' = ${shown(hazard.value)} (${hazard.label}; judged for crashes)`,
            { replace: { parameter: p, value: hazard.value } },
          ),
        );
      }
    }
    // The id of a resource the operation acts on is never varied (it must stay fresh), but a fresh id can be
    // sent in a less common form too: an upper-case fresh UUID names nothing either. An operation that says it
    // is idempotent must then succeed (positive-data-acceptance); another answers not found.
    if (actsOnResource(planner.op.method, planner.op)) {
      for (const p of planner.resourceParameters) {
        const fresh = factory.freshParameter(p);
        if (!fresh.ok) continue;
        const accepts = (v: unknown) => factory.parameterViolations(p, parameterText(p, v)).length === 0;
        for (const u of factory.unusualValues(p.schema, accepts, fresh.value)) {
          if (u.label !== 'an upper-case UUID') continue;
          const text = parameterText(p, u.value);
          add(`${p.in} parameter '${p.name}' = ${shown(text)} (${u.label}, naming nothing)`, {
            replaceAll: new Map([[p, text]]),
          });
        }
      }
    }
    const body = planner.bodyExamples[0];
    const pointer = planner.bodySchemaPointer;
    if (body && pointer && body.value && typeof body.value === 'object' && !Array.isArray(body.value)) {
      const value = body.value as Record<string, unknown>;
      for (const [field, schema] of Object.entries(requestProperties(document, { $ref: `#${pointer}` }))) {
        const accepts = (v: unknown) => factory.bodyViolations(pointer, { ...value, [field]: v }).length === 0;
        for (const u of factory.unusualValues(schema, accepts, value[field])) {
          add(`body field '${field}' = ${shown(u.value)} (${u.label})`, {
            body: { kind: 'value', value: { ...value, [field]: u.value }, contentType: body.contentType },
          });
        }
      }
    }
    return out;
  },
};

/** Strings that break servers more often than any other: for a free string parameter (no format or pattern). */
function hazardValues(maxLength: number | undefined): Array<{ value: string; label: string }> {
  if (maxLength === undefined) return [];
  const long = 'x'.repeat(Math.min(maxLength, 2048));
  return [
    { value: 'two  words ', label: 'spaces' },
    { value: '100%', label: 'a % sign' },
    { value: 'a/b', label: 'a slash' },
    { value: long, label: `${long.length} characters` },
  ].filter((h) => h.value.length <= maxLength);
}
