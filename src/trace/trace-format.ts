// The wire format of `extensions.trace`, in one place: the server builds it (request-trace.ts,
// the trace and cost plugins), the explorer, the test helpers and the bench read it, all through
// these types (type-only imports: nothing here runs).
//
//   { durationMs, operationName?, phases: { parseMs?, validateMs?, executeMs? },
//     sql: { count, durationMs, similarCount, duplicateCount, statements: [
//       { sql, params, rows, durationMs, startOffsetMs, path?, field?, loader?, comment?, error?, plan? } ] },
//     nPlusOne: [ { sql, count, field } ],
//     loaders: { authorById: { loads, batches, maxBatch, cacheHits } },
//     cache: { backend, hits, misses, families: { stats: { hits, misses } } },
//     resolvers: [ { path, field, startOffsetMs, durationMs } ],
//     cost?: { requested, actual, maximum } }
//
// Beside it, every executed response carries Shopify's `extensions.cost`
// ({ requestedQueryCost, actualQueryCost, throttleStatus? }), trace or not.

export interface StatementJson {
  sql: string;
  /** How many parameters were bound (their values stay on the server). */
  params: number;
  rows: number;
  durationMs: number;
  startOffsetMs: number;
  /** Response path with list indices (`posts.nodes.3.author`). */
  path?: string;
  /** The schema field whose resolver issued the statement (`Post.author`). */
  field?: string;
  loader?: string;
  /** The sqlcommenter comment sent with the text. */
  comment?: string;
  error?: string;
  /** EXPLAIN (FORMAT JSON) output, when the request asked for plans. */
  plan?: unknown;
  /** Which database served it (`primary`, `replica 1 (host:port)`), with read replicas only. */
  database?: string;
}

export interface SqlSummary {
  count: number;
  durationMs: number;
  /** Statements beyond the first of each group of the same text. */
  similarCount: number;
  /** Statements beyond the first of each group of the same text and parameters. */
  duplicateCount: number;
  statements: StatementJson[];
}

export interface NPlusOneJson {
  sql: string;
  count: number;
  field: string;
}

export interface LoaderStats {
  loads: number;
  batches: number;
  maxBatch: number;
  /** Loads answered from the per-request memo. */
  cacheHits: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
}

export interface ResolverRecord {
  readonly path: string;
  readonly field: string;
  readonly startOffsetMs: number;
  readonly durationMs: number;
}

/** A phase is absent when Apollo skipped it (a document parsed and validated before is cached). */
export interface PhasesJson {
  parseMs?: number;
  validateMs?: number;
  executeMs?: number;
}

/** The trace as the request's record builds it (trace/request-trace.ts, toJSON). */
export interface TraceJson {
  durationMs: number;
  operationName?: string;
  phases: PhasesJson;
  sql: SqlSummary;
  nPlusOne: NPlusOneJson[];
  loaders: Record<string, LoaderStats>;
  cache: CacheStats & { families: Record<string, CacheStats> };
  resolvers: ResolverRecord[];
}

/** The price of the operation, added by the cost plugin to a trace that reached it. */
export interface TraceCostJson {
  requested: number;
  actual: number;
  maximum: number;
}

/** `extensions.trace` as a client receives it: the record, with the cache backend and the price. */
export interface TraceWire extends Omit<TraceJson, 'cache'> {
  cache: TraceJson['cache'] & { backend: string };
  /** Absent when the request was refused before the cost plugin priced it. */
  cost?: TraceCostJson;
}

/** Shopify's `extensions.cost`, on every executed response. */
export interface CostExtensionJson {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** The `extensions` of a response, as far as the trace's readers look. */
export interface ResponseExtensionsJson {
  trace?: TraceWire;
  cost?: CostExtensionJson;
}
