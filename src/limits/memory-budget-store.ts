import type { BudgetStore } from './budget-store.ts';
import { availableAt, type BucketShape, type BucketState, drain, toBudgetStatus } from './leaky-bucket.ts';

/**
 * Buckets tracked by one process. Beyond this many clients the least recently seen is
 * forgotten (a forgotten bucket is full again), so a flood of addresses cannot grow memory.
 */
export const MAX_TRACKED_CLIENTS = 10_000;

export function createMemoryBudgetStore(shape: BucketShape, maxClients = MAX_TRACKED_CLIENTS, now = Date.now): BudgetStore {
  // A Map iterates in insertion order: re-inserting on use keeps the oldest entry first.
  const buckets = new Map<string, BucketState>();
  return {
    async peek(clientKey) {
      const nowMs = now();
      return toBudgetStatus(availableAt(buckets.get(clientKey), nowMs, shape), nowMs, shape);
    },
    async charge(clientKey, cost) {
      const nowMs = now();
      const next = drain(buckets.get(clientKey), nowMs, shape, cost);
      buckets.delete(clientKey);
      buckets.set(clientKey, next);
      if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value as string);
      return toBudgetStatus(next.available, nowMs, shape);
    },
    async close() {
      buckets.clear();
    },
  };
}
