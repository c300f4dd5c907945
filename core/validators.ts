import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { ToolError } from './errors.js';
import { escapeSegment, getAtPointer, parsePointer, toPointer } from './json-pointer.js';
import { indexOperations, type Operation, type OperationIndex } from './operations.js';
import { tolerantRegExpEngine } from './regexp-dialect.js';
import { type ConvertedDocument, convertDocument, createConverter, type SchemaDirection } from './schema-dialect.js';
import { type LoadedSpec, resolveLocalRef } from './spec.js';
import { detectSpecDefects, type SpecDefect } from './spec-defects.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: typeof addFormatsImport }).default ??
  addFormatsImport) as unknown as (ajv: Ajv) => Ajv;

/** One schema violation, as data: where in the instance, what is wrong, and where in the spec the rule is. */
export interface SchemaViolation {
  instancePath: string;
  message: string;
  keyword: string;
  /** JSON pointer into the spec of the schema keyword that failed, e.g. `/components/schemas/Error/required`. */
  schemaPointer: string;
}

export interface SchemaValidator {
  pointer: string;
  validate(data: unknown): SchemaViolation[];
}

export interface CompiledSpec {
  spec: LoadedSpec;
  index: OperationIndex;
  operations: Operation[];
  /**
   * The compiled validator of the schema at `pointer`, for data flowing in `direction` (default 'response'): a
   * required `readOnly` property is only required in responses, a required `writeOnly` one only in requests.
   * For schemas without either keyword both directions are the same validator. Compiled on first use and kept:
   * a run pays only for the operations it selects, and every later caller (mock, checks, lint) gets the same
   * function. A schema that cannot be compiled is a ToolError (MCPC_SPEC_SCHEMA) naming its place.
   */
  validator(pointer: string, direction?: SchemaDirection): SchemaValidator;
  /** Compile now every schema these operations use (a server that should fail at start, not on a request). */
  compileOperations(operations: Operation[]): void;
  /** The pointers of the schemas compiled so far, in the order they were first asked for. */
  compiledSchemas(): string[];
  /** Defects of the spec itself, each with how mcp-contracts treats it. */
  defects: SpecDefect[];
  /** Formats the spec uses that no validator exists for (accepted without checking). */
  unknownFormats: string[];
}

/** OpenAPI's own formats, on top of JSON Schema's (ajv-formats). */
const openApiFormats: Record<string, { type: 'number' | 'string'; validate: (x: never) => boolean }> = {
  int32: {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1,
  },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
  float: { type: 'number', validate: () => true },
  double: { type: 'number', validate: () => true },
  byte: {
    type: 'string',
    validate: (s: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s),
  },
  binary: { type: 'string', validate: () => true },
  password: { type: 'string', validate: () => true },
};

/** OpenAPI-only annotation keywords: declared so strict mode stays on without rejecting the spec. */
const annotationKeywords = ['example', 'discriminator', 'xml', 'externalDocs', 'x-itemSchema', 'itemSchema'];
/** Top-level OpenAPI fields: the document root is registered as a schema so `$ref`s resolve inside it. */
const documentKeywords = [
  'openapi',
  'info',
  'servers',
  'paths',
  'components',
  'security',
  'tags',
  'webhooks',
  'jsonSchemaDialect',
];

const specBase = (name: string): string => `https://mcp-contracts.invalid/specs/${encodeURIComponent(name)}.json`;

/**
 * Prepare a spec's validators: every request and response schema is compiled once, on first use (see
 * `validator`). A schema that cannot be compiled is a ToolError naming its pointer; warnings from AJV's strict
 * mode are kept, not printed.
 */
export function compileSpec(spec: LoadedSpec): CompiledSpec {
  // The mock and the runner in one process (npm start, drift) compile the same spec: do it once.
  const key = `${spec.name}\u0000${spec.file}\u0000${spec.source}`;
  const cached = compiledCache.get(key);
  if (cached && cached.spec.document === spec.document) return cached;
  if (cached && JSON.stringify(cached.spec.document) === JSON.stringify(spec.document)) return cached;
  const compiled = compileUncached(spec);
  compiledCache.set(key, compiled);
  return compiled;
}

/** Compiled specs by name, file and text: a spec is immutable once loaded, so its validators are too. */
const compiledCache = new Map<string, CompiledSpec>();

function compileUncached(spec: LoadedSpec): CompiledSpec {
  const index = indexOperations(spec);
  // Converted on demand: a schema (and what its `$ref`s reach) is converted and handed to AJV when it is first
  // compiled, so a run that selects a few operations of a big spec never copies, nor lets AJV walk, the rest.
  const converted = createConverter(spec.document, spec.version);
  const strictWarnings: string[] = [];
  const options = {
    allErrors: true,
    allowUnionTypes: true,
    inlineRefs: false,
    code: { optimize: false, regExp: tolerantRegExpEngine },
    verbose: true,
    validateFormats: true,
    logger: {
      log: () => {},
      warn: (...args: unknown[]) => strictWarnings.push(args.join(' ')),
      error: () => {},
    },
  };
  const ajv: Ajv = spec.version === '3.1' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  for (const [name, format] of Object.entries(openApiFormats)) ajv.addFormat(name, format as never);
  const keywords = new Set([...annotationKeywords, ...documentKeywords]);
  if (spec.version === '3.0') keywords.add('deprecated').add('contentSchema');
  // The root of the copy is registered as a schema, so its top-level keys must be keywords (no-ops) for strict mode.
  for (const key of Object.keys(spec.document)) {
    if (!key.startsWith('$') && (!key.startsWith('x-') || key === 'x-webhooks')) keywords.add(key);
  }
  for (const keyword of keywords) {
    // Draft-07 already knows some of these (e.g. `deprecated` via ajv's metadata vocabulary).
    if (!ajv.getKeyword(keyword) && !ajv.RULES.keywords[keyword]) ajv.addKeyword(keyword);
  }
  /** Formats no validator exists for, registered as "anything goes" when a converted schema first uses them. */
  const unknown = new Set<string>();
  const registerFormats = (formats: Map<string, string>): void => {
    for (const format of formats.keys()) {
      if (unknown.has(format) || ajv.formats[format]) continue;
      ajv.addFormat(format, true);
      unknown.add(format);
    }
  };

  // One converted copy as written; when the spec uses readOnly/writeOnly, one more per direction with `required`
  // rewritten for it (see schema-dialect.ts), each under its own base URI in the same AJV so that its local `$ref`s
  // resolve within that copy. Each copy is registered empty and filled as schemas are asked for: AJV follows a
  // `$ref` through the live object when it compiles, so it never walks the whole document. (What AJV learns only
  // at registration, `$id`s and `$anchor`s, no `$ref` of a loaded spec can use: loading bundles or refuses every
  // `$ref` that is not a local JSON pointer.)
  const base = specBase(spec.name);
  type Copy = { converted: ConvertedDocument; base: string };
  const register = (copy: Copy): void => {
    try {
      ajv.addSchema(copy.converted.document, copy.base);
    } catch (error) {
      throw new ToolError(
        'MCPC_SPEC_SCHEMA',
        `${spec.file}: the schemas cannot be registered: ${(error as Error).message}`,
      );
    }
  };
  /** Make `pointer` (and what it reaches) present in the copy, with the formats it uses known to AJV. */
  const prepare = (copy: Copy, pointer: string): void => {
    copy.converted.ensure(pointer);
    registerFormats(copy.converted.formats);
  };
  const main: Copy = { converted, base };
  register(main);
  // Each directed copy is made on its own, the first time a schema of that direction is asked for: a dry run
  // plans requests only, and never pays for the response copy (nor compiles its validators).
  const directed = new Map<SchemaDirection, Copy>();
  const directedDocument = (direction: SchemaDirection): Copy => {
    const known = directed.get(direction);
    if (known) return known;
    const entry: Copy = {
      converted: createConverter(spec.document, spec.version, direction),
      base: specBase(`${spec.name}#${direction}`),
    };
    register(entry);
    directed.set(direction, entry);
    return entry;
  };

  /**
   * What the whole spec holds (for the defects and the unknown formats): the main copy converted whole when nothing
   * was asked of it yet (lint asks first), else a conversion of its own, so the copy AJV reads keeps its size.
   */
  let wholeFacts: ConvertedDocument | undefined;
  const facts = (): ConvertedDocument => {
    if (wholeFacts) return wholeFacts;
    if (converted.empty) {
      converted.ensureAll();
      wholeFacts = converted;
    } else {
      wholeFacts = convertDocument(spec.document, spec.version);
    }
    return wholeFacts;
  };
  let defects: SpecDefect[] | undefined;
  let unknownFormats: string[] | undefined;

  /**
   * Validators by pointer: `both` when the schema reaches no readOnly/writeOnly, else one per direction, each
   * compiled when that direction is first asked for.
   */
  const validators = new Map<
    string,
    { both?: SchemaValidator; request?: SchemaValidator; response?: SchemaValidator }
  >();
  const compile = (pointer: string, direction: SchemaDirection): SchemaValidator => {
    let entry = validators.get(pointer);
    if (!entry) {
      prepare(main, pointer);
      const split = converted.hasReadWriteOnly && reachesReadWriteOnly(converted.document, pointer);
      entry = split ? {} : { both: compileOne(pointer, main) };
      validators.set(pointer, entry);
    }
    if (entry.both) return entry.both;
    const known = entry[direction];
    if (known) return known;
    const copy = directedDocument(direction);
    prepare(copy, pointer);
    const compiledOne = compileOne(pointer, copy);
    entry[direction] = compiledOne;
    return compiledOne;
  };
  /**
   * Compiled functions by copy and schema content. A big spec repeats itself (GitHub's 580 parameter schemas are 134
   * distinct ones): a schema written exactly like one compiled before, in the same copy, validates exactly like it, so
   * it shares that function; its violations name its own place (the twin's pointer is swapped for its own).
   */
  const byContent = new Map<string, { fn: ValidateFunction; pointer: string }>();
  const compileOne = (pointer: string, { converted: doc, base: docBase }: Copy): SchemaValidator => {
    const at = convertedPointer(doc, pointer);
    const node = getAtPointer(doc.document, at);
    let key: string | undefined;
    if (!doc.sharesObjects && node !== null && typeof node === 'object') {
      try {
        key = `${docBase}\u0000${JSON.stringify(node)}`;
      } catch {
        key = undefined;
      }
    }
    let twin = key === undefined ? undefined : byContent.get(key);
    // A `$ref` into the twin's own subtree names the twin's place, not this one's: then no sharing.
    if (twin && key?.includes(`"#${twin.pointer}`)) twin = undefined;
    let fn: ValidateFunction | undefined = twin?.fn;
    if (!fn) {
      try {
        fn = ajv.getSchema(`${docBase}#${encodePointerForUri(at)}`);
      } catch (error) {
        const loc = spec.locate(pointer);
        const where = loc ? `${spec.file}:${loc.line}:${loc.column}` : spec.file;
        throw new ToolError(
          'MCPC_SPEC_SCHEMA',
          `${where}: the schema at ${pointer} cannot be compiled: ${(error as Error).message}`,
          'fix that schema; it must be valid JSON Schema for this OpenAPI version',
        );
      }
      if (!fn) throw new ToolError('MCPC_SPEC_SCHEMA', `${spec.file}: no schema at ${pointer}`);
      if (key !== undefined && !byContent.has(key)) byContent.set(key, { fn, pointer });
    }
    const validateFn = fn;
    const origin = twin?.pointer ?? pointer;
    return {
      pointer,
      validate(data) {
        if (validateFn(data)) return [];
        // AJV overwrites `errors` on the next call: copy them out now.
        return (validateFn.errors ?? []).map((e) => toViolation(e, doc.pointerOf, pointer, origin));
      },
    };
  };

  /** The schemas an operation may be judged by: its own, and the JSON inside its streamed items. */
  const pointersOfOperation = (op: Operation): string[] => {
    const pointers = schemaPointersOf([op]);
    for (const r of op.responses) {
      for (const m of r.content) {
        if (!m.itemSchemaPointer) continue;
        converted.ensure(m.itemSchemaPointer);
        const data = contentSchemaPointerOf(converted.document, m.itemSchemaPointer);
        if (data) pointers.push(data);
      }
    }
    return pointers;
  };

  return {
    spec,
    index,
    operations: index.operations,
    validator: (pointer, direction = 'response') => compile(pointer, direction),
    compileOperations(operations) {
      for (const op of operations) {
        for (const pointer of pointersOfOperation(op)) {
          compile(pointer, 'request');
          compile(pointer, 'response');
        }
      }
    },
    compiledSchemas: () => [...validators.keys()],
    // Worked out when first read (lint and the notes of a real run read them; a dry run does not).
    get defects() {
      defects ??= detectSpecDefects(spec, index, facts().nullableIn31);
      return defects;
    },
    get unknownFormats() {
      if (!unknownFormats) {
        const all = facts().formats;
        registerFormats(all);
        unknownFormats = [...all.keys()].filter((f) => unknown.has(f));
      }
      return unknownFormats;
    },
  };
}

/**
 * Where the schema written at `pointer` sits in the converted copy. Mostly the same place; but a 3.0 `nullable`
 * schema with `anyOf`/`$ref`/`enum` is wrapped (`anyOf: [null, rest]`), so what was under it moved down, and the
 * old pointer may now name another schema. The converted copy knows each schema's written pointer (`pointerOf`):
 * when the node at `pointer` is not the one written there, look it up under the deepest place of the pointer that the
 * copy still has (what moved, moved below it).
 */
function convertedPointer(doc: ConvertedDocument, pointer: string): string {
  let segments: string[];
  try {
    segments = parsePointer(pointer);
  } catch {
    return pointer;
  }
  // The deepest schema on the way that sits where it was written: what moved, moved below it.
  let node: unknown = doc.document;
  let anchor: { node: unknown; depth: number } = { node, depth: 0 };
  for (let depth = 0; depth < segments.length; depth++) {
    const segment = segments[depth]!;
    node = node && typeof node === 'object' && Object.hasOwn(node, segment) ? (node as never)[segment] : undefined;
    if (!node || typeof node !== 'object') break;
    const written = doc.pointerOf.get(node);
    if (written === pointer && depth === segments.length - 1) return pointer;
    if (written !== undefined && written === toPointer(segments.slice(0, depth + 1)))
      anchor = { node, depth: depth + 1 };
  }
  const seen = new Set<object>();
  let found: string | undefined;
  const walk = (value: unknown, at: string): void => {
    if (found !== undefined || !value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (doc.pointerOf.get(value) === pointer) {
      found = at;
      return;
    }
    if (Array.isArray(value)) for (const [i, item] of value.entries()) walk(item, `${at}/${i}`);
    else for (const [key, item] of Object.entries(value)) walk(item, `${at}/${escapeSegment(key)}`);
  };
  walk(anchor.node, toPointer(segments.slice(0, anchor.depth)));
  return found ?? pointer;
}

/** Data, not schemas: never searched for readOnly/writeOnly. */
const dataKeys = new Set(['example', 'examples', 'default', 'const', 'enum']);
const nameMapKeys = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** Whether the schema at `pointer`, following local `$ref`s, says `readOnly: true` or `writeOnly: true` anywhere. */
function reachesReadWriteOnly(document: unknown, pointer: string): boolean {
  const seen = new Set<unknown>();
  const visit = (node: unknown): boolean => {
    if (!node || typeof node !== 'object' || seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) return node.some(visit);
    const schema = node as Record<string, unknown>;
    if (schema.readOnly === true || schema.writeOnly === true) return true;
    if (
      typeof schema.$ref === 'string' &&
      schema.$ref.startsWith('#') &&
      visit(getAtPointer(document, schema.$ref.slice(1)))
    )
      return true;
    return Object.entries(schema).some(([key, value]) => {
      // Under `properties` and the like the keys are names (a property may be called `example`).
      if (nameMapKeys.has(key) && value && typeof value === 'object') return Object.values(value).some(visit);
      return !dataKeys.has(key) && visit(value);
    });
  };
  return visit(getAtPointer(document, pointer));
}

/** Every schema an operation uses: parameters, request and response bodies, streamed items, headers. */
export function schemaPointersOf(operations: Operation[]): string[] {
  const pointers = new Set<string>();
  const add = (p: string | undefined): void => {
    if (p) pointers.add(p);
  };
  for (const op of operations) {
    for (const p of op.parameters) add(p.schemaPointer);
    for (const m of op.requestBody?.content ?? []) add(m.schemaPointer);
    for (const r of op.responses) {
      for (const h of r.headers) add(h.schemaPointer);
      for (const m of r.content) {
        add(m.schemaPointer);
        add(m.itemSchemaPointer);
      }
    }
  }
  return [...pointers];
}

/**
 * For an item schema like `{properties: {data: {contentMediaType: application/json, contentSchema: …}}}`,
 * the pointer of the schema that the JSON inside `data` must match.
 */
export function contentSchemaPointerOf(document: unknown, itemSchemaPointer: string): string | undefined {
  const item = resolveSchema(document, itemSchemaPointer);
  if (!item) return undefined;
  const data = (item.node.properties as Record<string, unknown> | undefined)?.data as
    | Record<string, unknown>
    | undefined;
  if (
    !data ||
    typeof data.contentMediaType !== 'string' ||
    !/json/.test(data.contentMediaType) ||
    !data.contentSchema
  ) {
    return undefined;
  }
  const schema = data.contentSchema as Record<string, unknown>;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) return schema.$ref.slice(1);
  return `${item.pointer}/properties/data/contentSchema`;
}

function resolveSchema(
  document: unknown,
  pointer: string,
): { node: Record<string, unknown>; pointer: string } | undefined {
  const { value, pointer: at } = resolveLocalRef<Record<string, unknown>>(
    document,
    getAtPointer(document, pointer),
    pointer,
  );
  return value && typeof value === 'object' ? { node: value, pointer: at } : undefined;
}

function encodePointerForUri(pointer: string): string {
  return pointer
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%7E/g, '~'))
    .join('/');
}

function toViolation(
  error: ErrorObject,
  pointerOf: WeakMap<object, string>,
  rootPointer: string,
  /** Where the compiled schema was written, when it is another schema's twin (see `byContent`). */
  compiledAt: string = rootPointer,
): SchemaViolation {
  const parent = error.parentSchema as object | undefined;
  let parentPointer = (parent && pointerOf.get(parent)) ?? rootPointer;
  if (compiledAt !== rootPointer && (parentPointer === compiledAt || parentPointer.startsWith(`${compiledAt}/`))) {
    parentPointer = rootPointer + parentPointer.slice(compiledAt.length);
  }
  let message = error.message ?? error.keyword;
  if (error.keyword === 'additionalProperties') {
    message = `${message}: '${(error.params as { additionalProperty?: string }).additionalProperty}'`;
  } else if (error.keyword === 'enum') {
    message = `${message}: ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)}`;
  } else if (error.keyword === 'const') {
    message = `${message}: ${JSON.stringify((error.params as { allowedValue?: unknown }).allowedValue)}`;
  }
  return {
    instancePath: error.instancePath || '/',
    message,
    keyword: error.keyword,
    schemaPointer: `${parentPointer}/${error.keyword}`,
  };
}

/** `instancePath: message (spec pointer)`, one line per violation, the way reports print them. */
export function formatViolations(violations: SchemaViolation[]): string[] {
  return violations.map((v) => `${v.instancePath}: ${v.message} (schema ${v.schemaPointer})`);
}
