import type { Verdict } from '../conformance/types.js';

/**
 * Terminal output: colour only on a TTY and never with NO_COLOR (https://no-color.org) or in CI logs that
 * ask for none — decided per stream, so `conformance > report.txt` on a terminal keeps colour on stderr and
 * none in the file. Everything the CLI prints goes through an `Output`, so tests can capture it.
 */
export interface Output {
  out(line?: string): void;
  err(line?: string): void;
  /** The palette for stdout. */
  color: Palette;
  /** The palette for stderr (may differ from stdout's). */
  errColor?: Palette;
  /** Columns of the terminal stdout writes to (undefined when it is not one). */
  width?: number | undefined;
  /** Redraws a one-line status on stderr; present only when stderr is a terminal. */
  status?: ((line: string) => void) | undefined;
  /** Writes out what is buffered now (before a `process.exit`); lines are otherwise written by the next tick. */
  flush?: (() => void) | undefined;
}

export interface Palette {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

const wrap =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;

const colours: Palette = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

const plain: Palette = {
  red: (s) => s,
  green: (s) => s,
  yellow: (s) => s,
  cyan: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
};

export function useColour(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function paletteFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Palette {
  return useColour(stream, env) ? colours : plain;
}

export function processOutput(
  streams: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process,
  env: NodeJS.ProcessEnv = process.env,
): Output {
  const { stdout, stderr } = streams;
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) stderr.write('\r\u001b[2K');
    statusShown = false;
  };
  // Into a file or a pipe, lines go out in chunks: a dry run of GitHub's spec prints 45,901 lines, and a write
  // per line cost ~240 ms. On a terminal each line goes at once. stderr flushes stdout first, keeping `2>&1` in order.
  const chunked = stdout.isTTY !== true;
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    stdout.write(text);
  };
  return {
    out: (line = '') => {
      clearStatus();
      if (!chunked) {
        stdout.write(`${line}\n`);
        return;
      }
      pending += `${line}\n`;
      if (pending.length >= 64 * 1024) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    err: (line = '') => {
      flush();
      clearStatus();
      stderr.write(`${line}\n`);
    },
    flush,
    color: paletteFor(stdout, env),
    errColor: paletteFor(stderr, env),
    width: stdout.isTTY === true ? stdout.columns : undefined,
    // A progress line is for a person watching a terminal: never written into a CI log or a redirected file.
    status:
      stderr.isTTY === true
        ? (line: string) => {
            const columns = Math.max(20, (stderr.columns ?? 80) - 1);
            stderr.write(`\r\u001b[2K${[...line].slice(0, columns).join('')}`);
            statusShown = line !== '';
            if (line === '') clearStatus();
          }
        : undefined,
  };
}

/** An Output that records lines, for tests and for commands that render into a string. */
export function bufferOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l = '') => stdout.push(l), err: (l = '') => stderr.push(l), color: plain };
}

/**
 * The exit code of a verdict — the one place it is decided: 0 passed, 1 failed or errored, 2 inconclusive (the
 * run proved nothing), 130 interrupted (128 + SIGINT, as shells report a Ctrl-C).
 */
export function exitCodeFor(verdict: Verdict): number {
  if (verdict.status === 'interrupted') return 130;
  if (verdict.status === 'passed') return 0;
  if (verdict.status === 'errored' && verdict.inconclusive) return 2;
  return 1;
}

/** The progress line's text: cases done of the planned total, failures so far, and the time left at this pace. */
export function progressText(done: number, total: number, failed: number, elapsedMs: number): string {
  const shownTotal = Math.max(total, done);
  const left = done > 0 && shownTotal > done ? ((elapsedMs / done) * (shownTotal - done)) / 1000 : undefined;
  return `${done}/${shownTotal} cases · ${failed} failed so far${left === undefined ? '' : ` · about ${formatSeconds(left)} left`}`;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
