import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfigFile } from './settings.js';

describe('paths in a config file', () => {
  const root = mkdtempSync(join(tmpdir(), 'mcpc-config-'));
  const project = join(root, 'project');
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(project);
  mkdirSync(elsewhere);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("resolve against the file's folder, not the folder the command runs in", async () => {
    writeFileSync(
      join(project, 'mcp-contracts.config.json'),
      JSON.stringify({ specs: ['./api.yaml', 'specs/other.json'], reports: ['json=out/run.json'] }),
    );
    const config = await readConfigFile('../project/mcp-contracts.config.json', elsewhere);
    expect(config?.values.specs).toEqual([join(project, 'api.yaml'), join(project, 'specs', 'other.json')]);
    expect(config?.values.reports).toEqual([`json=${join(project, 'out', 'run.json')}`]);
  });

  it('leave bundled spec names, URLs and absolute paths as written', async () => {
    const absolute = join(root, 'abs.yaml');
    writeFileSync(
      join(project, 'mcp-contracts.config.json'),
      JSON.stringify({
        specs: ['langsmith', 'https://example.com/openapi.yaml', absolute],
        reports: [`junit=${join(root, 'r.xml')}`],
      }),
    );
    const config = await readConfigFile(join(project, 'mcp-contracts.config.json'), elsewhere);
    expect(config?.values.specs).toEqual(['langsmith', 'https://example.com/openapi.yaml', absolute]);
    expect(config?.values.reports).toEqual([`junit=${join(root, 'r.xml')}`]);
  });
});
