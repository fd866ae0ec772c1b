import type Keyv from 'keyv';
import type { CacheFamily } from './cache-keys.ts';
import { FailOpenGuard, type GuardLogger } from './fail-open-guard.ts';
import { type CacheEntry, createKeyvValueStore, type GuardedEntry, LOCAL_GENERATION, type StoredValues, type ValueStore } from './value-store.ts';

export { CACHE_RETRY_AFTER_MS, CACHE_WARN_INTERVAL_MS } from './fail-open-guard.ts';
export type { CacheEntry } from './value-store.ts';

export type CacheBackend = 'memory' | 'redis' | 'off';

export type CacheLogger = GuardLogger;

export interface AppCacheOptions {
  /** Longest a cache call may take; after it the call counts as a miss (never a hang). */
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
  /** How values are read, stored and invalidated; default: through the Keyv, with no generations (one process). */
  readonly values?: ValueStore;
}

export interface Codec<T> {
  encode(value: T): unknown;
  decode(stored: unknown): T;
}

const identity: Codec<any> = { encode: (value) => value, decode: (stored) => stored };

/** One computation of one key in this process (a loadMany batch is one flight per key). */
interface Flight {
  readonly key: string;
  readonly value: Promise<unknown>;
  /** The key's generation read before computing (undefined: the read failed); a reader joins only a flight of the generation it read. */
  readonly generation: string | undefined;
  /** Set by this process's invalidation of the key: the value may predate the write, so it is not stored. */
  detached: boolean;
}

/** Where a request's hits and misses are counted, per key family (its trace). */
export interface CacheLookups {
  recordCache(family: CacheFamily, hit: boolean): void;
  /** Where the read and the write of a call beginning now are reported as spans (undefined: nowhere). */
  startCacheCall?(family: CacheFamily): CacheCallReport | undefined;
}

/** The steps of one cache call, reported when each is over (performance.now() readings). */
export interface CacheCallReport {
  read(keys: number, hits: number, startedAt: number, endedAt: number): void;
  write(keys: number, startedAt: number, endedAt: number): void;
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
 * - No stale value outlives an invalidation: a value computed before an invalidation of its key
 *   (by this process or, with Redis, by any) is never stored, and no reader that started after
 *   that invalidation returned is handed it. In this process, the invalidation detaches the key's
 *   flights (they store nothing and take no new readers) and waits for stores already on their
 *   way; across processes, the store checks the key's generation (redis-value-store.ts), and a
 *   reader joins a flight only if it read the same generation, so never one that predates an
 *   invalidation it could see. A reader whose read failed has no generation and joins no flight:
 *   while Redis cannot be read, each miss computes its own value (a flight cannot show that it
 *   started after invalidations this process did not see).
 * - Computed on the primary only, with read replicas: the guarantee above rests on the value
 *   being computed from a database that already holds every write whose invalidation the reader
 *   could have seen. A replica may not have replayed such a write yet, and what it computes
 *   would pass the generation check and be served to every process as current. So callers
 *   compute values for this cache through the request's `cachedDb` (context.ts), which is pinned
 *   to the primary; a flight is then never behind an invalidation, whoever joins it.
 */
export class AppCache {
  readonly #keyv: Keyv | undefined;
  readonly #options: AppCacheOptions;
  readonly #guard: FailOpenGuard;
  readonly #values: ValueStore | undefined;
  /** Computations in progress, by key (several when a key's generation moved during one). */
  readonly #inflight = new Map<string, Set<Flight>>();
  /** Stores in progress: an invalidation waits for them, so that its delete lands after a store that passed its check. */
  readonly #storing = new Set<Promise<unknown>>();
  readonly #pendingDeletes = new Set<string>();

  constructor(readonly backend: CacheBackend, keyv: Keyv | undefined, options: AppCacheOptions) {
    this.#keyv = keyv;
    this.#options = options;
    this.#guard = options.guard ?? new FailOpenGuard({ ...options, store: backend });
    this.#values = options.values ?? (keyv && createKeyvValueStore(keyv));
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
    const deleted = await this.#call(async () => {
      await this.#values!.invalidate(keys);
      return true;
    });
    if (deleted) {
      for (const key of keys) this.#pendingDeletes.delete(key);
    }
  }

  /** One round trip for all keys: their values (undefined for each miss) and generations. */
  async #read(keys: readonly string[]): Promise<StoredValues> {
    await this.#retryPendingDeletes();
    const read = await this.#call(() => this.#values!.read(keys));
    // With the cache off nothing is stored, and only this process's own flights can be shared.
    const unread = this.#values ? undefined : LOCAL_GENERATION;
    return {
      values: keys.map((key, i) => (this.#pendingDeletes.has(key) ? undefined : read?.values[i])),
      generations: keys.map((_, i) => (read ? read.generations[i] : unread)),
    };
  }

  /** One round trip for all keys; undefined for each miss. */
  async getMany(keys: readonly string[]): Promise<unknown[]> {
    if (keys.length === 0) return [];
    return (await this.#read(keys)).values;
  }

  /** Stores unconditionally (warming, tests); computed values go through getOrCompute and loadMany. */
  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#call(() => this.#values!.write(entries));
  }

  /** Deletes keys a write made stale. Resolves once the store confirmed, or the retry is queued. */
  async invalidate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const key of keys) {
      for (const flight of this.#inflight.get(key) ?? []) flight.detached = true;
      this.#inflight.delete(key);
    }
    await Promise.all(this.#storing);
    for (const key of keys) this.#pendingDeletes.add(key);
    await this.#retryPendingDeletes();
  }

  /** Keys whose deletion is still owed to the store (non-empty only while it is failing). */
  get pendingInvalidations(): number {
    return this.#pendingDeletes.size;
  }

  /** A cached value, or `compute()` run once per process for concurrent misses, then stored. */
  async getOrCompute<T>(family: CacheFamily, key: string, ttlMs: number, compute: () => Promise<T>, codec: Codec<T> = identity, lookups?: CacheLookups): Promise<T> {
    const [value] = await this.#load(family, [key], ttlMs, async () => [await compute()], codec, lookups);
    return value as T;
  }

  /**
   * Batched getOrCompute for a DataLoader: one read for all ids, then one `computeMissing` call for
   * the misses no other request is already computing (its results in the order of the ids it was
   * given), then one store.
   */
  loadMany<Id, V>(
    family: CacheFamily,
    ids: readonly Id[],
    keyOf: (id: Id) => string,
    ttlMs: number,
    computeMissing: (ids: Id[]) => Promise<V[]>,
    lookups?: CacheLookups,
  ): Promise<V[]> {
    return this.#load(family, ids.map(keyOf), ttlMs, (owned) => computeMissing(owned.map((i) => ids[i] as Id)), identity, lookups);
  }

  /**
   * The store is read before any flight is joined: the generation read tells whether a flight
   * began after every invalidation this reader must see (an older flight's value may predate one).
   */
  async #load<V>(
    family: CacheFamily,
    keys: readonly string[],
    ttlMs: number,
    computeMissing: (owned: number[]) => Promise<V[]>,
    codec: Codec<V>,
    lookups: CacheLookups | undefined,
  ): Promise<V[]> {
    // Taken before the first await: the caller's field or batch is still the one running.
    const report = lookups?.startCacheCall?.(family);
    const readAt = performance.now();
    const { values, generations } = await this.#read(keys);
    if (report) report.read(keys.length, values.filter((value) => value !== undefined).length, readAt, performance.now());
    const results = new Array<V | Promise<V>>(keys.length);
    const owned: number[] = [];
    keys.forEach((key, i) => {
      const stored = values[i];
      lookups?.recordCache(family, stored !== undefined);
      if (stored !== undefined) {
        results[i] = codec.decode(stored);
        return;
      }
      const flight = this.#joinable(key, generations[i]);
      if (flight) results[i] = flight.value as Promise<V>;
      else owned.push(i);
    });
    if (owned.length === 0) return Promise.all(results);

    const batch = computeMissing(owned);
    const flights = owned.map((i, j) => {
      const value = batch.then((computed) => computed[j] as V);
      value.catch(() => {}); // the batch's rejection reaches the caller below; this copy must not be "unhandled"
      results[i] = value;
      return this.#startFlight({ key: keys[i] as string, value, generation: generations[i], detached: false });
    });
    try {
      const computed = await batch;
      // No await between this check and the store's registration in #storing (see invalidate).
      const entries: GuardedEntry[] = [];
      flights.forEach((flight, j) => {
        if (!flight.detached) entries.push({ key: flight.key, value: codec.encode(computed[j] as V), ttlMs, generation: flight.generation, readAt });
      });
      const storeAt = performance.now();
      await this.#store(entries);
      if (report && entries.length > 0) report.write(entries.length, storeAt, performance.now());
    } finally {
      for (const flight of flights) this.#endFlight(flight);
    }
    return Promise.all(results);
  }

  #joinable(key: string, generation: string | undefined): Flight | undefined {
    if (generation === undefined) return undefined;
    for (const flight of this.#inflight.get(key) ?? []) if (flight.generation === generation) return flight;
    return undefined;
  }

  #startFlight(flight: Flight): Flight {
    const flights = this.#inflight.get(flight.key);
    if (flights) flights.add(flight);
    else this.#inflight.set(flight.key, new Set([flight]));
    return flight;
  }

  #endFlight(flight: Flight): void {
    const flights = this.#inflight.get(flight.key);
    flights?.delete(flight);
    if (flights?.size === 0) this.#inflight.delete(flight.key);
  }

  async #store(entries: GuardedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const storing = this.#call(() => this.#values!.writeIfCurrent(entries));
    this.#storing.add(storing);
    try {
      await storing;
    } finally {
      this.#storing.delete(storing);
    }
  }

  /** Waits (boundedly) for the backend's connection, so that a fresh server's first calls can hit. */
  async connect(): Promise<void> {
    await this.#options.connect?.();
  }

  async close(): Promise<void> {
    await this.#options.close?.();
  }
}
