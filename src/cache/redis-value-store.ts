import type KeyvRedis from '@keyv/redis';
import type { CacheEntry, GuardedEntry, ValueStore } from './value-store.ts';

// Values shared by every server process, guarded by a generation per key.
//
// | Redis key                   | holds                                              | expires               |
// |-----------------------------|----------------------------------------------------|-----------------------|
// | <namespace>::<key>          | Keyv's JSON envelope {"value":...,"expires":...}   | the value's TTL       |
// | <namespace>::gen:<key>      | the generation <key>'s last invalidation gave it   | GENERATION_TTL_MS     |
// | <namespace>::gen-sequence   | the last generation given to any key               | never                 |
//
// The race this defeats (two processes, A reading, B writing):
//
//   A: read <key>: miss                B: commit the write
//   A: count in SQL (old count) ...    B: invalidate: delete <key>, mutation returns
//   A: store the old count             -> every process serves it until the TTL
//
// A guard in A's memory cannot see B's invalidation. Here A reads the key's generation in
// the same MGET as its value (so a hit costs no extra round trip), computes, and stores with a
// script that writes only if the generation is still the one it read. B's invalidation deletes
// the value and gives the key a new generation in one script. Redis runs scripts one at a time:
// either A's store lands first and B's invalidation deletes it, or B's invalidation lands first
// and A's store is refused. B invalidates after its commit and A reads the generation before its
// SQL, so a store that passes the check was computed from a database that already held every
// write whose invalidation had run.
//
// Round trips, as many as before the generations: a read (hit or miss) is one MGET, a store one
// EVAL (was one MULTI of SETs), an invalidation one EVAL (was one MULTI of UNLINKs).
//
// Failing open: a read that failed or timed out yields no generation, and a value computed without
// one is never stored. A store or invalidation that timed out may still run in Redis later; the
// check happens there, so a late store cannot overwrite a later invalidation. An invalidation
// that did not reach Redis is retried by its process (AppCache's pending deletes); until then only
// that process knows the key is stale, which no guard in Redis can change.
//
// Generations come from one sequence, so a key never gets a generation it had before, even after
// its generation key expired. An absent generation key reads as "" (not invalidated lately), and
// comes back only through an invalidation, after which it lives GENERATION_TTL_MS: a store more
// than GENERATION_TTL_MS / 2 after its read is dropped, so "" cannot match across one.
//
// Limits: a generation key evicted early by a maxmemory policy reads as "" again; where the
// guarantee must hold under memory pressure, run Redis with `maxmemory-policy noeviction` (or
// with memory to spare). Single Redis only: MGET and the scripts touch keys of several hash slots.

/** How long a key's generation outlives its last invalidation. Far longer than any computation. */
export const GENERATION_TTL_MS = 60 * 60 * 1000;

/** KEYS: value and generation key of each entry. ARGV: per entry, its generation as read, TTL in ms, stored JSON. */
const STORE_IF_CURRENT = `
for n = 0, #KEYS / 2 - 1 do
  if (redis.call('GET', KEYS[n * 2 + 2]) or '') == ARGV[n * 3 + 1] then
    redis.call('SET', KEYS[n * 2 + 1], ARGV[n * 3 + 3], 'PX', ARGV[n * 3 + 2])
  end
end
return 0`;

/** KEYS: value and generation key of each stale key, then the generation sequence. ARGV[1]: GENERATION_TTL_MS. */
const INVALIDATE = `
local generation = redis.call('INCR', KEYS[#KEYS])
for n = 0, (#KEYS - 1) / 2 - 1 do
  redis.call('DEL', KEYS[n * 2 + 1])
  redis.call('SET', KEYS[n * 2 + 2], generation, 'PX', ARGV[1])
end
return 0`;

/** The node-redis commands used here (the client type of @keyv/redis also covers clusters). */
interface RedisCommands {
  mGet(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Keyv's envelope, so that Keyv (and a process of an older version) reads these entries too. */
function encode({ value, ttlMs }: CacheEntry): string {
  return JSON.stringify({ value, expires: Date.now() + ttlMs });
}

function decode(stored: string | null | undefined): unknown {
  if (stored === null || stored === undefined) return undefined;
  return (JSON.parse(stored) as { value: unknown }).value;
}

/** Raw commands through the node-redis client of `store`, under the namespace Keyv gave it. */
export function createRedisValueStore(store: KeyvRedis<unknown>): ValueStore {
  const valueKey = (key: string) => store.createKeyPrefix(key, store.namespace);
  const generationKey = (key: string) => store.createKeyPrefix(`gen:${key}`, store.namespace);
  const sequenceKey = store.createKeyPrefix('gen-sequence', store.namespace);
  const pairs = (keys: readonly string[]) => keys.flatMap((key) => [valueKey(key), generationKey(key)]);
  // getClient() reconnects a client that an outage closed (and fails fast while Redis is down).
  const client = async () => (await store.getClient()) as unknown as RedisCommands;

  return {
    async read(keys) {
      const replies = await (await client()).mGet(pairs(keys));
      return {
        values: keys.map((_, i) => decode(replies[i * 2])),
        generations: keys.map((_, i) => replies[i * 2 + 1] ?? ''),
      };
    },

    async writeIfCurrent(entries) {
      const now = performance.now();
      const guarded = entries.filter(
        (entry): entry is GuardedEntry & { generation: string } => entry.generation !== undefined && now - entry.readAt < GENERATION_TTL_MS / 2,
      );
      if (guarded.length === 0) return;
      await (await client()).eval(STORE_IF_CURRENT, {
        keys: pairs(guarded.map((entry) => entry.key)),
        arguments: guarded.flatMap((entry) => [entry.generation, String(entry.ttlMs), encode(entry)]),
      });
    },

    async write(entries) {
      const redis = await client();
      await Promise.all(entries.map((entry) => redis.set(valueKey(entry.key), encode(entry), { PX: entry.ttlMs })));
    },

    async invalidate(keys) {
      await (await client()).eval(INVALIDATE, { keys: [...pairs(keys), sequenceKey], arguments: [String(GENERATION_TTL_MS)] });
    },
  };
}
