import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, IDLE_IN_TRANSACTION_TIMEOUT_MS, type DatabaseHandle } from '../../src/db/create-database.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { createStatementObserver } from '../../src/trace/statement-observer.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Database bounds on real Postgres. PGlite has no statement_timeout (it is
// accepted but never fires in WebAssembly; see createPGliteDialect), so this file is Postgres-only.

const STATEMENT_TIMEOUT_MS = 300;
const POOL_SIZE = 4;

describe.runIf(inject('database') === 'postgres')('database bounds on Postgres', () => {
  let database: TestDatabase;
  let bounded: DatabaseHandle;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    // A pool of its own with a tiny statement timeout; the server runs its SQL through it.
    bounded = await createDatabase(
      { url: database.databaseUrl, dataDir: 'memory://', poolSize: POOL_SIZE, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
      { observe: createStatementObserver() },
    );
    server = await startTestServer({ ...database, handle: bounded }, { database: { statementTimeoutMs: STATEMENT_TIMEOUT_MS } });
  });

  afterAll(async () => {
    await server?.close();
    await bounded?.close();
    await database?.close();
  });

  /** Holds an ACCESS EXCLUSIVE lock on `table` from another session while `run` runs. */
  async function withTableLocked<T>(table: string, run: () => Promise<T>): Promise<T> {
    const locker = new pg.Client({ connectionString: database.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`lock table ${table} in access exclusive mode`);
      return await run();
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
    }
  }

  it('sets statement_timeout and idle_in_transaction_session_timeout on every pooled connection', async () => {
    // As many concurrent reads as the pool holds, so every connection answers at least once.
    const rows = await Promise.all(
      Array.from({ length: POOL_SIZE }, () =>
        sql<{ pid: number; statement_timeout: string; idle: string }>`select pg_backend_pid() as pid,
          current_setting('statement_timeout') as statement_timeout,
          current_setting('idle_in_transaction_session_timeout') as idle, pg_sleep(0.05)`.execute(bounded.db),
      ),
    );
    const settings = rows.map(({ rows: [row] }) => ({ statement_timeout: row!.statement_timeout, idle: row!.idle }));
    expect(settings).toEqual(
      Array.from({ length: POOL_SIZE }, () => ({ statement_timeout: `${STATEMENT_TIMEOUT_MS}ms`, idle: `${IDLE_IN_TRANSACTION_TIMEOUT_MS / 1000}s` })),
    );
  });

  it(`opens at most poolSize (${POOL_SIZE}) connections however many statements wait`, async () => {
    const results = await Promise.all(
      Array.from({ length: POOL_SIZE * 3 }, () => sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(bounded.db)),
    );
    const sessions = new Set(results.map(({ rows: [row] }) => row!.pid));
    expect(sessions.size).toBe(POOL_SIZE);
  });

  it('fails the field whose statement outlived statement_timeout with STATEMENT_TIMEOUT, keeping the rest', async () => {
    const postId = toGlobalId('Post', 1);
    // Waiting for a lock counts against statement_timeout: a slow statement without a slow query.
    const result = await withTableLocked('posts', () =>
      server.execute(`query ($id: ID!) { tags(first: 2) { nodes { name } } post(id: $id) { title } }`, { id: postId }),
    );
    expect(result.status).toBe(200);
    expect(result.data.tags.nodes).toHaveLength(2);
    expect(result.data.post).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({ path: ['post'], extensions: { code: 'STATEMENT_TIMEOUT' }, message: expect.stringMatching(/statement timeout/) }),
    ]);
    expect(result.trace.sql.statements.find((s: { loader?: string }) => s.loader === 'postById')).toBeDefined();
  });

  it('answers normally once the slow statement is gone', async () => {
    const result = await server.execute(`query ($id: ID!) { post(id: $id) { title } }`, { id: toGlobalId('Post', 1) });
    expect(result.errors).toBeUndefined();
    expect(result.data.post.title).toEqual(expect.any(String));
  });

  it('backs statement_timeout up with pg query_timeout when the server does not cancel', async () => {
    // statement_timeout switched off for one transaction: only the client-side timeout is left.
    const slow = bounded.db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = 0`.execute(trx);
      await sql`select pg_sleep(${(STATEMENT_TIMEOUT_MS + 2000) / 1000})`.execute(trx);
    });
    await expect(slow).rejects.toThrow('Query read timeout');
  });
});
