import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import type { CacheConfig } from '../config.ts';
import { AppCache, type CacheLogger } from './app-cache.ts';
import type { FailOpenGuard } from './fail-open-guard.ts';
import { LruStore } from './lru-store.ts';
import { createRedisClient, REDIS_CONNECT_TIMEOUT_MS } from './create-redis-client.ts';
import { createRedisValueStore } from './redis-value-store.ts';

/** The cache section, or the part of it a test needs (the LRU's byte bound has a default). */
type CacheSettings = Pick<CacheConfig, 'enabled' | 'redisUrl' | 'maxEntries' | 'namespace' | 'timeoutMs'> & Partial<Pick<CacheConfig, 'maxBytes'>>;

/**
 * How Redis holds values: plain JSON (codecs turn Dates into strings before they are stored).
 * Keyv's default (de)serializer, a JSON.parse with a reviver called for every value to restore
 * Buffers and escaped strings, only cost time: 21% of the server's CPU on a cached `stats` request.
 */
const PLAIN_JSON = { serialize: JSON.stringify, deserialize: JSON.parse };

/**
 * The in-memory LRU by default, Redis (shared by every process) when REDIS_URL is set. `redisGuard`
 * is the fail-open guard of that Redis, shared with the client budgets (else the cache has its own).
 */
export function createCache(config: CacheSettings, logger: CacheLogger, redisGuard?: FailOpenGuard): AppCache {
  const options = { timeoutMs: config.timeoutMs, logger };
  if (!config.enabled) return new AppCache('off', undefined, options);
  if (!config.redisUrl) {
    // One process needs no encoding: the LRU keeps the stored objects themselves, so a hit parses
    // no JSON (9% of the server's CPU on a cached `stats` request). Codecs still store plain data
    // and decode it into fresh objects, so no request holds another's copy.
    const keyv = new Keyv({ store: new LruStore(config.maxEntries, config.maxBytes), namespace: config.namespace, serialize: undefined, deserialize: undefined });
    return new AppCache('memory', keyv, options);
  }
  // The store reconnects the client on the next call after a failure (its getClient()).
  const store = new KeyvRedis(createRedisClient(config.redisUrl), {
    connectionTimeout: REDIS_CONNECT_TIMEOUT_MS,
    throwOnConnectError: false,
    throwOnErrors: false,
  });
  preventListenerLeak(store);
  // Connect now, so that the first request does not pay for (or time out on) the connection.
  const connecting = store.getClient().then(
    () => {},
    () => {},
  );
  // The store prefixes keys with its namespace itself (`<namespace>::<key>`); Keyv must not add another.
  const keyv = new Keyv({ store, namespace: config.namespace, useKeyPrefix: false, ...PLAIN_JSON });
  return new AppCache('redis', keyv, {
    ...options,
    guard: redisGuard,
    // Computed values carry a generation per key, so no process stores one that another process's
    // invalidation outdated; Keyv itself serves the APQ adapter.
    values: createRedisValueStore(store),
    connect: () => connecting,
    close: async () => {
      await store.disconnect(true).catch(() => {});
    },
  });
}

/**
 * @keyv/redis 5.1.6 adds its four listeners to the client again on every reconnect attempt
 * (`initClient()` in `getClient()`), so during an outage they pile up and each error is reported
 * once per stale listener. The client object survives reconnects, so once per client is enough.
 */
function preventListenerLeak(store: KeyvRedis<unknown>): void {
  const adapter = store as unknown as { initClient(): void; client: object };
  const init = adapter.initClient.bind(adapter);
  const initialised = new WeakSet<object>([adapter.client]);
  adapter.initClient = () => {
    if (initialised.has(adapter.client)) return;
    initialised.add(adapter.client);
    init();
  };
}
