import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGeneratedFiles } from '../../codegen/generate.js';
import { createScratchRepo } from '../../drift/testing/scratch-repo.js';
import { runCli } from './cli.js';

const reports = mkdtempSync(join(tmpdir(), 'mcpc-drift-e2e-'));
const scratch = createScratchRepo();
scratch.replace(
  'specs/smithery.yaml',
  `        '404':
          description: Namespace or connection not found
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
`,
  '',
);
// Regenerated as a real commit would be, so that the breaking change is the only drift.
await writeGeneratedFiles(scratch.root);
scratch.commit('drop the documented 404');

afterAll(() => {
  scratch.remove();
  rmSync(reports, { recursive: true, force: true });
});

describe('mcp-contracts drift (built CLI)', () => {
  it('exits 0 on this repository, with all four steps passed', async () => {
    const json = join(reports, 'self.json');
    const run = await runCli(['drift', '--report', `json=${json}`, '--report', `junit=${join(reports, 'self.xml')}`], {
      timeoutMs: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✔ passed  generated files fresh');
    expect(run.stdout).toContain('✔ passed  spec lint against the baseline');
    expect(run.stdout).toContain('✔ passed  no breaking change');
    expect(run.stdout).toContain('✔ passed  reference implementation conforms');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual([
      'generated:passed',
      'lint:passed',
      'breaking:passed',
      'conformance:passed',
    ]);
    expect(readFileSync(join(reports, 'self.xml'), 'utf8')).toContain('<testsuites name="mcp-contracts drift"');
  });

  it('exits 1 in a scratch repository whose last commit removes a documented status, with rule, location and line', async () => {
    const markdown = join(reports, 'scratch.md');
    const run = await runCli(['drift', '--base', 'HEAD~1', '--report', `markdown=${markdown}`], {
      cwd: scratch.root,
      env: { GITHUB_ACTIONS: 'true' },
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /error response-status-removed specs\/smithery\.yaml@[0-9a-f]{12}:\d+:9 in the old version/,
    );
    expect(run.stdout).toContain('documented status 404 was removed');
    expect(run.stdout).toContain('at /paths/~1connect~1{namespace}~1{connectionId}/delete/responses/404');
    expect(run.stdout).toMatch(/^::error file=specs\/smithery\.yaml,line=\d+,title=drift response-status-removed::/m);
    expect(run.stdout).toContain('✔ passed  generated files fresh');
    expect(run.stdout).toContain('drift FAILED: no breaking change — 1 of 4 step(s) failed');
    expect(readFileSync(markdown, 'utf8')).toContain('<code>response-status-removed</code>');
  });

  it('exits 2 on an unknown report format, writing nothing', async () => {
    const run = await runCli(['drift', '--report', `sarif=${join(reports, 'x.sarif')}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^MCPC_USAGE: --report sarif=.*expected FORMAT=FILE/);
    expect(existsSync(join(reports, 'x.sarif'))).toBe(false);
  });

  it('exits 2 when a report cannot be written', async () => {
    const run = await runCli(['drift', '--report', `junit=${join(reports, 'missing', 'drift.xml')}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^MCPC_IO: cannot write report .*folder .* does not exist/);
  });

  it('exits 2 on a --base that does not exist', async () => {
    const run = await runCli(['drift', '--base', 'no-such-ref'], { cwd: scratch.root, timeoutMs: 60_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^MCPC_GIT: --base no-such-ref: no such revision/);
  });
});
