/**
 * A Keyv store that keeps at most `maxEntries` entries and evicts the least recently used one:
 * a Map keeps insertion order, so a read re-inserts its key at the end and the first key is the
 * oldest. Expiry is Keyv's job (it stores `expires` with the value and checks it on read).
 */
export class LruStore {
  readonly #entries = new Map<string, unknown>();
  namespace: string | undefined;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): unknown {
    return this.#touch(key);
  }

  getMany(keys: readonly string[]): unknown[] {
    return keys.map((key) => this.#touch(key));
  }

  /** Reads a key and marks it most recently used. */
  #touch(key: string): unknown {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key);
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: unknown): boolean {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
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
