import type { FailOpenGuard } from '../cache/fail-open-guard.ts';
import type { Config } from '../config.ts';
import type { BudgetStore } from './budget-store.ts';
import { createMemoryBudgetStore } from './memory-budget-store.ts';
import { createRedisBudgetStore } from './redis-budget-store.ts';

/** Client budgets as configured: none when INKQL_BUDGET_SIZE is 0, in Redis with REDIS_URL, else in this process. */
export function createBudgetStore(config: Config, redisGuard: FailOpenGuard | undefined): BudgetStore | undefined {
  if (config.budgetSize === 0) return undefined;
  const shape = { size: config.budgetSize, restoreRate: config.budgetRestoreRate };
  if (!config.redisUrl || !redisGuard) return createMemoryBudgetStore(shape);
  return createRedisBudgetStore({ url: config.redisUrl, shape, keyPrefix: config.budgetKeyPrefix, guard: redisGuard });
}
