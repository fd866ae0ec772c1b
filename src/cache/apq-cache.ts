import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type KeyvRedis from '@keyv/redis';
import type { AppCache } from './app-cache.ts';
import { ByteLru, stringBytes } from './byte-lru.ts';

// Apollo's persisted-query store, bounded in bytes: anyone may register a document (up to
// INKQL_MAX_DOCUMENT_BYTES), so the store holds at most INKQL_APQ_MAX_BYTES of them and the
// oldest registrations go first.
//
// In Redis (shared by every process), under the cache namespace:
//
// | key                          | type   | holds                                        |
// |------------------------------|--------|----------------------------------------------|
// | <ns>::apq-text:<apollo key>  | string | the query text, with the TTL Apollo asks for |
// | <ns>::apq-index              | zset   | text keys by registration order              |
// | <ns>::apq-sizes              | hash   | text key -> bytes it was counted for         |
// | <ns>::apq-bytes              | string | the sum of apq-sizes                         |
// | <ns>::apq-seq                | string | the registration counter (zset scores)       |
//
// A text that expired stays counted until it is evicted in its turn, so the store may hold
// less than the budget, never more. The bookkeeping keys take the TTL of the latest
// registration, so they outlive every text and leave with the last one.

/** What one entry costs besides its text: its key three times over and the structures' slots. */
export const APQ_ENTRY_OVERHEAD_BYTES = 256;

// KEYS: text, index, sizes, bytes, seq. ARGV: text, ttl ms, max bytes, overhead.
// Returns 1 when stored, 0 when the text alone is over the budget.
const REGISTER_SCRIPT = `
local size = string.len(ARGV[1]) + string.len(KEYS[1]) + tonumber(ARGV[4])
local max = tonumber(ARGV[3])
if size > max then return 0 end
local old = redis.call('HGET', KEYS[3], KEYS[1])
if old then redis.call('DECRBY', KEYS[4], old) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[3], KEYS[1], size)
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[5]), KEYS[1])
local total = redis.call('INCRBY', KEYS[4], size)
while total > max do
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  if #oldest == 0 then break end
  local bytes = tonumber(redis.call('HGET', KEYS[3], oldest[1]) or '0')
  redis.call('HDEL', KEYS[3], oldest[1])
  redis.call('DEL', oldest[1])
  total = redis.call('DECRBY', KEYS[4], bytes)
end
for i = 2, 5 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return 1
`;

// KEYS: text, index, sizes, bytes.
const FORGET_SCRIPT = `
local old = redis.call('HGET', KEYS[3], KEYS[1])
if old then redis.call('DECRBY', KEYS[4], old) end
redis.call('HDEL', KEYS[3], KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
redis.call('DEL', KEYS[1])
return 1
`;

/** Apollo's fallback when it gives no TTL: persisted queries are content-addressed, so only disuse retires them. */
const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

/**
 * Persisted queries in Redis when the process cache is Redis (so a hash registered on one process
 * is found by every other one), else in this process's memory; each call goes through AppCache's
 * timeout, so it fails open like the rest: an unanswered lookup is PERSISTED_QUERY_NOT_FOUND and
 * the client resends the query.
 */
export function createApqCache(cache: AppCache, maxBytes: number): KeyValueCache<string> {
  if (cache.backend === 'redis' && cache.keyv) return createRedisApqCache(cache, cache.keyv.store as KeyvRedis<unknown>, maxBytes);
  return createMemoryApqCache(maxBytes);
}

function createMemoryApqCache(maxBytes: number): KeyValueCache<string> {
  const texts = new ByteLru<{ readonly text: string; readonly expiresAt: number }>(
    maxBytes,
    ({ text }, key) => stringBytes(text) + stringBytes(key) + APQ_ENTRY_OVERHEAD_BYTES,
  );
  return {
    get: async (key) => {
      const entry = texts.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > Date.now()) return entry.text;
      texts.delete(key);
      return undefined;
    },
    set: async (key, text, options) => {
      texts.set(key, { text, expiresAt: Date.now() + (options?.ttl ?? DEFAULT_TTL_SECONDS) * 1000 });
    },
    delete: async (key) => {
      texts.delete(key);
    },
  };
}

/** The commands used here, on the node-redis client that @keyv/redis holds (a single Redis, not a cluster). */
interface RedisCommands {
  get(key: string): Promise<string | null>;
  sendCommand(args: readonly string[]): Promise<unknown>;
}

function createRedisApqCache(cache: AppCache, store: KeyvRedis<unknown>, maxBytes: number): KeyValueCache<string> {
  const client = async (): Promise<RedisCommands> => (await store.getClient()) as unknown as RedisCommands;
  const prefix = `${store.namespace ?? ''}::`;
  const [index, sizes, bytes, seq] = ['apq-index', 'apq-sizes', 'apq-bytes', 'apq-seq'].map((name) => prefix + name);
  const textKey = (key: string) => `${prefix}apq-text:${key}`;
  return {
    // Apollo asks without the request, so APQ hits and misses are not in any trace.
    get: async (key) => {
      const text = await cache.call(async () => (await client()).get(textKey(key)));
      return typeof text === 'string' ? text : undefined;
    },
    set: async (key, text, options) => {
      const ttlMs = String((options?.ttl ?? DEFAULT_TTL_SECONDS) * 1000);
      await cache.call(async () =>
        (await client()).sendCommand([
          'EVAL', REGISTER_SCRIPT, '5', textKey(key), index!, sizes!, bytes!, seq!, text, ttlMs, String(maxBytes), String(APQ_ENTRY_OVERHEAD_BYTES),
        ]),
      );
    },
    delete: async (key) => {
      await cache.call(async () => (await client()).sendCommand(['EVAL', FORGET_SCRIPT, '4', textKey(key), index!, sizes!, bytes!]));
    },
  };
}
