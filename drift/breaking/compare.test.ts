import { describe, expect, it } from 'vitest';
import type { LoadedSpec, OpenApiDocument } from '../../core/spec.js';
import { compareSpecs } from './compare.js';
import { type BreakingRuleId, breakingRuleIds, breakingRules } from './rules.js';

/** A small spec that has one of everything the rules look at. */
function base(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'things', version: '1' },
    security: [{ bearer: [] }],
    paths: {
      '/things/{thingId}': {
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'getThing',
          parameters: [
            { name: 'verbose', in: 'query', schema: { type: 'boolean' } },
            { name: 'X-Trace', in: 'header', schema: { type: 'string', minLength: 8 } },
          ],
          responses: {
            '200': {
              description: 'the thing',
              headers: { 'X-Rate': { schema: { type: 'integer' } } },
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/Thing' } },
                'text/plain': { schema: { type: 'string' } },
              },
            },
            '404': { description: 'no such thing' },
          },
        },
        put: {
          operationId: 'putThing',
          requestBody: {
            required: false,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Input' } },
              'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/Input' } },
            },
          },
          responses: { '200': { description: 'stored' } },
        },
      },
      '/health': { get: { operationId: 'health', security: [], responses: { '200': { description: 'up' } } } },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      },
      schemas: {
        Thing: {
          type: 'object',
          description: 'A thing.',
          properties: {
            id: { type: 'string', format: 'uuid' },
            kind: { type: 'string', enum: ['a', 'b'] },
            note: { type: 'string', nullable: true },
            shape: { oneOf: [{ $ref: '#/components/schemas/Circle' }, { $ref: '#/components/schemas/Square' }] },
          },
          required: ['id', 'kind'],
        },
        Input: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            size: { type: ['integer', 'string'] },
            mode: { type: 'string', enum: ['x', 'y'] },
            tag: { type: 'string' },
            shape: { oneOf: [{ $ref: '#/components/schemas/Circle' }, { $ref: '#/components/schemas/Square' }] },
          },
          required: ['name'],
        },
        Circle: { type: 'object', properties: { r: { type: 'number' } }, required: ['r'] },
        Square: { type: 'object', properties: { side: { type: 'number' } }, required: ['side'] },
        Triangle: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] },
      },
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: test edits reach deep into a loosely typed document
type Doc = any;

function edit(change: (doc: Doc) => void): OpenApiDocument {
  const doc = base();
  change(doc);
  return doc;
}

function specOf(document: OpenApiDocument): LoadedSpec {
  return { name: 'things', file: 'things.yaml', source: '', document, version: '3.1', locate: () => undefined };
}

const thing = '/paths/~1things~1{thingId}';
const get = `${thing}/get`;
const put = `${thing}/put`;
const schemas = '/components/schemas';

interface Want {
  rule: BreakingRuleId;
  pointer: string;
}

const diff = (before: OpenApiDocument, after: OpenApiDocument): Want[] =>
  compareSpecs(specOf(before), specOf(after))
    .map(({ rule, pointer }) => ({ rule, pointer }))
    .sort((a, b) => `${a.rule}${a.pointer}`.localeCompare(`${b.rule}${b.pointer}`));

const ruleCases: Array<[string, { before: OpenApiDocument; after: OpenApiDocument; want: Want[] }]> = [
  [
    'path removed',
    {
      before: base(),
      after: edit((d) => delete d.paths['/health']),
      want: [{ rule: 'path-removed', pointer: '/paths/~1health' }],
    },
  ],
  [
    'operation removed',
    {
      before: base(),
      after: edit((d) => delete d.paths['/things/{thingId}'].put),
      want: [{ rule: 'operation-removed', pointer: put }],
    },
  ],
  [
    'documented status removed',
    {
      before: base(),
      after: edit((d) => delete d.paths['/things/{thingId}'].get.responses['404']),
      want: [{ rule: 'response-status-removed', pointer: `${get}/responses/404` }],
    },
  ],
  [
    'success status changed',
    {
      before: base(),
      after: edit((d) => {
        const responses = d.paths['/things/{thingId}'].put.responses;
        responses['204'] = responses['200'];
        delete responses['200'];
      }),
      want: [{ rule: 'success-status-changed', pointer: `${put}/responses/204` }],
    },
  ],
  [
    'response media type removed',
    {
      before: base(),
      after: edit((d) => delete d.paths['/things/{thingId}'].get.responses['200'].content['text/plain']),
      want: [{ rule: 'response-media-type-removed', pointer: `${get}/responses/200/content/text~1plain` }],
    },
  ],
  [
    'required response property removed',
    {
      before: base(),
      after: edit((d) => {
        delete d.components.schemas.Thing.properties.id;
        d.components.schemas.Thing.required = ['kind'];
      }),
      want: [{ rule: 'response-property-removed', pointer: `${schemas}/Thing/properties/id` }],
    },
  ],
  [
    'optional response property removed',
    {
      before: base(),
      after: edit((d) => delete d.components.schemas.Thing.properties.note),
      want: [{ rule: 'response-optional-property-removed', pointer: `${schemas}/Thing/properties/note` }],
    },
  ],
  [
    'response property made optional',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Thing.required = ['id'];
      }),
      want: [{ rule: 'response-property-became-optional', pointer: `${schemas}/Thing/properties/kind` }],
    },
  ],
  [
    'response property type changed',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Thing.properties.id.type = 'integer';
        delete d.components.schemas.Thing.properties.id.format;
      }),
      want: [{ rule: 'response-type-changed', pointer: `${schemas}/Thing/properties/id/type` }],
    },
  ],
  [
    'response property became nullable (3.1 type array)',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Thing.properties.id.type = ['string', 'null'];
      }),
      want: [{ rule: 'response-type-changed', pointer: `${schemas}/Thing/properties/id/type` }],
    },
  ],
  [
    'response format dropped',
    {
      before: base(),
      after: edit((d) => delete d.components.schemas.Thing.properties.id.format),
      want: [{ rule: 'response-format-changed', pointer: `${schemas}/Thing/properties/id` }],
    },
  ],
  [
    'response enum widened',
    {
      before: base(),
      after: edit((d) => d.components.schemas.Thing.properties.kind.enum.push('c')),
      want: [{ rule: 'response-enum-widened', pointer: `${schemas}/Thing/properties/kind/enum` }],
    },
  ],
  [
    'response oneOf gained a branch',
    {
      before: base(),
      after: edit((d) =>
        d.components.schemas.Thing.properties.shape.oneOf.push({ $ref: '#/components/schemas/Triangle' }),
      ),
      want: [{ rule: 'response-variant-added', pointer: `${schemas}/Thing/properties/shape/oneOf/2` }],
    },
  ],
  [
    'response header removed',
    {
      before: base(),
      after: edit((d) => delete d.paths['/things/{thingId}'].get.responses['200'].headers),
      want: [{ rule: 'response-header-removed', pointer: `${get}/responses/200/headers/X-Rate` }],
    },
  ],
  [
    'required request parameter added',
    {
      before: base(),
      after: edit((d) =>
        d.paths['/things/{thingId}'].get.parameters.push({
          name: 'tenant',
          in: 'query',
          required: true,
          schema: { type: 'string' },
        }),
      ),
      want: [{ rule: 'request-parameter-added-required', pointer: `${get}/parameters/2` }],
    },
  ],
  [
    'request parameter made required',
    {
      before: base(),
      after: edit((d) => {
        d.paths['/things/{thingId}'].get.parameters[0].required = true;
      }),
      want: [{ rule: 'request-parameter-became-required', pointer: `${get}/parameters/0` }],
    },
  ],
  [
    'request parameter removed',
    {
      before: base(),
      after: edit((d) => d.paths['/things/{thingId}'].get.parameters.splice(1, 1)),
      want: [{ rule: 'request-parameter-removed', pointer: `${get}/parameters/1` }],
    },
  ],
  [
    'query parameter renamed',
    {
      before: base(),
      after: edit((d) => {
        d.paths['/things/{thingId}'].get.parameters[0].name = 'detail';
      }),
      want: [{ rule: 'parameter-renamed', pointer: `${get}/parameters/0` }],
    },
  ],
  [
    'path parameter renamed',
    {
      before: base(),
      after: edit((d) => {
        const item = d.paths['/things/{thingId}'];
        item.parameters[0].name = 'id';
        d.paths['/things/{id}'] = item;
        delete d.paths['/things/{thingId}'];
      }),
      want: [
        { rule: 'path-parameter-renamed', pointer: '/paths/~1things~1{id}/parameters/0' },
        // One finding, reached from both operations under the path.
      ],
    },
  ],
  [
    'parameter moved from header to query',
    {
      before: base(),
      after: edit((d) => {
        d.paths['/things/{thingId}'].get.parameters[1].in = 'query';
      }),
      want: [{ rule: 'parameter-moved', pointer: `${get}/parameters/1` }],
    },
  ],
  [
    'request body made required',
    {
      before: base(),
      after: edit((d) => {
        d.paths['/things/{thingId}'].put.requestBody.required = true;
      }),
      want: [{ rule: 'request-body-became-required', pointer: `${put}/requestBody` }],
    },
  ],
  [
    'request media type removed',
    {
      before: base(),
      after: edit(
        (d) => delete d.paths['/things/{thingId}'].put.requestBody.content['application/x-www-form-urlencoded'],
      ),
      want: [
        {
          rule: 'request-media-type-removed',
          pointer: `${put}/requestBody/content/application~1x-www-form-urlencoded`,
        },
      ],
    },
  ],
  [
    'required request property added',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Input.properties.color = { type: 'string' };
        d.components.schemas.Input.required.push('color');
      }),
      want: [{ rule: 'request-property-added-required', pointer: `${schemas}/Input/properties/color` }],
    },
  ],
  [
    'request property made required',
    {
      before: base(),
      after: edit((d) => d.components.schemas.Input.required.push('tag')),
      want: [{ rule: 'request-property-became-required', pointer: `${schemas}/Input/properties/tag` }],
    },
  ],
  [
    'request property removed',
    {
      before: base(),
      after: edit((d) => delete d.components.schemas.Input.properties.tag),
      want: [{ rule: 'request-property-removed', pointer: `${schemas}/Input/properties/tag` }],
    },
  ],
  [
    'request type narrowed',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Input.properties.size.type = 'integer';
      }),
      want: [{ rule: 'request-type-narrowed', pointer: `${schemas}/Input/properties/size/type` }],
    },
  ],
  [
    'request number narrowed to integer',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Circle.properties.r.type = 'integer';
      }),
      want: [{ rule: 'request-type-narrowed', pointer: `${schemas}/Circle/properties/r/type` }],
    },
  ],
  [
    'request format added',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Input.properties.name.format = 'email';
      }),
      want: [{ rule: 'request-format-narrowed', pointer: `${schemas}/Input/properties/name/format` }],
    },
  ],
  [
    'request enum value removed',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Input.properties.mode.enum = ['x'];
      }),
      want: [{ rule: 'request-enum-value-removed', pointer: `${schemas}/Input/properties/mode/enum` }],
    },
  ],
  [
    'request value newly restricted by const',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Input.properties.tag.const = 'fixed';
      }),
      want: [{ rule: 'request-enum-value-removed', pointer: `${schemas}/Input/properties/tag/const` }],
    },
  ],
  [
    'request oneOf lost a branch',
    {
      before: base(),
      after: edit((d) => d.components.schemas.Input.properties.shape.oneOf.pop()),
      want: [
        { rule: 'request-variant-removed', pointer: `${schemas}/Input/properties/shape/oneOf/1` },
        // Thing shares Circle/Square but its oneOf is untouched: only the request side is reported.
      ],
    },
  ],
  [
    'security requirement added to an anonymous operation',
    {
      before: base(),
      after: edit((d) => {
        d.paths['/health'].get.security = [{ bearer: [] }];
      }),
      want: [{ rule: 'security-requirement-added', pointer: '/paths/~1health/get/security' }],
    },
  ],
  [
    'security requirement changed (reported once for every operation using the root security)',
    {
      before: base(),
      after: edit((d) => {
        d.security = [{ key: [] }];
      }),
      want: [{ rule: 'security-requirement-changed', pointer: '/security' }],
    },
  ],
  [
    'security scope added',
    {
      before: base(),
      after: edit((d) => {
        d.security = [{ bearer: ['things:write'] }];
      }),
      want: [{ rule: 'security-scope-added', pointer: '/security' }],
    },
  ],
  [
    'security scheme changed',
    {
      before: base(),
      after: edit((d) => {
        d.components.securitySchemes.bearer.scheme = 'basic';
      }),
      want: [{ rule: 'security-scheme-changed', pointer: '/components/securitySchemes/bearer' }],
    },
  ],
  [
    'operation added (info)',
    {
      before: base(),
      after: edit((d) => {
        d.paths['/things/{thingId}'].delete = { responses: { '204': { description: 'gone' } } };
      }),
      want: [{ rule: 'operation-added', pointer: `${thing}/delete` }],
    },
  ],
  [
    'response status added (info)',
    {
      before: base(),
      after: edit((d) => {
        d.paths['/things/{thingId}'].get.responses['500'] = { description: 'oops' };
      }),
      want: [{ rule: 'response-status-added', pointer: `${get}/responses/500` }],
    },
  ],
  [
    'operation deprecated (info)',
    {
      before: base(),
      after: edit((d) => {
        d.paths['/things/{thingId}'].get.deprecated = true;
      }),
      want: [{ rule: 'operation-deprecated', pointer: `${get}/deprecated` }],
    },
  ],
];

const noFindingCases: Array<[string, { before: OpenApiDocument; after: OpenApiDocument; want: Want[] }]> = [
  [
    'optional response property added',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Thing.properties.extra = { type: 'string' };
      }),
      want: [],
    },
  ],
  [
    '$ref moved: component renamed and every reference updated',
    {
      before: base(),
      after: (() => {
        const doc = base() as Doc;
        doc.components.schemas.Item = doc.components.schemas.Thing;
        delete doc.components.schemas.Thing;
        doc.paths['/things/{thingId}'].get.responses['200'].content['application/json'].schema.$ref =
          '#/components/schemas/Item';
        doc.components.schemas.Round = doc.components.schemas.Circle;
        delete doc.components.schemas.Circle;
        for (const s of [doc.components.schemas.Item, doc.components.schemas.Input])
          s.properties.shape.oneOf[0].$ref = '#/components/schemas/Round';
        return doc;
      })(),
      want: [],
    },
  ],
  [
    '$ref inlined, and allOf refactoring',
    {
      before: base(),
      after: edit((d) => {
        const thingSchema = d.components.schemas.Thing;
        d.paths['/things/{thingId}'].get.responses['200'].content['application/json'].schema = {
          allOf: [
            { type: 'object', properties: { id: thingSchema.properties.id }, required: ['id'] },
            {
              properties: { kind: thingSchema.properties.kind, note: thingSchema.properties.note },
              required: ['kind'],
            },
            { properties: { shape: thingSchema.properties.shape } },
          ],
        };
      }),
      want: [],
    },
  ],
  [
    'reordering of paths, parameters, properties, responses, enum values and oneOf branches',
    {
      before: base(),
      after: (() => {
        const doc = base() as Doc;
        const reverse = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());
        doc.paths = reverse(doc.paths);
        const op = doc.paths['/things/{thingId}'].get;
        op.parameters.reverse();
        op.responses = reverse(op.responses);
        doc.components.schemas.Thing.properties = reverse(doc.components.schemas.Thing.properties);
        doc.components.schemas.Thing.properties.kind.enum.reverse();
        doc.components.schemas.Thing.required.reverse();
        doc.components.schemas.Input.properties.shape.oneOf.reverse();
        return doc;
      })(),
      want: [],
    },
  ],
  [
    'description, summary and example edits',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Thing.description = 'Something else entirely.';
        d.components.schemas.Thing.properties.id.example = '3f2b…';
        d.paths['/things/{thingId}'].get.summary = 'Read a thing';
        d.paths['/things/{thingId}'].get.responses['404'].description = 'not here';
      }),
      want: [],
    },
  ],
  [
    'OpenAPI 3.0 nullable rewritten as a 3.1 type array',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Thing.properties.note = { type: ['string', 'null'] };
      }),
      want: [],
    },
  ],
  [
    'changes that widen a request or narrow a response',
    {
      before: base(),
      after: edit((d) => {
        d.components.schemas.Input.properties.mode.enum.push('z');
        d.components.schemas.Input.required = [];
        d.components.schemas.Input.properties.shape.oneOf.push({ $ref: '#/components/schemas/Triangle' });
        d.components.schemas.Thing.properties.kind.enum = ['a'];
        d.components.schemas.Thing.required.push('note');
        d.paths['/things/{thingId}'].get.parameters.push({ name: 'page', in: 'query', schema: { type: 'integer' } });
      }),
      want: [],
    },
  ],
  [
    'security alternative added next to the existing one',
    {
      before: base(),
      after: edit((d) => {
        d.security = [{ bearer: [] }, { key: [] }];
      }),
      want: [],
    },
  ],
];

describe('compareSpecs: one case per breaking-change rule', () => {
  it.each(ruleCases)('%s', (_name, { before, after, want }) => {
    expect(diff(before, after)).toEqual(want);
  });

  it('gives every rule a severity, a description and a fix', () => {
    for (const id of breakingRuleIds) {
      const rule = breakingRules[id];
      expect(['error', 'warning', 'info']).toContain(rule.severity);
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.fix.length).toBeGreaterThan(5);
    }
  });
});

describe('compareSpecs: no finding', () => {
  // Additions are listed (info, for the changelog); what matters here is that nothing breaks or may break.
  it.each(noFindingCases)('%s', (_name, { before, after, want }) => {
    expect(diff(before, after).filter((w) => breakingRules[w.rule].severity !== 'info')).toEqual(want);
  });

  it('compares a spec with itself without a finding', () => {
    expect(diff(base(), base())).toEqual([]);
  });
});

describe('compareSpecs: findings say what changed and where it is felt', () => {
  it('names the property path, the old and new types, and every operation reached', () => {
    const [change] = compareSpecs(
      specOf(base()),
      specOf(
        edit((d) => {
          d.components.schemas.Circle.properties.r.type = 'string';
        }),
      ),
    ).filter((c) => c.rule === 'response-type-changed');
    expect(change?.message).toBe("'body.shape<Circle>.r' was number, is now string");
    expect(change?.side).toBe('new');
    expect(change?.contexts).toEqual(['GET /things/{thingId} › response 200 application/json']);
  });

  it('puts removals on the old side', () => {
    const [change] = compareSpecs(specOf(base()), specOf(edit((d) => delete d.paths['/health'])));
    expect(change).toMatchObject({ rule: 'path-removed', side: 'old', severity: 'error' });
  });

  it('stops on recursive schemas', () => {
    const recursive = (type: string) =>
      edit((d) => {
        d.components.schemas.Thing.properties.parent = { $ref: '#/components/schemas/Thing' };
        d.components.schemas.Thing.properties.note.type = type;
      });
    expect(diff(recursive('string'), recursive('integer'))).toEqual([
      { rule: 'response-type-changed', pointer: `${schemas}/Thing/properties/note/type` },
    ]);
  });
});
