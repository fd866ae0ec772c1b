import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { RequestTrace } from '../trace/request-trace.ts';
import type { Replica, ReplicaSet } from './replica-set.ts';

/** Where a request's statements go: the primary, or one replica for all of them (one consistent source). */
export type Target = { readonly kind: 'primary'; readonly reason: PrimaryReason } | { readonly kind: 'replica'; readonly replica: Replica };

/**
 * Why a request is served by the primary: `write` (a mutation, reads inside it included),
 * `cached` (its response may be stored in the response cache), `token` (no replica replayed its
 * consistency token in time), `no-replica` (none up and within the lag limit), `fallback` (its
 * replica failed while serving it).
 */
export type PrimaryReason = 'write' | 'cached' | 'token' | 'no-replica' | 'fallback';

export interface RouteOptions {
  /** The position the client's last write committed at (X-Inkql-Consistency). */
  readonly token?: bigint;
  /** How long a read with a token waits for a replica before the primary serves it. */
  readonly waitMs: number;
  /** Everything on the primary (the response may be stored for other clients). */
  readonly primaryOnly: boolean;
}

/**
 * One request's choice of database, made once its operation is known (graphql/plugins/
 * replica-route-plugin.ts) and read by the routing dialect for each statement the request runs.
 * Until then, and for statements of no request, the primary serves.
 */
export class RequestRoute {
  target: Target = { kind: 'primary', reason: 'no-replica' };
  /** Whether the request wrote: its response then carries a consistency token. */
  wrote = false;

  constructor(
    readonly replicas: ReplicaSet,
    readonly options: RouteOptions,
  ) {}

  async decide(operation: 'query' | 'mutation' | 'subscription'): Promise<Target> {
    if (operation !== 'query') {
      this.wrote = operation === 'mutation';
      return (this.target = { kind: 'primary', reason: 'write' });
    }
    if (this.options.primaryOnly) return (this.target = { kind: 'primary', reason: 'cached' });
    const { token, waitMs } = this.options;
    const replica = token === undefined ? this.replicas.pick() : await this.replicas.pickReplayed(token, waitMs);
    if (replica) return (this.target = { kind: 'replica', replica });
    const anyUp = this.replicas.replicas.some((candidate) => candidate.status === 'up');
    return (this.target = { kind: 'primary', reason: token !== undefined && anyUp ? 'token' : 'no-replica' });
  }

  /** The request's replica failed: the rest of it, the failed statement first, runs on the primary. */
  fallBack(): void {
    this.target = { kind: 'primary', reason: 'fallback' };
  }
}

const routes = new WeakMap<RequestTrace, RequestRoute>();

/** Makes `route` the route of every statement filed under `trace` (trace/field-scope.ts files them). */
export function attachRoute(trace: RequestTrace, route: RequestRoute): void {
  routes.set(trace, route);
}

export function routeOfTrace(trace: RequestTrace): RequestRoute | undefined {
  return routes.get(trace);
}

// Cached values are computed on the primary only (src/cache/app-cache.ts says why):
// the views of the request's database that compute them mark their statements.
const PRIMARY = Symbol('inkql.primary');
const pinned = new WeakSet<object>();

type MarkedQueryId = QueryId & { [PRIMARY]?: true };

export function markPrimary(queryId: QueryId): void {
  (queryId as MarkedQueryId)[PRIMARY] = true;
}

export function isMarkedPrimary(queryId: QueryId | undefined): boolean {
  return (queryId as MarkedQueryId | undefined)?.[PRIMARY] === true;
}

const PIN_PLUGIN: KyselyPlugin = {
  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    markPrimary(queryId);
    return node;
  },
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  },
};

/** A view of `db` whose statements always run on the primary, prepared ones included (db/prepared-query.ts asks isPinnedToPrimary). */
export function pinToPrimary<T extends { withPlugin(plugin: KyselyPlugin): T }>(db: T): T {
  const view = db.withPlugin(PIN_PLUGIN);
  pinned.add(view as object);
  return view;
}

export function isPinnedToPrimary(db: object): boolean {
  return pinned.has(db);
}
