import DataLoader from 'dataloader';
import type { LoaderStats, RequestTrace } from '../trace/request-trace.ts';
import { type FieldScope, withFieldScope } from '../trace/sql-scope.ts';

export interface LoaderOptions {
  /** false: the naive mode, one call per key and no per-request memo, so the N+1 shows. */
  readonly batching: boolean;
  /** The request's trace: loaders count their work there and name the field behind each batch. */
  readonly trace?: RequestTrace;
}

/**
 * A DataLoader whose statements carry the loader's name (and the field whose `load` opened the
 * batch) into the trace, and which counts its work there: loads, batches (= batch function
 * calls), the largest batch, and loads answered from the per-request memo. With batching off it
 * runs the same batch function once per key (`batch: false, cache: false`), so naive and batched
 * modes differ only in how often SQL runs.
 */
/**
 * Runs the synchronous part of `run` in the batch's scope again: SQL that a batch function builds
 * after an `await` (after a cache round trip, say) otherwise reaches the trace with no field.
 */
export type InBatchScope = <T>(run: () => T) => T;

const unscoped: InBatchScope = (run) => run();

export function createLoader<K, V, C = K>(
  name: string,
  batch: (keys: readonly K[], inBatchScope: InBatchScope) => Promise<readonly (V | Error)[]>,
  options: LoaderOptions,
  cacheKeyFn?: (key: K) => C,
): DataLoader<K, V, C> {
  const { trace } = options;
  if (!trace) {
    return new DataLoader<K, V, C>((keys) => batch(keys, unscoped), { name, batch: options.batching, cache: options.batching, cacheKeyFn });
  }
  const stats = trace.loaderStats(name);
  // Batches dispatch in the order they were opened: each takes the scope of its first load.
  const openedBy: (FieldScope | undefined)[] = [];
  const named = (keys: readonly K[]) => {
    stats.batches++;
    if (keys.length > stats.maxBatch) stats.maxBatch = keys.length;
    const scope: FieldScope = { ...openedBy.shift(), loader: name };
    const inBatchScope: InBatchScope = (run) => withFieldScope(trace, scope, run);
    return inBatchScope(() => batch(keys, inBatchScope));
  };
  return new CountingLoader<K, V, C>(trace, stats, openedBy, named, {
    name,
    batch: options.batching,
    cacheKeyFn,
    // A memo that counts its hits: DataLoader asks it once per load when caching is on.
    cacheMap: options.batching ? new CountingMap(stats) : null,
  });
}

interface BatchSlot {
  _batch: unknown;
}

class CountingLoader<K, V, C> extends DataLoader<K, V, C> {
  constructor(
    private readonly trace: RequestTrace,
    private readonly stats: LoaderStats,
    private readonly openedBy: (FieldScope | undefined)[],
    batch: DataLoader.BatchLoadFn<K, V>,
    options: DataLoader.Options<K, V, C>,
  ) {
    super(batch, options);
  }

  override load(key: K): Promise<V> {
    this.stats.loads++;
    // DataLoader 2 keeps the batch being filled in `_batch`: a new one there means this load
    // opened a batch, which is then attributed to the field running now.
    const before = (this as unknown as BatchSlot)._batch;
    const promise = super.load(key);
    if ((this as unknown as BatchSlot)._batch !== before) this.openedBy.push(this.trace.current);
    return promise;
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
