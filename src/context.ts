import type { Kysely } from 'kysely';
import type { LazyViewer } from './auth/viewer.ts';
import type { AppCache } from './cache/app-cache.ts';
import type { Config } from './config.ts';
import type { Database } from './db/types.ts';
import { createLoaders, type Loaders } from './loaders/create-loaders.ts';
import type { RequestTrace } from './trace/request-trace.ts';

/** Everything one request needs, built when it begins and dropped when it ends. */
export interface Context {
  readonly db: Kysely<Database>;
  readonly config: Config;
  readonly loaders: Loaders;
  readonly trace: RequestTrace;
  /** Whether this response may carry `extensions.trace` (SQL text is sensitive). */
  readonly exposeTrace: boolean;
  /** The process's cache (shared by requests; Redis makes it shared by processes). */
  readonly cache: AppCache;
  /** The author behind the Authorization header, looked up only when a resolver asks. */
  readonly viewer: LazyViewer;
}

export interface ContextOptions {
  readonly db: Kysely<Database>;
  readonly config: Config;
  readonly trace: RequestTrace;
  /** Batching for this request (the server default, or the per-request switch in development). */
  readonly batching: boolean;
  readonly exposeTrace: boolean;
  readonly cache: AppCache;
  readonly viewer: LazyViewer;
}

export function createContext(options: ContextOptions): Context {
  return {
    db: options.db,
    config: options.config,
    trace: options.trace,
    exposeTrace: options.exposeTrace,
    cache: options.cache,
    viewer: options.viewer,
    loaders: createLoaders(options.db, { batching: options.batching }, options.cache),
  };
}
