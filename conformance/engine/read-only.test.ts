import { describe, expect, it } from 'vitest';
import { compiledFromText } from '../test-helpers.js';
import { planSpec } from './plan.js';

/**
 * A required property that is readOnly may be left out of a request (OpenAPI 3.0 and 3.1): `{}` is then a valid
 * body, and planning it as "breaks required" fails every conformant server on one of two cases.
 */
describe('a required readOnly property is not what an invalid body leaves out', async () => {
  const spec = await compiledFromText(
    `openapi: 3.0.3
info: { title: ro, version: '1' }
paths:
  /ro:
    post:
      operationId: onlyReadOnly
      requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/OnlyRo' } } } }
      responses: { '201': { description: ok }, '400': { description: bad } }
  /mixed:
    post:
      operationId: mixed
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [id, label], properties: { id: { type: string, readOnly: true }, label: { type: string } } }
      responses: { '201': { description: ok }, '400': { description: bad } }
components:
  schemas:
    OnlyRo: { type: object, required: [id], properties: { id: { type: string, readOnly: true }, label: { type: string } } }
`,
    'ro',
  );
  const plan = planSpec(
    spec,
    { credentials: new Map(), params: new Map(), allowDestructive: true, seed: 1 },
    () => true,
  );
  const invalid = (op: string) =>
    plan.cases.filter((c) => c.id.includes(`:${op}:invalid-body:0`)).map((c) => `${c.title} ${c.request.body}`);

  it('only readOnly fields required: `{}` is valid, so the invalid body is the wrong type instead', () => {
    expect(invalid('onlyReadOnly')).toEqual(['body breaks the schema (type object) []']);
  });

  it('a writable field required too: `{}` breaks that one, and the title names it alone', () => {
    expect(invalid('mixed')).toEqual(['body breaks the schema (required label) {}']);
  });
});
