import type { CostExtensionJson } from '../trace/trace-format.ts';
import type { BudgetStatus } from './leaky-bucket.ts';

/** One request's price, filled in by the cost plugin and read by `Query.rateLimit`. */
export interface CostState {
  /** The estimate, set before execution (0 until the operation is priced). */
  requested: number;
  /** From the rows actually returned, set after execution. */
  actual: number;
  /** The client's bucket when budgets are on: after the reservation, then after the settlement. */
  budget: BudgetStatus | undefined;
}

export function createCostState(): CostState {
  return { requested: 0, actual: 0, budget: undefined };
}

/** Shopify's `extensions.cost` (a wire format the explorer reads too, so it lives beside the trace's). */
export type CostExtension = CostExtensionJson;

export function toCostExtension(state: CostState): CostExtension {
  const extension: CostExtension = { requestedQueryCost: state.requested, actualQueryCost: state.actual };
  if (state.budget) {
    extension.throttleStatus = {
      maximumAvailable: state.budget.limit,
      currentlyAvailable: Math.floor(state.budget.available),
      restoreRate: state.budget.restoreRate,
    };
  }
  return extension;
}

/** GitHub's `rateLimit { limit cost remaining resetAt }` once this operation's cost was reserved. */
export function toRateLimit(state: CostState): { limit: number; cost: number; remaining: number; resetAt: Date } | null {
  const { budget } = state;
  if (!budget) return null;
  const remaining = Math.max(0, Math.floor(budget.available));
  const spentMs = Math.ceil(((budget.limit - remaining) * 1000) / budget.restoreRate);
  return { limit: budget.limit, cost: state.requested, remaining, resetAt: new Date(budget.atMs + spentMs) };
}
