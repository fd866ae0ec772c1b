import type Keyv from 'keyv';
import type { RequestTrace } from '../trace/request-trace.ts';
import type { CacheFamily } from './cache-keys.ts';
import { FailOpenGuard, type GuardLogger } from './fail-open-guard.ts';

export { CACHE_RETRY_AFTER_MS, CACHE_WARN_INTERVAL_MS } from './fail-open-guard.ts';

export type CacheBackend = 'memory' | 'redis' | 'off';

export type CacheLogger = GuardLogger;

export interface AppCacheOptions {
  /** Longest a cache call may take; after it the call counts as a miss (DESIGN §7: never a hang). */
  readonly timeoutMs: number;
  readonly logger: CacheLogger;
  readonly warnIntervalMs?: number;
  /** After a failure, calls miss at once (without touching the store) for this long. */
  readonly retryAfterMs?: number;
  /**
   * The timeout, back-off and outage log of the store under this cache, shared with the other users
   * of the same Redis (the client budgets); without one, the cache has its own from the options above.
   */
  readonly guard?: FailOpenGuard;
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

const identity: Codec<any> = { encode: (value) => value, decode: (stored) => stored };

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
  readonly #keyv: Keyv | undefined;
  readonly #options: AppCacheOptions;
  readonly #guard: FailOpenGuard;
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #pendingDeletes = new Set<string>();
  /** Bumped by every invalidation: a value computed across one is not stored (it may predate the write). */
  #epoch = 0;

  constructor(readonly backend: CacheBackend, keyv: Keyv | undefined, options: AppCacheOptions) {
    this.#keyv = keyv;
    this.#options = options;
    this.#guard = options.guard ?? new FailOpenGuard({ ...options, store: backend });
    // Keyv reports store errors as events (several per failed call), not as rejections.
    keyv?.on('error', (error: unknown) => this.#guard.fail(error));
  }

  /** Failed or timed-out store calls, counted by the guard (with the budgets' when they share one). */
  get failures(): number {
    return this.#guard.failures;
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
    const keyv = this.#keyv;
    if (!keyv) return undefined;
    return this.#guard.run(() => run(keyv));
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
