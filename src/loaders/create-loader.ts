import DataLoader from 'dataloader';
import type { LoaderStats } from '../trace/request-trace.ts';
import { withSqlScope } from '../trace/sql-scope.ts';

export interface LoaderOptions {
  /** false: the naive mode, one call per key and no per-request memo, so the N+1 shows. */
  readonly batching: boolean;
  /** Where a loader counts its loads, batches and memo hits (the request's trace). */
  readonly stats?: { loaderStats(name: string): LoaderStats };
}

/**
 * A DataLoader whose statements carry the loader's name into the trace, and which counts its
 * work there: loads, batches (= batch function calls), the largest batch, and loads answered
 * from the per-request memo. With batching off it runs the same batch function once per key
 * (`batch: false, cache: false`), so naive and batched modes differ only in how often SQL runs.
 */
export function createLoader<K, V, C = K>(
  name: string,
  batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
  options: LoaderOptions,
  cacheKeyFn?: (key: K) => C,
): DataLoader<K, V, C> {
  const stats = options.stats?.loaderStats(name);
  const named = (keys: readonly K[]) => {
    if (stats) {
      stats.batches++;
      if (keys.length > stats.maxBatch) stats.maxBatch = keys.length;
    }
    return withSqlScope({ loader: name }, () => batch(keys));
  };
  if (!stats) return new DataLoader<K, V, C>(named, { name, batch: options.batching, cache: options.batching, cacheKeyFn });
  return new CountingLoader<K, V, C>(stats, named, {
    name,
    batch: options.batching,
    cacheKeyFn,
    // A memo that counts its hits: DataLoader asks it once per load when caching is on.
    cacheMap: options.batching ? new CountingMap(stats) : null,
  });
}

class CountingLoader<K, V, C> extends DataLoader<K, V, C> {
  constructor(
    private readonly stats: LoaderStats,
    batch: DataLoader.BatchLoadFn<K, V>,
    options: DataLoader.Options<K, V, C>,
  ) {
    super(batch, options);
  }

  override load(key: K): Promise<V> {
    this.stats.loads++;
    return super.load(key);
  }
}

class CountingMap<C, V> extends Map<C, V> {
  constructor(private readonly stats: LoaderStats) {
    super();
  }

  override get(key: C): V | undefined {
    const value = super.get(key);
    if (value !== undefined) this.stats.cacheHits++;
    return value;
  }
}

/**
 * Loaders that differ by arguments (`Author.posts(first: 10)` and `(first: 5)` in one query):
 * one loader per distinct argument set, created on first use within the request.
 */
export function createLoaderFamily<P, K, V>(keyOf: (params: P) => string, create: (params: P) => DataLoader<K, V>) {
  const loaders = new Map<string, DataLoader<K, V>>();
  return (params: P): DataLoader<K, V> => {
    const key = keyOf(params);
    let loader = loaders.get(key);
    if (!loader) {
      loader = create(params);
      loaders.set(key, loader);
    }
    return loader;
  };
}
