import type { ExecutedStatement } from './recording-dialect.ts';
import { sqlScope } from './sql-scope.ts';

export interface SqlLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface StatementObserverOptions {
  readonly logger?: SqlLogger;
  /** Log every statement (LOG_SQL=1), like Django's django.db.backends logger. */
  readonly logSql?: boolean;
}

/** Attributes each executed statement to the request (and loader, field) that ran it. */
export function createStatementObserver(options: StatementObserverOptions = {}): (s: ExecutedStatement) => void {
  const { logger, logSql = false } = options;
  return (statement) => {
    const scope = sqlScope.getStore();
    if (scope) {
      scope.trace.addStatement({
        sql: statement.sql,
        parameters: statement.parameters,
        rows: statement.rows,
        durationMs: statement.durationMs,
        startOffsetMs: statement.startedAt - scope.trace.startedAt,
        path: scope.path,
        field: scope.field,
        loader: scope.loader,
        error: statement.error === undefined ? undefined : String((statement.error as Error)?.message ?? statement.error),
      });
    }
    if (logSql && logger) {
      logger.info(
        { durationMs: Math.round(statement.durationMs * 1000) / 1000, sql: statement.sql, params: statement.parameters.length, rows: statement.rows, path: scope?.path, loader: scope?.loader },
        'sql',
      );
    }
  };
}
