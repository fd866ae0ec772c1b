import { createHash } from 'node:crypto';
import type KeyvRedis from '@keyv/redis';
import type { AppCache } from './app-cache.ts';

// Whole responses of anonymous reads, in the app cache's backend (the process's LRU, or Redis
// shared by every process), kept exact by a write counter and per-tag stamps:
//
// - A lookup reads the counter (E0) in the same round trip as the entry. A miss executes the
//   operation after that read, so its result holds every write that bumped the counter up to E0.
// - A write, after its transaction committed and before it returns, bumps the counter to E and
//   stamps each tag it made stale (response-tags.ts) with E, in one atomic step.
// - An entry stored with E0 is served only while every tag it holds has a stamp <= E0. A write
//   that returned before a lookup began has stamped its tags, so an entry computed before it is
//   refused; one computed after it carries an E0 at least that stamp.
// - Stamps are bounded: past MAX_STAMPS they are dropped and a floor is raised to E; entries
//   with E0 below the floor are refused (everything computed before it, conservatively).
//
// Redis keys (`<namespace>::rc:` prefix, so the app cache's clear() takes them too):
//
// | key          | type   | holds                                                         |
// |--------------|--------|---------------------------------------------------------------|
// | rc:n         | string | the write counter                                             |
// | rc:s         | hash   | tag -> stamp                                                  |
// | rc:f         | string | the floor                                                     |
// | rc:e:<key>   | hash   | e0, tags (space-separated), body, etag, ctype, cc; with a TTL |
//
// Each lookup, store and write is one Lua script: a hit is one round trip.

export interface ResponseEntry {
  readonly body: string;
  readonly etag: string;
  readonly tags: readonly string[];
  readonly contentType: string;
  readonly cacheControl: string;
}

export interface Lookup {
  /** The write counter when the lookup ran: store a response computed after it with this. */
  readonly epoch: number;
  readonly entry?: ResponseEntry;
}

/** Stamps kept before they are dropped for a raised floor. */
export const MAX_STAMPS = 50_000;
/** Tags owed to the store (writes whose stamping failed) before they become one floor raise. */
export const MAX_PENDING_TAGS = 10_000;
/** Invalidation keeps entries exact; the TTL only lets unused ones go. */
export const RESPONSE_TTL_MS = 10 * 60 * 1000;
/** A response holding more entities than this is not kept (its tag list would be the bigger part). */
export const MAX_RESPONSE_TAGS = 1000;

const LOOKUP_SCRIPT = `
local now = tonumber(redis.call('GET', KEYS[2]) or '0')
local entry = redis.call('HMGET', KEYS[1], 'e0', 'tags', 'body', 'etag', 'ctype', 'cc')
if not entry[1] then return { now } end
local e0 = tonumber(entry[1])
if e0 < tonumber(redis.call('GET', KEYS[4]) or '0') then return { now } end
local tags = {}
for tag in string.gmatch(entry[2], '%S+') do tags[#tags + 1] = tag end
if #tags > 0 then
  local stamps = redis.call('HMGET', KEYS[3], unpack(tags))
  for i = 1, #tags do
    if stamps[i] and tonumber(stamps[i]) > e0 then return { now } end
  end
end
return { now, entry[3], entry[4], entry[2], entry[5], entry[6] }
`;

const STORE_SCRIPT = `
redis.call('HSET', KEYS[1], 'e0', ARGV[1], 'tags', ARGV[2], 'body', ARGV[3], 'etag', ARGV[4], 'ctype', ARGV[5], 'cc', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 1
`;

// ARGV[1] = MAX_STAMPS, ARGV[2] = '1' to raise the floor (drop every entry), ARGV[3..] = tags.
const WRITE_SCRIPT = `
local e = redis.call('INCR', KEYS[1])
if ARGV[2] == '1' then
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[3], e)
  return e
end
for i = 3, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], e) end
if redis.call('HLEN', KEYS[2]) > tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[3], e)
end
return e
`;

const scriptHashes = new Map<string, string>();
function sha1(script: string): string {
  let hash = scriptHashes.get(script);
  if (!hash) scriptHashes.set(script, (hash = createHash('sha1').update(script).digest('hex')));
  return hash;
}

interface Backend {
  lookup(key: string): Promise<Lookup | undefined>;
  store(key: string, epoch: number, entry: ResponseEntry): Promise<void>;
  /** Resolves to false when the store did not confirm. `all` drops every entry. */
  write(tags: readonly string[], all: boolean): Promise<boolean>;
}

/**
 * The response cache over one AppCache. Every call is bounded by the app cache's timeout and
 * fails open (a lookup that fails is a miss that is not stored). A write whose stamping failed
 * is owed: until it is paid, this process serves and stores nothing.
 */
export class ResponseCache {
  readonly #backend: Backend;
  #pending = new Set<string>();
  #pendingAll = false;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  async #settle(): Promise<boolean> {
    if (this.#pending.size === 0 && !this.#pendingAll) return true;
    const tags = [...this.#pending];
    const all = this.#pendingAll;
    if (!(await this.#backend.write(tags, all))) return false;
    for (const tag of tags) this.#pending.delete(tag);
    if (all) this.#pendingAll = false;
    return true;
  }

  /** The entry under `key` if still valid, and the epoch to store a fresh one with; undefined when the cache cannot be used now. */
  async lookup(key: string): Promise<Lookup | undefined> {
    if (!(await this.#settle())) return undefined;
    return this.#backend.lookup(key);
  }

  async store(key: string, epoch: number, entry: ResponseEntry): Promise<void> {
    if (this.#pending.size > 0 || this.#pendingAll) return;
    await this.#backend.store(key, epoch, entry);
  }

  /** Makes every entry holding one of `tags` stale, on every process, before it resolves (or owes it). */
  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    for (const tag of tags) this.#pending.add(tag);
    if (this.#pending.size > MAX_PENDING_TAGS) {
      this.#pending.clear();
      this.#pendingAll = true;
    }
    await this.#settle();
  }

  /** Whether a write is still owed to the store (only while it is failing). */
  get owesWrites(): boolean {
    return this.#pending.size > 0 || this.#pendingAll;
  }
}

interface MemoryEntry extends ResponseEntry {
  readonly epoch: number;
}

/** What one entry holds in memory, as the per-entry bound counts it. */
export function entryBytes(entry: Pick<ResponseEntry, 'body' | 'tags'>): number {
  return Buffer.byteLength(entry.body) + entry.tags.reduce((sum, tag) => sum + tag.length + 1, 0);
}

/**
 * One process's counter and stamps; entries live in the app cache's LRU (bounded in entries). A
 * ledger of the entries stored, oldest first, bounds their bytes too: past `maxBytes` the oldest
 * are deleted from the LRU (one the LRU already evicted costs a no-op delete). The ledger holds at
 * most `maxEntries` records, the LRU's own size.
 */
function memoryBackend(cache: AppCache, maxBytes: number, maxEntries: number): Backend {
  let counter = 0;
  let floor = 0;
  const stamps = new Map<string, number>();
  const ledger = new Map<string, number>();
  let ledgerBytes = 0;
  const entryKey = (key: string) => `rc:e:${key}`;
  const forget = (key: string) => {
    ledgerBytes -= ledger.get(key) ?? 0;
    ledger.delete(key);
  };
  return {
    async lookup(key) {
      const epoch = counter;
      const stored = (await cache.call((keyv) => keyv.get<MemoryEntry>(entryKey(key)))) as MemoryEntry | undefined;
      if (!stored || stored.epoch < floor) return { epoch };
      for (const tag of stored.tags) if ((stamps.get(tag) ?? 0) > stored.epoch) return { epoch };
      return { epoch, entry: stored };
    },
    async store(key, epoch, entry) {
      const stored: MemoryEntry = { ...entry, epoch };
      const bytes = entryBytes(entry);
      forget(key);
      const evicted: string[] = [];
      // The count bound keeps the ledger itself small: past the LRU's size its oldest are evicted anyway.
      while (ledger.size > 0 && (ledgerBytes + bytes > maxBytes || ledger.size >= maxEntries)) {
        const oldest = ledger.keys().next().value as string;
        forget(oldest);
        evicted.push(entryKey(oldest));
      }
      ledger.set(key, bytes);
      ledgerBytes += bytes;
      await cache.call(async (keyv) => {
        if (evicted.length > 0) await keyv.deleteMany(evicted);
        return keyv.set(entryKey(key), stored, RESPONSE_TTL_MS);
      });
    },
    async write(tags, all) {
      counter++;
      if (all) {
        stamps.clear();
        floor = counter;
        return true;
      }
      for (const tag of tags) stamps.set(tag, counter);
      if (stamps.size > MAX_STAMPS) {
        stamps.clear();
        floor = counter;
      }
      return true;
    },
  };
}

function redisBackend(cache: AppCache, namespace: string): Backend {
  const prefix = `${namespace}::rc:`;
  const counterKey = `${prefix}n`;
  const stampsKey = `${prefix}s`;
  const floorKey = `${prefix}f`;
  const entryKey = (key: string) => `${prefix}e:${key}`;
  const run = <T>(script: string, keys: string[], args: string[]) =>
    cache.call(async (keyv) => {
      // A single-node client (create-cache.ts builds no cluster), whose sendCommand takes the arguments.
      const client = (await (keyv.store as KeyvRedis<unknown>).getClient()) as unknown as { sendCommand(args: string[]): Promise<unknown> };
      const rest = [String(keys.length), ...keys, ...args];
      // By hash, so a lookup does not ship the script; a Redis that lost its script cache (restart) gets the text once.
      try {
        return (await client.sendCommand(['EVALSHA', sha1(script), ...rest])) as T;
      } catch (error) {
        if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
        return (await client.sendCommand(['EVAL', script, ...rest])) as T;
      }
    });
  return {
    async lookup(key) {
      const reply = await run<string[] | number[]>(LOOKUP_SCRIPT, [entryKey(key), counterKey, stampsKey, floorKey], []);
      if (!reply) return undefined;
      const epoch = Number(reply[0]);
      if (reply.length < 6) return { epoch };
      const [, body, etag, tags, contentType, cacheControl] = reply as string[];
      return {
        epoch,
        entry: { body: body!, etag: etag!, tags: tags ? tags.split(' ') : [], contentType: contentType!, cacheControl: cacheControl! },
      };
    },
    async store(key, epoch, entry) {
      await run(STORE_SCRIPT, [entryKey(key)], [
        String(epoch),
        entry.tags.join(' '),
        entry.body,
        entry.etag,
        entry.contentType,
        entry.cacheControl,
        String(RESPONSE_TTL_MS),
      ]);
    },
    async write(tags, all) {
      const reply = await run<number>(WRITE_SCRIPT, [counterKey, stampsKey, floorKey], [String(MAX_STAMPS), all ? '1' : '0', ...tags]);
      return reply !== undefined;
    },
  };
}

export interface ResponseCacheOptions {
  /** The Redis namespace (INKQL_CACHE_NAMESPACE). */
  readonly namespace: string;
  /** Bytes the in-memory backend may hold in entries, all together (Redis has its own maxmemory). */
  readonly memoryBytes: number;
  /** The in-memory LRU's entries (INKQL_CACHE_MAX_ENTRIES). */
  readonly maxEntries: number;
}

/** The response cache in `cache`'s backend; undefined when the app cache is off. */
export function createResponseCache(cache: AppCache, options: ResponseCacheOptions): ResponseCache | undefined {
  if (cache.backend === 'off' || !cache.keyv) return undefined;
  return new ResponseCache(cache.backend === 'redis' ? redisBackend(cache, options.namespace) : memoryBackend(cache, options.memoryBytes, options.maxEntries));
}
