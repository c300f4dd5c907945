import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolError } from './errors.js';
import { packageRoot } from './paths.js';
import { loadSpec } from './spec.js';

const fixture = (name: string) => join(packageRoot, 'test', 'fixtures', 'specs', name);

async function loadError(ref: string): Promise<ToolError> {
  try {
    await loadSpec(ref);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return error as ToolError;
  }
  throw new Error(`expected ${ref} to fail`);
}

describe('loadSpec', () => {
  it.each([
    ['stackone', '3.1', ''],
    ['smithery', '3.1', ''],
    ['langsmith', '3.1', ''],
  ])('loads the bundled spec %s', async (name, version) => {
    const spec = await loadSpec(name);
    expect(spec.name).toBe(name);
    expect(spec.version).toBe(version);
    expect(spec.document.paths).toBeTypeOf('object');
  });

  it.each([
    ['a missing file', 'no-such-spec.yaml', 'MCPC_SPEC_NOT_FOUND', /no-such-spec\.yaml.*not found/],
    [
      'invalid YAML, with line and column',
      fixture('invalid-yaml.yaml'),
      'MCPC_SPEC_PARSE',
      /invalid-yaml\.yaml:9:1: invalid YAML/,
    ],
    ['a Swagger 2.0 document', fixture('swagger2.yaml'), 'MCPC_SPEC_VERSION', /Swagger 2\.0 document/],
    [
      'an unresolvable internal $ref',
      fixture('missing-ref.yaml'),
      'MCPC_SPEC_REF',
      /missing-ref\.yaml:12:17: \$ref '#\/components\/schemas\/Nope'/,
    ],
    ['an unresolvable external $ref', fixture('external-missing.yaml'), 'MCPC_SPEC_REF', /a \$ref cannot be resolved/],
    ['a document that is not a mapping', fixture('not-a-mapping.yaml'), 'MCPC_SPEC_INVALID', /not a mapping/],
    ['a directory', join(packageRoot, 'specs'), 'MCPC_SPEC_NOT_FOUND', /is a directory/],
  ])('rejects %s with a one-line coded error', async (_what, ref, code, message) => {
    const error = await loadError(ref);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.toLine()).not.toContain('\n');
    expect(error.hint).toBeTruthy();
  });

  it('bundles external $refs and tolerates circular ones', async () => {
    const spec = await loadSpec(fixture('external-root.yaml'));
    const json = JSON.stringify(spec.document);
    expect(json).not.toContain('external-parts.yaml');
    expect(spec.name).toBe('external-root');
  });

  it('reads OpenAPI 3.0 documents', async () => {
    const spec = await loadSpec(fixture('openapi30.yaml'));
    expect(spec.version).toBe('3.0');
  });

  it('locates a JSON pointer at its line and column', async () => {
    const spec = await loadSpec('stackone');
    const loc = spec.locate('/paths/~1mcp/delete/security/1/ApiKey');
    expect(spec.source.split('\n')[(loc?.line ?? 0) - 1]).toContain('ApiKey');
  });
});
