import { describe, expect, it } from 'vitest';
import { decideVerdict } from '../conformance/types.js';
import { exitCodeFor, processOutput, progressText } from './output.js';

/** A stand-in for process.stdout/stderr: a terminal or not, with its width, recording what is written. */
function stream(isTTY: boolean, columns = 80) {
  const written: string[] = [];
  return { isTTY, columns, written, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream & {
    written: string[];
  };
}

describe('processOutput: decided per stream', () => {
  it('colours stdout on a terminal and not stderr redirected to a file, and the other way round', () => {
    const a = processOutput({ stdout: stream(true), stderr: stream(false) }, {});
    expect(a.color.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(a.errColor!.red('x')).toBe('x');
    const b = processOutput({ stdout: stream(false), stderr: stream(true) }, {});
    expect(b.color.red('x')).toBe('x');
    expect(b.errColor!.red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('NO_COLOR turns colour off on both, even on terminals', () => {
    const o = processOutput({ stdout: stream(true), stderr: stream(true) }, { NO_COLOR: '1' });
    expect([o.color.red('x'), o.errColor!.red('x')]).toEqual(['x', 'x']);
  });

  it('offers a progress line only when stderr is a terminal, cut to its width and erased before output', () => {
    expect(processOutput({ stdout: stream(true), stderr: stream(false) }, {}).status).toBeUndefined();
    const stdout = stream(false);
    const stderr = stream(true, 30);
    const o = processOutput({ stdout, stderr }, {});
    o.status!('12/40 cases · 1 failed so far · about 3 s left and more text than fits');
    expect(stderr.written.at(-1)).toBe(`\r\u001b[2K${'12/40 cases · 1 failed so far · about 3 s left'.slice(0, 29)}`);
    o.out('report line');
    expect(stderr.written.at(-1)).toBe('\r\u001b[2K');
    o.flush!();
    expect(stdout.written).toEqual(['report line\n']);
  });

  it('writes a file or pipe in chunks by the next tick, a terminal line by line, and keeps 2>&1 in order', async () => {
    const file = stream(false);
    const errors = stream(false);
    const o = processOutput({ stdout: file, stderr: errors }, {});
    o.out('one');
    o.out('two');
    expect(file.written).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(file.written).toEqual(['one\ntwo\n']);
    // An error line sends what stdout holds first, so a shared file reads in the order things happened.
    const order: string[] = [];
    const shared = { ...stream(false), write: (s: string) => order.push(s) > 0 } as unknown as NodeJS.WriteStream;
    const both = processOutput({ stdout: shared, stderr: shared }, {});
    both.out('plan');
    both.err('warning');
    both.out('more');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['plan\n', 'warning\n', 'more\n']);
    // A big plan goes out in 64 KB pieces without waiting for the tick.
    for (let i = 0; i < 2000; i++) o.out('x'.repeat(63));
    expect(file.written.length).toBeGreaterThan(1);
    const terminal = stream(true);
    const t = processOutput({ stdout: terminal, stderr: stream(true) }, {});
    t.out('at once');
    expect(terminal.written).toEqual(['at once\n']);
  });

  it('gives the report the terminal width of stdout, and none when stdout is not a terminal', () => {
    expect(processOutput({ stdout: stream(true, 120), stderr: stream(false) }, {}).width).toBe(120);
    expect(processOutput({ stdout: stream(false, 120), stderr: stream(false) }, {}).width).toBeUndefined();
  });
});

describe('progressText', () => {
  it('says done of total, failures so far and the time left at this pace', () => {
    expect(progressText(10, 40, 2, 5_000)).toBe('10/40 cases · 2 failed so far · about 15 s left');
    expect(progressText(40, 40, 0, 5_000)).toBe('40/40 cases · 0 failed so far');
    expect(progressText(1, 400, 0, 2_000)).toBe('1/400 cases · 0 failed so far · about 13 min 18 s left');
  });

  it('never shows more done than the total (the bug was "55/33")', () => {
    expect(progressText(55, 33, 0, 1_000)).toBe('55/55 cases · 0 failed so far');
  });
});

describe('exitCodeFor', () => {
  const summary = {
    cases: 4,
    passed: 4,
    failed: 0,
    errored: 0,
    skipped: 0,
    requests: 4,
    failures: 0,
    warnings: 0,
    coveragePercent: 50,
    durationMs: 1,
  };
  it.each([
    ['passed', { status: 'completed' as const, inconclusive: undefined, summary }, undefined, 0],
    [
      'failed',
      { status: 'completed' as const, inconclusive: undefined, summary: { ...summary, failures: 1, failed: 1 } },
      undefined,
      1,
    ],
    ['failed by coverage', { status: 'completed' as const, inconclusive: undefined, summary }, 80, 1],
    [
      'errored',
      { status: 'completed' as const, inconclusive: undefined, summary: { ...summary, errored: 1 } },
      undefined,
      1,
    ],
    ['inconclusive', { status: 'completed' as const, inconclusive: 'nothing accepted', summary }, undefined, 2],
    [
      'interrupted',
      { status: 'interrupted' as const, inconclusive: undefined, summary: { ...summary, failures: 3 } },
      undefined,
      130,
    ],
  ])('%s', (_name, result, requireCoverage, code) => {
    expect(exitCodeFor(decideVerdict(result, requireCoverage))).toBe(code);
  });
});
