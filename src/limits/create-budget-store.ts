import type { FailOpenGuard } from '../cache/fail-open-guard.ts';
import type { BudgetsConfig } from '../config.ts';
import type { BudgetStore } from './budget-store.ts';
import { createMemoryBudgetStore } from './memory-budget-store.ts';
import { createRedisBudgetStore } from './redis-budget-store.ts';

/** The Redis the cache uses (REDIS_URL) and its fail-open guard, which the budgets share. */
export interface SharedRedis {
  readonly url: string;
  readonly guard: FailOpenGuard;
}

/** Client budgets as configured: none when INKQL_BUDGET_SIZE is 0, in the shared Redis when there is one, else in this process. */
export function createBudgetStore(config: BudgetsConfig, redis: SharedRedis | undefined): BudgetStore | undefined {
  if (config.size === 0) return undefined;
  const shape = { size: config.size, restoreRate: config.restoreRate };
  if (!redis) return createMemoryBudgetStore(shape);
  return createRedisBudgetStore({ url: redis.url, shape, keyPrefix: config.keyPrefix, guard: redis.guard });
}
