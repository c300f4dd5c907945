import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';

/**
 * The mock's own JSON Schemas — the fixtures file and the StackOne tools' input schemas — are not part of any
 * spec, so they are compiled here rather than by `core/validators.ts` (which compiles spec schemas only). One
 * configuration for both: JSON Schema 2020-12 (what MCP tool schemas and the fixtures schema are written in),
 * strict, every error reported, formats checked.
 */

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: typeof addFormatsImport }).default ??
  addFormatsImport) as unknown as (ajv: Ajv2020) => Ajv2020;

export function createSchemaCompiler(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv;
}

export type { ErrorObject };
