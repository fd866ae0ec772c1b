import type { BudgetStatus } from './leaky-bucket.ts';

/** The answer to a reservation: whether the points were taken, and the bucket after it. */
export interface Reservation {
  /** False when the client has fewer points than asked: nothing was taken. */
  readonly admitted: boolean;
  /** The bucket after the points were taken, or as it stood when refused. */
  readonly status: BudgetStatus;
  /**
   * False when the store did not answer in time: the request goes through unthrottled (a budget
   * outage must not become an API outage) and there is nothing to settle.
   */
  readonly held: boolean;
}

/**
 * Where client buckets live: one process's memory, or Redis shared by all processes. A request
 * reserves its estimated cost before it runs, in one atomic step (check and take), so concurrent
 * requests cannot all spend the same points; after it ran, it settles the difference to its
 * actual cost.
 */
export interface BudgetStore {
  /** Takes `cost` points if the client has them, else takes nothing. */
  reserve(clientKey: string, cost: number): Promise<Reservation>;
  /**
   * Pays `extra` more points (a negative `extra` gives points back), never below empty or above
   * full; undefined when the store did not answer.
   */
  settle(clientKey: string, extra: number): Promise<BudgetStatus | undefined>;
  /** Waits (boundedly) for the store's connection, so that a fresh server's first requests are counted. */
  connect(): Promise<void>;
  close(): Promise<void>;
}
