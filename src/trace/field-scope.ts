// Which request, field and loader a statement belongs to: the one place that decides it.
//
// Contract:
// - A request's trace holds the scope running now: the schema field whose resolver runs
//   (`Post.author`), its response path, and the loader whose batch runs. Resolvers
//   (instrument-resolvers.ts) and loader batches (loaders/create-loader.ts) set it around their
//   synchronous part only (withFieldScope), and put back what was there before.
// - A statement is filed under the scope running when it is compiled or, for a statement compiled
//   once (db/prepared-query.ts), when it is called: each request queries through its own
//   `db.withPlugin(createSqlScopePlugin(trace))`, Kysely compiles a query synchronously inside
//   `execute()`, and the plugin (or fileQuery) pins the scope on the query's id.
// - The recording dialect reads the scope back off the executed query's id (scopeOfQuery).
// - What runs after an `await` is outside any scope: a statement built there finds its request
//   but no field, unless its code re-enters a scope (a loader batch's `inBatchScope`).
//
// No AsyncLocalStorage: its promise hooks cost Node 20 far more than the 3% a trace that is off
// may cost. The scope is three loose fields on the trace, so that a resolved field allocates
// nothing, and it rides on the query id itself (a fresh object per query, which Kysely hands to
// the driver with the statement): a WeakMap from ids to scopes cost a hash per statement and an
// ephemeron for the garbage collector to trace.

import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { SpanRef } from './request-spans.ts';
import type { RequestTrace } from './request-trace.ts';
import type { Path } from './response-path.ts';

export type { Path } from './response-path.ts';

/** Which field (and loader) of a request is running right now, synchronously. */
export interface FieldScope {
  /** The schema field whose resolver is running (`Post.author`). */
  readonly field?: string;
  /** graphql-js's response path of that field, turned into text only when a statement needs it. */
  readonly fieldPath?: Path;
  readonly loader?: string;
  /** The span of that field or batch, when the request is sampled (request-spans.ts). */
  readonly span?: SpanRef;
}

/** Which request, field and loader ran a statement. */
export interface SqlScope extends FieldScope {
  readonly trace: RequestTrace;
}

/** Runs the synchronous part of `fn` as `scope` of `trace` (what follows an `await` is not). */
export function withFieldScope<T>(trace: RequestTrace, scope: FieldScope, fn: () => T): T {
  const { currentField, currentPath, currentLoader, currentSpan } = trace;
  trace.currentField = scope.field;
  trace.currentPath = scope.fieldPath;
  trace.currentLoader = scope.loader;
  trace.currentSpan = scope.span;
  try {
    return fn();
  } finally {
    trace.currentField = currentField;
    trace.currentPath = currentPath;
    trace.currentLoader = currentLoader;
    trace.currentSpan = currentSpan;
  }
}

/** The scope running now, as an object of its own (undefined outside any field or loader). */
export function currentScope(trace: RequestTrace): FieldScope | undefined {
  if (trace.currentField === undefined && trace.currentLoader === undefined) return undefined;
  return { field: trace.currentField, fieldPath: trace.currentPath, loader: trace.currentLoader, span: trace.currentSpan };
}

const SCOPE = Symbol('inkql.sqlScope');

type FiledQueryId = QueryId & { [SCOPE]?: SqlScope };

/** Files `queryId` under the field and loader of `trace` running now. */
export function fileQuery(trace: RequestTrace, queryId: QueryId): void {
  (queryId as FiledQueryId)[SCOPE] = { trace, field: trace.currentField, fieldPath: trace.currentPath, loader: trace.currentLoader, span: trace.currentSpan };
}

export function scopeOfQuery(queryId: QueryId | undefined): SqlScope | undefined {
  return (queryId as FiledQueryId | undefined)?.[SCOPE];
}

/** Files every query the request's Kysely compiles under the scope running at that moment. */
export function createSqlScopePlugin(trace: RequestTrace): KyselyPlugin {
  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      fileQuery(trace, queryId);
      return node;
    },
    async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return result;
    },
  };
}
