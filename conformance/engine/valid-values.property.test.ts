import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeForm, formMediaType } from '../../core/media-encoding.js';
import { isJsonMediaType } from '../../core/media-types.js';
import { compilePathTemplate, type Operation, type ParameterSpec } from '../../core/operations.js';
import { packageRoot } from '../../core/paths.js';
import { formatViolations } from '../../core/validators.js';
import { compiled } from '../test-helpers.js';
import type { PlannedCase, PlannedRequest } from '../types.js';
import { planSpec } from './plan.js';
import { readParameter } from './values.js';

/**
 * Issue 9's property: for seeds 1–50, every value the planner calls valid — parameters and bodies of every
 * valid case (core and generated), lifecycle create/use steps, and the ids of "names nothing" cases — validates
 * against its compiled schema, for every operation of Petstore 3.0 and 3.1, Train Travel, Galaxy and the three
 * bundled specs. Planning only: nothing is sent.
 */

const modules = join(packageRoot, 'node_modules');
const specs = [
  'stackone',
  'smithery',
  'langsmith',
  join(modules, '@readme/oas-examples/3.0/json/petstore.json'),
  join(modules, '@readme/oas-examples/3.1/json/petstore.json'),
  join(modules, '@readme/oas-examples/3.1/json/train-travel.json'),
  join(modules, '@scalar/galaxy/dist/latest.json'),
];
/** Shapes the required specs have little of: discriminators, oneOf, enums, validation keywords. */
const extra = [
  join(modules, '@readme/oas-examples/3.0/json/discriminators.json'),
  join(modules, '@readme/oas-examples/3.0/json/polymorphism.json'),
  join(modules, '@readme/oas-examples/3.0/json/schema-enums.json'),
  join(modules, '@readme/oas-examples/3.0/json/parameters-style.json'),
  join(modules, '@readme/oas-examples/3.0/json/complex-nesting.json'),
  join(modules, '@readme/oas-examples/3.0/json/schema-types.json'),
  join(modules, '@readme/oas-examples/3.1/json/schema-types.json'),
];

/** The text a request carries for a parameter, or undefined when it does not carry it. */
function carried(op: Operation, request: PlannedRequest, p: ParameterSpec): string | undefined {
  if (p.in === 'path') {
    const value = compilePathTemplate(op.path)(request.path)?.[p.name];
    return value === undefined ? undefined : decodeURIComponent(value);
  }
  if (p.in === 'query') return request.query.find(([k]) => k === p.name)?.[1];
  if (p.in === 'header') return request.headers[p.name.toLowerCase()];
  const cookie = request.headers.cookie?.split(';').find((c) => c.trim().startsWith(`${p.name}=`));
  return cookie?.slice(cookie.indexOf('=') + 1);
}

/** Every (operation, request) of a plan that is sent as valid input. */
function validRequests(cases: PlannedCase[]): Array<{ c: PlannedCase; op: Operation; request: PlannedRequest }> {
  const out: Array<{ c: PlannedCase; op: Operation; request: PlannedRequest }> = [];
  for (const c of cases) {
    if (c.skip) continue;
    if (c.steps) {
      for (const step of c.steps)
        if (step.role === 'create' || step.role === 'use') out.push({ c, op: step.operation, request: step.request });
    } else if ((c.kind === 'valid' || c.kind === 'nonexistent-id') && c.operation && c.credentials !== 'none') {
      out.push({ c, op: c.operation, request: c.request });
    }
  }
  return out;
}

async function violationsOver(ref: string, seeds: number[]): Promise<{ checked: number; problems: string[] }> {
  const spec = await compiled(ref);
  const document = spec.spec.document;
  const problems: string[] = [];
  let checked = 0;
  for (const seed of seeds) {
    for (const allowDestructive of [false, true]) {
      const plan = planSpec(spec, { credentials: new Map(), params: new Map(), allowDestructive, seed }, () => true);
      for (const { c, op, request } of validRequests(plan.cases)) {
        for (const p of op.parameters) {
          if (p.ignoredByOpenApi || !p.schemaPointer) continue;
          const text = carried(op, request, p);
          if (text === undefined) continue;
          // Values bound from links at run time are placeholders in the plan.
          if (c.steps?.some((s) => s.bindings.some((b) => b.target.endsWith(p.name)))) continue;
          const violations = spec.validator(p.schemaPointer, 'request').validate(readParameter(document, p, text));
          checked++;
          if (violations.length > 0)
            problems.push(`seed ${seed} ${c.id} ${p.in} ${p.name}='${text}': ${formatViolations(violations)[0]}`);
        }
        if (request.body === undefined) continue;
        const media = op.requestBody?.content.find((m) => m.mediaType === request.headers['content-type']);
        if (!media?.schemaPointer) continue;
        // Read the body back as its media type says: JSON, or a form decoded by the encoding object. (Multipart
        // is held to its parts by core/media-encoding's tests; the value behind it went through the same gate.)
        const value = isJsonMediaType(media.mediaType)
          ? JSON.parse(request.body)
          : media.mediaType === formMediaType
            ? decodeForm(request.body, { document, mediaPointer: media.pointer })
            : undefined;
        if (value === undefined) continue;
        checked++;
        const violations = spec.validator(media.schemaPointer, 'request').validate(value);
        if (violations.length > 0)
          problems.push(`seed ${seed} ${c.id} body ${request.body.slice(0, 120)}: ${formatViolations(violations)[0]}`);
      }
    }
  }
  return { checked, problems };
}

const seeds = Array.from({ length: 50 }, (_, i) => i + 1);

describe('every value the planner calls valid validates against its compiled schema (seeds 1–50)', () => {
  it.each(specs.map((s) => [s.replace(`${modules}/`, '')]))('%s', async (name) => {
    const ref = specs.find((s) => s.endsWith(name))!;
    const { checked, problems } = await violationsOver(ref, seeds);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it.each(extra.map((s) => [s.replace(`${modules}/`, '')]))('%s (seeds 1–10)', async (name) => {
    const ref = extra.find((s) => s.endsWith(name))!;
    const { checked, problems } = await violationsOver(ref, seeds.slice(0, 10));
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
