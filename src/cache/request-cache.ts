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

export function createRequestCache(cache: AppCache, lookups: CacheLookups | undefined): RequestCache {
  return {
    backend: cache.backend,
    getOrCompute: (family, key, ttlMs, compute, codec) => cache.getOrCompute(family, key, ttlMs, compute, codec, lookups),
    loadMany: (family, ids, keyOf, ttlMs, computeMissing) => cache.loadMany(family, ids, keyOf, ttlMs, computeMissing, lookups),
    invalidate: (keys) => cache.invalidate(keys),
  };
}
