import type { Config } from '../config.ts';

/** How many server processes start, and how many Postgres connections each may open per database server. */
export interface WorkerPlan {
  readonly workers: number;
  readonly poolSize: number;
}

/** A combination of variables that start-up refuses; the message says which and why. */
export class WorkerPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerPlanError';
  }
}

/**
 * The pool rule: each process opens at most `min(INKQL_POOL_SIZE, floor(INKQL_DB_CONNECTION_BUDGET /
 * INKQL_WORKERS))` connections to each database server (the primary, and each replica), so all of
 * them together never hold more than the budget there, however many requests wait. With replicas,
 * each process keeps one more connection to each database for its replica checks, taken from its
 * share.
 */
export function planWorkers(config: Pick<Config, 'http' | 'database' | 'cache'>): WorkerPlan {
  const { workers } = config.http;
  const { poolSize, connectionBudget } = config.database;
  if (workers > 1) {
    // Each process would keep its own cache, persisted queries and client budgets, and a write in one
    // would leave the others serving what it invalidated.
    if (!config.cache.redisUrl) {
      throw new WorkerPlanError(`INKQL_WORKERS=${workers} needs REDIS_URL: without a shared Redis each process keeps its own cache and client budgets, and they would disagree`);
    }
    // Embedded PGlite is one process's database: a second process must not open its files.
    if (!config.database.url) throw new WorkerPlanError(`INKQL_WORKERS=${workers} needs DATABASE_URL: embedded PGlite serves one process only`);
  }
  // Replicas are of a Postgres server: embedded PGlite has none.
  if (config.database.replicaUrls && !config.database.url) throw new WorkerPlanError('DATABASE_REPLICA_URLS needs DATABASE_URL (the primary they replicate)');
  const share = Math.floor(connectionBudget / workers) - (config.database.replicaUrls ? 1 : 0);
  if (share < 1) {
    throw new WorkerPlanError(`INKQL_DB_CONNECTION_BUDGET=${connectionBudget} is less than ${config.database.replicaUrls ? 'two connections (a pool and a replica check)' : 'one connection'} for each of INKQL_WORKERS=${workers} processes`);
  }
  return { workers, poolSize: Math.min(poolSize, share) };
}
