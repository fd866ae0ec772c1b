import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult } from 'kysely';

export interface ExecutedStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly rows: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly error?: unknown;
}

/**
 * Wraps any Kysely dialect so that every statement, transactions included, is reported after
 * it ran: the one place where SQL is counted, for both Postgres and PGlite.
 */
export function createRecordingDialect(inner: Dialect, observe: (statement: ExecutedStatement) => void): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => inner.createIntrospector(db),
    createDriver: () => recordConnections(inner.createDriver(), observe),
  };
}

function recordConnections(driver: Driver, observe: (statement: ExecutedStatement) => void): Driver {
  const instrumented = new WeakSet<DatabaseConnection>();
  const acquire = driver.acquireConnection.bind(driver);
  // Patch the connection itself rather than wrap it: the inner driver keeps private state on
  // the very object it handed out (release, transactions) and must get it back.
  driver.acquireConnection = async (options) => {
    const connection = await acquire(options);
    if (!instrumented.has(connection)) {
      instrumented.add(connection);
      const execute = connection.executeQuery.bind(connection);
      connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const startedAt = performance.now();
        try {
          const result = await execute<R>(query);
          observe({
            sql: query.sql,
            parameters: query.parameters,
            rows: result.rows.length,
            startedAt,
            durationMs: performance.now() - startedAt,
          });
          return result;
        } catch (error) {
          observe({ sql: query.sql, parameters: query.parameters, rows: 0, startedAt, durationMs: performance.now() - startedAt, error });
          throw error;
        }
      };
    }
    return connection;
  };
  return driver;
}
