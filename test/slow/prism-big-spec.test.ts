import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrismOnFile } from './prism-file.js';

/**
 * Prism lists every route on start-up before it says it is listening. On a spec as big as GitHub's (1,223
 * routes, ~150 KB of log lines) the launcher used to stop reading at 64 KB, never saw the "listening" line, and
 * `mock --engine prism` (and the bench's full run) timed out. 1,500 routes here make ~170 KB of lines.
 */
const dir = mkdtempSync(join(tmpdir(), 'mcpc-prism-big-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bigSpec(routes: number): string {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < routes; i++) {
    paths[`/resources-with-a-long-name-${i}/{resource_identifier}/sub-resources`] = {
      get: {
        operationId: `listSubResources${i}`,
        parameters: [{ name: 'resource_identifier', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: { n: { const: i } } } } },
          },
        },
      },
    };
  }
  return JSON.stringify({ openapi: '3.0.3', info: { title: 'big', version: '1' }, paths });
}

describe('Prism on a spec with 1,500 routes', () => {
  it('is seen to start, and answers the last route', { timeout: 120_000 }, async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, bigSpec(1500));
    const prism = await startPrismOnFile(file, '', 90_000);
    try {
      const response = await fetch(`${prism.url}/resources-with-a-long-name-1499/abc/sub-resources`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ n: 1499 });
    } finally {
      await prism.close();
    }
  });
});
