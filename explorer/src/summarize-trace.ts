// Turns one response's `extensions` into what the trace panel draws. Pure, so unit tests call it.
//
// Input (the trace format; every section but `sql` may be absent on an older or production server):
//   extensions.trace = { durationMs, sql: { count, durationMs, similarCount, duplicateCount,
//     statements: [{ sql, params, rows, durationMs, startOffsetMs, path?, loader?, error? }] },
//     nPlusOne?: [{ sql, count, field }], loaders?: { name: { loads, batches, maxBatch } },
//     cache?: { hits, misses }, resolvers?: [...], cost?: { requested, maximum } }
//   extensions.cost = { requested, maximum }                  (cost may live here instead), or
//   extensions.cost = { requestedQueryCost, actualQueryCost,
//                       throttleStatus?: { maximumAvailable, currentlyAvailable, restoreRate } }
//   errors[].extensions = { code: 'QUERY_TOO_COMPLEX', cost, maximum }    (rejected before SQL)
//   errors[].extensions = { code: 'THROTTLED', cost, available }          (budget exhausted)

import { routeOf } from '../../src/trace/route-of.ts';

export interface StatementView {
  readonly sql: string;
  /** The field that issued it (`Post.author`), else its path without list indices, else its loader. */
  readonly label: string;
  readonly path?: string;
  readonly loader?: string;
  readonly rows: number;
  readonly durationMs: number;
  readonly startOffsetMs: number;
  readonly nPlusOne: boolean;
  readonly error?: string;
}

export interface NPlusOneView {
  readonly field: string;
  readonly count: number;
  readonly sql: string;
  /** true when the server did not send `nPlusOne` and the panel grouped statements itself. */
  readonly computed: boolean;
}

export interface LoaderView {
  readonly name: string;
  readonly loads: number;
  readonly batches: number;
  readonly maxBatch: number;
}

export interface CostView {
  readonly requested: number;
  /** The per-operation maximum: from the response, else the server's configured one (page config). */
  readonly maximum?: number;
  readonly actual?: number;
  /** The client's cost budget (leaky bucket), when the server keeps one. */
  readonly budget?: { readonly available: number; readonly maximum?: number };
  /** The error code that refused the operation before any SQL ran. */
  readonly rejected?: 'QUERY_TOO_COMPLEX' | 'THROTTLED';
}

export interface TraceView {
  readonly durationMs?: number;
  readonly sqlCount: number;
  readonly sqlDurationMs: number;
  readonly similarCount: number;
  readonly duplicateCount: number;
  /** Offset where the waterfall ends: the request's duration, or the last statement's end. */
  readonly spanMs: number;
  readonly statements: readonly StatementView[];
  readonly nPlusOne: readonly NPlusOneView[];
  readonly loaders?: readonly LoaderView[];
  readonly cache?: { readonly hits: number; readonly misses: number };
  readonly cost?: CostView;
}

/** Two or more statements with the same SQL text from one field are an N+1 suspect. */
export const N_PLUS_ONE_THRESHOLD = 2;

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function computeNPlusOne(statements: readonly any[]): NPlusOneView[] {
  const groups = new Map<string, { sql: string; field: string; count: number }>();
  for (const statement of statements) {
    const field = statement.field || routeOf(statement.path) || statement.loader || '(root)';
    const key = `${field}\u0000${statement.sql}`;
    const group = groups.get(key) ?? { sql: String(statement.sql), field, count: 0 };
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((group) => group.count >= N_PLUS_ONE_THRESHOLD)
    .map((group) => ({ ...group, computed: true }));
}

const optional = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function readCost(extensions: any, errors: readonly any[] | undefined, maxCost: number | undefined): CostView | undefined {
  const rejection = errors?.find((error) => ['QUERY_TOO_COMPLEX', 'THROTTLED'].includes(error?.extensions?.code))?.extensions;
  if (rejection) {
    return {
      requested: num(rejection.cost ?? rejection.requested),
      maximum: optional(rejection.maximum) ?? maxCost,
      budget: rejection.available !== undefined ? { available: num(rejection.available) } : undefined,
      rejected: rejection.code,
    };
  }
  const cost = extensions?.trace?.cost ?? extensions?.cost;
  if (!cost || typeof cost !== 'object') return undefined;
  const throttle = cost.throttleStatus;
  return {
    requested: num(cost.requested ?? cost.requestedQueryCost),
    maximum: optional(cost.maximum) ?? maxCost,
    actual: optional(cost.actual ?? cost.actualQueryCost),
    budget: throttle ? { available: num(throttle.currentlyAvailable), maximum: optional(throttle.maximumAvailable) } : undefined,
  };
}

/** undefined when the response carries neither a trace nor a cost (e.g. production without the debug token). */
export function summarizeTrace(extensions: any, errors?: readonly any[], maxCost?: number): TraceView | undefined {
  const trace = extensions?.trace;
  const cost = readCost(extensions, errors, maxCost);
  if (!trace?.sql && !cost) return undefined;
  const rawStatements: any[] = Array.isArray(trace?.sql?.statements) ? trace.sql.statements : [];
  const nPlusOne: NPlusOneView[] = Array.isArray(trace?.nPlusOne)
    ? trace.nPlusOne.map((entry: any) => ({ field: String(entry.field ?? '?'), count: num(entry.count), sql: String(entry.sql ?? ''), computed: false }))
    : computeNPlusOne(rawStatements);
  const suspectSql = new Set(nPlusOne.map((entry) => entry.sql));
  const statements = rawStatements.map((s) => ({
    sql: String(s.sql ?? ''),
    label: s.field || routeOf(s.path) || s.loader || '(root)',
    path: typeof s.path === 'string' ? s.path : undefined,
    loader: s.loader,
    rows: num(s.rows),
    durationMs: num(s.durationMs),
    startOffsetMs: num(s.startOffsetMs),
    nPlusOne: suspectSql.has(String(s.sql ?? '')),
    error: s.error,
  }));
  const lastEnd = Math.max(0, ...statements.map((s) => s.startOffsetMs + s.durationMs));
  const loaders = trace?.loaders && typeof trace.loaders === 'object'
    ? Object.entries(trace.loaders)
        .map(([name, l]: [string, any]) => ({ name, loads: num(l?.loads), batches: num(l?.batches), maxBatch: num(l?.maxBatch) }))
        // Every loader exists in every request; the ones this operation never called are noise.
        .filter((loader) => loader.loads > 0)
    : undefined;
  return {
    durationMs: typeof trace?.durationMs === 'number' ? trace.durationMs : undefined,
    sqlCount: num(trace?.sql?.count ?? statements.length),
    sqlDurationMs: num(trace?.sql?.durationMs),
    similarCount: num(trace?.sql?.similarCount),
    duplicateCount: num(trace?.sql?.duplicateCount),
    spanMs: Math.max(num(trace?.durationMs), lastEnd, 0.001),
    statements,
    nPlusOne,
    loaders,
    cache: trace?.cache ? { hits: num(trace.cache.hits), misses: num(trace.cache.misses) } : undefined,
    cost,
  };
}
