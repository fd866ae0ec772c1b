/** Where a guard reports that its store stopped or started answering. */
export interface GuardLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface FailOpenGuardOptions {
  /** Longest one call may take; after it the call has failed (never a hang). */
  readonly timeoutMs: number;
  readonly logger: GuardLogger;
  /** Names the store in log lines (`redis`, `memory`). */
  readonly store: string;
  readonly warnIntervalMs?: number;
  /** After a failure, calls fail at once (without touching the store) for this long. */
  readonly retryAfterMs?: number;
}

/** At most one "store unavailable" warning per interval, however many calls fail. */
export const CACHE_WARN_INTERVAL_MS = 30_000;
/**
 * A failing store is left alone this long before the next call tries it again: during an outage
 * requests go on at once instead of each waiting out its timeout (Redis frozen, network dropped).
 */
export const CACHE_RETRY_AFTER_MS = 1000;

export const TIMED_OUT = Symbol('timed out');

/**
 * On a busy event loop the timers phase runs before the poll phase: a reply already sitting in the
 * socket would lose to an overdue timer. Deciding "timed out" one setImmediate later (after the poll
 * phase) lets such a reply win, so a slow loop is not mistaken for a slow store.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => setImmediate(() => resolve(TIMED_OUT)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Fail open for every user of one store (the cache and the client budgets share one per Redis):
 *
 * - every call settles within `timeoutMs`; an error or a timeout makes it `undefined`, for the
 *   caller to treat as "no answer" (a cache miss, an unthrottled request);
 * - after a failure, every user's calls skip the store for `retryAfterMs`, then it is tried again;
 * - failures are counted and logged at most once per interval, recovery once.
 */
export class FailOpenGuard {
  failures = 0;
  readonly #options: FailOpenGuardOptions;
  #lastWarnAt = -Infinity;
  #lastFailureAt = -Infinity;
  #degraded = false;

  constructor(options: FailOpenGuardOptions) {
    this.#options = options;
  }

  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /** Counts a failure that arrived out of band (a client's `error` event) and starts the back-off. */
  fail(error: unknown): void {
    this.failures++;
    this.#degraded = true;
    const now = performance.now();
    this.#lastFailureAt = now;
    if (now - this.#lastWarnAt < (this.#options.warnIntervalMs ?? CACHE_WARN_INTERVAL_MS)) return;
    this.#lastWarnAt = now;
    this.#options.logger.warn(
      { err: error, backend: this.#options.store, failures: this.failures },
      `${this.#options.store} unavailable: cache calls miss (values are computed) and client budgets let requests through until it answers again`,
    );
  }

  #recovered(): void {
    if (!this.#degraded) return;
    this.#degraded = false;
    this.#options.logger.info({ backend: this.#options.store }, `${this.#options.store} answering again`);
  }

  /**
   * Runs one store call under the timeout; undefined when it failed, timed out, is skipped during
   * the back-off, or a failure was reported while it ran (a store that reports errors as events).
   */
  async run<T>(call: () => Promise<T>): Promise<T | undefined> {
    if (performance.now() - this.#lastFailureAt < (this.#options.retryAfterMs ?? CACHE_RETRY_AFTER_MS)) return undefined;
    const failuresBefore = this.failures;
    try {
      const attempt = call();
      attempt.catch(() => {}); // a rejection after the timeout was already counted as a failure
      const result = await withTimeout(attempt, this.#options.timeoutMs);
      if (result === TIMED_OUT) {
        this.fail(new Error(`${this.#options.store} call timed out after ${this.#options.timeoutMs} ms`));
        return undefined;
      }
      if (this.failures !== failuresBefore) return undefined;
      this.#recovered();
      return result;
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }
}
