/**
 * A least-recently-used map bounded by the bytes its values are said to hold (`sizeOf`), and
 * optionally by entries. Caches keyed by request data use it: a client chooses how big each
 * entry is, so counting entries alone bounds nothing. A value bigger than the whole budget is
 * not stored at all (and any older value under its key is dropped).
 *
 * A Map keeps insertion order, so a read re-inserts its key at the end and the first key is the
 * least recently used.
 */
export class ByteLru<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly bytes: number }>();
  #bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly sizeOf: (value: V, key: string) => number,
    readonly maxEntries = Number.POSITIVE_INFINITY,
  ) {
    if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
    if (!(maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, got ${maxEntries}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The sum of `sizeOf` over the entries held. */
  get bytes(): number {
    return this.#bytes;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Reads a key and marks it most recently used. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value`, evicting the least recently used entries beyond the bounds; false when it is too big to keep. */
  set(key: string, value: V): boolean {
    this.delete(key);
    const bytes = this.sizeOf(value, key);
    if (bytes > this.maxBytes) return false;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    while (this.#bytes > this.maxBytes || this.#entries.size > this.maxEntries) {
      this.delete(this.#entries.keys().next().value as string);
    }
    return true;
  }

  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

/** Bytes a string takes in V8 at worst (two bytes per UTF-16 unit), plus its object header. */
export function stringBytes(text: string): number {
  return 2 * text.length + 16;
}
