import DataLoader from 'dataloader';
import { withSqlScope } from '../trace/sql-scope.ts';

export interface LoaderOptions {
  /** false: the naive mode, one call per key and no per-request memo, so the N+1 shows. */
  readonly batching: boolean;
}

/**
 * A DataLoader whose statements carry the loader's name into the trace. With batching off it
 * runs the same batch function once per key (`batch: false, cache: false`), so naive and batched
 * modes differ only in how often the SQL runs.
 */
export function createLoader<K, V, C = K>(
  name: string,
  batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
  options: LoaderOptions,
  cacheKeyFn?: (key: K) => C,
): DataLoader<K, V, C> {
  const named = (keys: readonly K[]) => withSqlScope({ loader: name }, () => batch(keys));
  return new DataLoader<K, V, C>(named, {
    name,
    batch: options.batching,
    cache: options.batching,
    cacheKeyFn,
  });
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
