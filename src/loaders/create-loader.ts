import DataLoader from 'dataloader';
import type { RequestTrace } from '../trace/request-trace.ts';
import type { LoaderStats } from '../trace/trace-format.ts';
import { currentScope, type FieldScope, withFieldScope } from '../trace/field-scope.ts';
import type { SpanRef } from '../trace/request-spans.ts';

export interface LoaderOptions {
  /** false: the naive mode, one call per key and no per-request memo, so the N+1 shows. */
  readonly batching: boolean;
  /** The request's trace: loaders count their work there and name the field behind each batch. */
  readonly trace?: RequestTrace;
}

/**
 * Runs the synchronous part of `run` in the batch's scope again: SQL that a batch function builds
 * after an `await` (after a cache round trip, say) otherwise reaches the trace with no field.
 */
export type InBatchScope = <T>(run: () => T) => T;

const unscoped: InBatchScope = (run) => run();

/**
 * A DataLoader whose statements carry the loader's name (and the field whose `load` opened the
 * batch) into the trace, and which counts its work there: loads, batches (= batch function
 * calls), the largest batch, and, for a trace that will be shown, loads answered from the
 * per-request memo. With batching off it runs the same batch function once per key (`batch:
 * false, cache: false`), so naive and batched modes differ only in how often SQL runs.
 *
 * It is a plain DataLoader with options, not a subclass: an overridden `load` (or `Map.get`)
 * would put a call of ours in front of each of a request's hundreds of loads.
 */
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
  const { spans } = trace;
  // The field whose load opened the batch being dispatched now (set just before DataLoader
  // calls the batch function, synchronously). A batch of memo hits alone calls no batch function.
  let dispatching: FieldScope | undefined;
  // The spans of the fields whose loads joined the batch being filled, and its keys (sampled
  // requests only): a load answered by the memo with a key of this batch joins it too.
  let loadedBy = spans ? new Set<SpanRef>() : undefined;
  let batchKeys = spans ? new Set<C>() : undefined;
  const named = (keys: readonly K[]) => {
    stats.loads += keys.length;
    stats.batches++;
    if (keys.length > stats.maxBatch) stats.maxBatch = keys.length;
    if (!spans) {
      const scope: FieldScope = { ...dispatching, loader: name };
      dispatching = undefined;
      const inBatchScope: InBatchScope = (run) => withFieldScope(trace, scope, run);
      return inBatchScope(() => batch(keys, inBatchScope));
    }
    // Without a memo (naive mode) each batch holds the one key of the load that opened it.
    const fields = loadedBy!.size > 0 ? [...loadedBy!] : dispatching?.span ? [dispatching.span] : [];
    loadedBy = new Set();
    batchKeys = new Set();
    const span = spans.startBatch(name, keys.length, fields, performance.now());
    const scope: FieldScope = { ...dispatching, loader: name, span };
    dispatching = undefined;
    const inBatchScope: InBatchScope = (run) => withFieldScope(trace, scope, run);
    let result: Promise<readonly (V | Error)[]>;
    try {
      result = inBatchScope(() => batch(keys, inBatchScope));
    } catch (error) {
      spans.endBatch(span, performance.now(), error);
      throw error;
    }
    result.then(
      () => spans.endBatch(span, performance.now()),
      (error: unknown) => spans.endBatch(span, performance.now(), error),
    );
    return result;
  };
  const noteLoad = spans
    ? (key: C, added: boolean) => {
        if (added) batchKeys!.add(key);
        else if (!batchKeys!.has(key)) return;
        if (trace.currentSpan) loadedBy!.add(trace.currentSpan);
      }
    : undefined;
  return new DataLoader<K, V, C>(named, {
    name,
    batch: options.batching,
    cacheKeyFn,
    // Memo hits are counted for a trace that will be shown, the only reader of the count; a
    // sampled request's memo also notes which field put each key into the batch.
    cacheMap: !options.batching ? null : trace.shown || noteLoad ? watchingMemo(stats, trace.shown, noteLoad) : undefined,
    // DataLoader calls this from the `load` that opens a batch, so the field running now is the
    // batch's field; the dispatch is then DataLoader's own default timing.
    batchScheduleFn: (dispatch) => {
      const openedBy = currentScope(trace);
      afterPromiseJobs(() => {
        dispatching = openedBy;
        dispatch();
      });
    },
  });
}

/** DataLoader's default schedule: after the promise jobs queued now, on the next tick. */
function afterPromiseJobs(run: () => void): void {
  RESOLVED.then(() => process.nextTick(run));
}
const RESOLVED = Promise.resolve();

/**
 * The per-request memo, counting the loads it answers (DataLoader asks it once per load) when
 * `counts`, and telling `onLoad` of each load: one that adds its key to the batch (DataLoader
 * sets it then) and one the memo answers.
 */
function watchingMemo<C, V>(stats: LoaderStats, counts: boolean, onLoad: ((key: C, added: boolean) => void) | undefined): DataLoader.CacheMap<C, V> {
  const memo = new Map<C, V>();
  return {
    get(key) {
      const value = memo.get(key);
      if (value !== undefined) {
        if (counts) {
          stats.loads++;
          stats.cacheHits++;
        }
        onLoad?.(key, false);
      }
      return value;
    },
    set: (key, value) => {
      onLoad?.(key, true);
      return memo.set(key, value);
    },
    delete: (key) => memo.delete(key),
    clear: () => memo.clear(),
  };
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
