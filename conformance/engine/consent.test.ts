import { describe, expect, it } from 'vitest';
import { compiled, compiledFromText, demoCredentials, operation } from '../test-helpers.js';
import type { PlannedCase } from '../types.js';
import { classifyOperation } from './consent.js';
import { type PlanOptions, planSpec } from './plan.js';

/** A small API with every shape the consent rules tell apart. */
const shop = await compiledFromText(
  `openapi: 3.1.0
info: { title: shop, version: "1" }
security: [ { key: [] } ]
paths:
  /pets:
    get:
      operationId: listPets
      responses: { "200": { description: ok } }
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [name], properties: { name: { type: string } } }
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Pet" }
        "401": { description: no }
        "404": { description: no }
  /pets/{petId}:
    parameters:
      - { name: petId, in: path, required: true, schema: { type: string } }
    get:
      operationId: getPet
      responses: { "200": { description: ok }, "401": { description: no }, "404": { description: no } }
    delete:
      operationId: deletePet
      responses: { "204": { description: gone }, "401": { description: no }, "404": { description: no } }
  /repos:
    post:
      operationId: createRepo
      requestBody:
        content: { application/json: { schema: { type: object } } }
      responses: { "201": { description: created } }
  /settings:
    put:
      operationId: putSettings
      requestBody:
        content: { application/json: { schema: { type: object } } }
      responses: { "200": { description: ok } }
  /slots/{slotId}:
    put:
      operationId: putSlot
      parameters:
        - { name: slotId, in: path, required: true, schema: { type: string } }
      requestBody:
        content: { application/json: { schema: { type: object } } }
      responses: { "200": { description: ok } }
  /keys/{keyId}:
    parameters:
      - { name: keyId, in: path, required: true, schema: { type: string } }
    put:
      operationId: putKey
      requestBody:
        content: { application/json: { schema: { type: object } } }
      responses: { "201": { description: ok } }
    delete:
      operationId: deleteKey
      responses: { "204": { description: gone } }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: x-key }
  schemas:
    Pet:
      allOf:
        - type: object
          properties: { id: { type: string } }
        - type: object
          properties: { name: { type: string } }
`,
  'shop',
);

const options = (more: Partial<PlanOptions> = {}): PlanOptions => ({
  credentials: new Map([['key', 'k-123']]),
  params: new Map(),
  allowDestructive: false,
  seed: 1,
  ...more,
});
const all = () => true;

describe('classifyOperation', () => {
  it.each([
    ['a GET only reads', 'listPets', false, 'safe'],
    ['a DELETE naming only a fresh id names nothing', 'deletePet', true, 'safe'],
    ['a POST to a collection with a matching DELETE whose id the body carries', 'createPet', false, 'undoable'],
    ['a POST to a collection with no way back', 'createRepo', false, 'needs-consent'],
    ['a PUT to a resource no parameter names', 'putSettings', false, 'needs-consent'],
    ['a PUT to a fresh id with no DELETE on that path (it may create there)', 'putSlot', true, 'needs-consent'],
    ['a PUT to a fresh id with a DELETE on that path', 'putKey', true, 'undoable'],
  ] as const)('%s: %s is %s', (_name, id, fresh, want) => {
    expect(classifyOperation(shop, operation(shop, id), fresh).consent).toBe(want);
  });

  it('finds the id of what POST /pets created in its body (through allOf), for DELETE /pets/{petId}', () => {
    expect(classifyOperation(shop, operation(shop, 'createPet'), false).undo).toEqual([
      {
        operationId: 'deletePet',
        parameters: { 'path.petId': '$response.body#/id' },
        via: 'matching DELETE /pets/{petId}',
      },
    ]);
  });

  it("undoes StackOne's initialize through its link to DELETE /mcp", async () => {
    const stackone = await compiled('stackone');
    const consent = classifyOperation(stackone, operation(stackone, 'stackone_mcp_post'), false);
    expect(consent.consent).toBe('undoable');
    expect(consent.undo.map((u) => u.via)).toContain('link DeleteSession');
  });
});

describe('planSpec: consent', () => {
  const plan = planSpec(shop, options(), all);
  const requests = (cases: PlannedCase[]) =>
    cases.flatMap((c): Array<Pick<PlannedCase, 'consent'>> => (c.steps ? c.steps : [c]));

  it('sends nothing at all — not even invalid-input or credential probes — to an operation that needs consent', () => {
    const labels = new Set(plan.cases.map((c) => c.label));
    for (const label of ['POST /repos', 'PUT /settings', 'PUT /slots/{slotId}']) expect(labels).not.toContain(label);
    expect(plan.remarks).toContain(
      'POST /repos may create data, and the spec offers no link or matching DELETE to undo it: nothing is sent to it without --allow-destructive',
    );
  });

  it('marks every planned request safe or undoable without --allow-destructive', () => {
    const marks = new Set(requests(plan.cases).map((r) => r.consent));
    expect([...marks].sort()).toEqual(['safe', 'undoable']);
  });

  it('plans the needs-consent operations, marked so, once consent is given', () => {
    const given = planSpec(shop, options({ allowDestructive: true }), all);
    const repo = given.cases.filter((c) => c.label === 'POST /repos');
    expect(repo.length).toBeGreaterThan(0);
    expect(new Set(repo.map((c) => c.consent))).toEqual(new Set(['needs-consent']));
  });

  it('steps through what POST /pets created: use, credential probes on it, then the delete comes last', () => {
    const lifecycle = plan.cases.find((c) => c.kind === 'lifecycle' && c.label === 'POST /pets')!;
    expect(lifecycle.title).toBe(
      'lifecycle through matching DELETE /pets/{petId}: create → use → auth-probe ×4 → delete → delete-again → use-after-delete',
    );
    const steps = lifecycle.steps!;
    expect(steps.map((s) => [s.role, s.request.method, s.credentials ?? 'valid'])).toEqual([
      ['create', 'POST', 'valid'],
      ['use', 'GET', 'valid'],
      ['auth-probe', 'GET', 'none'],
      ['auth-probe', 'GET', 'wrong'],
      ['auth-probe', 'DELETE', 'none'],
      ['auth-probe', 'DELETE', 'wrong'],
      ['delete', 'DELETE', 'valid'],
      ['delete-again', 'DELETE', 'valid'],
      ['use-after-delete', 'GET', 'valid'],
    ]);
    // Every step after the create names the created pet, through the id in the create's body.
    for (const s of steps.slice(1)) {
      expect(s.bindings).toEqual([{ target: 'path.petId', expression: '$response.body#/id' }]);
    }
    expect(steps[2]!.request.headers['x-key']).toBeUndefined();
    expect(steps[3]!.request.headers['x-key']).toBe('mcpc-wrong-credential-0000000000');
  });

  it('StackOne: the credential probes go to the session the run opened, before it is closed', async () => {
    const stackone = await compiled('stackone');
    const lifecycle = planSpec(stackone, { ...options(), credentials: demoCredentials() }, all).cases.find(
      (c) => c.kind === 'lifecycle',
    )!;
    const steps = lifecycle.steps!;
    const firstDelete = steps.findIndex((s) => s.role === 'delete');
    const probes = steps.filter((s) => s.role === 'auth-probe');
    expect(probes.map((s) => `${s.request.method} ${s.credentials}`)).toEqual([
      'POST none',
      'POST wrong',
      'DELETE none',
      'DELETE wrong',
    ]);
    for (const p of probes) {
      expect(steps.indexOf(p)).toBeLessThan(firstDelete);
      expect(p.bindings.map((b) => b.target)).toContain('header.mcp-session-id');
    }
  });
});
