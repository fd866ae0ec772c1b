// What GET /metrics shows, in Prometheus text format (prom-client), one registry per server:
//
//   inkql_graphql_request_duration_seconds{operation_name,operation_type,outcome}  histogram
//   inkql_graphql_request_sql_statements                                             histogram
//   inkql_n_plus_one_total{field}                      requests in which the field repeated a statement (the N+1 watch's count)
//   inkql_cache_hits_total{family}, inkql_cache_misses_total{family}
//   inkql_db_pool_max, _open, _in_use, _waiting        gauges, read at scrape time
//   inkql_budget_throttles_total                        requests refused with THROTTLED (429)
//   process_*, nodejs_*                                 CPU, memory, heap, event loop lag and utilization, read at scrape time
//
// Everything a request adds is read off its trace once the answer is sent, off the request's path.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../db/create-database.ts';
import type { RequestTrace } from '../trace/request-trace.ts';
import { createOperationLabels, MAX_OPERATION_NAMES } from './operation-labels.ts';
import { registerProcessMetrics } from './register-process-metrics.ts';

/** How a GraphQL request ended, by HTTP status and the errors in its body. */
export type Outcome = 'ok' | 'error' | 'refused' | 'failed';

export function outcomeOf(status: number, errorCount: number): Outcome {
  if (status >= 500) return 'failed';
  // Refused before running: bad syntax, validation, over the cost limit or the client's budget.
  if (status >= 400) return 'refused';
  return errorCount > 0 ? 'error' : 'ok';
}

/** One answered GraphQL request. */
export interface RequestCompletion {
  readonly status: number;
  readonly durationMs: number;
  readonly trace: RequestTrace;
}

export interface Metrics {
  readonly contentType: string;
  observeRequest(completion: RequestCompletion): void;
  /** The N+1 watch found `field` repeating its statement in a request (metrics/n-plus-one-watch.ts). */
  countNPlusOne(field: string): void;
  /** The exposition text of every metric, as of now. */
  render(): Promise<string>;
}

export interface MetricsOptions {
  readonly poolStats: () => PoolStats;
}

const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// A batched operation runs a handful; a hundred or more is a list whose children are not batched.
const SQL_STATEMENT_BUCKETS = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100, 200, 500];
const THROTTLED_STATUS = 429;

export function createMetrics({ poolStats }: MetricsOptions): Metrics {
  const registry = new Registry();
  registerProcessMetrics(registry);
  const duration = new Histogram({
    name: 'inkql_graphql_request_duration_seconds',
    help: `GraphQL requests by operation name (the first ${MAX_OPERATION_NAMES} distinct names, then "(other)"), type and outcome (ok, error, refused, failed)`,
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  const sqlStatements = new Histogram({
    name: 'inkql_graphql_request_sql_statements',
    help: 'SQL statements run by one GraphQL request',
    buckets: SQL_STATEMENT_BUCKETS,
    registers: [registry],
  });
  const nPlusOne = new Counter({
    name: 'inkql_n_plus_one_total',
    help: 'Requests in which one field of a list ran the same SQL statement once per row (an N+1), by field',
    labelNames: ['field'] as const,
    registers: [registry],
  });
  const cacheHits = new Counter({ name: 'inkql_cache_hits_total', help: 'Cache lookups answered from the cache, by family', labelNames: ['family'] as const, registers: [registry] });
  const cacheMisses = new Counter({ name: 'inkql_cache_misses_total', help: 'Cache lookups that computed the value, by family', labelNames: ['family'] as const, registers: [registry] });
  const throttles = new Counter({ name: 'inkql_budget_throttles_total', help: 'Requests refused because the client had spent its cost budget (THROTTLED)', registers: [registry] });
  registerPoolGauges(registry, poolStats);

  const operationLabel = createOperationLabels();
  // One child histogram per label set, kept: prom-client would otherwise hash the labels object on
  // every request. Bounded like the labels themselves (capped names × types × outcomes).
  const durationChildren = new Map<string, ReturnType<typeof duration.labels>>();
  const durationOf = (name: string, type: string, outcome: Outcome) => {
    const key = `${name}\n${type}\n${outcome}`;
    let child = durationChildren.get(key);
    if (!child) durationChildren.set(key, (child = duration.labels(name, type, outcome)));
    return child;
  };

  return {
    contentType: registry.contentType,
    observeRequest: ({ status, durationMs, trace }) => {
      durationOf(operationLabel(trace.operationName), trace.operationType ?? 'unknown', outcomeOf(status, trace.errorCount)).observe(durationMs / 1000);
      sqlStatements.observe(trace.sqlCount);
      for (const [family, { hits, misses }] of trace.cacheFamilies) {
        if (hits > 0) cacheHits.inc({ family }, hits);
        if (misses > 0) cacheMisses.inc({ family }, misses);
      }
      if (status === THROTTLED_STATUS) throttles.inc();
    },
    countNPlusOne: (field) => nPlusOne.inc({ field }),
    render: () => registry.metrics(),
  };
}

/** Pool gauges read when scraped; a figure the database cannot give (PGlite's in use) is not shown at all. */
function registerPoolGauges(registry: Registry, poolStats: () => PoolStats): void {
  const given = poolStats();
  const gauge = (name: string, help: string, read: (stats: PoolStats) => number | undefined) => {
    if (read(given) === undefined) return;
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(poolStats()) ?? 0);
      },
    });
  };
  gauge('inkql_db_pool_max', 'Database connections the pool may open (1 for embedded PGlite)', (stats) => stats.max);
  gauge('inkql_db_pool_open', 'Database connections open now', (stats) => stats.open);
  gauge('inkql_db_pool_in_use', 'Database connections checked out by a query or transaction now (Postgres only)', (stats) => stats.inUse);
  gauge('inkql_db_pool_waiting', 'Queries waiting for a free database connection (Postgres only)', (stats) => stats.waiting);
}
