import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStandin, writeStandinSpec } from '../../conformance/engine/cases/standin.test-server.js';
import { runCli } from './cli.js';

/**
 * The built CLI with the property-based phase and the less-common-input cases: --max-examples and --seed as a
 * user types them, the dry run saying what the phase would vary, and a crash on an emoji reported with the
 * line that replays it.
 */

const spec = writeStandinSpec();

describe('conformance --max-examples / --seed (built CLI)', () => {
  it('rejects a --max-examples that is not a count, in one coded line', async () => {
    const run = await runCli([
      'conformance',
      '--spec',
      spec,
      '--target',
      'http://127.0.0.1:9',
      '--max-examples',
      'many',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^MCPC_USAGE: --max-examples must be an integer ≥ 0, got 'many'/,
    );
  });

  it('--dry-run says which operations the phase varies, with how many examples and the seed', async () => {
    const run = await runCli([
      'conformance',
      '--spec',
      spec,
      '--target',
      'http://127.0.0.1:9',
      '--dry-run',
      '--seed',
      '5',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /phase property\n {2}standin:getItem:property {2}property-based: 8 example\(s\) of unusual legal values \(seed 5\) for /,
    );
    expect(run.stdout).toContain("valid request with optional query parameter 'view'");
    const none = await runCli([
      'conformance',
      '--spec',
      spec,
      '--target',
      'http://127.0.0.1:9',
      '--dry-run',
      '--max-examples',
      '0',
    ]);
    expect(none.stdout).not.toContain('property-based');
  });

  it('a case that cannot be sent as valid is shown with why: in the dry run, and as skipped in the report', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mcpc-values-')), 'regions.yaml');
    writeFileSync(
      file,
      `openapi: 3.1.0
info: { title: regions, version: '1' }
paths:
  /regions/{region}:
    delete:
      parameters: [{ name: region, in: path, required: true, schema: { type: string, enum: [eu, us] } }]
      responses: { '204': { description: gone }, '404': { description: none } }
`,
    );
    const run = await runCli(['conformance', '--spec', file, '--target', 'http://127.0.0.1:9', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /valid request — not sent: path parameter 'region' is an enum: a made-up value would break its schema/,
    );
    // A real run reports it skipped, with the same reason.
    const server = await startStandin('none');
    try {
      const real = await runCli(['conformance', '--spec', file, '--target', server.url]);
      expect(real.stdout).toMatch(/– skipped — valid request: path parameter 'region' is an enum/);
      // The valid case, and the Prefer cases of the operation (the same request with a Prefer header): skipped too,
      // rather than sent invalid and read as "Prefer not honoured".
      expect(real.stdout).toMatch(/, 3 skipped\)/);
      expect(real.stdout).not.toMatch(/does not honour Prefer/);
    } finally {
      await server.close();
    }
  });

  it('fails a deployment that crashes on an emoji, printing the shrunk value and the replay line (exit 1)', async () => {
    const server = await startStandin('emoji-crash');
    try {
      const args = ['conformance', '--spec', spec, '--target', server.url, '--allow-destructive', '--seed', '3'];
      const run = await runCli([...args, '--max-examples', '60']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /✗ not-a-server-error — property-based: query parameter 'q' = "[^"]+" \(shrunk in \d+ step\(s\); replay with --seed 3 --max-examples 60\)/,
      );
      const conformant = await runCli([...args, '--max-examples', '0']);
      expect(conformant.code).toBe(0);
    } finally {
      await server.close();
    }
  });
});
