import { createRequire } from 'node:module';
import { appendPointer, escapeSegment } from './json-pointer.js';
import { resolveLocalRef } from './spec.js';
import type { SchemaViolation } from './validators.js';

/**
 * An XML body as the JSON value its schema describes, so that it can go through the same compiled validator
 * as a JSON body. fast-xml-parser does the parsing (well-formedness, entities, namespaces as written); this
 * module only maps elements to the schema, following the OpenAPI `xml` object:
 *
 * | XML                                              | schema                                         | value            |
 * | ------------------------------------------------ | ---------------------------------------------- | ---------------- |
 * | `<Pet>…</Pet>` (root)                            | `xml.name: Pet` (also on a `$ref`'d schema)    | must be `Pet`    |
 * | `<id>10</id>`                                    | `id: {type: integer}`                          | `{id: 10}`       |
 * | `<Pet id="10">`                                  | `id: {xml: {attribute: true}}`                 | `{id: 10}`       |
 * | `<photoUrls><u>a</u><u>b</u></photoUrls>`        | array, `xml.wrapped: true`                     | `["a", "b"]`     |
 * | `<tag>a</tag><tag>b</tag>` (unwrapped)           | array `tags`, `items.xml.name: tag`            | `["a", "b"]`     |
 * | a single `<tag>` element                         | an array                                       | a one-item array |
 * | `<p:Pet xmlns:p="urn:x">`                        | `xml: {namespace: urn:x, prefix: p}`           | checked          |
 *
 * Element names: a property's own `xml.name` when it has one; otherwise the property name or the `xml.name` of
 * the schema it `$ref`s (OpenAPI has been read both ways; either is accepted). A wrapped array's wrapper may carry
 * its `xml.name` or the property name, and every element inside the wrapper is an item. Elements no property
 * names are kept under their own name (so `additionalProperties: false` still catches them); attributes no
 * property names are ignored. Text is coerced only where the schema asks for it (`<id>10</id>` against
 * `type: integer` is 10; against `type: string` it stays "10"); text that does not fit is left as text, so the
 * validator reports it ("must be integer"). `allOf`/`oneOf`/`anyOf` branches are read together for names and
 * types; which branch holds is the validator's decision.
 */

export type XmlConversion = { ok: true; value: unknown; problems: SchemaViolation[] } | { ok: false; error: string };

export function isXmlMediaType(mediaType: string): boolean {
  const m = mediaType.toLowerCase();
  return m === 'application/xml' || m === 'text/xml' || m.endsWith('+xml');
}

interface Element {
  /** As written, with its prefix. */
  name: string;
  local: string;
  prefix: string | undefined;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
  /** Namespace URIs in scope: prefix ('' for the default) → URI. */
  scope: Map<string, string>;
}

interface XmlObject {
  name?: string;
  namespace?: string;
  prefix?: string;
  attribute?: boolean;
  wrapped?: boolean;
}

/** A schema position: every schema object reachable there through `$ref` and `allOf`/`oneOf`/`anyOf`. */
interface SchemaSet {
  nodes: Array<{ node: Record<string, unknown>; pointer: string; viaRef: boolean }>;
  /** The `xml` objects of these schemas, the ones reached through a `$ref` first, so own ones override. */
  xml: XmlObject;
  /** The `xml.name` written at this position itself (not on a `$ref`'d schema). */
  ownName: string | undefined;
  refName: string | undefined;
}

// Loaded on the first XML body, not at start-up: most runs never see one, and every run pays for an import.
type FastXmlParser = typeof import('fast-xml-parser');
let loaded: { parser: InstanceType<FastXmlParser['XMLParser']>; validator: FastXmlParser['XMLValidator'] } | undefined;
function xml(): NonNullable<typeof loaded> {
  if (!loaded) {
    const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as FastXmlParser;
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      preserveOrder: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      processEntities: true,
      htmlEntities: false,
    });
    loaded = { parser, validator: XMLValidator };
  }
  return loaded;
}

/** Convert `text` for the schema at `schemaPointer` of `document`; an unparseable body is `ok: false`. */
export function xmlToJson(text: string, document: unknown, schemaPointer: string): XmlConversion {
  const { parser, validator } = xml();
  const valid = validator.validate(text);
  if (valid !== true) return { ok: false, error: `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})` };
  let root: Element | undefined;
  try {
    root = toElements(parser.parse(text) as unknown[], new Map()).find(() => true);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  if (!root) return { ok: false, error: 'no root element' };
  const problems: SchemaViolation[] = [];
  const set = schemaSet(document, [{ node: { $ref: `#${schemaPointer}` }, pointer: schemaPointer }]);
  const rootNames = [set.ownName, set.refName].filter((n): n is string => !!n);
  if (rootNames.length > 0 && !rootNames.includes(root.local)) {
    problems.push(problem('/', `root element must be <${rootNames[0]}>, got <${root.name}>`, set, 'name'));
  }
  const converter = new Converter(document, problems);
  converter.checkNamespace(root, set, '/');
  const value = kindOf(set) === 'array' ? converter.items(root.children, set, '') : converter.convert(root, set, '');
  return { ok: true, value, problems };
}

function toElements(nodes: unknown[], scope: Map<string, string>): Element[] {
  const out: Element[] = [];
  for (const raw of nodes) {
    const record = raw as Record<string, unknown>;
    const name = Object.keys(record).find((k) => k !== ':@' && k !== '#text');
    if (!name || name.startsWith('?')) continue;
    const attributes = (record[':@'] ?? {}) as Record<string, string>;
    const inner = new Map(scope);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === 'xmlns') inner.set('', value);
      else if (key.startsWith('xmlns:')) inner.set(key.slice(6), value);
    }
    const content = (record[name] ?? []) as unknown[];
    const colon = name.indexOf(':');
    out.push({
      name,
      local: colon >= 0 ? name.slice(colon + 1) : name,
      prefix: colon >= 0 ? name.slice(0, colon) : undefined,
      attributes,
      children: toElements(content, inner),
      text: content
        .map((c) => (c as { '#text'?: unknown })['#text'])
        .filter((t) => t !== undefined)
        .join(''),
      scope: inner,
    });
  }
  return out;
}

function schemaSet(document: unknown, raws: Array<{ node: unknown; pointer: string }>): SchemaSet {
  const set: SchemaSet = { nodes: [], xml: {}, ownName: undefined, refName: undefined };
  const ownXml: XmlObject[] = [];
  const refXml: XmlObject[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown, pointer: string, viaRef: boolean): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const schema = node as Record<string, unknown>;
    if (schema.xml && typeof schema.xml === 'object') (viaRef ? refXml : ownXml).push(schema.xml as XmlObject);
    if (typeof schema.$ref === 'string') {
      const { value, pointer: at } = resolveLocalRef(document, { $ref: schema.$ref }, pointer);
      visit(value, at, true);
    }
    set.nodes.push({ node: schema, pointer, viaRef });
    for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
      const branches = schema[keyword];
      if (!Array.isArray(branches)) continue;
      branches.forEach((b, i) => {
        visit(b, appendPointer(pointer, keyword, i), viaRef);
      });
    }
  };
  for (const raw of raws) visit(raw.node, raw.pointer, false);
  set.xml = Object.assign({}, ...refXml, ...ownXml);
  set.ownName = ownXml.find((x) => x.name)?.name;
  set.refName = refXml.find((x) => x.name)?.name;
  return set;
}

function typesOf(set: SchemaSet): Set<string> {
  const types = new Set<string>();
  for (const { node } of set.nodes) {
    if (typeof node.type === 'string') types.add(node.type);
    if (Array.isArray(node.type)) for (const t of node.type) types.add(String(t));
    if (node.nullable === true) types.add('null');
  }
  return types;
}

function kindOf(set: SchemaSet): 'object' | 'array' | 'scalar' | 'any' {
  const types = typesOf(set);
  if (types.has('object') || set.nodes.some(({ node }) => node.properties)) return 'object';
  if (types.has('array') || set.nodes.some(({ node }) => node.items)) return 'array';
  return types.size > 0 ? 'scalar' : 'any';
}

/** Properties of every schema in the set; one name may collect several schemas (allOf branches). */
function propertiesOf(set: SchemaSet): Map<string, Array<{ node: unknown; pointer: string }>> {
  const props = new Map<string, Array<{ node: unknown; pointer: string }>>();
  for (const { node, pointer } of set.nodes) {
    const properties = node.properties as Record<string, unknown> | undefined;
    if (!properties || typeof properties !== 'object') continue;
    for (const [name, schema] of Object.entries(properties)) {
      const list = props.get(name) ?? [];
      list.push({ node: schema, pointer: `${pointer}/properties/${escapeSegment(name)}` });
      props.set(name, list);
    }
  }
  return props;
}

function requiredOf(set: SchemaSet): Set<string> {
  return new Set(set.nodes.flatMap(({ node }) => (Array.isArray(node.required) ? node.required.map(String) : [])));
}

function itemsOf(document: unknown, set: SchemaSet): SchemaSet {
  return schemaSet(
    document,
    set.nodes
      .filter(({ node }) => node.items && typeof node.items === 'object' && !Array.isArray(node.items))
      .map(({ node, pointer }) => ({ node: node.items, pointer: `${pointer}/items` })),
  );
}

function problem(instancePath: string, message: string, set: SchemaSet, key: string): SchemaViolation {
  const at = set.nodes.find(({ node }) => node.xml)?.pointer ?? set.nodes[0]?.pointer ?? '';
  return { instancePath, message, keyword: 'xml', schemaPointer: `${at}/xml/${key}` };
}

class Converter {
  constructor(
    private readonly document: unknown,
    private readonly problems: SchemaViolation[],
  ) {}

  convert(element: Element, set: SchemaSet, path: string): unknown {
    const kind = kindOf(set);
    if (kind === 'array') return this.items(element.children, set, path);
    if (kind === 'scalar') {
      if (element.children.length > 0) return this.generic(element);
      return coerce(element, typesOf(set));
    }
    if (kind === 'any') return this.generic(element);
    // An object given as bare text: leave the text, so the validator says "must be object".
    if (element.children.length === 0 && element.text !== '' && !Object.keys(element.attributes).length)
      return element.text;
    const out: Record<string, unknown> = {};
    const consumed = new Set<Element>();
    const required = requiredOf(set);
    for (const [name, raws] of propertiesOf(set)) {
      const prop = schemaSet(this.document, raws);
      const at = `${path}/${escapeSegment(name)}`;
      const names = prop.ownName ? [prop.ownName] : [name, ...(prop.refName ? [prop.refName] : [])];
      if (prop.xml.attribute) {
        const key = Object.keys(element.attributes).find((k) => localName(k) === names[0]);
        if (key !== undefined) out[name] = coerceText(element.attributes[key] ?? '', typesOf(prop));
        continue;
      }
      if (kindOf(prop) === 'array') {
        const items = itemsOf(this.document, prop);
        if (prop.xml.wrapped) {
          const wrapper = element.children.find((c) => !consumed.has(c) && [...names, name].includes(c.local));
          if (!wrapper) continue;
          consumed.add(wrapper);
          this.checkNamespace(wrapper, prop, at);
          out[name] = this.items(wrapper.children, prop, at);
          continue;
        }
        const itemNames = [items.ownName, items.refName, prop.ownName, name].filter((n): n is string => !!n);
        const found = element.children.filter((c) => !consumed.has(c) && itemNames.includes(c.local));
        for (const c of found) consumed.add(c);
        if (found.length > 0 || required.has(name)) out[name] = found.map((c, i) => this.item(c, items, `${at}/${i}`));
        continue;
      }
      const found = element.children.filter((c) => !consumed.has(c) && names.includes(c.local));
      for (const c of found) consumed.add(c);
      if (found.length === 1) {
        this.checkNamespace(found[0]!, prop, at);
        out[name] = this.convert(found[0]!, prop, at);
      } else if (found.length > 1) {
        // Repeated where the schema wants one value: keep them all, the validator says what is wrong.
        out[name] = found.map((c) => this.convert(c, prop, at));
      }
    }
    this.addUnknown(
      element.children.filter((c) => !consumed.has(c)),
      out,
    );
    return out;
  }

  /** The element children of an array's element (a wrapper, or the root), each converted as an item. */
  items(children: Element[], arraySet: SchemaSet, path: string): unknown[] {
    const items = itemsOf(this.document, arraySet);
    return children.map((c, i) => this.item(c, items, `${path}/${i}`));
  }

  private item(element: Element, items: SchemaSet, path: string): unknown {
    this.checkNamespace(element, items, path || '/');
    return this.convert(element, items, path);
  }

  checkNamespace(element: Element, set: SchemaSet, path: string): void {
    const { namespace, prefix } = set.xml;
    if (prefix !== undefined && element.prefix !== prefix) {
      this.problems.push(
        problem(path || '/', `element <${element.name}> must carry the prefix '${prefix}'`, set, 'prefix'),
      );
    }
    if (namespace !== undefined) {
      const actual = element.scope.get(element.prefix ?? '');
      if (actual !== namespace) {
        this.problems.push(
          problem(
            path || '/',
            `element <${element.name}> must be in namespace ${namespace}, got ${actual ?? 'no namespace'}`,
            set,
            'namespace',
          ),
        );
      }
    }
  }

  /** No schema to follow: text stays text, children become properties (repeated ones a list). */
  private generic(element: Element): unknown {
    if (element.children.length === 0) return element.text;
    const out: Record<string, unknown> = {};
    this.addUnknown(element.children, out);
    return out;
  }

  private addUnknown(children: Element[], out: Record<string, unknown>): void {
    const groups = new Map<string, Element[]>();
    for (const c of children) groups.set(c.local, [...(groups.get(c.local) ?? []), c]);
    for (const [name, list] of groups) {
      if (name in out) continue;
      out[name] = list.length === 1 ? this.generic(list[0]!) : list.map((c) => this.generic(c));
    }
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

function coerce(element: Element, types: Set<string>): unknown {
  const nil = Object.entries(element.attributes).some(([k, v]) => localName(k) === 'nil' && v === 'true');
  if (nil && types.has('null')) return null;
  return coerceText(element.text, types);
}

/** Text to the scalar the schema asks for; text that fits no type of the schema stays text. */
function coerceText(text: string, types: Set<string>): unknown {
  const t = text.trim();
  if (types.has('integer') && /^[-+]?\d+$/.test(t)) return Number(t);
  if (types.has('number') && /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (types.has('boolean') && (t === 'true' || t === 'false')) return t === 'true';
  if (types.has('null') && t === '' && !types.has('string')) return null;
  return text;
}
