import { ByteLru, stringBytes } from './byte-lru.ts';

/** What one entry costs besides its key and value: the Map slot and Keyv's `{ value, expires }` wrapper. */
export const LRU_ENTRY_OVERHEAD_BYTES = 128;

/**
 * An estimate of the bytes a stored value holds: its JSON text at two bytes a character (what
 * persisted queries and computed values are made of), so a value sized by the client counts for
 * what it is. Values that JSON cannot encode count as the overhead only.
 */
function valueBytes(value: unknown, key: string): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return stringBytes(key) + (json === undefined ? 0 : stringBytes(json)) + LRU_ENTRY_OVERHEAD_BYTES;
}

/**
 * A Keyv store that keeps at most `maxEntries` entries and `maxBytes` bytes (estimated by
 * valueBytes) and evicts the least recently used ones beyond either bound. Expiry is Keyv's job
 * (it stores `expires` with the value and checks it on read).
 */
export class LruStore {
  readonly #entries: ByteLru<unknown>;
  namespace: string | undefined;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    this.#entries = new ByteLru(maxBytes, valueBytes, maxEntries);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The estimated bytes held (see valueBytes). */
  get bytes(): number {
    return this.#entries.bytes;
  }

  get(key: string): unknown {
    return this.#entries.get(key);
  }

  getMany(keys: readonly string[]): unknown[] {
    return keys.map((key) => this.#entries.get(key));
  }

  set(key: string, value: unknown): boolean {
    // A value too big for the whole store is dropped: to Keyv, as to a cache, that is a later miss.
    this.#entries.set(key, value);
    return true;
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  deleteMany(keys: readonly string[]): boolean {
    let all = true;
    for (const key of keys) all = this.#entries.delete(key) && all;
    return all;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
