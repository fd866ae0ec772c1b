import type { Kysely } from 'kysely';
import type { RequestTrace } from '../trace/request-trace.ts';
import { createSqlScopePlugin } from '../trace/field-scope.ts';
import type { PreparedQuery } from './prepared-query.ts';
import { pinToPrimary } from './request-route.ts';
import type { Database } from './types.ts';

/**
 * One request's way to the database. Everything it runs is filed under the request's field and
 * loader running at the call (trace/field-scope.ts), so its callers never pass the trace along.
 */
export interface RequestDatabase {
  /** For statements built per call (pages, counts, writes): each is filed as it compiles. */
  readonly kysely: Kysely<Database>;
  /** Runs a statement compiled once per process with fresh parameters. */
  run<Row>(statement: PreparedQuery<Database, Row>, parameters: readonly unknown[]): Promise<Row[]>;
}

// A class, not an object of closures: every request builds one, and its methods are shared.
class RequestDatabaseHandle implements RequestDatabase {
  constructor(
    readonly kysely: Kysely<Database>,
    readonly trace: RequestTrace | undefined,
  ) {}

  run<Row>(statement: PreparedQuery<Database, Row>, parameters: readonly unknown[]): Promise<Row[]> {
    return statement.execute(this.kysely, parameters, this.trace);
  }
}

/** The request's handle on `db`; without a trace (the bench's server without tracing hooks) it files nothing. */
export function createRequestDatabase(db: Kysely<Database>, trace: RequestTrace | undefined): RequestDatabase {
  return new RequestDatabaseHandle(trace ? db.withPlugin(createSqlScopePlugin(trace)) : db, trace);
}

/**
 * The same request's handle with every statement on the primary, prepared ones included
 * (db/request-route.ts), for the values the shared cache keeps: cache/app-cache.ts says why.
 */
export function onPrimary(database: RequestDatabase): RequestDatabase {
  const { kysely, trace } = database as RequestDatabaseHandle;
  return new RequestDatabaseHandle(pinToPrimary(kysely), trace);
}
