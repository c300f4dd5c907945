import { describe, expect, it } from 'vitest';
import { loadSpecFromText } from '../../core/spec.js';
import { compareSpecs } from './compare.js';
import { type BreakingRuleId, breakingRuleIds, breakingRules } from './rules.js';

/**
 * The rule table: for every rule, a spec pair that breaks clients (the rule must fire) and a harmless twin, a
 * conformant-but-unusual change that looks alike (the rule must not fire, nor any other error). For schema
 * rules the twin is the same edit on a property that does not exist on that side of the wire: `readOnly` for
 * request rules, `writeOnly` for response rules. Specs go through the real loader, as text.
 */

// biome-ignore lint/suspicious/noExplicitAny: spec pairs are loose OpenAPI documents
type Doc = Record<string, any>;
type Schema = Record<string, unknown>;

const now = new Date('2026-06-01T00:00:00Z');
const past = '2026-01-31';
const future = '2027-01-31';

const shapes = {
  A: { type: 'object', properties: { kind: { type: 'string' }, a: { type: 'string' } }, required: ['kind'] },
  B: { type: 'object', properties: { kind: { type: 'string' }, b: { type: 'number' } }, required: ['kind'] },
  C: { type: 'object', properties: { kind: { type: 'string' }, c: { type: 'boolean' } }, required: ['kind'] },
};

function doc(paths: Doc, extra: Doc = {}): Doc {
  const { components, ...rest } = extra;
  return {
    openapi: '3.1.0',
    info: { title: 'pair', version: '1' },
    paths,
    components: { schemas: shapes, ...components },
    ...rest,
  };
}

const ok = { '200': { description: 'ok' } };

/** POST /things taking `schema` as its JSON body. */
const requestBody = (schema: Schema, required = true): Doc =>
  doc({
    '/things': {
      post: { requestBody: { required, content: { 'application/json': { schema } } }, responses: ok },
    },
  });

/** GET /things answering `schema` with 200. */
const responseBody = (schema: Schema): Doc =>
  doc({
    '/things': {
      get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } },
    },
  });

/** An object with one property `v`, required or not, readOnly/writeOnly or not. */
const holding = (v: Schema, options: { required?: boolean; only?: 'readOnly' | 'writeOnly' } = {}): Schema => ({
  type: 'object',
  properties: { v: options.only ? { ...v, [options.only]: true } : v },
  ...(options.required ? { required: ['v'] } : {}),
});

const withParameters = (parameters: Doc[], path = '/things'): Doc =>
  doc({ [path]: { get: { parameters, responses: ok } } });

const query = (name: string, extra: Doc = {}): Doc => ({ name, in: 'query', schema: { type: 'string' }, ...extra });

const withResponses = (responses: Doc): Doc => doc({ '/things': { get: { responses } } });

const withHeaders = (headers: Doc): Doc => withResponses({ '200': { description: 'ok', headers } });

const withSecurity = (security: unknown[], schemes: Doc = { bearer: { type: 'http', scheme: 'bearer' } }): Doc =>
  doc({ '/things': { get: { security, responses: ok } } }, { components: { securitySchemes: schemes } });

const oauth = {
  oauth: {
    type: 'oauth2',
    flows: { clientCredentials: { tokenUrl: 'https://auth.example/token', scopes: { read: 'r', write: 'w' } } },
  },
};

const ref = (name: keyof typeof shapes) => ({ $ref: `#/components/schemas/${name}` });
const union = (names: Array<keyof typeof shapes>, mapping?: Record<string, keyof typeof shapes>): Schema => ({
  oneOf: names.map(ref),
  ...(mapping
    ? {
        discriminator: {
          propertyName: 'kind',
          mapping: Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, `#/components/schemas/${v}`])),
        },
      }
    : {}),
});

const webhook = (body: Schema | undefined): Doc =>
  doc(
    {},
    {
      webhooks: body
        ? {
            thingCreated: {
              post: { requestBody: { content: { 'application/json': { schema: body } } }, responses: ok },
            },
          }
        : {},
    },
  );

const withCallback = (present: boolean): Doc =>
  doc({
    '/subscriptions': {
      post: {
        responses: ok,
        ...(present
          ? {
              callbacks: {
                onDone: { '{$request.body#/url}': { post: { requestBody: { content: {} }, responses: ok } } },
              },
            }
          : {}),
      },
    },
  });

type Pair = [Doc, Doc];

interface Row {
  breaking: Pair;
  harmless: Pair;
}

/** A request-side schema edit, and its twin on a readOnly property (never sent). */
const requestSchema = (before: Schema, after: Schema, required = false): Row => ({
  breaking: [requestBody(holding(before, { required })), requestBody(holding(after, { required }))],
  harmless: [
    requestBody(holding(before, { required, only: 'readOnly' })),
    requestBody(holding(after, { required, only: 'readOnly' })),
  ],
});

/** A response-side schema edit, and its twin on a writeOnly property (never read). */
const responseSchema = (before: Schema, after: Schema, required = false): Row => ({
  breaking: [responseBody(holding(before, { required })), responseBody(holding(after, { required }))],
  harmless: [
    responseBody(holding(before, { required, only: 'writeOnly' })),
    responseBody(holding(after, { required, only: 'writeOnly' })),
  ],
});

const s = { type: 'string' };
const n = { type: 'number' };
const list = { type: 'array', items: s };

const table: Record<BreakingRuleId, Row> = {
  'path-removed': {
    breaking: [
      doc({ '/a': { get: { responses: ok } }, '/b': { get: { responses: ok } } }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
    harmless: [
      doc({ '/a': { get: { responses: ok } }, '/b': { get: { deprecated: true, responses: ok } } }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
  },
  'operation-removed': {
    breaking: [
      doc({ '/a': { get: { responses: ok }, post: { responses: ok } } }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
    harmless: [
      doc({ '/a': { get: { responses: ok }, post: { deprecated: true, 'x-sunset': past, responses: ok } } }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
  },
  'operation-removed-before-sunset': {
    breaking: [
      doc({ '/a': { get: { responses: ok }, post: { deprecated: true, 'x-sunset': future, responses: ok } } }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
    harmless: [
      doc({ '/a': { get: { responses: ok }, post: { deprecated: true, 'x-sunset': past, responses: ok } } }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
  },
  'deprecated-operation-removed': {
    breaking: [
      doc({ '/a': { get: { responses: ok }, post: { deprecated: true, responses: ok } } }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
    harmless: [
      doc({ '/a': { get: { responses: ok }, post: { deprecated: true, responses: ok } } }),
      doc({ '/a': { get: { responses: ok }, post: { deprecated: true, 'x-sunset': future, responses: ok } } }),
    ],
  },
  'sunset-not-a-date': {
    breaking: [
      doc({ '/a': { get: { responses: ok }, post: { deprecated: true, 'x-sunset': 'next spring', responses: ok } } }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
    // An HTTP-date, as the Sunset header writes it, is a date.
    harmless: [
      doc({
        '/a': {
          get: { responses: ok },
          post: { deprecated: true, 'x-sunset': 'Sat, 31 Jan 2026 00:00:00 GMT', responses: ok },
        },
      }),
      doc({ '/a': { get: { responses: ok } } }),
    ],
  },
  'response-status-removed': {
    breaking: [withResponses({ ...ok, '404': { description: 'no' } }), withResponses(ok)],
    harmless: [withResponses(ok), withResponses({ ...ok, '404': { description: 'no' } })],
  },
  'success-status-changed': {
    breaking: [withResponses(ok), withResponses({ '201': { description: 'made' } })],
    harmless: [withResponses(ok), withResponses({ ...ok, '201': { description: 'made' } })],
  },
  'response-media-type-removed': {
    breaking: [
      withResponses({ '200': { description: 'ok', content: { 'application/json': {}, 'application/xml': {} } } }),
      withResponses({ '200': { description: 'ok', content: { 'application/json': {} } } }),
    ],
    harmless: [
      withResponses({ '200': { description: 'ok', content: { 'application/json': {} } } }),
      withResponses({ '200': { description: 'ok', content: { 'application/json': {}, 'application/xml': {} } } }),
    ],
  },
  'response-property-removed': {
    breaking: [responseBody(holding(s, { required: true })), responseBody({ type: 'object', properties: {} })],
    harmless: [
      responseBody(holding(s, { required: true, only: 'writeOnly' })),
      responseBody({ type: 'object', properties: {} }),
    ],
  },
  'response-optional-property-removed': {
    breaking: [responseBody(holding(s)), responseBody({ type: 'object', properties: {} })],
    harmless: [responseBody(holding(s, { only: 'writeOnly' })), responseBody({ type: 'object', properties: {} })],
  },
  'response-property-became-optional': {
    breaking: [responseBody(holding(s, { required: true })), responseBody(holding(s))],
    harmless: [
      responseBody(holding(s, { required: true, only: 'writeOnly' })),
      responseBody(holding(s, { only: 'writeOnly' })),
    ],
  },
  'response-type-changed': responseSchema(s, { type: 'integer' }),
  'response-format-changed': responseSchema({ type: 'string', format: 'date' }, s),
  'response-enum-widened': responseSchema(
    { type: 'string', enum: ['a', 'b'] },
    { type: 'string', enum: ['a', 'b', 'c'] },
  ),
  'response-variant-added': responseSchema(union(['A', 'B']), union(['A', 'B', 'C'])),
  'response-discriminator-mapping-added': responseSchema(
    union(['A', 'B'], { a: 'A' }),
    union(['A', 'B'], { a: 'A', b: 'B' }),
  ),
  'response-required-header-removed': {
    breaking: [withHeaders({ 'X-Rate': { required: true, schema: n } }), withHeaders({})],
    harmless: [withHeaders({ 'X-Rate': { schema: n } }), withHeaders({})],
  },
  'response-header-removed': {
    breaking: [withHeaders({ 'X-Rate': { schema: n } }), withHeaders({})],
    harmless: [withHeaders({ 'X-Rate': { schema: n } }), withHeaders({ 'x-rate': { required: true, schema: n } })],
  },
  'response-header-became-optional': {
    breaking: [withHeaders({ 'X-Rate': { required: true, schema: n } }), withHeaders({ 'X-Rate': { schema: n } })],
    harmless: [withHeaders({ 'X-Rate': { schema: n } }), withHeaders({ 'X-Rate': { required: true, schema: n } })],
  },
  'response-max-length-increased': responseSchema({ ...s, maxLength: 10 }, { ...s, maxLength: 20 }),
  'response-min-length-decreased': responseSchema({ ...s, minLength: 3 }, s),
  'response-maximum-increased': responseSchema({ ...n, maximum: 10 }, { ...n, exclusiveMaximum: 11 }),
  'response-minimum-decreased': responseSchema({ ...n, minimum: 0, exclusiveMinimum: true }, { ...n, minimum: 0 }),
  'response-max-items-increased': responseSchema({ ...list, maxItems: 5 }, list),
  'response-min-items-decreased': responseSchema({ ...list, minItems: 1 }, { ...list, minItems: 0 }),
  'response-pattern-changed': responseSchema({ ...s, pattern: '^[a-z]+$' }, s),
  'request-parameter-added-required': {
    breaking: [withParameters([]), withParameters([query('q', { required: true })])],
    harmless: [withParameters([]), withParameters([query('q')])],
  },
  'request-parameter-became-required': {
    breaking: [withParameters([query('q')]), withParameters([query('q', { required: true })])],
    harmless: [withParameters([query('q', { required: true })]), withParameters([query('q')])],
  },
  'request-parameter-removed': {
    breaking: [withParameters([query('q')]), withParameters([])],
    harmless: [withParameters([query('q', { deprecated: true })]), withParameters([])],
  },
  'request-parameter-removed-before-sunset': {
    breaking: [withParameters([query('q', { deprecated: true, 'x-sunset': future })]), withParameters([])],
    harmless: [withParameters([query('q', { deprecated: true, 'x-sunset': past })]), withParameters([])],
  },
  'deprecated-parameter-removed': {
    breaking: [withParameters([query('q', { deprecated: true })]), withParameters([])],
    harmless: [withParameters([query('q')]), withParameters([query('q', { deprecated: true })])],
  },
  'parameter-renamed': {
    breaking: [withParameters([query('q')]), withParameters([query('search')])],
    harmless: [
      withParameters([{ name: 'X-Trace', in: 'header', schema: s }]),
      withParameters([{ name: 'x-trace', in: 'header', schema: s }]),
    ],
  },
  'path-parameter-renamed': {
    breaking: [
      withParameters([{ name: 'id', in: 'path', required: true, schema: s }], '/things/{id}'),
      withParameters([{ name: 'thingId', in: 'path', required: true, schema: s }], '/things/{thingId}'),
    ],
    harmless: [
      withParameters([{ name: 'id', in: 'path', required: true, schema: s }], '/things/{id}'),
      withParameters([{ name: 'id', in: 'path', required: true, schema: s, description: 'the id' }], '/things/{id}'),
    ],
  },
  'parameter-moved': {
    breaking: [withParameters([query('token')]), withParameters([{ name: 'token', in: 'header', schema: s }])],
    harmless: [
      withParameters([{ name: 'Token', in: 'header', schema: s }]),
      withParameters([{ name: 'token', in: 'header', schema: s }]),
    ],
  },
  'request-parameter-style-changed': {
    breaking: [
      withParameters([{ name: 'ids', in: 'query', schema: list }]),
      withParameters([{ name: 'ids', in: 'query', schema: list, explode: false }]),
    ],
    harmless: [
      withParameters([{ name: 'ids', in: 'query', schema: list }]),
      withParameters([{ name: 'ids', in: 'query', schema: list, style: 'form', explode: true }]),
    ],
  },
  'request-default-changed': {
    breaking: [
      withParameters([{ name: 'limit', in: 'query', schema: { type: 'integer', default: 20 } }]),
      withParameters([{ name: 'limit', in: 'query', schema: { type: 'integer', default: 50 } }]),
    ],
    harmless: [
      withParameters([{ name: 'limit', in: 'query', schema: { type: 'integer' } }]),
      withParameters([{ name: 'limit', in: 'query', schema: { type: 'integer', default: 20 } }]),
    ],
  },
  'request-body-became-required': {
    breaking: [requestBody(holding(s), false), requestBody(holding(s), true)],
    harmless: [requestBody(holding(s), true), requestBody(holding(s), false)],
  },
  'request-body-removed': {
    breaking: [requestBody(holding(s), false), doc({ '/things': { post: { responses: ok } } })],
    harmless: [doc({ '/things': { post: { responses: ok } } }), requestBody(holding(s), false)],
  },
  'request-media-type-removed': {
    breaking: [
      doc({
        '/things': { post: { requestBody: { content: { 'application/json': {}, 'text/plain': {} } }, responses: ok } },
      }),
      doc({ '/things': { post: { requestBody: { content: { 'application/json': {} } }, responses: ok } } }),
    ],
    harmless: [
      doc({ '/things': { post: { requestBody: { content: { 'application/json': {} } }, responses: ok } } }),
      doc({
        '/things': { post: { requestBody: { content: { 'application/json': {}, 'text/plain': {} } }, responses: ok } },
      }),
    ],
  },
  'request-property-added-required': {
    breaking: [requestBody({ type: 'object', properties: {} }), requestBody(holding(s, { required: true }))],
    harmless: [
      requestBody({ type: 'object', properties: {} }),
      requestBody(holding(s, { required: true, only: 'readOnly' })),
    ],
  },
  'request-property-became-required': {
    breaking: [requestBody(holding(s)), requestBody(holding(s, { required: true }))],
    harmless: [
      requestBody(holding(s, { only: 'readOnly' })),
      requestBody(holding(s, { required: true, only: 'readOnly' })),
    ],
  },
  'request-property-removed': {
    breaking: [requestBody(holding(s)), requestBody({ type: 'object', properties: {} })],
    harmless: [requestBody(holding(s, { only: 'readOnly' })), requestBody({ type: 'object', properties: {} })],
  },
  'request-closed-property-removed': {
    breaking: [
      requestBody({ ...holding(s), additionalProperties: false }),
      requestBody({ type: 'object', properties: {}, additionalProperties: false }),
    ],
    // The same removal from an open schema: clients still sending it are at most ignored (a warning).
    harmless: [requestBody(holding(s)), requestBody({ type: 'object', properties: {} })],
  },
  'request-schema-constraint-added': requestSchema({ type: 'object' }, { type: 'object', additionalProperties: false }),
  'request-type-narrowed': requestSchema({ type: ['integer', 'string'] }, { type: 'integer' }),
  'request-format-narrowed': requestSchema(s, { type: 'string', format: 'email' }),
  'request-enum-value-removed': requestSchema({ type: 'string', enum: ['x', 'y'] }, { type: 'string', enum: ['x'] }),
  'request-variant-removed': requestSchema(union(['A', 'B']), union(['A'])),
  'request-discriminator-mapping-removed': requestSchema(
    union(['A', 'B'], { a: 'A', b: 'B' }),
    union(['A', 'B'], { a: 'A' }),
  ),
  'discriminator-mapping-changed': requestSchema(union(['A', 'B'], { a: 'A' }), union(['A', 'B'], { a: 'B' })),
  'discriminator-property-changed': requestSchema(union(['A', 'B'], { a: 'A' }), {
    ...union(['A', 'B']),
    discriminator: { propertyName: 'type', mapping: { a: '#/components/schemas/A' } },
  }),
  'request-max-length-decreased': {
    // On a parameter: the twin is the same bound loosened.
    breaking: [
      withParameters([query('q', { schema: { ...s, maxLength: 20 } })]),
      withParameters([query('q', { schema: { ...s, maxLength: 10 } })]),
    ],
    harmless: [
      withParameters([query('q', { schema: { ...s, maxLength: 10 } })]),
      withParameters([query('q', { schema: { ...s, maxLength: 20 } })]),
    ],
  },
  'request-min-length-increased': requestSchema(s, { ...s, minLength: 1 }),
  'request-maximum-decreased': {
    breaking: [
      withParameters([query('n', { schema: { ...n, maximum: 100 } })]),
      withParameters([query('n', { schema: { ...n, maximum: 100, exclusiveMaximum: true } })]),
    ],
    harmless: [
      withParameters([query('n', { schema: { ...n, exclusiveMaximum: 100 } })]),
      withParameters([query('n', { schema: { ...n, maximum: 100 } })]),
    ],
  },
  'request-minimum-increased': requestSchema({ ...n, minimum: 0 }, { ...n, exclusiveMinimum: 0 }),
  'request-max-items-decreased': requestSchema({ ...list, maxItems: 10 }, { ...list, maxItems: 5 }),
  'request-min-items-increased': requestSchema(list, { ...list, minItems: 1 }),
  'request-multiple-of-changed': {
    ...requestSchema({ ...n, multipleOf: 2 }, { ...n, multipleOf: 3 }),
    // Every multiple of 10 is a multiple of 5: a coarser grid would break, a finer one does not.
    harmless: [requestBody(holding({ ...n, multipleOf: 10 })), requestBody(holding({ ...n, multipleOf: 5 }))],
  },
  // `[\w-./:]` is valid in most regex dialects and a SyntaxError under JavaScript's `u` flag: compared as text.
  'request-pattern-added': requestSchema(s, { ...s, pattern: '^[\\w-./:]+$' }),
  'request-pattern-changed': requestSchema({ ...s, pattern: '^[a-z]+$' }, { ...s, pattern: '^[\\w-./:]+$' }),
  'security-requirement-added': {
    breaking: [withSecurity([]), withSecurity([{ bearer: [] }])],
    harmless: [withSecurity([]), withSecurity([{}, { bearer: [] }])],
  },
  'security-requirement-changed': {
    breaking: [
      withSecurity([{ bearer: [] }], {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      }),
      withSecurity([{ key: [] }], {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      }),
    ],
    harmless: [
      withSecurity([{ bearer: [] }], {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      }),
      withSecurity([{ bearer: [] }, { key: [] }], {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      }),
    ],
  },
  'security-scope-added': {
    breaking: [withSecurity([{ oauth: ['read'] }], oauth), withSecurity([{ oauth: ['read', 'write'] }], oauth)],
    harmless: [withSecurity([{ oauth: ['read', 'write'] }], oauth), withSecurity([{ oauth: ['read'] }], oauth)],
  },
  'security-scheme-changed': {
    breaking: [
      withSecurity([{ bearer: [] }]),
      withSecurity([{ bearer: [] }], { bearer: { type: 'http', scheme: 'basic' } }),
    ],
    harmless: [
      withSecurity([{ bearer: [] }]),
      withSecurity([{ bearer: [] }], { bearer: { type: 'http', scheme: 'Bearer', bearerFormat: 'JWT' } }),
    ],
  },
  'security-scheme-removed': {
    breaking: [withSecurity([{ bearer: [] }]), withSecurity([{ bearer: [] }], {})],
    harmless: [
      withSecurity([{ bearer: [] }], {
        bearer: { type: 'http', scheme: 'bearer' },
        unused: { type: 'http', scheme: 'basic' },
      }),
      withSecurity([{ bearer: [] }]),
    ],
  },
  'webhook-removed': {
    breaking: [webhook(holding(s)), webhook(undefined)],
    harmless: [webhook(undefined), webhook(holding(s))],
  },
  'callback-removed': {
    breaking: [withCallback(true), withCallback(false)],
    harmless: [withCallback(false), withCallback(true)],
  },
  'webhook-added': {
    breaking: [webhook(undefined), webhook(holding(s))],
    harmless: [webhook(holding(s)), webhook(holding({ ...s, description: 'the thing' }))],
  },
  'callback-added': {
    breaking: [withCallback(false), withCallback(true)],
    harmless: [withCallback(true), withCallback(true)],
  },
  'request-parameter-added': {
    breaking: [withParameters([]), withParameters([query('q')])],
    harmless: [withParameters([query('q')]), withParameters([query('q', { description: 'search' })])],
  },
  'request-property-added': {
    breaking: [requestBody({ type: 'object', properties: {} }), requestBody(holding(s))],
    harmless: [requestBody({ type: 'object', properties: {} }), requestBody(holding(s, { only: 'readOnly' }))],
  },
  'request-enum-value-added': requestSchema({ type: 'string', enum: ['x'] }, { type: 'string', enum: ['x', 'y'] }),
  'response-property-added': {
    breaking: [responseBody({ type: 'object', properties: {} }), responseBody(holding(s))],
    harmless: [responseBody({ type: 'object', properties: {} }), responseBody(holding(s, { only: 'writeOnly' }))],
  },
  'response-header-added': {
    breaking: [withHeaders({}), withHeaders({ 'X-Rate': { schema: n } })],
    harmless: [withHeaders({ 'X-Rate': { schema: n } }), withHeaders({ 'x-rate': { schema: n } })],
  },
  'media-type-added': {
    breaking: [
      withResponses({ '200': { description: 'ok', content: { 'application/json': {} } } }),
      withResponses({ '200': { description: 'ok', content: { 'application/json': {}, 'text/csv': {} } } }),
    ],
    harmless: [
      withResponses({ '200': { description: 'ok', content: { 'application/json': {} } } }),
      withResponses({ '200': { description: 'ok', content: { 'Application/JSON': {} } } }),
    ],
  },
  'media-type-parameters-changed': {
    breaking: [
      withResponses({ '200': { description: 'ok', content: { 'application/json': {} } } }),
      withResponses({ '200': { description: 'ok', content: { 'application/json; charset=utf-8': {} } } }),
    ],
    harmless: [
      withResponses({ '200': { description: 'ok', content: { 'application/json; charset=utf-8': {} } } }),
      withResponses({ '200': { description: 'ok', content: { 'application/json;charset=UTF-8': {} } } }),
    ],
  },
  'operation-added': {
    breaking: [
      doc({ '/a': { get: { responses: ok } } }),
      doc({ '/a': { get: { responses: ok }, post: { responses: ok } } }),
    ],
    harmless: [doc({ '/a': { get: { responses: ok } } }), doc({ '/a': { get: { summary: 'read a', responses: ok } } })],
  },
  'response-status-added': {
    breaking: [withResponses(ok), withResponses({ ...ok, '404': { description: 'no' } })],
    harmless: [
      withResponses({ ...ok, '404': { description: 'no' } }),
      withResponses({ ...ok, '404': { description: 'gone' } }),
    ],
  },
  'operation-deprecated': {
    breaking: [doc({ '/a': { get: { responses: ok } } }), doc({ '/a': { get: { deprecated: true, responses: ok } } })],
    harmless: [doc({ '/a': { get: { deprecated: true, responses: ok } } }), doc({ '/a': { get: { responses: ok } } })],
  },
};

async function load(document: Doc, name: string) {
  return loadSpecFromText(JSON.stringify(document, null, 2), `${name}.json`, name);
}

async function rulesFired([before, after]: Pair): Promise<Array<{ rule: BreakingRuleId; severity: string }>> {
  const changes = compareSpecs(await load(before, 'before'), await load(after, 'after'), { now });
  return changes.map(({ rule, severity }) => ({ rule, severity }));
}

describe('the rule table: a breaking pair and a harmless twin for every rule', () => {
  it('has a row for every rule, and every rule says why, which side and what oasdiff calls it', () => {
    expect(Object.keys(table).sort()).toEqual([...breakingRuleIds].sort());
    for (const id of breakingRuleIds) {
      const rule: { why: string; oasdiff: string; side: string } = breakingRules[id];
      expect(rule.why.length, id).toBeGreaterThan(10);
      expect(rule.oasdiff.length, id).toBeGreaterThan(0);
      expect(['request', 'response', 'operation', 'security', 'webhook']).toContain(rule.side);
    }
  });

  describe.each(breakingRuleIds)('%s', (id) => {
    const row = table[id];
    it('fires on the breaking pair', async () => {
      const fired = await rulesFired(row.breaking);
      expect(fired.map((f) => f.rule)).toContain(id);
      expect(fired.find((f) => f.rule === id)?.severity).toBe(breakingRules[id].severity);
    });
    it('stays quiet on the harmless twin (and so does every other error rule)', async () => {
      const fired = await rulesFired(row.harmless);
      expect(fired.map((f) => f.rule)).not.toContain(id);
      expect(fired.filter((f) => f.severity === 'error')).toEqual([]);
    });
  });
});

const obj = { type: 'object' };
/** Each keyword of request-schema-constraint-added: tightened (fires), loosened (quiet). */
const constraintKeywords: Array<[string, Schema, Schema, Schema, Schema]> = [
  [
    'additionalProperties: false',
    obj,
    { ...obj, additionalProperties: false },
    { ...obj, additionalProperties: false },
    { ...obj, additionalProperties: s },
  ],
  [
    'additionalProperties narrowed',
    obj,
    { ...obj, additionalProperties: s },
    { ...obj, additionalProperties: s },
    { ...obj, additionalProperties: true },
  ],
  [
    'uniqueItems',
    list,
    { ...list, uniqueItems: true },
    { ...list, uniqueItems: true },
    { ...list, uniqueItems: false },
  ],
  ['minProperties', { ...obj, minProperties: 1 }, { ...obj, minProperties: 2 }, { ...obj, minProperties: 2 }, obj],
  ['maxProperties', obj, { ...obj, maxProperties: 3 }, { ...obj, maxProperties: 3 }, { ...obj, maxProperties: 5 }],
  ['not', s, { ...s, not: { const: 'x' } }, { ...s, not: { const: 'x' } }, s],
  [
    'propertyNames',
    obj,
    { ...obj, propertyNames: { maxLength: 10 } },
    { ...obj, propertyNames: { maxLength: 10 } },
    { ...obj, propertyNames: { maxLength: 20 } },
  ],
  ['contains', list, { ...list, contains: { const: 'x' } }, { ...list, contains: { const: 'x' } }, list],
];

describe.each(constraintKeywords)('request-schema-constraint-added: %s', (keyword, before, after, looser, loosened) => {
  it('fires when the request tightens it, naming the keyword', async () => {
    const changes = compareSpecs(
      await load(requestBody(holding(before)), 'before'),
      await load(requestBody(holding(after)), 'after'),
      { now },
    );
    const found = changes.filter((c) => c.severity === 'error');
    expect(found.length).toBeGreaterThan(0);
    const word = keyword.split(/[: ]/)[0] as string;
    expect(found.some((c) => c.message.includes(word) || c.message.includes('maxLength'))).toBe(true);
  });
  it('stays quiet when the request loosens it, and on a readOnly property', async () => {
    expect(
      (await rulesFired([requestBody(holding(looser)), requestBody(holding(loosened))])).filter(
        (f) => f.severity === 'error',
      ),
    ).toEqual([]);
    const hidden = await rulesFired([
      requestBody(holding(before, { only: 'readOnly' })),
      requestBody(holding(after, { only: 'readOnly' })),
    ]);
    expect(hidden.filter((f) => f.severity === 'error')).toEqual([]);
  });
  it('is not a response finding: a response may tighten it', async () => {
    expect(
      (await rulesFired([responseBody(holding(before)), responseBody(holding(after))])).filter(
        (f) => f.severity !== 'info',
      ),
    ).toEqual([]);
  });
});

describe('direction: who sends and who reads decides which rules apply', () => {
  it('reads a webhook body as a response: a new enum value is news to receivers, a new required property is not', async () => {
    const widened = await rulesFired([
      webhook(holding({ type: 'string', enum: ['a'] }, { required: true })),
      webhook(holding({ type: 'string', enum: ['a', 'b'] }, { required: true })),
    ]);
    expect(widened.map((f) => f.rule)).toEqual(['response-enum-widened']);
    const added = await rulesFired([
      webhook({ type: 'object', properties: {} }),
      webhook(holding(s, { required: true })),
    ]);
    expect(added.map((f) => f.rule)).toEqual(['response-property-added']);
  });

  it('reports a webhook finding at its place under /webhooks', async () => {
    const changes = compareSpecs(
      await load(webhook(holding(s, { required: true })), 'before'),
      await load(webhook({ type: 'object', properties: {} }), 'after'),
      { now },
    );
    expect(changes.map((c) => [c.rule, c.pointer, c.contexts[0]])).toEqual([
      [
        'response-property-removed',
        '/webhooks/thingCreated/post/requestBody/content/application~1json/schema/properties/v',
        'webhook POST thingCreated › request body application/json',
      ],
    ]);
  });

  it('compares media types by essence: a charset added to a request body is one info finding, nothing removed', async () => {
    const withBody = (mediaType: string): Doc =>
      doc({ '/things': { post: { requestBody: { content: { [mediaType]: { schema: s } } }, responses: ok } } });
    const fired = await rulesFired([withBody('application/json'), withBody('application/json; charset=utf-8')]);
    expect(fired).toEqual([{ rule: 'media-type-parameters-changed', severity: 'info' }]);
    // A different essence is still a removal.
    const other = await rulesFired([withBody('application/json'), withBody('application/problem+json')]);
    expect(other.map((f) => f.rule).sort()).toEqual(['media-type-added', 'request-media-type-removed']);
  });

  it('says when an x-sunset is not a date, on a removed deprecated parameter too', async () => {
    const deprecated = (sunset: string) => query('q', { deprecated: true, 'x-sunset': sunset });
    const changes = compareSpecs(
      await load(withParameters([deprecated('next spring')]), 'before'),
      await load(withParameters([]), 'after'),
      { now },
    );
    expect(changes.map((c) => [c.rule, c.message])).toContainEqual([
      'sunset-not-a-date',
      'x-sunset "next spring" is not a date (RFC 3339 / HTTP-date); treated as absent',
    ]);
    const dated = await rulesFired([withParameters([deprecated(future)]), withParameters([])]);
    expect(dated.map((f) => f.rule)).toEqual(['request-parameter-removed-before-sunset']);
  });

  it('compares a pattern JavaScript cannot compile as text, without compiling it', async () => {
    const dialect = ['^[\\w', '-./:]+$'].join('');
    expect(() => new RegExp(dialect, 'u')).toThrow(SyntaxError);
    const same = await rulesFired([
      requestBody(holding({ ...s, pattern: '^[\\w-./:]+$' })),
      requestBody(holding({ ...s, pattern: '^[\\w-./:]+$' })),
    ]);
    expect(same).toEqual([]);
  });
});
