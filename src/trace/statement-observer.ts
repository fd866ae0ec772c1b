import type { ExecutedStatement } from './recording-dialect.ts';
import { pathToString } from './response-path.ts';

export interface SqlLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface StatementObserverOptions {
  readonly logger?: SqlLogger;
  /** Log every statement (LOG_SQL=1), like Django's django.db.backends logger. */
  readonly logSql?: boolean;
  /** Statements slower than this are logged as warnings whatever logSql says (INKQL_SLOW_SQL_MS). */
  readonly slowSqlMs?: number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Attributes each executed statement to the request (and field, loader) that ran it, and logs it. */
export function createStatementObserver(options: StatementObserverOptions = {}): (s: ExecutedStatement) => void {
  const { logger, logSql = false, slowSqlMs = Infinity } = options;
  return (statement) => {
    const { scope } = statement;
    const path = scope ? pathToString(scope.fieldPath) : undefined;
    if (scope) {
      scope.trace.addStatement({
        sql: statement.sql,
        parameters: statement.parameters,
        rows: statement.rows,
        durationMs: statement.durationMs,
        startOffsetMs: statement.startedAt - scope.trace.startedAt,
        path,
        field: scope.field,
        loader: scope.loader,
        comment: statement.comment || undefined,
        error: statement.error === undefined ? undefined : String((statement.error as Error)?.message ?? statement.error),
        plan: statement.plan,
        database: statement.database,
      }, scope.span);
    }
    // Only a request's statements can be slow: seeding and migrating are bulk work by design, and
    // warning about them would teach a newcomer on the first `npm start` to ignore the warning.
    const slow = scope !== undefined && statement.durationMs >= slowSqlMs;
    if (logger && (logSql || slow)) {
      const entry = {
        durationMs: round(statement.durationMs),
        sql: statement.sql,
        params: statement.parameters.length,
        rows: statement.rows,
        operationName: scope?.trace.operationName,
        path,
        field: scope?.field,
        loader: scope?.loader,
        database: statement.database,
      };
      if (slow) logger.warn({ ...entry, slowSqlMs }, 'slow sql');
      else logger.info(entry, 'sql');
    }
  };
}
