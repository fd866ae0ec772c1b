import type { BudgetStatus } from './leaky-bucket.ts';

/** Where client buckets live: one process's memory, or Redis shared by all processes. */
export interface BudgetStore {
  /** The client's bucket now, without charging it. */
  peek(clientKey: string): Promise<BudgetStatus>;
  /** Pays `cost` points from the client's bucket and returns what is left. */
  charge(clientKey: string, cost: number): Promise<BudgetStatus>;
  close(): Promise<void>;
}
