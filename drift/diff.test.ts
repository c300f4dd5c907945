import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolError } from '../core/errors.js';
import { loadSpecArgument } from './diff.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpc-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minimal = (openapi: string): string => `openapi: ${openapi}\ninfo: {title: t, version: "1"}\npaths: {}\n`;

/** The coded line a bad argument gives, or '' when it loads. */
async function lineOf(given: string): Promise<string> {
  try {
    await loadSpecArgument(given, dir);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return (error as ToolError).toLine();
  }
}

/** A schema `levels` objects deep, as JSON text (built as text: JSON.stringify itself would overflow). */
function deepJson(levels: number): string {
  const schema = `${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}`;
  return `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"Deep":${schema}}}}`;
}

describe('diff arguments a new user gives', () => {
  it('a URL: one coded line saying it is not read, not a git error', async () => {
    const line = await lineOf('https://example.com/openapi.yaml');
    expect(line).toMatch(
      /^MCPC_USAGE: https:\/\/example\.com\/openapi\.yaml: URLs are not read; download it first \(curl -o\)/,
    );
    expect(line).not.toContain('revision');
  });

  it('openapi: 3.1 unquoted (a YAML number): says to write it as a string, quoted 3.1.0 loads', async () => {
    writeFileSync(join(dir, 'number.yaml'), minimal('3.1'));
    const line = await lineOf('number.yaml');
    expect(line).toContain('is read by YAML as the number 3.1');
    expect(line).toContain("openapi: '3.1.0'");
    expect(line).not.toContain("no 'openapi' version field");
    writeFileSync(join(dir, 'quoted.yaml'), minimal("'3.1.0'"));
    expect(await lineOf('quoted.yaml')).toBe('');
  });

  it('a valid document nested thousands of levels deep: a clear line, JSON or YAML, never a stack overflow', async () => {
    writeFileSync(join(dir, 'deep.json'), deepJson(4000));
    writeFileSync(join(dir, 'deep.yaml'), `# YAML\n${deepJson(4000)}`);
    for (const file of ['deep.json', 'deep.yaml']) {
      const line = await lineOf(file);
      expect(line).toContain(`${file}: the document is nested too deeply to read`);
      expect(line).not.toContain('Maximum call stack');
    }
    // Deep but not that deep still loads.
    writeFileSync(join(dir, 'nested.json'), deepJson(100));
    expect(await lineOf('nested.json')).toBe('');
  });
});
