import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.ts';
import type { BlogSize } from '../../src/db/generate-blog.ts';
import { migrateToLatest } from '../../src/db/migrate-to-latest.ts';
import { seedDatabase } from '../../src/db/seed-database.ts';
import { createStatementObserver, type SqlLogger } from '../../src/trace/statement-observer.ts';

/** Small enough to seed in a moment, big enough for several pages and timestamp ties (every author gets posts). */
export const TEST_SIZE: BlogSize = { authors: 12, posts: 240, tags: 12 };

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  /** The URL of this test's own Postgres database, or undefined on PGlite. */
  readonly databaseUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * A fresh, migrated and seeded database for one test file: in-memory PGlite, or a new database
 * of its own on the Postgres server named by TEST_DATABASE_URL (dropped again on close).
 */
export async function createTestDatabase(size: BlogSize = TEST_SIZE, options: { sqlLogger?: SqlLogger } = {}): Promise<TestDatabase> {
  const kind = inject('database');
  let databaseUrl: string | undefined;
  let drop = async () => {};
  if (kind === 'postgres') {
    const adminUrl = inject('databaseUrl');
    if (!adminUrl) throw new Error('the postgres project needs TEST_DATABASE_URL');
    const name = `inkql_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await withAdmin(adminUrl, (client) => client.query(`create database ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    drop = () => withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
  }
  const handle = await createDatabase(
    { url: databaseUrl, dataDir: 'memory://', poolSize: 10, statementTimeoutMs: 5000 },
    // With a logger, every statement is logged to it (LOG_SQL=1): a count no response header can hide.
    { observe: createStatementObserver(options.sqlLogger ? { logger: options.sqlLogger, logSql: true } : {}) },
  );
  await migrateToLatest(handle.db);
  await seedDatabase(handle.db, size);
  return {
    handle,
    databaseUrl,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

async function withAdmin(url: string, run: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}
