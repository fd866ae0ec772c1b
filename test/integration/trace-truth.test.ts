import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.ts';
import { createStatementObserver } from '../../src/trace/statement-observer.ts';
import { createTestDatabase, startTestServer, type TestDatabase } from '../support/index.ts';

// The trace must not lie: the number of statements it reports is the number Postgres ran.
//
// Postgres counts the transactions committed in each database (pg_stat_database.xact_commit), and
// every statement outside an explicit transaction is one (as is each backend's start-up). The database is this file's own, so
// nothing else commits there, and a backend flushes its counters when it exits: each check opens
// a fresh pool, runs one operation, closes the pool, waits for its backends to be gone, and
// compares the counter with the trace. (pg_stat_statements would be finer but needs
// shared_preload_libraries, which a shared server cannot be restarted for.)

const onPostgres = inject('database') === 'postgres';
const SETTLE_TIMEOUT_MS = 15_000;

const OPERATIONS: [name: string, query: string, variables?: Record<string, unknown>][] = [
  ['100 posts with authors and tags', `query ($first: Int!) { posts(first: $first) { nodes { title author { name } tags { name } } } }`, { first: 100 }],
  ['10 authors with 10 posts each and tags', `{ authors(first: 10) { nodes { name posts(first: 10) { edges { node { title tags { name } } } } } } }`],
  [
    'the same with totalCount on both connections',
    `{ authors(first: 10) { totalCount nodes { name posts(first: 10) { totalCount edges { node { title tags { name } } } } } } }`,
  ],
  ['stats', `{ stats { postCount authorCount tagCount totalWords topTags { count tag { name } } } }`],
];

describe.skipIf(!onPostgres)('the trace against what Postgres executed (real Postgres only: PGlite keeps no server statistics)', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  let name: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    name = new URL(database.databaseUrl!).pathname.slice(1);
    // Autovacuum would commit transactions of its own in the middle of a count.
    const tables = ['authors', 'posts', 'tags', 'post_tags'];
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    for (const table of tables) await client.query(`alter table ${table} set (autovacuum_enabled = false)`);
    await client.query('analyze');
    await client.end();
    // Only this file's own pools may run statements in the database from now on.
    await database.handle.close();
    admin = new pg.Client({ connectionString: inject('databaseUrl') });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await database?.close();
  });

  async function settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const { rows } = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0].n === 0) return;
      if (Date.now() > deadline) throw new Error(`backends of ${name} still running after ${SETTLE_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function transactions(): Promise<number> {
    await settle();
    // Each new backend commits one transaction of its own while starting up (reading the
    // catalogs): `sessions` (Postgres 14+) counts those, so they are taken out.
    const { rows } = await admin.query(
      'select (xact_commit + xact_rollback - sessions)::int as n from pg_stat_database where datname = $1',
      [name],
    );
    return rows[0].n;
  }

  /** Runs one operation on a fresh pool and server; returns what the trace and Postgres counted. */
  async function count(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
    const before = await transactions();
    const handle = await createDatabase(
      { url: database.databaseUrl, dataDir: 'memory://', poolSize: 10, statementTimeoutMs: 5000 },
      { observe: createStatementObserver() },
    );
    const server = await startTestServer({ handle, databaseUrl: database.databaseUrl, close: () => handle.close() });
    const result = await server.execute(query, variables, { headers });
    await server.close();
    await handle.close();
    const after = await transactions();
    expect(result.errors).toBeUndefined();
    return { traced: result.trace.sql.count as number, executed: after - before };
  }

  for (const [title, query, variables] of OPERATIONS) {
    it(`counts what Postgres ran: ${title}`, async () => {
      const { traced, executed } = await count(query, variables);
      expect(traced).toBeGreaterThan(0);
      expect(executed).toBe(traced);
    });
  }

  it('counts what Postgres ran in naive mode (1 + 2 x 20)', async () => {
    const { traced, executed } = await count(OPERATIONS[0]![1], { first: 20 }, { 'x-inkql-batching': 'off' });
    expect(traced).toBe(41);
    expect(executed).toBe(41);
  });

  it('leaves EXPLAIN statements out of the count although Postgres ran them', async () => {
    const { traced, executed } = await count(OPERATIONS[0]![1], { first: 5 }, { 'x-inkql-explain': '1' });
    expect(traced).toBe(1);
    expect(executed).toBe(2 * 1);
  });
});
