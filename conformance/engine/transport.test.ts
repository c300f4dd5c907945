import { describe, expect, it } from 'vitest';
import { pool, retryAfterMs } from './transport.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['delay-seconds', '2', 2000],
    ['fractional seconds', '0.5', 500],
    ['an HTTP-date 10 s ahead', 'Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['an HTTP-date in the past waits nothing', 'Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['absent', undefined, undefined],
    ['empty', ' ', undefined],
    ['unreadable', 'soon', undefined],
    ['negative', '-5', undefined],
  ])('%s', (_name, value, want) => {
    expect(retryAfterMs(value, now)).toBe(want);
  });
});

describe('pool', () => {
  it('runs at most `concurrency` at once and every item once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await pool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      done.push(n);
      running--;
    });
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('takes no new item once stopped; started ones finish', async () => {
    const done: number[] = [];
    let stop = false;
    await pool(
      [1, 2, 3, 4, 5],
      1,
      async (n) => {
        if (n === 2) stop = true;
        done.push(n);
      },
      () => stop,
    );
    expect(done).toEqual([1, 2]);
  });
});
