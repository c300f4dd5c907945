import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { geomean, keepAliveAgent, median, percentileSorted, ratio, round, runLoad, spreadPercent } from './lib.js';
import { endMarker, formatJson, startMarker, updateBenchmarksMarkdown } from './report.js';

/**
 * The bench's own helpers (`npm run bench` itself is a benchmark, not a test: no timing is asserted here).
 */
describe('bench statistics', () => {
  it('takes nearest-rank percentiles and medians', () => {
    const sorted = Float64Array.from([5, 1, 4, 2, 3]).sort();
    expect(percentileSorted(sorted, 50)).toBe(3);
    expect(percentileSorted(sorted, 99)).toBe(5);
    expect(percentileSorted(sorted, 0)).toBe(1);
    expect(percentileSorted([], 50)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([Number.NaN, 7])).toBe(7);
  });

  it('computes spread, ratios and geometric means, and rounds NaN to null', () => {
    expect(spreadPercent([90, 100, 110])).toBe(20);
    expect(spreadPercent([100])).toBe(0);
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNaN();
    expect(geomean([1, 4])).toBeCloseTo(2);
    expect(round(1.2345, 2)).toBe(1.23);
    expect(round(Number.NaN)).toBeNull();
  });
});

describe('BENCHMARKS.md update', () => {
  it('replaces only the generated section, keeping the hand-written text around it', () => {
    const before = `# Benchmarks\n\nintro\n\n${startMarker}\nold figures\n${endMarker}\n\n## Interpretation\n\nkept\n`;
    const after = updateBenchmarksMarkdown(before, 'new figures');
    expect(after).toContain('new figures');
    expect(after).not.toContain('old figures');
    expect(after.startsWith('# Benchmarks\n\nintro\n\n')).toBe(true);
    expect(after.endsWith('## Interpretation\n\nkept\n')).toBe(true);
  });

  it('creates a skeleton when there is no file yet', () => {
    const created = updateBenchmarksMarkdown(undefined, 'figures');
    expect(created).toContain(`${startMarker}\nfigures\n${endMarker}`);
  });
});

describe('results.json', () => {
  it('is written as Biome formats JSON, and reads back the same', () => {
    const value = {
      a: [1, 2, 3],
      b: { c: [], d: {}, e: [{ f: 'µ' }] },
      g: null,
      long: Array.from({ length: 40 }, (_, i) => i * 1000),
    };
    const text = formatJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('"a": [1, 2, 3]');
    expect(text).toContain('"c": []');
    // Too long for one line of 120 characters: one item per line.
    expect(text).toContain('"long": [\n    0,\n    1000,');
  });
});

describe('load generator', () => {
  // No timing is asserted: the loop ending at all (within vitest's timeout) is what matters here.
  it('counts answers and separates unexpected statuses', async () => {
    let n = 0;
    const server = createServer((_req, res) => {
      n++;
      res.statusCode = n % 10 === 0 ? 500 : 204;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = keepAliveAgent(4);
    try {
      const { port } = server.address() as AddressInfo;
      const result = await runLoad({
        url: `http://127.0.0.1:${port}/x`,
        method: 'DELETE',
        headers: {},
        expect: 204,
        agent,
        concurrency: 4,
        durationMs: 150,
      });
      expect(result.requests).toBe(n);
      expect(result.requests).toBeGreaterThan(10);
      expect(result.unexpected).toBe(Math.floor(n / 10));
      expect(result.errors).toBe(0);
      expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
