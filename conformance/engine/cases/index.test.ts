import { describe, expect, it } from 'vitest';
import { compiled, compiledFromText, demoCredentials, operation } from '../../test-helpers.js';
import { propertyFields, safeToRepeat } from '../fuzz.js';
import { planSpec } from '../plan.js';
import { caseGenerators, generatedCases } from './index.js';
import { standinSpec } from './standin.test-server.js';

const standin = await compiledFromText(standinSpec, 'standin');
const planOf = (spec: typeof standin, params = new Map<string, string>(), allowDestructive = false) =>
  planSpec(spec, { credentials: demoCredentials(), params, allowDestructive, seed: 1 }, () => true);

describe('the generator registry', () => {
  it('has one generator per file, each with its own id', () => {
    expect(caseGenerators.map((g) => g.id)).toEqual([
      'optional',
      'enum',
      'unusual',
      'other-id',
      'field-type',
      'boundary',
    ]);
  });

  it('caps the generated cases per operation, taking turns, and counts the rest in a remark', () => {
    const plan = planOf(standin);
    const planner = plan.planners.get(operation(standin, 'getItem'))!;
    const all = generatedCases(planner);
    expect(all.length).toBeGreaterThan(4);
    const remarks = planner.remarks.length;
    const boundary = all.filter((c) => c.id.includes(':boundary-')).length;
    expect(boundary).toBe(2);
    const capped = generatedCases(planner, [], 4);
    // enum-0 (view=full) is the request optional-0 already sends. The boundary negatives come on top, from a
    // budget of their own, so that neither kind crowds out the other.
    expect(capped.map((c) => c.id.split(':').at(-1))).toEqual([
      'optional-0',
      'enum-1',
      'unusual-0',
      'other-id-0',
      'boundary-0',
      'boundary-1',
    ]);
    expect(planner.remarks.slice(remarks)).toEqual([
      `GET /items/{itemId}: ${all.length - boundary - 4} more less-common-input case(s) not planned (at most 4 per operation)`,
    ]);
  });

  it('caps the boundary negatives at their own budget, and says how many were left', () => {
    // POST /items may create data nothing in the spec undoes: consent lets it be planned.
    const plan = planOf(standin, new Map(), true);
    const planner = plan.planners.get(operation(standin, 'createItem'))!;
    const boundary = (cases: Array<{ id: string }>) => cases.filter((c) => c.id.includes(':boundary-'));
    expect(boundary(generatedCases(planner))).toHaveLength(6);
    const generator = caseGenerators.find((g) => g.id === 'boundary')!;
    const budget = generator.budget;
    try {
      generator.budget = 2;
      const remarks = planner.remarks.length;
      expect(boundary(generatedCases(planner))).toHaveLength(2);
      expect(planner.remarks.slice(remarks)).toEqual([
        'POST /items: more boundary case(s) not planned (at most 2 per operation)',
      ]);
    } finally {
      generator.budget = budget;
    }
  });

  it('sends no request twice (the optional sample that is also the minimum)', () => {
    const keys = planOf(standin).cases.map((c) => JSON.stringify([c.kind, c.request]));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('SAFETY: generated cases of an operation that acts on a resource name only fresh ids', async () => {
  const smithery = await compiled('smithery');
  it.each([false, true])(
    'with --allow-destructive %s, no generated case names the --param connection',
    (destructive) => {
      const plan = planOf(smithery, new Map([['connectionId', 'conn-1']]), destructive);
      const generated = plan.cases.filter((c) =>
        /:(optional|enum|unusual|other-id|field-type|boundary)-\d+$/.test(c.id),
      );
      expect(generated.length).toBeGreaterThan(0);
      for (const c of generated) {
        expect(c.request.path).not.toContain('conn-1');
        expect(c.namesNothing).toBe(true);
      }
    },
  );
});

describe('the property phase: what it varies', async () => {
  const spec = await compiledFromText(
    `openapi: 3.1.0
info: { title: fuzz, version: '1' }
paths:
  /search/{term}:
    get:
      operationId: search
      parameters:
        - { name: term, in: path, required: true, schema: { type: string } }
        - { name: id, in: query, required: false, schema: { type: string, format: uuid } }
        - { name: sort, in: query, required: false, schema: { type: string, enum: [asc, desc] } }
        - { name: x-trace, in: header, required: false, schema: { type: string, maxLength: 32 } }
        - { name: limit, in: query, required: false, schema: { type: integer } }
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties: { text: { type: string }, at: { type: string, format: date-time }, made: { type: string, readOnly: true } }
      responses: { '200': { description: ok } }
    delete:
      operationId: forget
      parameters: [{ name: term, in: path, required: true, schema: { type: string } }]
      responses: { '204': { description: gone } }
`,
    'fuzz',
  );
  const plan = planOf(spec);
  const planner = (id: string) => plan.planners.get(operation(spec, id))!;

  it('varies free strings only: path, query, header and body fields without format, enum or readOnly', () => {
    expect(propertyFields(planner('search')).map((f) => f.key)).toEqual(['path.term', 'header.x-trace', 'body.text']);
  });

  it('runs only where a repeat is safe without consent: GET, not DELETE', () => {
    expect(safeToRepeat(planner('search'))).toBe(true);
    expect(safeToRepeat(planner('forget'))).toBe(false);
  });
});
