import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult } from 'kysely';
import { redactPlan } from './redact-plan.ts';
import type { ExplainMode } from './request-trace.ts';
import { sqlComment, withTraceparent } from './sql-comment.ts';
import { type SqlScope, scopeOfQuery } from './field-scope.ts';

export interface ExecutedStatement {
  /** The text as the application wrote it, without the sqlcommenter comment. */
  readonly sql: string;
  /** The comment that was appended to the text sent to the database ('' for none). */
  readonly comment: string;
  readonly parameters: readonly unknown[];
  readonly rows: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly error?: unknown;
  /** EXPLAIN (FORMAT JSON) of the statement, when its request asked for plans. */
  readonly plan?: unknown;
  /** The request scope the statement ran in, if any. */
  readonly scope?: SqlScope;
  /** Which database ran it (`primary`, `replica 1 (host:port)`), when there are read replicas. */
  readonly database?: string;
}

export interface RecordingOptions {
  /** Append a sqlcommenter comment (operation name, field path) to each statement run by a field. */
  readonly comments?: boolean;
  /** The database's name in the statements reported (set when there are read replicas). */
  readonly database?: string;
}

/**
 * Wraps any Kysely dialect so that every statement, transactions included, is reported after
 * it ran: the one place where SQL is counted, for both Postgres and PGlite. Without it (no
 * `observe` given to createDatabase) the database runs with no tracing hooks at all.
 */
export function createRecordingDialect(
  inner: Dialect,
  observe: (statement: ExecutedStatement) => void,
  options: RecordingOptions = {},
): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => inner.createIntrospector(db),
    createDriver: () => {
      const named = options.database;
      return recordConnections(inner.createDriver(), named ? (statement) => observe({ ...statement, database: named }) : observe, options.comments ?? false);
    },
  };
}

const EXPLAINABLE = /^\s*select\b/i;

// Texts with their comment, by comment then text: both keys are strings made once (compiled
// statements, memoised comments), and the same text object each time lets the prepared
// statement lookups hash it once; a fresh concatenation was hashed anew for every statement.
// Bounded like the comments (sql-comment.ts caps them) times the texts each field runs.
const commentedTexts = new Map<string, Map<string, string>>();

function commented(sql: string, comment: string): string {
  let texts = commentedTexts.get(comment);
  if (!texts) {
    texts = new Map();
    commentedTexts.set(comment, texts);
  }
  let text = texts.get(sql);
  if (text === undefined) {
    text = `${sql} ${comment}`;
    texts.set(sql, text);
  }
  return text;
}

function recordConnections(driver: Driver, observe: (statement: ExecutedStatement) => void, comments: boolean): Driver {
  const instrumented = new WeakSet<DatabaseConnection>();
  const acquire = driver.acquireConnection.bind(driver);
  // Patch the connection itself rather than wrap it: the inner driver keeps private state on
  // the very object it handed out (release, transactions) and must get it back.
  driver.acquireConnection = async (options) => {
    const connection = await acquire(options);
    if (!instrumented.has(connection)) {
      instrumented.add(connection);
      const execute = connection.executeQuery.bind(connection);
      const transaction = new TransactionScope();
      connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const scope = transaction.scopeOf(query.sql, scopeOfQuery(query.queryId));
        const spans = comments ? scope?.trace.spans : undefined;
        let comment = comments && scope ? sqlComment(scope) : '';
        if (spans) comment = withTraceparent(comment, spans.traceparent(scope!.span));
        // A sampled request's text is its own: not kept among the memoised texts.
        const sent: CompiledQuery = !comment ? query : { ...query, sql: spans ? `${query.sql} ${comment}` : commented(query.sql, comment) };
        const { sql, parameters } = query;
        const startedAt = performance.now();
        let result: QueryResult<R>;
        try {
          result = await execute<R>(sent);
        } catch (error) {
          const durationMs = performance.now() - startedAt;
          transaction.report({ sql, comment, parameters, scope, rows: 0, startedAt, durationMs, error }, observe);
          throw error;
        }
        const durationMs = performance.now() - startedAt;
        // The plan runs after the statement, on the same connection, and is never observed:
        // it is not one of the request's statements.
        const explain = scope?.trace.explain;
        const plan = explain && EXPLAINABLE.test(sql) ? await explainStatement(execute, sent, explain) : undefined;
        transaction.report({ sql, comment, parameters, scope, rows: result.rows.length, startedAt, durationMs, plan }, observe);
        return result;
      };
    }
    return connection;
  };
  return driver;
}

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback)\b/i;

/**
 * Kysely runs `begin` and `commit` on the connection itself, not through a query builder, so no
 * request scope names them. They belong to the request whose statements run in between: `begin`
 * waits for the first attributed statement on its connection, `commit`/`rollback` takes the
 * scope of the last one.
 */
class TransactionScope {
  private open = false;
  private last: SqlScope | undefined;
  private held: ExecutedStatement[] = [];

  scopeOf(sql: string, scope: SqlScope | undefined): SqlScope | undefined {
    if (scope) {
      if (this.open) this.last = scope;
      return scope;
    }
    if (BEGIN.test(sql)) {
      this.open = true;
      this.last = undefined;
      return undefined;
    }
    if (this.open && END.test(sql)) {
      this.open = false;
      const last = this.last;
      this.last = undefined;
      return last;
    }
    return this.open ? this.last : undefined;
  }

  /** Reports `statement` now, unless it is a `begin`: that goes out with the first attributed statement. */
  report(statement: ExecutedStatement, observe: (statement: ExecutedStatement) => void): void {
    if (!statement.scope && BEGIN.test(statement.sql)) {
      this.held = [statement];
      return;
    }
    if (this.held.length > 0) {
      const { scope } = statement;
      for (const held of this.held) observe(scope ? { ...held, scope } : held);
      this.held = [];
    }
    observe(statement);
  }
}

async function explainStatement(
  execute: <R>(query: CompiledQuery) => Promise<QueryResult<R>>,
  query: CompiledQuery,
  mode: ExplainMode,
): Promise<unknown> {
  const options = mode === 'analyze' ? '(analyze, buffers, format json)' : '(format json)';
  try {
    const { rows } = await execute<Record<string, unknown>>({ ...query, sql: `explain ${options} ${query.sql}` });
    const plan = rows[0]?.['QUERY PLAN'];
    // pg parses the json column; PGlite may hand back text.
    return redactPlan(typeof plan === 'string' ? JSON.parse(plan) : plan, query.parameters);
  } catch (error) {
    return { error: String((error as Error)?.message ?? error) };
  }
}
