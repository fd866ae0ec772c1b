// A client's budget of cost points, Shopify's leaky bucket:
//
//   size 1000, restore 50/s: a full bucket pays for a 1000-point query; after that the client
//   regains 50 points a second, and a query asking for more than is available is refused.
//
// Pure math over { available, atMs }; the stores keep the state (memory or Redis).

export interface BucketState {
  readonly available: number;
  readonly atMs: number;
}

export interface BucketShape {
  /** Points a full bucket holds. */
  readonly size: number;
  /** Points regained per second. */
  readonly restoreRate: number;
}

export interface BudgetStatus {
  readonly limit: number;
  readonly available: number;
  readonly restoreRate: number;
  /** When the bucket is full again (ms since the epoch). */
  readonly resetAtMs: number;
  /** When this status was read (ms since the epoch; Redis's clock when in Redis). */
  readonly atMs: number;
}

/** The points available at `nowMs` (a missing bucket is full). */
export function availableAt(state: BucketState | undefined, nowMs: number, shape: BucketShape): number {
  if (!state) return shape.size;
  const elapsedMs = Math.max(0, nowMs - state.atMs);
  return Math.min(shape.size, state.available + (elapsedMs * shape.restoreRate) / 1000);
}

/** The bucket after paying `cost` at `nowMs` (a negative cost gives points back); never below empty or above full. */
export function drain(state: BucketState | undefined, nowMs: number, shape: BucketShape, cost: number): BucketState {
  return { available: Math.min(shape.size, Math.max(0, availableAt(state, nowMs, shape) - cost)), atMs: nowMs };
}

/** The bucket after taking `cost` at `nowMs`, or undefined when fewer points than that are available. */
export function take(state: BucketState | undefined, nowMs: number, shape: BucketShape, cost: number): BucketState | undefined {
  const available = availableAt(state, nowMs, shape);
  return cost > available ? undefined : { available: available - cost, atMs: nowMs };
}

export function toBudgetStatus(available: number, nowMs: number, shape: BucketShape): BudgetStatus {
  return {
    limit: shape.size,
    available,
    restoreRate: shape.restoreRate,
    resetAtMs: nowMs + Math.ceil(((shape.size - available) * 1000) / shape.restoreRate),
    atMs: nowMs,
  };
}

/** Seconds until `cost` points are available (HTTP Retry-After). */
export function secondsUntilAvailable(status: BudgetStatus, cost: number): number {
  return Math.max(1, Math.ceil((Math.min(cost, status.limit) - status.available) / status.restoreRate));
}
