import type { BudgetStore } from './budget-store.ts';
import { availableAt, type BucketShape, type BucketState, drain, take, toBudgetStatus } from './leaky-bucket.ts';

/**
 * Buckets tracked by one process. Beyond this many clients the least recently seen is
 * forgotten (a forgotten bucket is full again), so a flood of addresses cannot grow memory.
 */
export const MAX_TRACKED_CLIENTS = 10_000;

/**
 * Each call reads and writes its bucket without an `await` in between: on one event loop that is
 * the atomic step, so concurrent requests never spend the same points twice.
 */
export function createMemoryBudgetStore(shape: BucketShape, maxClients = MAX_TRACKED_CLIENTS, now = Date.now): BudgetStore {
  // A Map iterates in insertion order: re-inserting on use keeps the oldest entry first.
  const buckets = new Map<string, BucketState>();
  const store = (clientKey: string, next: BucketState) => {
    buckets.delete(clientKey);
    buckets.set(clientKey, next);
    if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value as string);
  };
  return {
    async reserve(clientKey, cost) {
      const nowMs = now();
      const state = buckets.get(clientKey);
      const next = take(state, nowMs, shape, cost);
      if (!next) return { admitted: false, status: toBudgetStatus(availableAt(state, nowMs, shape), nowMs, shape), held: true };
      store(clientKey, next);
      return { admitted: true, status: toBudgetStatus(next.available, nowMs, shape), held: true };
    },
    async settle(clientKey, extra) {
      const nowMs = now();
      const next = drain(buckets.get(clientKey), nowMs, shape, extra);
      store(clientKey, next);
      return toBudgetStatus(next.available, nowMs, shape);
    },
    async connect() {},
    async close() {
      buckets.clear();
    },
  };
}
