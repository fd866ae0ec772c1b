import { describe, expect, it } from 'vitest';
import { RequestTrace } from '../../src/trace/request-trace.ts';
import type { ExecutedStatement } from '../../src/trace/recording-dialect.ts';
import { createStatementObserver } from '../../src/trace/statement-observer.ts';

function recordingLogger() {
  const lines: { level: string; object: any; message: string }[] = [];
  return {
    lines,
    info: (object: object, message: string) => void lines.push({ level: 'info', object, message }),
    warn: (object: object, message: string) => void lines.push({ level: 'warn', object, message }),
  };
}

function executed(durationMs: number): ExecutedStatement {
  const trace = new RequestTrace(0);
  trace.operationName = 'PostsPage';
  const fieldPath: any = { prev: { prev: { prev: undefined, key: 'posts' }, key: 'nodes' }, key: 0 };
  return {
    sql: 'select 1',
    comment: '',
    parameters: [1],
    rows: 1,
    startedAt: 1,
    durationMs,
    scope: { trace, field: 'Post.author', loader: 'authorById', fieldPath: { prev: fieldPath, key: 'author', typename: 'Post' } },
  };
}

describe('the SQL log', () => {
  it('logs each statement with its duration, operation and path when LOG_SQL is on', () => {
    const logger = recordingLogger();
    createStatementObserver({ logger, logSql: true, slowSqlMs: 200 })(executed(1.23456));
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'sql',
        object: {
          durationMs: 1.235, sql: 'select 1', params: 1, rows: 1,
          operationName: 'PostsPage', path: 'posts.nodes.0.author', field: 'Post.author', loader: 'authorById',
        },
      },
    ]);
  });

  it('logs nothing for a fast statement when LOG_SQL is off', () => {
    const logger = recordingLogger();
    createStatementObserver({ logger, logSql: false, slowSqlMs: 200 })(executed(5));
    expect(logger.lines).toEqual([]);
  });

  it('warns about a slow statement even when LOG_SQL is off', () => {
    const logger = recordingLogger();
    createStatementObserver({ logger, logSql: false, slowSqlMs: 200 })(executed(250));
    expect(logger.lines.map((l) => [l.level, l.message, l.object.slowSqlMs, l.object.path])).toEqual([['warn', 'slow sql', 200, 'posts.nodes.0.author']]);
  });

  it('does not call bulk work outside a request (seed, migrations) slow', () => {
    const logger = recordingLogger();
    createStatementObserver({ logger, logSql: false, slowSqlMs: 200 })({ ...executed(250), scope: undefined });
    expect(logger.lines).toEqual([]);
  });

  it('adds the statement to the trace of its request', () => {
    const statement = executed(2);
    createStatementObserver()(statement);
    expect(statement.scope!.trace.sqlSummary().statements).toEqual([
      { sql: 'select 1', params: 1, rows: 1, durationMs: 2, startOffsetMs: 1, path: 'posts.nodes.0.author', field: 'Post.author', loader: 'authorById' },
    ]);
  });
});
