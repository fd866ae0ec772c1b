import type { Kysely } from 'kysely';
import { createLazyViewer, type LazyViewer } from './auth/viewer.ts';
import type { AppCache } from './cache/app-cache.ts';
import type { ResponseCache } from './cache/response-cache.ts';
import { pinToPrimary, type RequestRoute } from './db/request-route.ts';
import type { Database } from './db/types.ts';
import { type CostState, createCostState } from './limits/cost-state.ts';
import { createLoaders, type Loaders } from './loaders/create-loaders.ts';
import type { RequestTrace } from './trace/request-trace.ts';
import { createSqlScopePlugin } from './trace/sql-scope.ts';

/** Everything one request needs, built when it begins and dropped when it ends. */
export interface Context {
  readonly db: Kysely<Database>;
  /** Where values for the shared cache are computed: `db`, pinned to the primary when there are read replicas. */
  readonly cachedDb: Kysely<Database>;
  /** With read replicas: which database serves this request (decided once its operation is known). */
  readonly route?: RequestRoute;
  readonly loaders: Loaders;
  readonly trace: RequestTrace;
  /** The client's address (behind trusted proxies: the forwarded one), for its budget (limits/client-key.ts). */
  readonly clientAddress: string;
  /** This request's price and budget, filled in by the cost plugin. */
  readonly cost: CostState;
  /** The process's cache (shared by requests; Redis makes it shared by processes). */
  readonly cache: AppCache;
  /** The author behind the Authorization header, looked up only when a resolver asks. */
  readonly viewer: LazyViewer;
  /** The whole-response cache (INKQL_RESPONSE_CACHE=on), which writes invalidate by tag. */
  readonly responseCache?: ResponseCache;
  /** The entities and lists this response holds (cache/response-tags.ts), when it may be cached. */
  readonly responseTags?: Set<string>;
}

export interface ContextOptions {
  readonly db: Kysely<Database>;
  readonly trace: RequestTrace;
  /** Batching for this request (the server default, or the per-request switch in development). */
  readonly batching: boolean;
  readonly clientAddress?: string;
  /** Record this request's SQL and loaders in its trace (off only in the bench build without tracing hooks). */
  readonly tracing?: boolean;
  readonly cache: AppCache;
  /** The request's Authorization header: the viewer behind it is looked up on first need. */
  readonly authorization: string | undefined;
  readonly responseCache?: ResponseCache;
  readonly responseTags?: Set<string>;
  /** With read replicas: the request's route, already attached to its trace. */
  readonly route?: RequestRoute;
}

export function createContext(options: ContextOptions): Context {
  const tracing = options.tracing ?? true;
  // The request's own view of the database: its statements find their way into its trace.
  const db = tracing ? options.db.withPlugin(createSqlScopePlugin(options.trace)) : options.db;
  const cachedDb = options.route ? pinToPrimary(db) : db;
  return {
    db,
    cachedDb,
    route: options.route,
    trace: options.trace,
    clientAddress: options.clientAddress ?? 'unknown',
    cost: createCostState(),
    cache: options.cache,
    // Through the request's own db, so the token lookup shows in its trace.
    viewer: createLazyViewer(db, options.authorization),
    responseCache: options.responseCache,
    responseTags: options.responseTags,
    loaders: createLoaders(db, { batching: options.batching, trace: tracing ? options.trace : undefined }, options.cache, cachedDb),
  };
}
