import { escapeSegment } from '../../core/json-pointer.js';
import { resolveLocalRef } from '../../core/spec.js';
import type { AddChange } from './changes.js';
import { type Constraints, compareConstraints, constraintsOf, mergeConstraints } from './constraints.js';
import { sameValue } from './values.js';

/**
 * Semantic comparison of two JSON Schemas (OpenAPI 3.0 and 3.1 Schema Objects), in one direction:
 * `request` (what clients send: narrowing breaks them) or `response` (what clients read: widening breaks
 * them). Both sides are compared resolved, so a `$ref` that now points somewhere else with the same content,
 * reordered keys, and edited descriptions or examples are not changes. `allOf` is merged before comparing,
 * so moving properties into or out of an `allOf` is not a change either.
 */

export type Direction = 'request' | 'response';

/** A schema as written at `pointer` (possibly a `$ref`). */
export interface SchemaAt {
  node: unknown;
  pointer: string;
}

export interface SchemaView {
  pointer: string;
  /** JSON Schema types (with `nullable: true` read as `null`, as the loader does); undefined = any type. */
  types: string[] | undefined;
  typePointer: string;
  format: string | undefined;
  formatPointer: string;
  /** Allowed values from `enum`/`const`; undefined = unrestricted. */
  values: unknown[] | undefined;
  valuesPointer: string;
  properties: Map<string, SchemaAt>;
  required: Set<string>;
  requiredPointer: string;
  items: SchemaAt | undefined;
  additionalProperties: SchemaAt | undefined;
  contentSchema: SchemaAt | undefined;
  oneOf: SchemaAt[];
  anyOf: SchemaAt[];
  /** `not`, `propertyNames` and `contains`, where written (allOf members add theirs). */
  keywords: Partial<Record<SubschemaKeyword, SchemaAt>>;
  /** Bounds, pattern, multipleOf, default and discriminator (constraints.ts). */
  constraints: Constraints;
  /** The property exists only in responses (`readOnly`) or only in requests (`writeOnly`). */
  readOnly: boolean;
  writeOnly: boolean;
}

const subschemaKeywords = ['not', 'propertyNames', 'contains'] as const;
type SubschemaKeyword = (typeof subschemaKeywords)[number];

export interface SchemaComparison {
  oldDoc: unknown;
  newDoc: unknown;
  add: AddChange;
  /** Pairs of schemas being compared on the current path down: stops recursive schemas. */
  visited: Set<string>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function resolve(doc: unknown, at: SchemaAt): SchemaAt {
  const { value, pointer } = resolveLocalRef(doc, at.node, at.pointer);
  return { node: value, pointer };
}

function typesOf(schema: Record<string, unknown>): string[] | undefined {
  const raw = schema.type;
  let types: string[] | undefined;
  if (typeof raw === 'string') types = [raw];
  else if (Array.isArray(raw)) types = raw.map(String);
  // OpenAPI 3.0 `nullable` (also found in 3.1 documents): read as "or null", as core/ does for validation.
  if (types && schema.nullable === true && !types.includes('null')) types = [...types, 'null'];
  return types;
}

function valuesOf(schema: Record<string, unknown>): unknown[] | undefined {
  const fromEnum = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (!('const' in schema)) return fromEnum;
  const constant = [schema.const];
  return fromEnum ? fromEnum.filter((v) => sameValue(v, schema.const)) : constant;
}

function intersectTypes(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return [...new Set([...a.filter((t) => covers(b, t)), ...b.filter((t) => covers(a, t))])];
}

function intersectValues(a: unknown[] | undefined, b: unknown[] | undefined): unknown[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.filter((v) => b.some((w) => sameValue(v, w)));
}

/** The schema at `at`, resolved, with its `allOf` members merged in. */
function viewOf(doc: unknown, at: SchemaAt, seen: Set<string> = new Set()): SchemaView {
  const { node, pointer } = resolve(doc, at);
  const schema = isRecord(node) ? node : {};
  const view: SchemaView = {
    pointer,
    types: typesOf(schema),
    typePointer: `${pointer}/type`,
    format: typeof schema.format === 'string' ? schema.format : undefined,
    formatPointer: `${pointer}/format`,
    values: valuesOf(schema),
    valuesPointer: 'const' in schema ? `${pointer}/const` : `${pointer}/enum`,
    properties: new Map(),
    required: new Set(Array.isArray(schema.required) ? schema.required.map(String) : []),
    requiredPointer: `${pointer}/required`,
    items: isRecord(schema.items) ? { node: schema.items, pointer: `${pointer}/items` } : undefined,
    additionalProperties: isRecord(schema.additionalProperties)
      ? { node: schema.additionalProperties, pointer: `${pointer}/additionalProperties` }
      : undefined,
    contentSchema: isRecord(schema.contentSchema)
      ? { node: schema.contentSchema, pointer: `${pointer}/contentSchema` }
      : undefined,
    oneOf: branches(schema.oneOf, `${pointer}/oneOf`),
    anyOf: branches(schema.anyOf, `${pointer}/anyOf`),
    keywords: Object.fromEntries(
      subschemaKeywords
        .filter((k) => isRecord(schema[k]) || typeof schema[k] === 'boolean')
        .map((k) => [k, { node: schema[k], pointer: `${pointer}/${k}` }]),
    ),
    constraints: constraintsOf(schema, pointer),
    readOnly: schema.readOnly === true,
    writeOnly: schema.writeOnly === true,
  };
  if (isRecord(schema.properties)) {
    for (const [name, value] of Object.entries(schema.properties)) {
      view.properties.set(name, { node: value, pointer: `${pointer}/properties/${escapeSegment(name)}` });
    }
  }
  seen.add(pointer);
  const members = branches(schema.allOf, `${pointer}/allOf`);
  for (const member of members) {
    const resolved = resolve(doc, member);
    if (seen.has(resolved.pointer)) continue;
    const part = viewOf(doc, member, seen);
    if (part.types && !view.types) view.typePointer = part.typePointer;
    view.types = intersectTypes(view.types, part.types);
    if (!view.format && part.format) {
      view.format = part.format;
      view.formatPointer = part.formatPointer;
    }
    if (part.values && !view.values) view.valuesPointer = part.valuesPointer;
    view.values = intersectValues(view.values, part.values);
    for (const [name, property] of part.properties) if (!view.properties.has(name)) view.properties.set(name, property);
    for (const name of part.required) view.required.add(name);
    view.items ??= part.items;
    view.additionalProperties ??= part.additionalProperties;
    view.contentSchema ??= part.contentSchema;
    view.oneOf.push(...part.oneOf);
    view.anyOf.push(...part.anyOf);
    view.keywords = { ...part.keywords, ...view.keywords };
    view.constraints = mergeConstraints(view.constraints, part.constraints);
    view.readOnly ||= part.readOnly;
    view.writeOnly ||= part.writeOnly;
  }
  // `nullable` on a schema whose type comes from allOf (StackOne's `data`) still means "or null".
  if (view.types && schema.nullable === true && !view.types.includes('null')) view.types = [...view.types, 'null'];
  return view;
}

function branches(raw: unknown, pointer: string): SchemaAt[] {
  return Array.isArray(raw) ? raw.map((node, i) => ({ node, pointer: `${pointer}/${i}` })) : [];
}

/** `integer` is a `number`; `undefined` is any type. */
function covers(types: string[] | undefined, type: string): boolean {
  return types === undefined || types.includes(type) || (type === 'integer' && types.includes('number'));
}

const describeTypes = (types: string[] | undefined): string => (types ? types.join(' | ') : 'any type');

/** Keys that never change what a schema accepts. */
const annotationKeys = new Set(['description', 'title', 'example', 'examples', 'deprecated', '$comment']);

/**
 * A fingerprint of what a schema accepts: `$ref`s inlined, keys sorted, annotations dropped. Two schemas
 * with the same fingerprint are the same schema, wherever they are written.
 */
export function schemaFingerprint(doc: unknown, node: unknown, pointer: string): string {
  const walk = (value: unknown, at: string, stack: string[]): unknown => {
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${at}/${i}`, stack));
    if (!isRecord(value)) return value;
    if (typeof value.$ref === 'string') {
      const { value: target, pointer: targetPointer } = resolveLocalRef(doc, value, at);
      if (stack.includes(targetPointer)) return { $recursive: stack.length - stack.indexOf(targetPointer) };
      return walk(target, targetPointer, [...stack, targetPointer]);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (annotationKeys.has(key) || key.startsWith('x-')) continue;
      out[key] = walk(value[key], `${at}/${escapeSegment(key)}`, stack);
    }
    return out;
  };
  return JSON.stringify(walk(node, pointer, [pointer]));
}

const describeValues = (values: unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** Compare the schema a client sends or reads, before and after, reporting through `cmp.add`. */
export function compareSchemas(
  cmp: SchemaComparison,
  direction: Direction,
  before: SchemaAt,
  after: SchemaAt,
  label: string,
): void {
  const old = viewOf(cmp.oldDoc, before);
  const now = viewOf(cmp.newDoc, after);
  // The pairs being compared on the way down: a recursive schema stops here. It is a stack, not a
  // "seen" set, so that a shared component reached from another operation is walked again and that
  // operation is listed in the finding's contexts too.
  const key = `${direction}\u0000${old.pointer}\u0000${now.pointer}`;
  if (cmp.visited.has(key)) return;
  cmp.visited.add(key);
  try {
    compareViews({ cmp, direction, old, now, label });
  } finally {
    cmp.visited.delete(key);
  }
}

/** Two views of the same place, and everything a keyword comparison needs to report on them. */
export interface ViewPair {
  cmp: SchemaComparison;
  direction: Direction;
  old: SchemaView;
  now: SchemaView;
  label: string;
}

function compareViews(pair: ViewPair): void {
  const { cmp, direction, old, now, label } = pair;
  // Keyword by keyword, each in its own function of the pair (one concern each, like the rules of oasdiff).
  if (!compareTypes(pair)) return;
  compareFormats(pair);
  compareValues(pair);
  compareConstraints(pair);
  if (direction === 'response') compareResponseProperties(pair);
  else compareRequestProperties(pair);
  if (old.items && now.items) compareSchemas(cmp, direction, old.items, now.items, `${label}[]`);
  if (old.additionalProperties && now.additionalProperties)
    compareSchemas(cmp, direction, old.additionalProperties, now.additionalProperties, `${label}.*`);
  if (old.contentSchema && now.contentSchema)
    compareSchemas(cmp, direction, old.contentSchema, now.contentSchema, `${label}(JSON)`);
  compareVariants(cmp, direction, old.oneOf, now.oneOf, label, 'oneOf');
  compareVariants(cmp, direction, old.anyOf, now.anyOf, label, 'anyOf');
  if (direction === 'request') compareSubschemaKeywords(pair);
}

/**
 * `not`, `propertyNames` and `contains` on a request: added, each rejects values clients sent before. A
 * `propertyNames` or `contains` schema that changed is compared as a request schema (narrowing it narrows the
 * value); a `not` that changed may reject more or less, which is not decided here: it is reported as well.
 */
function compareSubschemaKeywords({ cmp, old, now, label }: ViewPair): void {
  for (const keyword of subschemaKeywords) {
    const before = old.keywords[keyword];
    const after = now.keywords[keyword];
    if (!after) continue;
    if (!before) {
      cmp.add('request-schema-constraint-added', 'new', after.pointer, `'${label}' ${keyword} added`);
    } else if (keyword !== 'not') {
      compareSchemas(cmp, 'request', before, after, `${label}(${keyword})`);
    } else if (
      schemaFingerprint(cmp.oldDoc, before.node, before.pointer) !==
      schemaFingerprint(cmp.newDoc, after.node, after.pointer)
    ) {
      cmp.add('request-schema-constraint-added', 'new', after.pointer, `'${label}' not changed: it may reject more`);
    }
  }
}

/** Returns false when the types are incompatible: comparing deeper would only repeat the same news. */
function compareTypes({ cmp, direction, old, now, label }: ViewPair): boolean {
  if (direction === 'request') {
    if (!now.types) return true;
    const lost = old.types ? old.types.filter((t) => !covers(now.types, t)) : ['any other type'];
    if (lost.length === 0) return true;
    cmp.add(
      'request-type-narrowed',
      'new',
      now.typePointer,
      `'${label}' accepted ${describeTypes(old.types)}, now only ${describeTypes(now.types)} (no longer ${lost.join(', ')})`,
    );
    return false;
  }
  if (!old.types) return true;
  const gained = now.types ? now.types.filter((t) => !covers(old.types, t)) : ['any type'];
  if (gained.length === 0) return true;
  cmp.add(
    'response-type-changed',
    'new',
    now.types ? now.typePointer : now.pointer,
    `'${label}' was ${describeTypes(old.types)}, is now ${describeTypes(now.types)}`,
  );
  return false;
}

function compareFormats({ cmp, direction, old, now, label }: ViewPair): void {
  if (old.format === now.format) return;
  if (direction === 'request' && now.format !== undefined) {
    cmp.add(
      'request-format-narrowed',
      'new',
      now.formatPointer,
      old.format === undefined
        ? `'${label}' now requires format '${now.format}'`
        : `'${label}' format changed from '${old.format}' to '${now.format}'`,
    );
  } else if (direction === 'response' && old.format !== undefined) {
    cmp.add(
      'response-format-changed',
      'new',
      now.format === undefined ? now.pointer : now.formatPointer,
      now.format === undefined
        ? `'${label}' no longer has format '${old.format}'`
        : `'${label}' format changed from '${old.format}' to '${now.format}'`,
    );
  }
}

function compareValues({ cmp, direction, old, now, label }: ViewPair): void {
  if (direction === 'request') {
    if (!now.values) return;
    if (!old.values) {
      cmp.add(
        'request-enum-value-removed',
        'new',
        now.valuesPointer,
        `'${label}' is now restricted to ${describeValues(now.values)}`,
      );
      return;
    }
    const added = now.values.filter((v) => !old.values?.some((w) => sameValue(v, w)));
    if (added.length > 0)
      cmp.add(
        'request-enum-value-added',
        'new',
        now.valuesPointer,
        `'${label}' now also accepts ${describeValues(added)}`,
      );
    const removed = old.values.filter((v) => !now.values?.some((w) => sameValue(v, w)));
    if (removed.length > 0)
      cmp.add(
        'request-enum-value-removed',
        'new',
        now.valuesPointer,
        `'${label}' no longer accepts ${describeValues(removed)}`,
      );
    return;
  }
  if (!old.values) return;
  if (!now.values) {
    cmp.add(
      'response-enum-widened',
      'new',
      now.pointer,
      `'${label}' was restricted to ${describeValues(old.values)}, now any value`,
    );
    return;
  }
  const added = now.values.filter((v) => !old.values?.some((w) => sameValue(v, w)));
  if (added.length > 0)
    cmp.add('response-enum-widened', 'new', now.valuesPointer, `'${label}' may now be ${describeValues(added)}`);
}

const child = (label: string, name: string): string => `${label}.${name}`;

/** Does the property exist on this side of the wire? `readOnly` ones are never sent, `writeOnly` ones never read. */
function existsOn(doc: unknown, at: SchemaAt, direction: Direction): boolean {
  const view = viewOf(doc, at);
  return direction === 'request' ? !view.readOnly : !view.writeOnly;
}

/** The properties and required names of a view as seen from one side of the wire. */
function sided(
  doc: unknown,
  view: SchemaView,
  direction: Direction,
): { properties: Map<string, SchemaAt>; required: Set<string> } {
  const properties = new Map([...view.properties].filter(([, at]) => existsOn(doc, at, direction)));
  const required = new Set([...view.required].filter((name) => !view.properties.has(name) || properties.has(name)));
  return { properties, required };
}

function compareResponseProperties({ cmp, old: oldView, now: newView, label }: ViewPair): void {
  const old = sided(cmp.oldDoc, oldView, 'response');
  const now = sided(cmp.newDoc, newView, 'response');
  const names = new Set([...old.properties.keys(), ...old.required]);
  for (const name of names) {
    const before = old.properties.get(name);
    const after = now.properties.get(name);
    const wasRequired = old.required.has(name);
    if (before && !after) {
      const hidden = newView.properties.has(name);
      cmp.add(
        wasRequired ? 'response-property-removed' : 'response-optional-property-removed',
        'old',
        before.pointer,
        `${wasRequired ? 'required' : 'optional'} property '${child(label, name)}' was ${hidden ? 'made writeOnly (no longer in responses)' : 'removed'}`,
      );
      continue;
    }
    if (wasRequired && !now.required.has(name)) {
      cmp.add(
        'response-property-became-optional',
        'new',
        after?.pointer ?? newView.pointer,
        `property '${child(label, name)}' was required, is now optional`,
      );
    }
    if (before && after) compareSchemas(cmp, 'response', before, after, child(label, name));
  }
  for (const [name, after] of now.properties) {
    if (!old.properties.has(name))
      cmp.add('response-property-added', 'new', after.pointer, `new property '${child(label, name)}'`);
  }
}

function compareRequestProperties({ cmp, old: oldView, now: newView, label }: ViewPair): void {
  const old = sided(cmp.oldDoc, oldView, 'request');
  const now = sided(cmp.newDoc, newView, 'request');
  const names = new Set([...now.properties.keys(), ...now.required]);
  for (const name of names) {
    const before = old.properties.get(name);
    const after = now.properties.get(name);
    if (now.required.has(name) && !old.required.has(name)) {
      cmp.add(
        before ? 'request-property-became-required' : 'request-property-added-required',
        'new',
        after?.pointer ?? newView.requiredPointer,
        before
          ? `property '${child(label, name)}' was optional, is now required`
          : `new required property '${child(label, name)}'`,
      );
    } else if (after && !before && !now.required.has(name))
      cmp.add('request-property-added', 'new', after.pointer, `new optional property '${child(label, name)}'`);
    if (before && after) compareSchemas(cmp, 'request', before, after, child(label, name));
  }
  for (const [name, before] of old.properties) {
    if (!now.properties.has(name)) {
      const hidden = newView.properties.has(name);
      // A closed schema rejects the property clients still send; an open one at most ignores it.
      const closed = !hidden && newView.constraints.additional.state === 'closed';
      cmp.add(
        closed ? 'request-closed-property-removed' : 'request-property-removed',
        'old',
        before.pointer,
        `property '${child(label, name)}' was ${hidden ? 'made readOnly (no longer accepted in requests)' : closed ? 'removed from a closed schema (additionalProperties: false): clients still sending it are rejected' : 'removed'}`,
      );
    }
  }
}

/**
 * Pair the branches of a oneOf/anyOf: same fingerprint first (a `$ref` move or reordering is no change),
 * then, when exactly as many are left on both sides, in order (a branch that was edited). What is left
 * unpaired was removed (breaks requests) or added (may break responses).
 */
export function pairBranches(
  oldDoc: unknown,
  newDoc: unknown,
  before: SchemaAt[],
  after: SchemaAt[],
): { pairs: Array<[SchemaAt, SchemaAt]>; removed: SchemaAt[]; added: SchemaAt[] } {
  const pairs: Array<[SchemaAt, SchemaAt]> = [];
  const leftNew = [...after];
  const leftOld: SchemaAt[] = [];
  const newPrints = new Map(leftNew.map((b) => [b, schemaFingerprint(newDoc, b.node, b.pointer)]));
  for (const branch of before) {
    const print = schemaFingerprint(oldDoc, branch.node, branch.pointer);
    const match = leftNew.findIndex((b) => newPrints.get(b) === print);
    if (match >= 0) {
      pairs.push([branch, leftNew[match] as SchemaAt]);
      leftNew.splice(match, 1);
    } else leftOld.push(branch);
  }
  if (leftOld.length === leftNew.length) {
    leftOld.forEach((branch, i) => {
      pairs.push([branch, leftNew[i] as SchemaAt]);
    });
    return { pairs, removed: [], added: [] };
  }
  return { pairs, removed: leftOld, added: leftNew };
}

function branchName(branch: SchemaAt, fallback: string): string {
  const ref = isRecord(branch.node) && typeof branch.node.$ref === 'string' ? branch.node.$ref : undefined;
  return ref ? (ref.split('/').pop() ?? fallback) : fallback;
}

function compareVariants(
  cmp: SchemaComparison,
  direction: Direction,
  before: SchemaAt[],
  after: SchemaAt[],
  label: string,
  keyword: 'oneOf' | 'anyOf',
): void {
  if (before.length === 0 || after.length === 0) return;
  const { pairs, removed, added } = pairBranches(cmp.oldDoc, cmp.newDoc, before, after);
  if (direction === 'request') {
    for (const branch of removed)
      cmp.add(
        'request-variant-removed',
        'old',
        branch.pointer,
        `'${label}' ${keyword} lost branch ${branchName(branch, branch.pointer)}`,
      );
  } else {
    for (const branch of added)
      cmp.add(
        'response-variant-added',
        'new',
        branch.pointer,
        `'${label}' ${keyword} gained branch ${branchName(branch, branch.pointer)}`,
      );
  }
  for (const [b, a] of pairs) compareSchemas(cmp, direction, b, a, `${label}<${branchName(a, keyword)}>`);
}
