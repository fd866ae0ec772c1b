import type Keyv from 'keyv';

export interface CacheEntry {
  readonly key: string;
  readonly value: unknown;
  readonly ttlMs: number;
}

/** A computed value to store only if no invalidation of its key happened since it was read. */
export interface GuardedEntry extends CacheEntry {
  /** The key's generation read before the computation (undefined: the read failed; never stored in a shared store). */
  readonly generation: string | undefined;
  /** performance.now() before that read. */
  readonly readAt: number;
}

export interface StoredValues {
  /** One per key, undefined for a miss. */
  readonly values: unknown[];
  /** One per key: its generation (LOCAL_GENERATION for every key of a store of this process alone). */
  readonly generations: (string | undefined)[];
}

/**
 * What AppCache asks of its backend. Every method is one round trip and may throw or hang:
 * AppCache bounds each call and fails open.
 */
export interface ValueStore {
  read(keys: readonly string[]): Promise<StoredValues>;
  /** Stores the entries whose key is still at the generation they carry; a local store stores all. */
  writeIfCurrent(entries: readonly GuardedEntry[]): Promise<void>;
  /** Stores unconditionally. */
  write(entries: readonly CacheEntry[]): Promise<void>;
  /** Deletes the keys' values and moves each key to a new generation. */
  invalidate(keys: readonly string[]): Promise<void>;
}

/** The generation of every key in a store only this process invalidates (it detaches its own flights). */
export const LOCAL_GENERATION = 'local';

/**
 * A store local to this process (the in-memory LRU behind Keyv). It has no generations: only this
 * process invalidates it, and AppCache itself keeps a value computed before one of its own
 * invalidations from being stored.
 */
export function createKeyvValueStore(keyv: Keyv): ValueStore {
  const write = async (entries: readonly CacheEntry[]) => {
    await keyv.setMany(entries.map(({ key, value, ttlMs }) => ({ key, value, ttl: ttlMs })));
  };
  return {
    read: async (keys) => ({ values: await keyv.getMany([...keys]), generations: keys.map(() => LOCAL_GENERATION) }),
    writeIfCurrent: write,
    write,
    invalidate: async (keys) => {
      await keyv.deleteMany([...keys]);
    },
  };
}
