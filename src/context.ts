import type { Kysely } from 'kysely';
import { createLazyViewer, type LazyViewer } from './auth/viewer.ts';
import type { AppCache } from './cache/app-cache.ts';
import { createRequestCache, type RequestCache } from './cache/request-cache.ts';
import type { ResponseCache } from './cache/response-cache.ts';
import { createRequestDatabase, onPrimary, type RequestDatabase } from './db/request-database.ts';
import type { RequestRoute } from './db/request-route.ts';
import type { Database } from './db/types.ts';
import { type CostState, createCostState } from './limits/cost-state.ts';
import { createLoaders, type Loaders } from './loaders/create-loaders.ts';
import type { RequestTrace } from './trace/request-trace.ts';
import { TRACING, type Tracing } from './trace/tracing.ts';

/** Everything one request needs, built when it begins and dropped when it ends. */
export interface Context {
  readonly db: Kysely<Database>;
  /** The same database for statements built once per shape (pages): they are filed in the trace as they run. */
  readonly database: RequestDatabase;
  /** Where values for the shared cache are computed: the request's database, pinned to the primary when there are read replicas. */
  readonly cachedDb: RequestDatabase;
  /** With read replicas: which database serves this request (decided once its operation is known). */
  readonly route?: RequestRoute;
  readonly loaders: Loaders;
  readonly trace: RequestTrace;
  /** The client's address (behind trusted proxies: the forwarded one), for its budget (limits/client-key.ts). */
  readonly clientAddress: string;
  /** This request's price and budget, filled in by the cost plugin. */
  readonly cost: CostState;
  /** The process's cache (shared by requests; Redis makes it shared by processes), counting this request's lookups. */
  readonly cache: RequestCache;
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
  /** Whether this request's SQL, loaders and cache lookups are recorded in its trace (default TRACING: they are). */
  readonly tracing?: Tracing;
  readonly cache: AppCache;
  /** The request's Authorization header: the viewer behind it is looked up on first need. */
  readonly authorization: string | undefined;
  readonly responseCache?: ResponseCache;
  readonly responseTags?: Set<string>;
  /** With read replicas: the request's route, already attached to its trace. */
  readonly route?: RequestRoute;
}

export function createContext(options: ContextOptions): Context {
  const recorded = (options.tracing ?? TRACING).forRequest(options.trace);
  // The request's own handles: what runs through them finds its way into its trace.
  const database = createRequestDatabase(options.db, recorded);
  const cache = createRequestCache(options.cache, recorded);
  const cachedDatabase = options.route ? onPrimary(database) : database;
  return {
    db: database.kysely,
    database,
    cachedDb: cachedDatabase,
    route: options.route,
    trace: options.trace,
    clientAddress: options.clientAddress ?? 'unknown',
    cost: createCostState(),
    cache,
    // Through the request's own db, so the token lookup shows in its trace.
    viewer: createLazyViewer(database.kysely, options.authorization),
    responseCache: options.responseCache,
    responseTags: options.responseTags,
    loaders: createLoaders(database, { batching: options.batching, trace: recorded }, cache, cachedDatabase),
  };
}
