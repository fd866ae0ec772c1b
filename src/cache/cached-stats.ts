import type { Kysely } from 'kysely';
import { computeStats, type StatsSnapshot } from '../db/compute-stats.ts';
import type { Database } from '../db/types.ts';
import type { Codec } from './app-cache.ts';
import { STATS_KEY, STATS_TTL_MS } from './cache-keys.ts';
import type { RequestCache } from './request-cache.ts';

/** JSON has no Date: computedAt travels as an ISO string. */
const statsCodec: Codec<StatsSnapshot> = {
  encode: (stats) => ({ ...stats, computedAt: stats.computedAt.toISOString() }),
  decode: (stored) => {
    const value = stored as Omit<StatsSnapshot, 'computedAt'> & { computedAt: string };
    return { ...value, computedAt: new Date(value.computedAt) };
  },
};

/** The expensive aggregate, computed once per invalidation (and once per process for concurrent misses). */
export function loadStats(cache: RequestCache, db: Kysely<Database>): Promise<StatsSnapshot> {
  return cache.getOrCompute('stats', STATS_KEY, STATS_TTL_MS, () => computeStats(db), statsCodec);
}
