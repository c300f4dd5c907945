import { isToolError } from '../core/errors.js';
import { escapeSegment, getAtPointer } from '../core/json-pointer.js';
import {
  type SchemaDirection,
  schemaListKeywords,
  schemaMapKeywords,
  schemaValuedKeywords,
} from '../core/schema-dialect.js';
import { type CompiledSpec, formatViolations, type SchemaViolation } from '../core/validators.js';

/**
 * The examples of a spec judged by the project's compiled validators — the ones the mock and the conformance
 * checks use — so that an example is valid exactly when the same value sent as a request or returned as a
 * response would be. They replace Spectral's `oas3-valid-media-example` and `oas3-valid-schema-example`, which
 * compile a fresh AJV validator for every example (on GitHub's spec: 56 % of a two-to-three-minute lint and
 * 2.7 GB). Here each schema is compiled once, however many examples it has, and cached with the others.
 */

export type ExampleRule = 'valid-media-example' | 'valid-schema-example';

export interface ExampleFinding {
  rule: ExampleRule;
  /** Pointer of the example value that breaks its schema. */
  pointer: string;
  message: string;
}

/** Literal data in OpenAPI objects: never walked as structure. */
const dataKeys = new Set(['example', 'examples', 'default', 'const', 'enum']);
/** What makes an object with `example`/`default` a schema worth checking (as Spectral's rule asks). */
const schemaMarks = ['enum', 'type', 'format', '$ref', 'properties', 'items'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function exampleFindings(compiled: CompiledSpec): ExampleFinding[] {
  const document = compiled.spec.document as Json;
  const findings: ExampleFinding[] = [];
  const seenSchemas = new Set<object>();

  const judge = (
    rule: ExampleRule,
    schemaPointer: string,
    direction: SchemaDirection,
    value: unknown,
    at: string,
  ): void => {
    let violations: SchemaViolation[];
    try {
      violations = compiled.validator(schemaPointer, direction).validate(value);
    } catch (error) {
      // The schema itself is broken: say so at the example, and go on with the others.
      if (!isToolError(error)) throw error;
      findings.push({ rule, pointer: at, message: `the schema cannot be compiled: ${error.message}` });
      return;
    }
    if (violations.length === 0) return;
    findings.push({
      rule,
      pointer: at,
      message: `example breaks its schema: ${formatViolations(violations).join('; ')}`,
    });
  };

  /** `example`, and each entry of `examples` (its `value`, or that of the component it `$ref`s). */
  const mediaExamples = (holder: Json, at: string, schemaPointer: string, direction: SchemaDirection): void => {
    if (holder.example !== undefined)
      judge('valid-media-example', schemaPointer, direction, holder.example, `${at}/example`);
    if (!isObject(holder.examples)) return;
    for (const [name, entry] of Object.entries(holder.examples)) {
      let example = entry;
      let pointer = `${at}/examples/${escapeSegment(name)}`;
      if (isObject(example) && typeof example.$ref === 'string' && example.$ref.startsWith('#')) {
        pointer = example.$ref.slice(1);
        example = getAtPointer(document, pointer);
      }
      if (!isObject(example) || 'externalValue' in example || !('value' in example)) continue;
      judge('valid-media-example', schemaPointer, direction, example.value, `${pointer}/value`);
    }
  };

  const walkSchema = (node: unknown, at: string): void => {
    if (!isObject(node) || seenSchemas.has(node)) return;
    seenSchemas.add(node);
    if ((node.example !== undefined || node.default !== undefined) && schemaMarks.some((k) => k in node)) {
      for (const field of ['example', 'default'] as const) {
        if (node[field] !== undefined) judge('valid-schema-example', at, 'response', node[field], `${at}/${field}`);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}/${escapeSegment(key)}`;
      if (schemaValuedKeywords.has(key)) walkSchema(value, here);
      else if (schemaListKeywords.has(key) && Array.isArray(value))
        for (const [i, v] of value.entries()) walkSchema(v, `${here}/${i}`);
      else if (schemaMapKeywords.has(key) && isObject(value))
        for (const [name, sub] of Object.entries(value)) walkSchema(sub, `${here}/${escapeSegment(name)}`);
    }
  };

  /** OpenAPI structure (not schemas): media types, parameters and headers with a schema and examples. */
  const walk = (node: unknown, at: string, direction: SchemaDirection): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${at}/${i}`, direction);
      return;
    }
    const record = node as Json;
    if (isObject(record.schema)) {
      if (record.example !== undefined || record.examples !== undefined)
        mediaExamples(record, at, `${at}/schema`, direction);
      walkSchema(record.schema, `${at}/schema`);
    }
    for (const [key, value] of Object.entries(record)) {
      if (dataKeys.has(key) || key === 'schema') continue;
      const inResponse = direction === 'response' || key === 'responses' || key === 'headers';
      walk(value, `${at}/${escapeSegment(key)}`, inResponse ? 'response' : 'request');
    }
  };

  const components = isObject(document.components) ? document.components : {};
  if (isObject(components.schemas)) {
    for (const [name, schema] of Object.entries(components.schemas))
      walkSchema(schema, `/components/schemas/${escapeSegment(name)}`);
  }
  for (const [key, value] of Object.entries(document)) {
    if (key === 'components' && isObject(value)) {
      for (const [kind, members] of Object.entries(value)) {
        if (kind === 'schemas' || kind === 'examples') continue;
        walk(
          members,
          `/components/${escapeSegment(kind)}`,
          kind === 'responses' || kind === 'headers' ? 'response' : 'request',
        );
      }
    } else if (key !== 'info' && key !== 'tags' && key !== 'servers') {
      walk(value, `/${escapeSegment(key)}`, 'request');
    }
  }
  return findings;
}
