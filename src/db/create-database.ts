import { mkdirSync } from 'node:fs';
import { Kysely, PGliteDialect, PostgresDialect, sql, type Dialect } from 'kysely';
import pg from 'pg';
import { type DatabaseConfig, DEFAULT_PREPARED_STATEMENTS } from '../config.ts';
import { createRecordingDialect, type ExecutedStatement } from '../trace/recording-dialect.ts';
import { hasTraceparent } from '../trace/sql-comment.ts';
import { PG_TYPES } from './parse-timestamptz.ts';
import { type Replica, ReplicaSet, type ReplicaStatus, replicaName } from './replica-set.ts';
import { createRoutingDialect } from './routing-dialect.ts';
import { StatementNames } from './statement-names.ts';
import type { Database } from './types.ts';

export const CONNECT_TIMEOUT_MS = 2000;
/**
 * How long a request may wait for a free pooled connection. pg-pool bounds this wait with the
 * same option as the connect timeout; at 2 s, the soak run at concurrency 50 on a starved machine
 * failed requests of a healthy database. Past this, the field fails with DATABASE_UNAVAILABLE.
 */
export const POOL_WAIT_TIMEOUT_MS = 10_000;
/** pg's query_timeout does not cancel on the server; statement_timeout does, so it fires first. */
export const QUERY_TIMEOUT_MARGIN_MS = 1000;
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

export type DatabaseKind = 'postgres' | 'pglite';

/** The connections behind a database handle, read when metrics are scraped. */
export interface PoolStats {
  /** Connections the pool may open (INKQL_POOL_SIZE; 1 for PGlite). */
  readonly max: number;
  readonly open: number;
  /** Checked out by a query or transaction now (Postgres only: PGlite has no pool to ask). */
  readonly inUse?: number;
  /** Queries waiting for a free connection (Postgres only). */
  readonly waiting?: number;
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** The read replicas (DATABASE_REPLICA_URLS), when there are any: `db` routes each request's statements (db/routing-dialect.ts). */
  readonly replicas?: ReplicaSet;
  poolStats(): PoolStats;
  /** Resolves when the database answers a trivial query (the primary, with replicas). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Sees every statement after it ran. Leave it out for a database with no tracing hooks at all. */
  readonly observe?: (statement: ExecutedStatement) => void;
  /** sqlcommenter comments on observed statements (default on; config INKQL_SQL_COMMENTS). */
  readonly sqlComments?: boolean;
  /** Told of every Postgres connection that fails, idle or in use; the process carries on. */
  readonly onPoolError?: (error: Error) => void;
  /** Told when a read replica goes down, falls behind or comes back. */
  readonly onReplicaChange?: (replica: Replica, previous: ReplicaStatus) => void;
}

type DatabaseSettings = Pick<DatabaseConfig, 'url' | 'dataDir' | 'poolSize' | 'statementTimeoutMs'> &
  Partial<Pick<DatabaseConfig, 'replicaUrls' | 'replicaMaxLagMs' | 'preparedStatements'>>;

/** A pg pool when DATABASE_URL is set, otherwise embedded PGlite in dataDir ("memory://" for none). */
export async function createDatabase(config: DatabaseSettings, options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  if (config.url && config.replicaUrls?.length) return createReplicatedDatabase({ ...config, url: config.url, replicaUrls: config.replicaUrls }, options);
  const { dialect, kind, poolStats } = config.url
    ? createPostgresDialect(config, options)
    : { dialect: await createPGliteDialect(config.dataDir), kind: 'pglite' as const, poolStats: (): PoolStats => ({ max: 1, open: 1 }) };
  const db = new Kysely<Database>({
    dialect: options.observe
      ? createRecordingDialect(dialect, options.observe, { comments: options.sqlComments ?? true })
      : dialect,
  });
  return {
    db,
    kind,
    poolStats,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * The primary and its replicas behind one Kysely: each has a pool of its own (INKQL_POOL_SIZE),
 * its statements named in traces, and the replica set checks their replay positions.
 */
async function createReplicatedDatabase(
  config: DatabaseSettings & { url: string; replicaUrls: readonly string[] },
  options: DatabaseOptions,
): Promise<DatabaseHandle> {
  const replicas = new ReplicaSet({
    primaryUrl: config.url,
    replicaUrls: config.replicaUrls,
    maxLagMs: config.replicaMaxLagMs ?? 0,
    onChange: options.onReplicaChange,
  });
  const named = (dialect: Dialect, database: string) =>
    options.observe ? createRecordingDialect(dialect, options.observe, { comments: options.sqlComments ?? true, database }) : dialect;
  const primary = createPostgresDialect(config, options);
  const db = new Kysely<Database>({
    dialect: createRoutingDialect(
      named(primary.dialect, 'primary'),
      config.replicaUrls.map((url, index) => named(createPostgresDialect({ ...config, url }, options).dialect, replicaName(url, index))),
      replicas,
    ),
  });
  await replicas.start();
  return {
    db,
    kind: 'postgres',
    replicas,
    // The primary's pool: the one writes and cache fills wait for.
    poolStats: primary.poolStats,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await replicas.close();
      await db.destroy();
    },
  };
}

function createPostgresDialect(config: DatabaseSettings, options: DatabaseOptions): { dialect: Dialect; kind: 'postgres'; poolStats: () => PoolStats } {
  const names = new StatementNames(config.preparedStatements ?? DEFAULT_PREPARED_STATEMENTS);
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    // The pool's timeout bounds the wait for a free connection; each client bounds its own connect.
    connectionTimeoutMillis: POOL_WAIT_TIMEOUT_MS,
    Client: ConnectBoundClient,
    statement_timeout: config.statementTimeoutMs,
    query_timeout: config.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    types: PG_TYPES,
  });
  // A connection's 'error' event without a listener crashes the process. pg-pool listens only
  // while a client is idle (and re-emits on the pool), so a connection lost while checked out,
  // e.g. Postgres restarting between checkout and query, crashed the server in the outage test.
  // Each client therefore gets a listener of its own for its whole life, which is where errors
  // are reported; the query in flight is rejected anyway and the pool drops the broken client.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', (error) => options.onPoolError?.(error));
    usePreparedStatements(client, names);
  });
  return {
    dialect: new PostgresDialect({ pool }),
    kind: 'postgres',
    poolStats: () => ({ max: config.poolSize, open: pool.totalCount, inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
  };
}

class ConnectBoundClient extends pg.Client {
  constructor(config: pg.ClientConfig = {}) {
    super({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  }
}

const SELECT = /^\s*select\b/i;

/**
 * Names every parameterised statement, and every select, so Postgres parses and plans it once
 * per connection (named statements skip planning on every call), up to the bound of `names`.
 * Lists are passed as one array parameter (`= any($1)`), never as `in ($1, $2, ...)`, and a
 * page's one literal is its size (db/find-page.ts), so the server's texts are few. A first page
 * without filters has no parameter at all, and is the statement that most needs its plan kept.
 */
function usePreparedStatements(client: pg.PoolClient, names: StatementNames): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    // A text carrying a sampled request's traceparent is that request's alone: naming it would
    // prepare a statement per request on every connection.
    if (typeof text === 'string' && Array.isArray(values) && (values.length > 0 || SELECT.test(text)) && callback === undefined && !hasTraceparent(text)) {
      const name = names.nameOf(text);
      if (name) return query({ name, text, values });
    }
    return query(text, values, callback);
  };
}

// No statement_timeout on PGlite: it runs in WebAssembly without the timer signals Postgres
// cancels statements with, so `SET statement_timeout` is accepted and then never fires
// (pg_sleep(2) under a 300 ms timeout completes on PGlite 0.5.16). It serves one process on
// one connection, for development; production bounds need DATABASE_URL.
async function createPGliteDialect(dataDir: string): Promise<Dialect> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // Imported only when used: loading PGlite costs a Postgres server ~40 MB of RSS for nothing.
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(dataDir.startsWith('memory://') ? undefined : `${dataDir}/pgdata`);
  return new PGliteDialect({ pglite });
}
