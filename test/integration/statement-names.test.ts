import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// Each named statement stays prepared on its connection for the connection's life, in Postgres's
// memory: a client that varies its queries' shapes (page sizes, columns, relations) must not make
// the server prepare a statement per shape without end.
describe.runIf(inject('database') === 'postgres')('prepared statements per connection (Postgres; skipped on PGlite)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await createDatabase({ url: database.databaseUrl, dataDir: 'memory://', poolSize: 1, statementTimeoutMs: 5000, preparedStatements: 4 });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.close();
  });

  const prepared = async () => {
    const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements where name like ${'inkql_%'}`.execute(handle.db);
    return rows.length;
  };

  it('prepares the first texts and runs the rest unprepared, with the same results', async () => {
    for (let size = 1; size <= 20; size++) {
      const { rows } = await sql<{ id: number }>`select id from posts order by id limit ${sql.lit(size)}`.execute(handle.db);
      expect(rows).toHaveLength(size);
    }
    // The one connection holds at most the bound, its own count query included.
    const count = await prepared();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(4);
    // A text named earlier is still named and still runs.
    const { rows } = await sql<{ id: number }>`select id from posts order by id limit ${sql.lit(1)}`.execute(handle.db);
    expect(rows).toHaveLength(1);
    expect(await prepared()).toBeLessThanOrEqual(4);
  });
});
