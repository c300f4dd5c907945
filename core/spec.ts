import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname, resolve } from 'node:path';
import type { Document, LineCounter, Pair, YAMLMap, Node as YamlNode } from 'yaml';
import { ToolError } from './errors.js';
import { getAtPointer, hasPointer, parsePointer, toPointer } from './json-pointer.js';
import { bundledSpecFile, bundledSpecNames, isBundledSpecName } from './paths.js';

/** The YAML parser, loaded when a spec is YAML or an error needs a position: reading a JSON spec never loads it. */
let yamlModule: typeof import('yaml') | undefined;
const loadYaml = (): typeof import('yaml') => {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule;
};

/**
 * js-yaml, YAML 1.2's core schema with merge keys: ~6× the yaml library's speed on a 10 MB spec (0.7 s against 4.3 s
 * for GitHub's spec as YAML), and it reads a key `null` as "null", as Spectral does (the yaml library makes it "").
 * The yaml library is still what says where an error is, and reads what js-yaml refuses.
 */
let fastYamlModule: { load: (source: string, options: object) => unknown; schema: unknown } | undefined;
const loadFastYaml = () => {
  if (!fastYamlModule) {
    const js = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');
    fastYamlModule = { load: js.load, schema: js.CORE_SCHEMA.withTags(js.mergeTag) };
  }
  return fastYamlModule;
};

/** A parsed OpenAPI document. Kept loosely typed on purpose: it is user input until validated. */
export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths?: Record<string, unknown>;
  components?: Record<string, unknown>;
};

export type OpenApiVersion = '3.0' | '3.1';

export interface SourceLocation {
  line: number;
  column: number;
}

export interface LoadedSpec {
  /** Bundled name (`stackone`) or the file's base name without extension. */
  name: string;
  /** Absolute path, or a pseudo path such as `git:HEAD~1:specs/x.yaml`. */
  file: string;
  source: string;
  /** The document with external `$ref`s bundled in; internal `$ref`s are kept. */
  document: OpenApiDocument;
  version: OpenApiVersion;
  /** Line and column (1-based) of the key or value at `pointer`, when it comes from the root file. */
  locate(pointer: string): SourceLocation | undefined;
}

/**
 * Load a spec given as a bundled name (`stackone`) or a path to an OpenAPI 3.0/3.1 YAML or JSON file.
 * Every problem is a ToolError naming the file (and line and column, where there is one).
 */
export async function loadSpec(nameOrFile: string): Promise<LoadedSpec> {
  const isName = isBundledSpecName(nameOrFile);
  const file = isName ? bundledSpecFile(nameOrFile) : resolve(nameOrFile);
  const source = readSpecFile(nameOrFile, file);
  const name = isName ? nameOrFile : basename(file, extname(file));
  return loadSpecFromText(source, file, name);
}

function readSpecFile(given: string, file: string): string {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new ToolError(
      'MCPC_SPEC_NOT_FOUND',
      `spec '${given}' not found (looked for ${file})`,
      `give a bundled spec name (${bundledSpecNames.join(', ')}) or the path of an OpenAPI 3.0/3.1 YAML or JSON file`,
    );
  }
  if (!isFile) {
    throw new ToolError(
      'MCPC_SPEC_NOT_FOUND',
      `spec '${given}' is a directory, not a file`,
      'name the YAML or JSON file itself',
    );
  }
  try {
    // Read as bytes and decoded here: a pure-ASCII file (most specs) is copied byte for byte, several times faster
    // than decoding 13 MB as UTF-8; any other goes through the UTF-8 decoder as before.
    const bytes = readFileSync(file);
    return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch (error) {
    throw new ToolError(
      'MCPC_SPEC_UNREADABLE',
      `cannot read ${file}: ${(error as Error).message}`,
      'check the file permissions',
    );
  }
}

/** Parse and check a spec whose text is already at hand (a file, or a version read from git). */
export function loadSpecFromText(source: string, file: string, name: string): Promise<LoadedSpec> {
  // The mock and the runner in one process (npm start, drift) load the same specs: parse each text once.
  // External files are not part of the key, so only self-contained texts are cached.
  const key = `${name}\u0000${file}\u0000${source}`;
  const cached = loadedCache.get(key);
  if (cached) return cached;
  const loading = parseSpecText(source, file, name).catch((error: unknown) => {
    throw isStackOverflow(error) ? tooDeep(file) : error;
  });
  const spec = loading.then((result) => result.spec);
  loadedCache.set(key, spec);
  // A spec that pulls in other files may change without its own text changing: do not keep it. Nor a failure.
  loading.then(
    (result) => {
      if (result.external) loadedCache.delete(key);
    },
    () => loadedCache.delete(key),
  );
  return spec;
}

/** Loaded specs by name, file and text. A LoadedSpec is never mutated, so sharing it is safe. */
const loadedCache = new Map<string, Promise<LoadedSpec>>();

async function parseSpecText(
  source: string,
  file: string,
  name: string,
): Promise<{ spec: LoadedSpec; external: boolean }> {
  // JSON text (GitHub's 13 MB spec) is read with JSON.parse, ~30× faster than a YAML document with positions;
  // the positions are recovered (by the YAML parser, which reads JSON too) only when something needs one.
  let parsed: unknown;
  let yaml: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;
  const parseYamlDoc = (): { doc: Document.Parsed; lineCounter: LineCounter } => {
    if (yaml) return yaml;
    const { LineCounter, parseDocument } = loadYaml();
    const lineCounter = new LineCounter();
    // `merge`: `<<: *anchor` merges the anchored map's keys, as Spectral (lint) reads it, instead of being a key.
    const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: true });
    nullKeysAsText(doc);
    yaml = { doc, lineCounter };
    return yaml;
  };
  let refs: Array<{ ref: string; at: string }> | undefined;
  if (isJsonText(source, file)) {
    // A JSON document is JSON only: what JSON.parse refuses is an error here, never a YAML reading of it (YAML
    // accepts `"type": "User", oops` as a flow map, and the data silently changes).
    const value = parseJsonText(source, file);
    // One walk of the parsed value counts its keys and collects its `$ref`s; a text with more keys than the value
    // has lost one to JSON.parse (which keeps the last of two equal keys): refused, as YAML refuses it.
    const scanned = scanParsedJson(value);
    if (scanned.keys !== countJsonKeys(source)) throw duplicateJsonKey(source, file);
    parsed = value;
    refs = scanned.refs;
  } else {
    // YAML, or JSON text in a YAML file (JSON is YAML): JSON.parse first, then js-yaml (fastYaml), and the yaml
    // library for what both refuse, which words the error with its line.
    const json = looksLikeJson(source) ? tryJsonParse(source) : undefined;
    const scanned = json ? scanParsedJson(json.value) : undefined;
    if (json && scanned && scanned.keys === countJsonKeys(source)) {
      parsed = json.value;
      refs = scanned.refs;
    } else {
      parsed = fastYaml(source);
    }
    if (parsed === undefined) {
      const { doc, lineCounter } = parseYamlDoc();
      const firstError = doc.errors[0];
      if (firstError) {
        const pos = firstError.linePos?.[0];
        const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
        const reason = firstError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
        if (reason?.includes('Maximum call stack size exceeded')) throw tooDeep(file);
        throw new ToolError(
          'MCPC_SPEC_PARSE',
          `${where}: invalid YAML: ${reason}`,
          'fix the syntax at that line and column',
        );
      }
      parsed = yamlToJs(doc, lineCounter, file);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ToolError(
      'MCPC_SPEC_INVALID',
      `${file}: the document is not a mapping (it is ${describeValue(parsed)})`,
      'an OpenAPI document starts with `openapi: 3.1.0` (or 3.0.x) at the top level',
    );
  }
  const raw = parsed as Record<string, unknown>;
  const version = detectVersion(raw, file);
  if (raw.paths !== undefined && (raw.paths === null || typeof raw.paths !== 'object')) {
    throw new ToolError(
      'MCPC_SPEC_INVALID',
      `${file}: 'paths' must be a mapping`,
      'write paths as `/path: { get: … }`',
    );
  }

  const locate = (pointer: string): SourceLocation | undefined => {
    const { doc, lineCounter } = parseYamlDoc();
    return locateInYaml(doc, pointer, lineCounter);
  };
  refs ??= collectRefs(raw);
  checkInternalRefs(raw, refs, file, locate);
  const external = refs.some(({ ref }) => !ref.startsWith('#'));
  const document = (external ? await bundleExternalRefs(raw, file) : raw) as OpenApiDocument;
  return { spec: { name, file, source, document, version, locate }, external };
}

/**
 * The document's value read by js-yaml, or undefined for the yaml library to read it (and word any error, with its
 * line): where js-yaml refuses the text (a syntax error, a duplicate key, a tag outside the core schema, several
 * documents, nesting past 100), where it is empty, and where its aliases expand past `maxYamlExpansion` nodes.
 */
export function fastYaml(source: string): unknown {
  // A `%YAML 1.1` document means 1.1's scalars (`yes` is true, `0755` octal), which the yaml library honours.
  if (/^%YAML[ \t]+1\.[01]\b/m.test(source)) return undefined;
  const { load, schema } = loadFastYaml();
  let value: unknown;
  try {
    // js-yaml copies merged keys as it loads, so merges of big maps into many maps cost time and memory before
    // any count of ours could see them: past this many merged keys, the yaml library's walk (which counts as it
    // goes, and stops at maxYamlExpansion with the alias named) reads the document instead.
    value = load(source, { schema, maxTotalMergeKeys: maxFastMergeKeys });
  } catch {
    return undefined;
  }
  if (value === null || value === undefined) return undefined;
  try {
    return expandedNodes(value, maxYamlExpansion) > maxYamlExpansion ? undefined : value;
  } catch {
    return undefined;
  }
}

/** Merged keys js-yaml may copy in one document: GitHub-style `<<: *errors` on 10,000 operations stays under it. */
export const maxFastMergeKeys = 100_000;

/**
 * How many nodes `value` is once its shared parts (js-yaml's aliases) are counted each time they are reached: each
 * object's size is worked out once, so this is linear in the distinct objects however far they expand. A key counts
 * one, as the yaml library's walk counts it; an object reached again inside itself (a cycle) counts one. Stops
 * early once past `limit`.
 */
export function expandedNodes(value: unknown, limit: number): number {
  const sizes = new Map<object, number>();
  const size = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 1);
    let n = 1;
    if (Array.isArray(node)) {
      for (const item of node) {
        n += size(item);
        if (n > limit) break;
      }
    } else {
      for (const key in node) {
        n += 1 + size((node as Record<string, unknown>)[key]);
        if (n > limit) break;
      }
    }
    sizes.set(node, n);
    return n;
  };
  return size(value);
}

/**
 * Nodes a YAML document may expand to once its aliases are followed. Counted, not the aliases: GitHub-size specs with
 * thousands of `<<: *errors` expand to a few hundred thousand nodes, a billion-laughs document to 10⁹.
 */
export const maxYamlExpansion = 10_000_000;

/**
 * The document's value, after checking that following its aliases stays under `maxYamlExpansion` nodes (each alias
 * counts what its anchored node expands to, computed once per anchor: linear in the document). The yaml library's
 * own guard counts aliases instead and refuses real specs past ~1,000, so it is off.
 */
function yamlToJs(doc: Document.Parsed, lineCounter: LineCounter, file: string): unknown {
  const { isAlias, isMap, isPair, isSeq } = loadYaml();
  // Each anchor name's latest node (an alias names the nearest anchor before it, an enclosing one included), and
  // what each anchored node expands to once finished (an alias inside its own anchored node, a cycle, counts 1).
  const anchoredNode = new Map<string, unknown>();
  const expanded = new Map<unknown, number>();
  // `total` runs through the document in order, each node adding 1 and each alias what its anchor expands to: it
  // ends as the size of the whole expanded document, and says at which alias it passed the limit.
  let total = 0;
  const size = (node: unknown): number => {
    let n = 1;
    if (isAlias(node)) {
      const target = anchoredNode.get(node.source);
      // The library finds an alias's node by scanning every anchor and alias before it: quadratic in the aliases
      // (8,000 operations with `<<: *errors`: seconds). The walk knows it already; hand it over.
      if (target) Object.defineProperty(node, 'resolve', { value: () => target });
      n = expanded.get(target) ?? 1;
      total += n;
      if (total > maxYamlExpansion) {
        const at = node.range ? toLocation(lineCounter, node.range[0]) : undefined;
        throw new ToolError(
          'MCPC_SPEC_PARSE',
          `${at ? `${file}:${at.line}:${at.column}` : file}: the YAML aliases expand to more than ${maxYamlExpansion.toLocaleString('en')} nodes by *${node.source} (an alias bomb, or anchors nested in anchors)`,
          'write the repeated parts once under components and point at them with $ref, instead of aliases of aliases',
        );
      }
      return n;
    }
    total += 1;
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchoredNode.set(anchor, node);
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        n += isPair(item) ? size(item.key) + (item.value == null ? 0 : size(item.value)) : size(item);
      }
    }
    if (anchor) expanded.set(node, n);
    return n;
  };
  if (doc.contents) size(doc.contents);
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    if (isStackOverflow(error)) throw error;
    throw new ToolError(
      'MCPC_SPEC_PARSE',
      `${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`,
      'fix the alias or anchor it names',
    );
  }
}

/**
 * A plain `null` or `~` key (a property named null) as the text "null", as js-yaml and Spectral read it: the yaml
 * library would make it "", so the same key would change name with the path a document took (fastYaml).
 */
function nullKeysAsText(doc: Document.Parsed): void {
  const { isPair, isScalar, visit } = loadYaml();
  visit(doc, {
    Pair(_key, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === null) pair.key.value = 'null';
    },
  });
}

/** A document nested deeper than the parser's stack reaches: valid, and still not readable here. */
export const isStackOverflow = (error: unknown): boolean =>
  error instanceof RangeError && /call stack/i.test(error.message);

export function tooDeep(file: string): ToolError {
  return new ToolError(
    'MCPC_SPEC_PARSE',
    `${file}: the document is nested too deeply to read (thousands of levels)`,
    'move deeply nested schemas into components and point at them with $ref',
  );
}

function looksLikeJson(source: string): boolean {
  return /^\s*\{/.test(source);
}

/**
 * Is this text a JSON document, to be read as JSON only? Yes when its file is named `.json`, or when it is not named
 * `.yaml`/`.yml` and starts (after white space and a byte order mark) with `{` or `[`. A `.yaml` file is YAML even
 * when it starts with `{` (a YAML flow map may be written that way); its JSON-looking text still takes the fast
 * JSON.parse path, and what JSON.parse refuses is read as YAML.
 */
export function isJsonText(source: string, file: string): boolean {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return true;
  if (ext === '.yaml' || ext === '.yml') return false;
  return /^[\s\uFEFF]*[{[]/.test(source);
}

/** Line and column (1-based) of a character offset, counted the way editors count (a line ends at `\n`). */
function offsetLocation(source: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** jsonc-parser (Microsoft's; Spectral's parsers use it too): only to find where an error is. */
const loadJsonc = (): typeof import('jsonc-parser') =>
  createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');

/**
 * JSON.parse the text (a leading byte order mark aside), or throw MCPC_SPEC_PARSE with the line and column. Node
 * 20's messages give the position (`… in JSON at position 12589860`) except `Unexpected token 'x', "…" is not valid
 * JSON` and `Unexpected end of JSON input`: for those jsonc-parser's scanner finds it (~0.25 s on 13 MB).
 */
function parseJsonText(source: string, file: string): unknown {
  const bom = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const text = bom ? source.slice(1) : source;
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const given = / in JSON at position (\d+)/.exec(message);
    let offset: number;
    let reason: string;
    if (given) {
      offset = Number(given[1]);
      reason = message.replace(/ in JSON at position \d+.*$/s, '');
    } else if (/end of JSON input/.test(message)) {
      offset = text.length;
      reason = 'the text ends before the JSON does';
    } else {
      // `Unexpected token ','` names what followed a bad word (`t,`): name the word, where it starts.
      offset = firstJsonErrorOffset(text) ?? 0;
      const token = /^[^\s,:{}[\]"]{1,40}|^[\s\S]/u.exec(text.slice(offset, offset + 40))?.[0] ?? '';
      reason = `Unexpected token '${token}'`;
    }
    const { line, column } = offsetLocation(source, offset + bom);
    throw new ToolError(
      'MCPC_SPEC_PARSE',
      `${file}:${line}:${column}: invalid JSON: ${reason}`,
      'fix the syntax at that line and column (a .json spec is read as JSON only; name it .yaml to write YAML)',
    );
  }
}

function firstJsonErrorOffset(text: string): number | undefined {
  const { visit } = loadJsonc();
  let first: number | undefined;
  visit(
    text,
    {
      onError: (_code, offset) => {
        first ??= offset;
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return first;
}

/** The text gives a key twice in one object (JSON.parse keeps the last): name the second one, where it is. */
function duplicateJsonKey(source: string, file: string): ToolError {
  const { visit } = loadJsonc();
  const objects: Array<Set<string>> = [];
  let found: { key: string; offset: number } | undefined;
  visit(source, {
    onObjectBegin: () => {
      objects.push(new Set());
    },
    onObjectEnd: () => {
      objects.pop();
    },
    onObjectProperty: (key, offset) => {
      const keys = objects.at(-1);
      if (!keys || found) return;
      if (keys.has(key)) found = { key, offset };
      else keys.add(key);
    },
  });
  const where = found
    ? (({ line, column }) => `${file}:${line}:${column}`)(offsetLocation(source, found.offset))
    : file;
  return new ToolError(
    'MCPC_SPEC_PARSE',
    `${where}: invalid JSON: the key ${JSON.stringify(found?.key ?? '?')} is given twice in one object (map keys must be unique)`,
    'keep one of the two; JSON.parse would silently keep the last',
  );
}

function tryJsonParse(source: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(source) };
  } catch {
    return undefined;
  }
}

/**
 * How many object keys a JSON text holds: each string followed by a `:`. Outside strings JSON has no `"`, so jumping
 * from one `"` to the next never starts inside a string; a `"` preceded by an odd run of backslashes is escaped.
 * (A scan of the text, not a regular expression: no match objects for a million strings.)
 */
function countJsonKeys(source: string): number {
  let keys = 0;
  let i = 0;
  for (;;) {
    i = source.indexOf('"', i);
    if (i < 0) return keys;
    i++;
    for (;;) {
      const quote = source.indexOf('"', i);
      if (quote < 0) return keys;
      let before = quote - 1;
      while (source.charCodeAt(before) === 92) before--;
      i = quote + 1;
      if ((quote - 1 - before) % 2 === 0) break;
    }
    let c = source.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = source.charCodeAt(++i);
    if (c === 58) {
      keys++;
      i++;
    }
  }
}

/**
 * One pass over what JSON.parse made (a tree: nothing shared, no cycles): how many keys it holds, and the `$ref`s
 * of its structure (as `collectRefs` finds them, each distinct one at its first place; literal example data is
 * counted, not searched).
 */
function scanParsedJson(root: unknown): { keys: number; refs: Array<{ ref: string; at: string }> } {
  let keys = 0;
  const refs: Array<{ ref: string; at: string }> = [];
  const seen = new Set<string>();
  const count = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) count(item);
      return;
    }
    for (const key in node) {
      keys++;
      count((node as Record<string, unknown>)[key]);
    }
  };
  walkStructure(
    root,
    (record, path) => {
      // Each reference once, where it first appears: that is all the check of internal refs reads (GitHub: 10,460
      // `$ref`s, 1,764 distinct), and a pointer is worth making only for those.
      if (typeof record.$ref === 'string' && !seen.has(record.$ref)) {
        seen.add(record.$ref);
        refs.push({ ref: record.$ref, at: toPointer(path) });
      }
      for (const _ in record) keys++;
    },
    (_path, value) => count(value),
    true,
  );
  return { keys, refs };
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function detectVersion(raw: Record<string, unknown>, file: string): OpenApiVersion {
  if (raw.swagger !== undefined) {
    throw new ToolError(
      'MCPC_SPEC_VERSION',
      `${file}: this is a Swagger ${String(raw.swagger)} document; mcp-contracts reads OpenAPI 3.0 and 3.1`,
      'convert it first (for example `npx swagger2openapi in.yaml -o out.yaml`) and pass the converted file',
    );
  }
  const openapi = raw.openapi;
  if (typeof openapi === 'number') {
    throw new ToolError(
      'MCPC_SPEC_VERSION',
      `${file}: 'openapi: ${openapi}' is read by YAML as the number ${openapi}, not a version`,
      `write it as a string: openapi: '${openapi < 3.1 ? '3.0.3' : '3.1.0'}'`,
    );
  }
  if (typeof openapi !== 'string') {
    throw new ToolError(
      'MCPC_SPEC_VERSION',
      `${file}: no 'openapi' version field${openapi === undefined ? '' : ` (found ${JSON.stringify(openapi)})`}`,
      'an OpenAPI document starts with `openapi: 3.1.0` (or 3.0.x); quote it so YAML reads it as text',
    );
  }
  if (/^3\.0\.\d+$/.test(openapi)) return '3.0';
  if (/^3\.1\.\d+$/.test(openapi)) return '3.1';
  throw new ToolError(
    'MCPC_SPEC_VERSION',
    `${file}: OpenAPI ${openapi} is not supported; mcp-contracts reads OpenAPI 3.0.x and 3.1.x`,
    'set `openapi:` to a 3.0.x or 3.1.x version the document follows',
  );
}

/**
 * Is the value under `key` literal data rather than OpenAPI/JSON Schema structure? Example values are data: a
 * `$ref` key inside them is just a key, never a reference (GitHub's specs carry such examples). Literal are:
 * `example`, `x-example(s)`-like extensions, a JSON Schema `examples` array, and the `value` of an Example
 * Object (an entry of an `examples` map). `parentKey` is the key the holding object sits under: inside
 * `properties` a key named `example` is a property's schema, not data.
 */
function isLiteralData(
  key: string,
  value: unknown,
  parentKey: string | number | undefined,
  grandKey: unknown,
): boolean {
  if (parentKey === 'properties' || parentKey === 'patternProperties') return false;
  if (key === 'example') return true;
  // `x-…example(s)`: most keys are not extensions, and need no regular expression.
  if ((key.charCodeAt(0) | 32) === 120 && key.charCodeAt(1) === 45 && /^x-.*examples?$/i.test(key)) return true;
  if (key === 'examples' && Array.isArray(value)) return true;
  return key === 'value' && grandKey === 'examples';
}

/**
 * Walk the document's structure (not its literal example data), calling `visit` on every object. The `path`
 * handed to the callbacks is the walker's own, changed as it goes: read it during the call, copy it to keep it.
 */
function walkStructure(
  root: unknown,
  visit: (record: Record<string, unknown>, path: ReadonlyArray<string | number>) => void,
  onLiteral?: (path: ReadonlyArray<string | number>, value: unknown) => void,
  /** The value is a tree (JSON.parse made it): nothing is met twice, so nothing need be remembered. */
  tree = false,
): void {
  const seen = tree ? undefined : new Set<object>();
  const path: Array<string | number> = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen?.has(node)) return;
    seen?.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i]);
        path.pop();
      }
      return;
    }
    const record = node as Record<string, unknown>;
    visit(record, path);
    for (const key of Object.keys(record)) {
      const value = record[key];
      path.push(key);
      if (isLiteralData(key, value, path.at(-2), path.at(-3))) onLiteral?.(path, value);
      else walk(value);
      path.pop();
    }
  };
  walk(root);
}

/** Every `$ref` in the document's structure, with the pointer of the object that holds it. */
export function collectRefs(root: unknown): Array<{ ref: string; at: string }> {
  const refs: Array<{ ref: string; at: string }> = [];
  walkStructure(root, (record, path) => {
    if (typeof record.$ref === 'string') refs.push({ ref: record.$ref, at: toPointer(path) });
  });
  return refs;
}

/** Where the document holds literal example data that contains a `$ref` key (which a bundler would follow). */
export function literalRefSites(root: unknown): string[] {
  const sites: string[] = [];
  walkStructure(
    root,
    () => {},
    (path, value) => {
      if (containsRefKey(value)) sites.push(toPointer(path));
    },
  );
  return sites;
}

function containsRefKey(node: unknown, depth = 0): boolean {
  if (node === null || typeof node !== 'object' || depth > 64) return false;
  if (!Array.isArray(node) && Object.hasOwn(node, '$ref')) return true;
  return Object.values(node).some((v) => containsRefKey(v, depth + 1));
}

function checkInternalRefs(
  raw: Record<string, unknown>,
  refs: Array<{ ref: string; at: string }>,
  file: string,
  locate: (pointer: string) => SourceLocation | undefined,
): void {
  const resolved = new Set<string>();
  for (const { ref, at } of refs) {
    if (!ref.startsWith('#') || resolved.has(ref)) continue;
    let ok: boolean;
    try {
      ok = hasPointer(raw, ref.slice(1));
    } catch {
      ok = false;
    }
    if (ok) resolved.add(ref);
    if (!ok) {
      const loc = locate(`${at}/$ref`);
      const where = loc ? `${file}:${loc.line}:${loc.column}` : file;
      throw new ToolError(
        'MCPC_SPEC_REF',
        `${where}: $ref '${ref}' at ${at || '/'} points to nothing in this document`,
        `define ${ref.slice(1)} or correct the $ref`,
      );
    }
  }
}

async function bundleExternalRefs(raw: Record<string, unknown>, file: string): Promise<unknown> {
  for (const { ref, at } of collectRefs(raw)) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref) && !ref.startsWith('file:')) {
      throw new ToolError(
        'MCPC_SPEC_REF',
        `${file}: $ref '${ref}' at ${at} is remote; mcp-contracts never fetches specs over the network`,
        'download the referenced file next to the spec and point the $ref at it',
      );
    }
  }
  // Loaded only for specs that need it: most have no external $ref, and start-up time matters to the CLI.
  const { default: $RefParser } = await import('@apidevtools/json-schema-ref-parser');
  // The bundler follows every `$ref` key, data or not: lift the literal example values out while it runs, and
  // put them back as written at the same places (the root document's places do not move when bundling).
  const input = structuredClone(raw);
  const lifted = literalRefSites(input).map((pointer) => {
    const segments = parsePointer(pointer);
    const key = segments.pop()!;
    const holder = getAtPointer(input, toPointer(segments)) as Record<string, unknown>;
    const value = holder[key];
    holder[key] = null;
    return { segments, key, value };
  });
  try {
    const bundled = await $RefParser.bundle(file, input, {
      resolve: { http: false, external: true },
      dereference: { circular: true },
    });
    for (const { segments, key, value } of lifted) {
      (getAtPointer(bundled, toPointer(segments)) as Record<string, unknown>)[key] = value;
    }
    return bundled;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    throw new ToolError(
      'MCPC_SPEC_REF',
      `${file}: a $ref cannot be resolved: ${message}`,
      'check the path and the pointer of that $ref',
    );
  }
}

/** The pair of a YAML map with this key, or of a map it merges (`<<: *anchor`), where the key was written. */
function findPair(map: YAMLMap, key: string, doc: Document.Parsed, depth = 0): Pair | undefined {
  const { isAlias, isMap, isScalar, isSeq } = loadYaml();
  const keyOf = (p: Pair): string => (isScalar(p.key) ? String(p.key.value) : String(p.key));
  const own = map.items.find((p) => keyOf(p) === key);
  if (own || depth > 32) return own;
  for (const p of map.items) {
    if (!isScalar(p.key) || typeof p.key.value !== 'symbol') continue;
    const sources = isSeq(p.value) ? p.value.items : [p.value];
    for (const source of sources) {
      const merged = isAlias(source) ? source.resolve(doc) : source;
      const found = isMap(merged) ? findPair(merged, key, doc, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function locateInYaml(doc: Document.Parsed, pointer: string, lineCounter: LineCounter): SourceLocation | undefined {
  const contents = doc.contents as YamlNode | null | undefined;
  let segments: string[];
  try {
    segments = parsePointer(pointer);
  } catch {
    return undefined;
  }
  const { isMap, isSeq } = loadYaml();
  let node: unknown = contents;
  let offset: number | undefined = (contents as { range?: [number, number, number] } | null)?.range?.[0];
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = findPair(node, segment, doc);
      if (!pair) return offset === undefined ? undefined : toLocation(lineCounter, offset);
      offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as { range?: [number, number, number] } | undefined;
      if (!item) return offset === undefined ? undefined : toLocation(lineCounter, offset);
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : toLocation(lineCounter, offset);
}

function toLocation(lineCounter: LineCounter, offset: number): SourceLocation {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Resolve a local `$ref` chain (`#/components/...`) to the object it names, with its pointer. */
export function resolveLocalRef<T = unknown>(
  document: unknown,
  node: unknown,
  pointer: string,
): { value: T; pointer: string } {
  let current = node;
  let at = pointer;
  const visited = new Set<string>();
  while (current && typeof current === 'object' && typeof (current as { $ref?: unknown }).$ref === 'string') {
    const ref = (current as { $ref: string }).$ref;
    if (!ref.startsWith('#') || visited.has(ref)) break;
    visited.add(ref);
    at = ref.slice(1);
    current = getAtPointer(document, at);
  }
  return { value: current as T, pointer: at };
}
