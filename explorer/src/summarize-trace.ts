// Turns one response's `extensions` into what the trace panel draws. Pure, so unit tests call it.
//
// Input: the trace as the server sends it (src/trace/trace-format.ts), Shopify's `extensions.cost`,
// and the codes of errors that refused the operation before any SQL ran:
//   errors[].extensions = { code: 'QUERY_TOO_COMPLEX', cost, maximum }
//   errors[].extensions = { code: 'THROTTLED', cost, available }

import { nPlusOneMembers, UNATTRIBUTED_FIELD } from '../../src/trace/statement-analysis.ts';
import type { ResponseExtensionsJson } from '../../src/trace/trace-format.ts';

export interface StatementView {
  readonly sql: string;
  /** The field that issued it (`Post.author`), else its loader. */
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

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const optional = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** What the panel reads of a GraphQL error: the code and, for a refused operation, its price. */
export interface ErrorJson {
  readonly message?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

const REFUSALS = ['QUERY_TOO_COMPLEX', 'THROTTLED'] as const;
type Refusal = (typeof REFUSALS)[number];

function readCost(extensions: ResponseExtensionsJson | undefined, errors: readonly ErrorJson[] | undefined, maxCost: number | undefined): CostView | undefined {
  const rejection = errors?.find((error) => REFUSALS.includes(error.extensions?.code as Refusal))?.extensions;
  if (rejection) {
    return {
      requested: num(rejection.cost),
      maximum: optional(rejection.maximum) ?? maxCost,
      budget: rejection.available !== undefined ? { available: num(rejection.available) } : undefined,
      rejected: rejection.code as Refusal,
    };
  }
  // The trace's price names the maximum; Shopify's extension (on every response) the budget.
  const priced = extensions?.trace?.cost;
  const shopify = extensions?.cost;
  if (!priced && !shopify) return undefined;
  const throttle = shopify?.throttleStatus;
  return {
    requested: priced ? priced.requested : shopify!.requestedQueryCost,
    maximum: priced?.maximum ?? maxCost,
    actual: priced ? priced.actual : shopify!.actualQueryCost,
    budget: throttle ? { available: throttle.currentlyAvailable, maximum: throttle.maximumAvailable } : undefined,
  };
}

/** undefined when the response carries neither a trace nor a cost (e.g. a request refused before it was priced). */
export function summarizeTrace(extensions: ResponseExtensionsJson | undefined, errors?: readonly ErrorJson[], maxCost?: number): TraceView | undefined {
  const trace = extensions?.trace;
  const cost = readCost(extensions, errors, maxCost);
  if (!trace && !cost) return undefined;
  const nPlusOne: NPlusOneView[] = trace?.nPlusOne ?? [];
  const wireStatements = trace?.sql.statements ?? [];
  // Grouped by the server's rule, so a flagged statement is one the nPlusOne list counts.
  const suspects = nPlusOneMembers(wireStatements);
  const statements = wireStatements.map((s, i) => ({
    sql: s.sql,
    label: s.field ?? s.loader ?? UNATTRIBUTED_FIELD,
    path: s.path,
    loader: s.loader,
    rows: s.rows,
    durationMs: s.durationMs,
    startOffsetMs: s.startOffsetMs,
    nPlusOne: suspects[i]!,
    error: s.error,
  }));
  const lastEnd = Math.max(0, ...statements.map((s) => s.startOffsetMs + s.durationMs));
  return {
    durationMs: trace?.durationMs,
    sqlCount: trace?.sql.count ?? 0,
    sqlDurationMs: trace?.sql.durationMs ?? 0,
    similarCount: trace?.sql.similarCount ?? 0,
    duplicateCount: trace?.sql.duplicateCount ?? 0,
    spanMs: Math.max(trace?.durationMs ?? 0, lastEnd, 0.001),
    statements,
    nPlusOne,
    loaders: trace
      ? Object.entries(trace.loaders)
          .map(([name, l]) => ({ name, loads: l.loads, batches: l.batches, maxBatch: l.maxBatch }))
          // Every loader exists in every request; the ones this operation never called are noise.
          .filter((loader) => loader.loads > 0)
      : undefined,
    cache: trace ? { hits: trace.cache.hits, misses: trace.cache.misses } : undefined,
    cost,
  };
}
