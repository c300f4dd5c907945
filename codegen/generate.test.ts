import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { buildGeneratedFiles, checkGeneratedFiles } from './generate.js';

function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpc-gen-'));
  cpSync(join(packageRoot, 'specs'), join(dir, 'specs'), { recursive: true });
  cpSync(join(packageRoot, 'generated'), join(dir, 'generated'), { recursive: true });
  return dir;
}

describe('generate', () => {
  it('is deterministic and heads every file "generated — do not edit"', async () => {
    const first = await buildGeneratedFiles();
    const second = await buildGeneratedFiles();
    expect(second).toEqual(first);
    expect(first.map((f) => f.path)).toEqual([
      'generated/stackone.ts',
      'generated/smithery.ts',
      'generated/langsmith.ts',
      'generated/operations.ts',
    ]);
    for (const file of first) expect(file.content.startsWith('// generated — do not edit.')).toBe(true);
  });

  it('the committed generated/ matches the specs', async () => {
    const { stale } = await checkGeneratedFiles();
    expect(stale.map((s) => s.path)).toEqual([]);
  });

  it('names the stale file and shows the diff after a schema changes', async () => {
    const root = scratchCopy();
    const spec = join(root, 'specs', 'smithery.yaml');
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(
        'example: not_found',
        'example: not_found\n          minLength: 3\n          format: email',
      ),
    );
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(
        '        message:\n          type: string',
        '        message:\n          type: integer',
      ),
    );
    const { stale } = await checkGeneratedFiles(root);
    expect(stale.map((s) => [s.path, s.reason])).toEqual([['generated/smithery.ts', 'changed']]);
    expect(stale[0]!.diff).toContain('-            message: string;');
    expect(stale[0]!.diff).toContain('+            message: number;');
  });

  it('flags a generated file that no spec produces any more', async () => {
    const root = scratchCopy();
    writeFileSync(join(root, 'generated', 'old.ts'), '// generated — do not edit. Source: gone\n');
    const { stale } = await checkGeneratedFiles(root);
    expect(stale.map((s) => [s.path, s.reason])).toEqual([['generated/old.ts', 'orphan']]);
  });

  it('makes a missing handler, or an undocumented status, a compile error', () => {
    const dir = mkdtempSync(join(packageRoot, 'generated', '.tmp-'));
    const file = join(dir, 'handlers.ts');
    writeFileSync(
      file,
      [
        "import type { Handlers } from '../operations.js';",
        'export const missingOne: Handlers<unknown> = {',
        '  stackone_mcp_post: () => ({ status: 202 }),',
        '  stackone_mcp_delete: () => ({ status: 200 }),',
        '  deleteMcpServer: () => ({ status: 204 }),',
        '};',
        "export const wrongStatus: Handlers<unknown>['deleteMcpServer'] = () => ({ status: 200 });",
        "export const wrongBody: Handlers<unknown>['deleteSmithery.run:namespace:connectionId'] = () => ({",
        "  status: 200, contentType: 'application/json', body: { success: false },",
        '});',
        "export const fine: Handlers<unknown>['deleteSmithery.run:namespace:connectionId'] = () => ({",
        "  status: 404, contentType: 'application/json', body: { error: 'not_found', message: 'gone' },",
        '});',
      ].join('\n'),
    );
    try {
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        types: [],
        skipLibCheck: true,
      });
      const messages = ts
        .getPreEmitDiagnostics(program)
        .map(
          (d) =>
            `${d.start !== undefined ? d.file?.getLineAndCharacterOfPosition(d.start).line : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        );
      expect(messages.find((m) => m.startsWith('1:'))).toMatch(/deleteSmithery\.run:namespace:connectionId/);
      expect(messages.find((m) => m.startsWith('6:'))).toMatch(/200/);
      expect(messages.find((m) => m.startsWith('7:') || m.startsWith('8:'))).toMatch(/false/);
      expect(messages.filter((m) => m.startsWith('10:') || m.startsWith('11:'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
