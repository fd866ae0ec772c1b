import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { AppCache } from './app-cache.ts';

/**
 * Apollo's persisted-query store on the process cache's Keyv (so a hash registered on one process
 * is found by every other one sharing Redis), run through AppCache's timeout so that it fails open
 * like the rest: an unanswered lookup is PERSISTED_QUERY_NOT_FOUND and the client resends the query.
 * Apollo prefixes the keys with `apq:` (hence the cache namespace must not be `apq`, see config.ts).
 * Undefined when the cache is off: Apollo then keeps persisted queries in its own per-process LRU.
 */
export function createApqCache(cache: AppCache): KeyValueCache<string> | undefined {
  if (!cache.keyv) return undefined;
  // keyv's CommonJS and ESM type files differ; the object is the same (PITFALLS.md).
  const adapter = new KeyvAdapter<string>(cache.keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0]);
  return {
    get: async (key) => {
      // Apollo asks without the request, so APQ hits and misses are not in any trace.
      return cache.call(() => adapter.get(key));
    },
    set: async (key, value, options) => {
      await cache.call(() => adapter.set(key, value, options));
    },
    delete: async (key) => {
      await cache.call(() => adapter.delete(key));
    },
  };
}
