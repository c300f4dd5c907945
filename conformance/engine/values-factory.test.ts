import { describe, expect, it } from 'vitest';
import { compilePathTemplate } from '../../core/operations.js';
import { compiledFromText, operation } from '../test-helpers.js';
import { planSpec } from './plan.js';
import { createRandom, ValueFactory } from './values.js';

/**
 * ValueFactory, the one gate for "valid": what it produces passes the compiled validator, what cannot be made
 * valid comes back as a reason. Each rule is shown firing on a schema that breaks the old behaviour, and not
 * firing on an unusual but conformant one.
 */

const spec = await compiledFromText(
  `openapi: 3.0.3
info: { title: values, version: '1' }
paths:
  /orders/{orderId}:
    get:
      operationId: getOrder
      parameters:
        - { name: orderId, in: path, required: true, schema: { type: integer, minimum: 1, maximum: 10 } }
        - { name: code, in: query, required: true, schema: { type: string, pattern: '^[A-Z]{2}[0-9]{3}$' }, example: 'not-a-code' }
        - { name: region, in: query, required: true, schema: { type: string, enum: [eu, us] }, example: us }
        - { name: impossible, in: query, required: false, schema: { type: string, minLength: 5, maxLength: 2 } }
        - { name: tag, in: header, required: false, schema: { type: string } }
        - { name: initials, in: query, required: false, schema: { type: string, pattern: '^\\p{Lu}{2}$' } }
        - { name: letters, in: query, required: false, schema: { type: string, pattern: '^\\p{Lu}{2}$' }, example: 'ÄÖ' }
      responses: { '200': { description: ok }, '404': { description: none } }
  /regions/{region}:
    delete:
      operationId: deleteRegion
      parameters:
        - { name: region, in: path, required: true, schema: { type: string, enum: [eu, us] } }
      responses: { '204': { description: gone }, '404': { description: none } }
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Order' }
            examples:
              good: { value: { items: [a], count: 2 } }
              empty: { value: { items: [], count: 2 } }
      responses: { '201': { description: made } }
  /either:
    post:
      operationId: postEither
      requestBody:
        content: { application/json: { schema: { $ref: '#/components/schemas/Either' } } }
      responses: { '200': { description: ok } }
components:
  schemas:
    Either:
      oneOf:
        - { type: object, required: [x], properties: { x: { type: integer } } }
        - { type: object }
    Order:
      type: object
      required: [items, count]
      properties:
        items: { type: array, minItems: 1, uniqueItems: true, items: { type: string } }
        count: { type: integer, minimum: 1, multipleOf: 2 }
        note: {}
        id: { type: string, readOnly: true }
`,
  'values-factory',
);
const getOrder = operation(spec, 'getOrder');
const param = (name: string) => getOrder.parameters.find((p) => p.name === name)!;
const factory = () => new ValueFactory(spec, createRandom(1));

describe('ValueFactory', () => {
  it('makes no id "that names nothing" where the schema leaves too few values (orderId: 1–10)', () => {
    // The old ids were 2e9, above maximum; an id within 1–10 may well be a real order.
    const fresh = factory().freshParameter(param('orderId'));
    expect(fresh).toEqual({ ok: false, reason: expect.stringContaining('allows too few values (1–10)') });
  });

  it('never makes up a value for an enum parameter', () => {
    const fresh = factory().freshParameter(param('region'));
    expect(fresh).toEqual({ ok: false, reason: expect.stringContaining("query parameter 'region' is an enum") });
  });

  it('passes over an example that breaks its own pattern and draws one that matches', () => {
    const valid = factory().validParameter(param('code'));
    expect(valid).toEqual({ ok: true, value: expect.stringMatching(/^[A-Z]{2}[0-9]{3}$/), source: 'schema' });
  });

  it('takes a conformant example as it is', () => {
    expect(factory().validParameter(param('region'))).toEqual({ ok: true, value: 'us', source: 'example' });
  });

  it('skips, saying why, a pattern it cannot draw from (a unicode property escape); takes a valid example for it', () => {
    expect(factory().validParameter(param('initials'))).toEqual({
      ok: false,
      reason: expect.stringContaining("no valid value for query parameter 'initials'"),
    });
    expect(factory().validParameter(param('letters'))).toEqual({ ok: true, value: 'ÄÖ', source: 'example' });
  });

  it('picks a oneOf sample that matches exactly one branch (the first one matches both)', () => {
    const pointer = operation(spec, 'postEither').requestBody!.content[0]!.schemaPointer;
    // The plain sample, {x: 0}, matches both branches: the validator says so.
    expect(spec.validator(pointer!, 'request').validate({ x: 0 })).not.toEqual([]);
    const body = factory().validBody(pointer);
    expect(body).toEqual({ ok: true, value: {} });
  });

  it('says why when no value can satisfy the schema', () => {
    const valid = factory().validParameter(param('impossible'));
    expect(valid).toEqual({
      ok: false,
      reason: expect.stringContaining("no valid value for query parameter 'impossible'"),
    });
  });

  it('reads header values as a server would: nothing that cannot go on the wire', () => {
    expect(factory().parameterViolations(param('tag'), 'Grüße')).not.toEqual([]);
    expect(factory().parameterViolations(param('tag'), 'plain value')).toEqual([]);
  });

  it('lists boundaries and unusual forms, each one accepted by the validator', () => {
    const f = factory();
    const accepts = (p: string) => (v: unknown) => f.parameterViolations(param(p), String(v)).length === 0;
    expect(f.unusualValues(param('orderId').schema, accepts('orderId'), 3)).toEqual([
      { value: 1, label: 'at minimum' },
      { value: 10, label: 'at maximum' },
    ]);
    // A pattern-constrained string gets no unicode text (it would break the pattern).
    expect(f.unusualValues(param('code').schema, accepts('code'), 'AB123')).toEqual([]);
    // A free string does (but not in a header, where it cannot be sent).
    expect(f.unusualValues({ type: 'string' }, () => true, 'x')).toEqual([
      { value: 'Grüße, 世界 — ✓', label: 'a unicode string' },
    ]);
    expect(f.unusualValues(param('tag').schema, accepts('tag'), 'x')).toEqual([]);
    expect(
      f.unusualValues({ type: 'string', format: 'uuid' }, () => true, 'f00dbabe-0000-4000-8000-000000000000'),
    ).toEqual([{ value: 'F00DBABE-0000-4000-8000-000000000000', label: 'an upper-case UUID' }]);
  });

  it('breaks one body field at a time, only where the schema types it', () => {
    const pointer = operation(spec, 'createOrder').requestBody!.content[0]!.schemaPointer!;
    // `id` is readOnly: a client does not send it, so it is not varied either.
    const body = { items: ['a'], count: 2, note: 'any', id: 'x' };
    expect(factory().fieldTypeViolations(pointer, body)).toEqual([
      { field: 'items', value: 12345, breaks: 'type array' },
      { field: 'count', value: 'mcpc-wrong-type', breaks: 'type integer' },
    ]);
  });
});

describe('the planner sends as valid only what validates, and skips with the reason otherwise', () => {
  const plan = planSpec(
    spec,
    // POST /orders may create data nothing in the spec undoes: consent lets it be planned.
    { credentials: new Map(), params: new Map(), allowDestructive: true, seed: 1 },
    () => true,
  );
  const byId = (id: string) => plan.cases.find((c) => c.id === id)!;

  it('sends an id within maximum, a code matching the pattern and the enum example', () => {
    const c = byId('values-factory:getOrder:valid:0');
    expect(c.skip).toBeUndefined();
    const orderId = Number(compilePathTemplate(getOrder.path)(c.request.path)?.orderId);
    expect(orderId).toBeLessThanOrEqual(10);
    expect(Object.fromEntries(c.request.query)).toMatchObject({
      code: expect.stringMatching(/^[A-Z]{2}\d{3}$/),
      region: 'us',
    });
  });

  it('never replaces an enum path parameter by a made-up value: that case is skipped, saying why', () => {
    // Without consent, where a DELETE may name only a fresh id — and an enum has none.
    const unconsented = planSpec(
      spec,
      { credentials: new Map(), params: new Map(), allowDestructive: false, seed: 1 },
      () => true,
    );
    const nonexistent = unconsented.cases.filter((c) => c.id.startsWith('values-factory:deleteRegion:nonexistent-id'));
    expect(nonexistent.map((c) => c.skip)).toEqual([expect.stringContaining("path parameter 'region' is an enum")]);
    const valid = unconsented.cases.find((c) => c.id === 'values-factory:deleteRegion:valid:0')!;
    expect(valid.skip).toEqual(expect.stringContaining("path parameter 'region' is an enum"));
  });

  it('varies no readOnly body field (a client does not send it)', () => {
    const titles = plan.cases.filter((c) => c.id.startsWith('values-factory:createOrder')).map((c) => c.title);
    expect(titles.filter((t) => t.includes("body field 'count'")).length).toBeGreaterThan(0);
    expect(titles.filter((t) => t.includes("body field 'id'"))).toEqual([]);
  });

  it("plans the spec's body example that breaks the schema as skipped, a spec defect, and sends the good one", () => {
    const skipped = plan.cases.filter((c) => c.skip && c.id.startsWith('values-factory:createOrder'));
    expect(skipped.map((c) => c.title)).toEqual(["valid request (body example 'empty')"]);
    expect(skipped[0]!.skip).toMatch(/breaks its own schema .*minItems|fewer than 1 items/);
    expect(JSON.parse(byId('values-factory:createOrder:valid:0').request.body!)).toEqual({ items: ['a'], count: 2 });
  });
});
