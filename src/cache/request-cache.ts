import type { AppCache, CacheBackend, CacheLookups, Codec } from './app-cache.ts';
import type { CacheFamily } from './cache-keys.ts';

/**
 * One request's view of the process's cache: the same calls as AppCache, with the request's hits
 * and misses counted in its trace, so its callers never pass the trace along.
 */
export interface RequestCache {
  readonly backend: CacheBackend;
  getOrCompute<T>(family: CacheFamily, key: string, ttlMs: number, compute: () => Promise<T>, codec?: Codec<T>): Promise<T>;
  loadMany<Id, V>(family: CacheFamily, ids: readonly Id[], keyOf: (id: Id) => string, ttlMs: number, computeMissing: (ids: Id[]) => Promise<V[]>): Promise<V[]>;
  invalidate(keys: readonly string[]): Promise<void>;
}

// A class, not an object of closures: every request builds one, and its methods are shared.
class RequestCacheHandle implements RequestCache {
  constructor(
    private readonly cache: AppCache,
    private readonly lookups: CacheLookups | undefined,
  ) {}

  get backend(): CacheBackend {
    return this.cache.backend;
  }

  getOrCompute<T>(family: CacheFamily, key: string, ttlMs: number, compute: () => Promise<T>, codec?: Codec<T>): Promise<T> {
    return this.cache.getOrCompute(family, key, ttlMs, compute, codec, this.lookups);
  }

  loadMany<Id, V>(family: CacheFamily, ids: readonly Id[], keyOf: (id: Id) => string, ttlMs: number, computeMissing: (ids: Id[]) => Promise<V[]>): Promise<V[]> {
    return this.cache.loadMany(family, ids, keyOf, ttlMs, computeMissing, this.lookups);
  }

  invalidate(keys: readonly string[]): Promise<void> {
    return this.cache.invalidate(keys);
  }
}

export function createRequestCache(cache: AppCache, lookups: CacheLookups | undefined): RequestCache {
  return new RequestCacheHandle(cache, lookups);
}
