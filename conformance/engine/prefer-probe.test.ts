import { describe, expect, it } from 'vitest';
import { runSpecAgainstOwnMock } from '../test-helpers.js';

/**
 * The Prefer phase probes with one case before sending the rest. A case whose operation has no valid request is
 * refused by any mock whatever Prefer says: used as the probe, it read as "Prefer not honoured" and left every
 * other status unasked.
 */
const spec = `openapi: 3.1.0
info: { title: probe, version: '1' }
paths:
  /broken:
    get:
      operationId: broken
      parameters:
        - { name: q, in: query, required: true, schema: { type: integer, minimum: 5, maximum: 4 } }
      responses: { '200': { description: ok }, '500': { description: down } }
  /ok:
    get:
      operationId: ok
      responses: { '200': { description: ok }, '503': { description: busy } }
`;

describe('the Prefer probe', () => {
  it('is the first Prefer case that can be sent; one that cannot is skipped with why', async () => {
    const result = await runSpecAgainstOwnMock(spec);
    expect(result.remarks.join('\n')).not.toMatch(/does not honour Prefer/);
    const prefer = result.cases.filter((c) => c.id.includes(':prefer:'));
    expect(prefer.map((c) => `${c.id.split(':').slice(1).join(':')} ${c.outcome}`).sort()).toEqual([
      'broken:prefer:200 skipped',
      'broken:prefer:500 skipped',
      'ok:prefer:503 passed',
    ]);
    expect(prefer.find((c) => c.id.includes('broken'))?.reason).toMatch(/query parameter 'q'/);
  });
});
