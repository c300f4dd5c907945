import { ToolError } from '../../core/errors.js';
import type { HttpClient, HttpRequest, HttpResult } from '../http/client.js';

/**
 * The transport: every request of a run goes through here. It keeps the rate limit, honours `Retry-After` on a
 * 429 within a run-wide back-off budget, counts requests, and stops the run — on an interruption (the caller's
 * AbortSignal) or when the target accepts connections but the first requests all time out (a fatal ToolError:
 * running every other case into the timeout would take minutes and check nothing).
 */
export interface TransportOptions {
  client: HttpClient;
  /** Requests per second, at most. */
  rateLimit?: number | undefined;
  concurrency: number;
  timeoutMs: number;
  /** Total time the run may spend waiting on `Retry-After`, summed over all requests. */
  maxRetryWaitMs: number;
  /** Aborted = interrupted: no new request is sent (cleanup excepted); requests in flight finish. */
  signal?: AbortSignal | undefined;
  /** Injected in tests to measure back-off without waiting. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/** Thrown by `send` when the run has stopped: the case that asked is cut short, nothing more is sent. */
export class RunStopped extends Error {
  constructor() {
    super('the run stopped');
  }
}

/** Longest single wait on one `Retry-After`. */
export const maxSingleRetryWaitMs = 30_000;

export interface Transport {
  /**
   * Send one request. A 429 with `Retry-After` is retried once after the wait, while the budget lasts, unless
   * `acceptRateLimit` (the case asked for the 429). `evenIfInterrupted` is for cleanup, which undoes what the run
   * created after an interruption. Throws RunStopped once the run has stopped.
   */
  send(request: HttpRequest, options?: { acceptRateLimit?: boolean; evenIfInterrupted?: boolean }): Promise<HttpResult>;
  /** True once the run was interrupted or hit a fatal condition: phases send nothing more. */
  stopped(): boolean;
  interrupted(): boolean;
  /** The reason to give up the whole run (exit 2), if any. */
  fatal(): ToolError | undefined;
  /** Requests sent, and answers received (a phase that records only its failures still counts its answers). */
  readonly stats: { requests: number; responses: number; retryWaitMs: number; budgetSpent: boolean };
  remarks(): string[];
}

export function createTransport(options: TransportOptions): Transport {
  const limiter = createLimiter(options.rateLimit);
  const sleepFor = options.sleep ?? sleep;
  const stats = { requests: 0, responses: 0, retryWaitMs: 0, budgetSpent: false };
  const fatalStop = new AbortController();
  const stopSignal = options.signal ? AbortSignal.any([options.signal, fatalStop.signal]) : fatalStop.signal;
  let fatal: ToolError | undefined;
  // The first answers decide whether the target answers at all: all of them timing out is fatal.
  const probeSize = Math.max(2, options.concurrency);
  const firstResults: boolean[] = [];
  const interrupted = () => options.signal?.aborted === true;

  const observe = (result: HttpResult) => {
    if (firstResults.length >= probeSize) return;
    // A request cut off by the interruption says nothing about the target.
    if (!result.ok && result.error.code === 'EABORTED') return;
    firstResults.push(!result.ok && result.timedOut);
    if (firstResults.length === probeSize && firstResults.every(Boolean) && !fatal) {
      fatal = new ToolError(
        'MCPC_TARGET_UNREACHABLE',
        `the target accepted connections but none of the first ${probeSize} requests was answered within --timeout ${options.timeoutMs} ms; the run stopped instead of running every case into the timeout`,
        'check that --target points at the HTTP(S) endpoint of a deployment that is up (scheme, port, TLS, proxy), or raise --timeout if it is just slow',
      );
      fatalStop.abort();
    }
  };

  return {
    stats,
    stopped: () => stopSignal.aborted,
    interrupted,
    fatal: () => fatal,
    remarks: () =>
      stats.budgetSpent
        ? [
            `the back-off budget (--max-retry-wait ${Math.round(options.maxRetryWaitMs / 1000)} s) was spent honouring Retry-After; later 429s were taken as they came`,
          ]
        : [],
    async send(request, sendOptions = {}) {
      let attempted = false;
      for (;;) {
        const mayGo = sendOptions.evenIfInterrupted ? !fatal : !stopSignal.aborted;
        if (!mayGo) throw new RunStopped();
        await limiter();
        stats.requests++;
        // An interruption lets requests in flight finish (one may be creating what cleanup must delete); only the
        // fatal stop cuts them off.
        const result = await options.client.send(request, fatalStop.signal);
        observe(result);
        if (result.ok) stats.responses++;
        const retryAfter = result.ok ? retryAfterMs(result.response.headers['retry-after']) : undefined;
        if (!result.ok || result.response.status !== 429 || sendOptions.acceptRateLimit || attempted) return result;
        if (retryAfter === undefined) return result;
        const remaining = options.maxRetryWaitMs - stats.retryWaitMs;
        if (remaining <= 0) {
          stats.budgetSpent = true;
          return result;
        }
        const wait = Math.min(retryAfter, maxSingleRetryWaitMs, remaining);
        // Reserved before sleeping, so concurrent waits count against the same budget.
        stats.retryWaitMs += wait;
        if (stats.retryWaitMs >= options.maxRetryWaitMs) stats.budgetSpent = true;
        attempted = true;
        await sleepFor(wait, sendOptions.evenIfInterrupted ? fatalStop.signal : stopSignal);
      }
    },
  };
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  // An HTTP-date names a weekday and a month; anything else (a negative number, a bare year) is unreadable.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Run `worker` over `items` with at most `concurrency` at once. Stops taking new items once `stopped()` says so;
 * items already started finish.
 */
export function pool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  return schedule(items, concurrency, () => [], worker, stopped);
}

/**
 * `pool`, keeping what each worker returns at its item's place (undefined for items never started, once stopped):
 * results in the order of the items, whatever order they finished in.
 */
export async function poolMap<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T) => Promise<R>,
  stopped?: () => boolean,
): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = items.map(() => undefined);
  const indexed = items.map((item, i) => ({ item, i }));
  await pool(
    indexed,
    concurrency,
    async ({ item, i }) => {
      results[i] = await worker(item);
    },
    stopped,
  );
  return results;
}

/**
 * Run `worker` over `items`, at most `concurrency` at once, never two items that share a key at the same time: an
 * item whose keys are all free starts as soon as a slot is, even past an earlier item still waiting for one of its
 * keys (so a long lifecycle holds back only what touches the same operations). An item with no keys (a read-only
 * case) runs alongside anything. Items start in order otherwise. Stops taking new items once `stopped()` says so;
 * items already started finish. A worker that throws ends the whole schedule with that error, once the items in
 * flight have finished.
 */
export function schedule<T>(
  items: readonly T[],
  concurrency: number,
  keysOf: (item: T) => readonly string[],
  worker: (item: T) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  const limit = Math.max(1, concurrency);
  const keys = items.map(keysOf);
  const started = new Uint8Array(items.length);
  const held = new Map<string, number>();
  let first = 0;
  let active = 0;
  let failure: { error: unknown } | undefined;
  return new Promise((resolve, reject) => {
    const settle = () => {
      if (active > 0) return;
      if (failure) reject(failure.error);
      else if (first >= items.length || stopped()) resolve();
    };
    const pump = () => {
      while (active < limit && !failure && !stopped()) {
        while (first < items.length && started[first]) first++;
        let i = first;
        while (i < items.length && (started[i] || (keys[i] as readonly string[]).some((k) => held.has(k)))) i++;
        if (i >= items.length) break;
        started[i] = 1;
        active++;
        const mine = keys[i] as readonly string[];
        for (const k of mine) held.set(k, i);
        worker(items[i] as T).then(
          () => done(mine),
          (error: unknown) => {
            failure ??= { error };
            done(mine);
          },
        );
      }
      settle();
    };
    const done = (mine: readonly string[]) => {
      active--;
      for (const k of mine) held.delete(k);
      pump();
    };
    pump();
  });
}

export function createLimiter(perSecond: number | undefined): () => Promise<void> {
  if (!perSecond || perSecond <= 0) return async () => {};
  const interval = 1000 / perSecond;
  let nextAt = 0;
  return async () => {
    const now = performance.now();
    const wait = Math.max(0, nextAt - now);
    nextAt = Math.max(now, nextAt) + interval;
    if (wait > 0) await sleep(wait);
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener('abort', done, { once: true });
  });
}
