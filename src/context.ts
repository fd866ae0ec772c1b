import type { Kysely } from 'kysely';
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
}

export interface ContextOptions {
  readonly db: Kysely<Database>;
  readonly config: Config;
  readonly trace: RequestTrace;
  /** Batching for this request (the server default, or the per-request switch in development). */
  readonly batching: boolean;
  readonly exposeTrace: boolean;
  /** Count loads and batches in the trace (off only in the bench build without tracing hooks). */
  readonly countLoads?: boolean;
}

export function createContext(options: ContextOptions): Context {
  return {
    db: options.db,
    config: options.config,
    trace: options.trace,
    exposeTrace: options.exposeTrace,
    loaders: createLoaders(options.db, { batching: options.batching, stats: options.countLoads === false ? undefined : options.trace }),
  };
}
