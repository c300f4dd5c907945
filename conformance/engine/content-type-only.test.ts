import { describe, expect, it } from 'vitest';
import { compiled, compiledFromText, demoCredentials, exchange, json, operation, response } from '../test-helpers.js';
import { contentTypeOnlyRemark } from './coverage.js';
import { planSpec } from './plan.js';

/** The run says where it checked only the Content-Type: each operation × status answered in an unreadable type. */

const photos = await compiledFromText(
  `openapi: 3.1.0
info: { title: photos, version: "1" }
paths:
  /photos/{id}:
    get:
      operationId: getPhoto
      parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
      responses:
        "200":
          description: the photo, or its metadata
          content:
            image/png: { schema: { type: string, format: binary } }
            application/json: { schema: { type: object } }
        "404":
          description: not found, as plain text
          content:
            text/plain: { schema: { type: string } }
        "406":
          description: a CSV table of what can be had
          content:
            text/csv: { schema: { type: array, items: { type: object } } }
        "409":
          description: JSON without a schema (nothing to validate, but not for its media type)
          content:
            application/json: {}
`,
  'photos',
);
const options = { credentials: demoCredentials(), params: new Map(), allowDestructive: false, seed: 1 };
const plan = planSpec(photos, options, () => true);
const getPhoto = operation(photos, 'getPhoto');
const typed = (status: number, type: string, body: string) =>
  response(status, { body, headers: { 'content-type': type } });
const seen = (...responses: ReturnType<typeof response>[]) =>
  responses.map((r) => ({ exchange: exchange({ operation: getPhoto, response: r }), specName: 'photos' }));

describe('contentTypeOnlyRemark', () => {
  it('lists each operation × status answered in a media type that cannot be validated', () => {
    const remark = contentTypeOnlyRemark(
      [plan],
      seen(
        typed(200, 'image/png', 'PNG…'),
        typed(200, 'image/png', 'again'),
        typed(406, 'text/csv; header=present', 'a,b'),
      ),
    );
    expect(remark).toBe(
      "content type only (the body's media type cannot be validated against its schema; only its Content-Type was checked): photos GET /photos/{id} 200 image/png, photos GET /photos/{id} 406 text/csv",
    );
  });

  it('says nothing where every body was validated: JSON, text with a string schema, empty bodies', async () => {
    expect(
      contentTypeOnlyRemark(
        [plan],
        seen(
          json(200, {}),
          json(409, { any: 'thing' }),
          typed(404, 'text/plain', 'no such photo'),
          typed(200, 'image/png', ''),
        ),
      ),
    ).toBeUndefined();
    const langsmith = await compiled('langsmith');
    const del = operation(langsmith, 'deleteMcpServer');
    const langsmithPlan = planSpec(langsmith, options, () => true);
    expect(
      contentTypeOnlyRemark(
        [langsmithPlan],
        [{ exchange: exchange({ operation: del, response: json(404, {}) }), specName: 'langsmith' }],
      ),
    ).toBeUndefined();
  });
});
