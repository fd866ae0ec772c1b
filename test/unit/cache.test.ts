import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { AppCache, type CacheLogger } from '../../src/cache/app-cache.ts';
import { LruStore } from '../../src/cache/lru-store.ts';
import { changedTagIds, staleKeys } from '../../src/cache/invalidation.ts';

function createLogger() {
  const warnings: string[] = [];
  const logger: CacheLogger = { warn: (_o, message) => warnings.push(message), info: () => {} };
  return { logger, warnings };
}

/** An LruStore that records the calls Keyv makes on it. */
class CountingStore extends LruStore {
  calls: string[] = [];
  override getMany(keys: readonly string[]) {
    this.calls.push(`getMany:${keys.length}`);
    return super.getMany(keys);
  }
  override get(key: string) {
    this.calls.push('get');
    return super.get(key);
  }
}

/** A store that never answers, like Redis behind a dropped network. */
class SilentStore extends LruStore {
  override get(): unknown {
    return new Promise(() => {});
  }
  override getMany(): unknown[] {
    return new Promise(() => {}) as unknown as unknown[];
  }
  override deleteMany(): boolean {
    return new Promise(() => {}) as unknown as boolean;
  }
}

/** An LruStore whose writes wait until `open()`, like a store write still on the wire. */
class GatedStore extends LruStore {
  #open!: () => void;
  readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));
  #started!: () => void;
  readonly setStarted = new Promise<void>((resolve) => (this.#started = resolve));
  override set(key: string, value: unknown): boolean {
    this.#started();
    return this.#gate.then(() => super.set(key, value)) as unknown as boolean;
  }
  open(): void {
    this.#open();
  }
}

function memoryCache(store: LruStore, timeoutMs = 100, retryAfterMs = 0) {
  const { logger, warnings } = createLogger();
  const cache = new AppCache('memory', new Keyv({ store, namespace: 'test' }), { timeoutMs, logger, retryAfterMs });
  return { cache, warnings };
}

describe('LruStore', () => {
  it('keeps at most maxEntries, evicting the least recently used', () => {
    const store = new LruStore(3);
    store.set('a', 1);
    store.set('b', 2);
    store.set('c', 3);
    store.get('a'); // a is now the most recent
    store.set('d', 4);
    expect(store.size).toBe(3);
    expect(store.has('b')).toBe(false);
    expect(['a', 'c', 'd'].map((k) => store.get(k))).toEqual([1, 3, 4]);
  });

  it('keeps at most maxBytes, counting what each value holds', () => {
    const store = new LruStore(10_000, 1024 * 1024);
    for (let i = 0; i < 100; i++) store.set(`apq:${i}`, { value: 'x'.repeat(100_000), expires: undefined });
    // 100 KB of text is 200 KB at two bytes a character: five fit in 1 MiB.
    expect(store.size).toBe(5);
    expect(store.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(store.has('apq:99') && !store.has('apq:94')).toBe(true);
  });

  it('drops a value bigger than the whole store', () => {
    const store = new LruStore(10, 1024 * 1024);
    store.set('big', 'x'.repeat(600_000));
    expect(store.size).toBe(0);
    expect(store.get('big')).toBeUndefined();
  });

  it('stays bounded through Keyv under many writes', async () => {
    const store = new LruStore(50);
    const { cache } = memoryCache(store);
    for (let i = 0; i < 500; i += 100) {
      await cache.setMany(Array.from({ length: 100 }, (_, j) => ({ key: `k${i + j}`, value: i + j, ttlMs: 60_000 })));
    }
    expect(store.size).toBe(50);
    expect(await cache.getMany(['k0', 'k449', 'k450', 'k499'])).toEqual([undefined, undefined, 450, 499]);
  });
});

describe('AppCache', () => {
  it('computes a cold key once for concurrent callers (single flight)', async () => {
    const { cache } = memoryCache(new LruStore(10));
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 42;
    };
    const values = await Promise.all(Array.from({ length: 10 }, () => cache.getOrCompute('stats', 'k', 60_000, compute)));
    expect(values).toEqual(Array(10).fill(42));
    expect(computed).toBe(1);
    expect(await cache.getOrCompute('stats', 'k', 60_000, compute)).toBe(42);
    expect(computed).toBe(1);
  });

  it('loads 100 keys with one getMany and one computation of the misses', async () => {
    const store = new CountingStore(1000);
    const { cache } = memoryCache(store);
    await cache.setMany([{ key: 'n:1', value: 10, ttlMs: 60_000 }]);
    const batches: number[][] = [];
    const ids = Array.from({ length: 100 }, (_, i) => i + 1);
    const values = await cache.loadMany('authorPostCount', ids, (id) => `n:${id}`, 60_000, async (missing) => {
      batches.push(missing);
      return missing.map((id) => id * 10);
    });
    expect(values).toEqual(ids.map((id) => id * 10));
    expect(batches).toEqual([ids.slice(1)]);
    expect(store.calls).toEqual(['getMany:100']);
  });

  it('shares an in-flight batch with a concurrent loader of the same keys', async () => {
    const { cache } = memoryCache(new LruStore(100));
    const batches: number[][] = [];
    const compute = async (missing: number[]) => {
      batches.push(missing);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return missing.map((id) => id + 100);
    };
    const [a, b] = await Promise.all([
      cache.loadMany('tagPostCount', [1, 2], String, 60_000, compute),
      cache.loadMany('tagPostCount', [2, 3], String, 60_000, compute),
    ]);
    expect(a).toEqual([101, 102]);
    expect(b).toEqual([102, 103]);
    expect(batches.flat().sort()).toEqual([1, 2, 3]);
  });

  it('does not store a value computed across an invalidation of the cache', async () => {
    const { cache } = memoryCache(new LruStore(10));
    let release!: () => void;
    const computing = cache.getOrCompute('stats', 'k', 60_000, () => new Promise<number>((resolve) => (release = () => resolve(1))));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cache.invalidate(['k']);
    release();
    expect(await computing).toBe(1);
    expect(await cache.getMany(['k'])).toEqual([undefined]);
  });

  it('hands a reader that started after an invalidation a fresh computation, not the flight it outdated', async () => {
    const { cache } = memoryCache(new LruStore(10));
    let release!: (value: string) => void;
    const before = cache.getOrCompute('stats', 'k', 60_000, () => new Promise<string>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cache.invalidate(['k']);
    const after = cache.getOrCompute('stats', 'k', 60_000, async () => 'computed after the write');
    release('computed before the write');
    expect(await before).toBe('computed before the write');
    expect(await after).toBe('computed after the write');
    expect(await cache.getMany(['k'])).toEqual(['computed after the write']);
  });

  it('deletes a value whose store was already on its way when its key was invalidated', async () => {
    const store = new GatedStore(10);
    const { cache } = memoryCache(store, 5000);
    const reading = cache.getOrCompute('stats', 'k', 60_000, async () => 1);
    await store.setStarted;
    const invalidating = cache.invalidate(['k']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    store.open();
    await Promise.all([reading, invalidating]);
    expect(await cache.getMany(['k'])).toEqual([undefined]);
  });

  it('answers a miss within its timeout when the store never answers, and warns once', async () => {
    const { cache, warnings } = memoryCache(new SilentStore(10), 100);
    const started = performance.now();
    const values = await Promise.all([cache.getMany(['a']), cache.getMany(['b', 'c']), cache.getMany(['d'])]);
    const elapsed = performance.now() - started;
    expect(values).toEqual([[undefined], [undefined, undefined], [undefined]]);
    // 100 ms per call; the margin is for a loaded machine, the point is "no hang".
    expect(elapsed).toBeLessThan(1000);
    expect(cache.failures).toBe(3);
    expect(warnings).toHaveLength(1);
  });

  it('keeps a failed invalidation pending and treats its keys as misses until it succeeds', async () => {
    const store = new LruStore(10);
    const { cache } = memoryCache(store);
    await cache.setMany([{ key: 'k', value: 1, ttlMs: 60_000 }]);
    const deleteMany = store.deleteMany.bind(store);
    store.deleteMany = () => {
      throw new Error('store down');
    };
    await cache.invalidate(['k']);
    expect(cache.pendingInvalidations).toBe(1);
    expect(await cache.getMany(['k'])).toEqual([undefined]);
    store.deleteMany = deleteMany;
    expect(await cache.getMany(['k'])).toEqual([undefined]);
    expect(cache.pendingInvalidations).toBe(0);
    expect(store.has('test:k')).toBe(false);
  });

  it('leaves a failing store alone for a while, then tries it again', async () => {
    const store = new SilentStore(10);
    const { cache } = memoryCache(store, 50, 300);
    await cache.getMany(['a']);
    expect(cache.failures).toBe(1);
    const started = performance.now();
    expect(await cache.getMany(['a'])).toEqual([undefined]);
    expect(performance.now() - started).toBeLessThan(50);
    expect(cache.failures).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await cache.getMany(['a']);
    expect(cache.failures).toBe(2);
  });

  it('misses everything and stores nothing when off', async () => {
    const cache = new AppCache('off', undefined, { timeoutMs: 100, logger: createLogger().logger });
    await cache.setMany([{ key: 'k', value: 1, ttlMs: 1000 }]);
    expect(await cache.getMany(['k'])).toEqual([undefined]);
  });
});

describe('invalidation rules', () => {
  it('names the author, each changed tag and stats', () => {
    expect(staleKeys({ authorId: 3, tagIds: [5, 5, 7], statsChanged: true })).toEqual([
      'author-post-count:v1:3',
      'tag-post-count:v1:5',
      'tag-post-count:v1:7',
      'stats:v1',
    ]);
    expect(staleKeys({ tagIds: [], statsChanged: false })).toEqual([]);
  });

  it('counts as changed only the tags a post gained or lost', () => {
    expect(changedTagIds([1, 2, 3], [2, 3, 4])).toEqual([1, 4]);
    expect(changedTagIds([1, 2], [2, 1])).toEqual([]);
  });
});
