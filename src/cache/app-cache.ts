import type Keyv from 'keyv';
import type { RequestTrace } from '../trace/request-trace.ts';
import type { CacheFamily } from './cache-keys.ts';

export type CacheBackend = 'memory' | 'redis' | 'off';

export interface CacheLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface AppCacheOptions {
  /** Longest a cache call may take; after it the call counts as a miss (DESIGN §7: never a hang). */
  readonly timeoutMs: number;
  readonly logger: CacheLogger;
  readonly warnIntervalMs?: number;
  /** After a failure, calls miss at once (without touching the store) for this long. */
  readonly retryAfterMs?: number;
  /** Opens the backend's connection (Redis); resolves, connected or not, within its own timeout. */
  readonly connect?: () => Promise<void>;
  /** Closes what the backend holds open (the Redis connection). */
  readonly close?: () => Promise<void>;
}

export interface CacheEntry {
  readonly key: string;
  readonly value: unknown;
  readonly ttlMs: number;
}

export interface Codec<T> {
  encode(value: T): unknown;
  decode(stored: unknown): T;
}

/** At most one "cache unavailable" warning per interval, however many calls fail. */
export const CACHE_WARN_INTERVAL_MS = 30_000;
/**
 * A failing store is left alone this long before the next call tries it again: during an outage
 * requests miss at once instead of each waiting out its timeout (Redis frozen, network dropped).
 */
export const CACHE_RETRY_AFTER_MS = 1000;

const TIMED_OUT = Symbol('timed out');
const identity: Codec<any> = { encode: (value) => value, decode: (stored) => stored };

/**
 * On a busy event loop the timers phase runs before the poll phase: a reply already sitting in the
 * socket would lose to an overdue timer. Deciding "timed out" one setImmediate later (after the poll
 * phase) lets such a reply win, so a slow loop is not mistaken for a slow Redis.
 */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => setImmediate(() => resolve(TIMED_OUT)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Hits and misses go to the trace of the request that made the call (if any), per key family. */
export function record(trace: RequestTrace | undefined, family: CacheFamily, hit: boolean, count = 1): void {
  for (let i = 0; i < count; i++) trace?.recordCache(family, hit);
}

/**
 * The process's cache: Keyv over an in-memory LRU or Redis, made safe to depend on.
 *
 * - Fail open: every call returns within `timeoutMs`; an error or a timeout is a miss (reads) or
 *   a no-op (writes), counted in `failures` and logged at most once per interval. After a
 *   failure the store is left alone for `retryAfterMs` (calls miss at once), then tried again.
 * - Single flight: concurrent misses of one key in this process compute it once.
 * - Invalidation is never lost silently: a delete that failed is retried before later calls, and
 *   until it succeeds this process treats those keys as misses.
 */
export class AppCache {
  failures = 0;
  readonly #keyv: Keyv | undefined;
  readonly #options: AppCacheOptions;
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #pendingDeletes = new Set<string>();
  /** Bumped by every invalidation: a value computed across one is not stored (it may predate the write). */
  #epoch = 0;
  #lastWarnAt = -Infinity;
  #lastFailureAt = -Infinity;
  #degraded = false;

  constructor(readonly backend: CacheBackend, keyv: Keyv | undefined, options: AppCacheOptions) {
    this.#keyv = keyv;
    this.#options = options;
    // Keyv reports store errors as events (several per failed call), not as rejections.
    keyv?.on('error', (error: unknown) => this.#fail(error));
  }

  #fail(error: unknown): void {
    this.failures++;
    this.#degraded = true;
    const now = performance.now();
    this.#lastFailureAt = now;
    if (now - this.#lastWarnAt < (this.#options.warnIntervalMs ?? CACHE_WARN_INTERVAL_MS)) return;
    this.#lastWarnAt = now;
    this.#options.logger.warn(
      { err: error, backend: this.backend, failures: this.failures },
      'cache unavailable: serving misses (computing values) until it answers again',
    );
  }

  #recovered(): void {
    if (!this.#degraded) return;
    this.#degraded = false;
    this.#options.logger.info({ backend: this.backend }, 'cache answering again');
  }

  /** The Keyv under this cache (undefined when the cache is off), for adapters such as Apollo's APQ store. */
  get keyv(): Keyv | undefined {
    return this.#keyv;
  }

  /** Runs one store call under this cache's timeout and failure accounting (for adapters). */
  call<T>(run: (keyv: Keyv) => Promise<T>): Promise<T | undefined> {
    return this.#call(run);
  }

  /** Runs one store call with the timeout; undefined when it failed, timed out or there is no store. */
  async #call<T>(run: (keyv: Keyv) => Promise<T>): Promise<T | undefined> {
    if (!this.#keyv) return undefined;
    if (performance.now() - this.#lastFailureAt < (this.#options.retryAfterMs ?? CACHE_RETRY_AFTER_MS)) return undefined;
    const failuresBefore = this.failures;
    try {
      const result = await withTimeout(run(this.#keyv), this.#options.timeoutMs);
      if (result === TIMED_OUT) {
        this.#fail(new Error(`cache call timed out after ${this.#options.timeoutMs} ms`));
        return undefined;
      }
      if (this.failures === failuresBefore) this.#recovered();
      return this.failures === failuresBefore ? result : undefined;
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
  }

  async #retryPendingDeletes(): Promise<void> {
    if (this.#pendingDeletes.size === 0) return;
    const keys = [...this.#pendingDeletes];
    if ((await this.#call((keyv) => keyv.deleteMany(keys))) !== undefined) {
      for (const key of keys) this.#pendingDeletes.delete(key);
    }
  }

  /** One round trip for all keys; undefined for each miss. */
  async getMany(keys: readonly string[]): Promise<unknown[]> {
    if (keys.length === 0) return [];
    await this.#retryPendingDeletes();
    const values = (await this.#call((keyv) => keyv.getMany([...keys]))) ?? [];
    return keys.map((key, i) => (this.#pendingDeletes.has(key) ? undefined : values[i]));
  }

  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#call((keyv) => keyv.setMany(entries.map(({ key, value, ttlMs }) => ({ key, value, ttl: ttlMs }))));
  }

  /** Deletes keys a write made stale. Resolves once the store confirmed, or the retry is queued. */
  async invalidate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    this.#epoch++;
    for (const key of keys) this.#pendingDeletes.add(key);
    await this.#retryPendingDeletes();
  }

  /** Keys whose deletion is still owed to the store (non-empty only while it is failing). */
  get pendingInvalidations(): number {
    return this.#pendingDeletes.size;
  }

  /** A cached value, or `compute()` run once per process for concurrent misses, then stored. */
  async getOrCompute<T>(family: CacheFamily, key: string, ttlMs: number, compute: () => Promise<T>, codec: Codec<T> = identity, trace?: RequestTrace): Promise<T> {
    const flying = this.#inflight.get(key) as Promise<T> | undefined;
    if (flying) {
      record(trace, family, false);
      return flying;
    }
    const [stored] = await this.getMany([key]);
    if (stored !== undefined) {
      record(trace, family, true);
      return codec.decode(stored);
    }
    record(trace, family, false);
    // Another request may have started computing while this one read the store.
    const started = this.#inflight.get(key) as Promise<T> | undefined;
    if (started) return started;
    return this.#singleFlight(key, async () => {
      const epoch = this.#epoch;
      const value = await compute();
      if (epoch === this.#epoch) await this.setMany([{ key, value: codec.encode(value), ttlMs }]);
      return value;
    });
  }

  /**
   * Batched getOrCompute for a DataLoader: one `getMany` for all ids, then one `computeMissing`
   * call for the misses no other request is already computing (its results in the order of the
   * ids it was given), then one `setMany`.
   */
  async loadMany<Id, V>(
    family: CacheFamily,
    ids: readonly Id[],
    keyOf: (id: Id) => string,
    ttlMs: number,
    computeMissing: (ids: Id[]) => Promise<V[]>,
    trace?: RequestTrace,
  ): Promise<V[]> {
    const keys = ids.map(keyOf);
    const results = new Array<V | Promise<V>>(ids.length);
    const toRead: number[] = [];
    keys.forEach((key, i) => {
      const flying = this.#inflight.get(key);
      if (flying) results[i] = flying as Promise<V>;
      else toRead.push(i);
    });
    record(trace, family, false, ids.length - toRead.length);
    const stored = await this.getMany(toRead.map((i) => keys[i] as string));
    const owned: number[] = [];
    toRead.forEach((i, j) => {
      const value = stored[j];
      if (value !== undefined) {
        results[i] = value as V;
        record(trace, family, true);
        return;
      }
      record(trace, family, false);
      const flying = this.#inflight.get(keys[i] as string);
      if (flying) results[i] = flying as Promise<V>;
      else owned.push(i);
    });
    if (owned.length > 0) {
      const epoch = this.#epoch;
      const batch = computeMissing(owned.map((i) => ids[i] as Id));
      owned.forEach((i, j) => {
        const key = keys[i] as string;
        const one = batch.then((values) => values[j] as V);
        one.catch(() => {}); // the batch's rejection reaches the caller below; this copy must not be "unhandled"
        results[i] = one;
        this.#inflight.set(key, one);
      });
      try {
        const values = await batch;
        if (epoch === this.#epoch) {
          await this.setMany(owned.map((i, j) => ({ key: keys[i] as string, value: values[j], ttlMs })));
        }
      } finally {
        for (const i of owned) this.#inflight.delete(keys[i] as string);
      }
    }
    return Promise.all(results);
  }

  #singleFlight<T>(key: string, run: () => Promise<T>): Promise<T> {
    const flight = run().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, flight);
    return flight;
  }

  /** Waits (boundedly) for the backend's connection, so that a fresh server's first calls can hit. */
  async connect(): Promise<void> {
    await this.#options.connect?.();
  }

  async close(): Promise<void> {
    await this.#options.close?.();
  }
}
