import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { type FieldScope, type Path, pathToString } from './field-scope.ts';
import type { RequestTrace } from './request-trace.ts';
import { routeOf } from './route-of.ts';

// Where the scope types live (request-trace.ts needs them too, and this file needs the trace).
export type { FieldScope, Path } from './field-scope.ts';

/** Which request, field and loader ran a statement. */
export interface SqlScope extends FieldScope {
  readonly trace: RequestTrace;
}

/**
 * How a statement finds its request, with no AsyncLocalStorage (whose promise hooks cost Node 20
 * far more than the 3% a trace that is off may cost):
 *
 * - each request queries through its own `db.withPlugin(createSqlScopePlugin(trace))`, and
 *   Kysely hands the plugin every query it compiles, with the query's id;
 * - resolvers and loader batches set the trace's current field and loader around their synchronous part
 *   (`withFieldScope`), and queries compile synchronously when `execute()` is called, so the
 *   plugin files each query id under the field and loader running at that moment (a statement
 *   compiled once, db/prepared-query.ts, is filed the same way by fileQuery when it runs);
 * - the recording dialect reads the scope off the executed query's id (scopeOfQuery).
 *
 * A statement built after an `await` inside a resolver finds its request but no field.
 *
 * The scope rides on the query id itself (a fresh object per query, which Kysely hands to the
 * driver with the statement): a WeakMap from ids to scopes cost a hash per statement and an
 * ephemeron for the garbage collector to trace.
 */
const SCOPE = Symbol('inkql.sqlScope');

type FiledQueryId = QueryId & { [SCOPE]?: SqlScope };

export function scopeOfQuery(queryId: QueryId | undefined): SqlScope | undefined {
  return (queryId as FiledQueryId | undefined)?.[SCOPE];
}

/** Files `queryId` under the field and loader of `trace` running now. */
export function fileQuery(trace: RequestTrace, queryId: QueryId): void {
  (queryId as FiledQueryId)[SCOPE] = { trace, field: trace.currentField, fieldPath: trace.currentPath, loader: trace.currentLoader };
}

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

/** Runs the synchronous part of `fn` as `scope` of `trace` (what follows an `await` is not). */
export function withFieldScope<T>(trace: RequestTrace, scope: FieldScope, fn: () => T): T {
  const { currentField, currentPath, currentLoader } = trace;
  trace.currentField = scope.field;
  trace.currentPath = scope.fieldPath;
  trace.currentLoader = scope.loader;
  try {
    return fn();
  } finally {
    trace.currentField = currentField;
    trace.currentPath = currentPath;
    trace.currentLoader = currentLoader;
  }
}

/** `posts.nodes.author`: the path without list indices, the same for every row of a list. */
export function pathToRoute(path: Path | undefined): string | undefined {
  return routeOf(pathToString(path)) || undefined;
}
