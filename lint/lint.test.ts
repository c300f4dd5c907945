import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../core/errors.js';
import { bundledSpecNames, packageRoot } from '../core/paths.js';
import { lintSpecs } from './lint.js';

const fixture = (name: string) => join(packageRoot, 'test', 'fixtures', 'specs', name);

describe('lintSpecs', () => {
  it('passes the bundled specs with every upstream defect baselined, each with a reason', async () => {
    const result = await lintSpecs([...bundledSpecNames]);
    expect(result.failing).toEqual([]);
    expect(result.unusedBaseline).toEqual([]);
    const baselined = result.findings.filter((f) => f.baselined);
    expect(baselined.length).toBe(14);
    expect(baselined.map((f) => f.rule)).toEqual(
      expect.arrayContaining([
        'mcp-contracts:undefined-security-scheme',
        'mcp-contracts:nullable-in-openapi-3.1',
        'spectral:info-contact',
        'spectral:operation-tag-defined',
      ]),
    );
  });

  it('fails without the baseline, naming rule, file, line and pointer of each defect', async () => {
    const result = await lintSpecs([...bundledSpecNames], { useBaseline: false });
    expect(result.failing.length).toBe(13);
    const scheme = result.failing.find((f) => f.rule === 'mcp-contracts:undefined-security-scheme')!;
    expect(scheme).toMatchObject({
      file: 'specs/stackone.yaml',
      line: 137,
      pointer: '/paths/~1mcp/delete/security/1/ApiKey',
      severity: 'error',
    });
  });

  it.each([
    [
      'the published Smithery contract: secured but no 401',
      'specs/upstream/smithery.yaml',
      'mcp-contracts:secured-operation-without-401',
    ],
    ['an error status without a schema', fixture('openapi30.yaml'), 'mcp-contracts:error-status-without-schema'],
  ])('flags %s', async (_name, spec, rule) => {
    const result = await lintSpecs([spec], { useBaseline: false });
    expect(result.failing.map((f) => f.rule)).toContain(rule);
  });

  it('flags the response gaps a target can fall into, and not the operations that document them', async () => {
    const result = await lintSpecs([fixture('spec-gaps.yaml')], { useBaseline: false });
    const gaps = result.failing
      .filter((f) => /secured-operation-without-401|operation-without-(success-status|client-error)/.test(f.rule))
      .map((f) => `${f.rule} ${f.pointer}`)
      .sort();
    expect(gaps).toEqual(
      [
        // POST /pets: secured, documents only 405 — no 401 and no success status.
        'mcp-contracts:operation-without-success-status /paths/~1pets/post/responses',
        'mcp-contracts:secured-operation-without-401 /paths/~1pets/post/responses',
        // GET /pets/{id}: documents only 200. The others document 2XX+400+401, 302+404, 3XX+404 and default.
        'mcp-contracts:operation-without-client-error /paths/~1pets~1{id}/get/responses',
      ].sort(),
    );
  });

  it('reports baseline entries that no longer match anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpc-lint-'));
    const baseline = join(dir, 'baseline.yaml');
    writeFileSync(
      baseline,
      'entries:\n  - rule: spectral:info-contact\n    file: specs/langsmith.yaml\n    pointer: /nowhere\n    reason: test\n',
    );
    const result = await lintSpecs(['langsmith'], { baselineFile: baseline });
    expect(result.unusedBaseline).toHaveLength(1);
    expect(result.failing.map((f) => f.rule)).toEqual(['spectral:info-contact']);
  });

  it('a YAML tag Spectral cannot build (!!binary): a coded line naming the file, not MCPC_INTERNAL', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mcpc-lint-')), 'binary.yaml');
    writeFileSync(file, 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-logo: !!binary aGVsbG8=\n');
    await expect(lintSpecs([file], { baselineFile: undefined })).rejects.toMatchObject({
      code: 'MCPC_SPEC_PARSE',
      message: expect.stringMatching(/binary\.yaml: Spectral \(lint's rule engine\) cannot read this YAML/),
    });
  });

  it('rejects a baseline entry without a reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpc-lint-'));
    const baseline = join(dir, 'baseline.yaml');
    writeFileSync(baseline, 'entries:\n  - rule: x\n    file: y\n    pointer: /z\n');
    await expect(lintSpecs(['langsmith'], { baselineFile: baseline })).rejects.toThrow(ToolError);
    await expect(lintSpecs(['langsmith'], { baselineFile: baseline })).rejects.toThrow(/entry 1 has no 'reason'/);
  });

  it.each([
    ['named explicitly', { baselineRequired: true }, 'MCPC_CONFIG'],
    ['not named (a default that may be absent)', {}, undefined],
  ])('a missing baseline file %s', async (_name, extra, code) => {
    const baselineFile = join(mkdtempSync(join(tmpdir(), 'mcpc-lint-')), 'missing.yaml');
    const run = lintSpecs(['langsmith'], { baselineFile, ...extra });
    if (code) {
      await expect(run).rejects.toMatchObject({ code, message: `baseline file ${baselineFile} not found` });
    } else {
      const result = await run;
      expect(result.baselineFile).toBeUndefined();
      expect(result.failing.map((f) => f.rule)).toEqual(['spectral:info-contact']);
    }
  });
});
