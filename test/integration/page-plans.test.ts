import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.ts';
import { findPostsPage } from '../../src/db/find-posts-page.ts';
import { createRequestDatabase } from '../../src/db/request-database.ts';
import { postOrdering } from '../../src/pagination/orderings.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// A page after a cursor is one statement whatever the cursor: Postgres should plan it once per
// connection and reuse that plan. When the planner could see each cursor, its estimates moved from
// call to call and it planned every call again, which made a deep page slower than the first.
describe.runIf(inject('database') === 'postgres')('plans of keyset pages (Postgres; skipped on PGlite)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase({ authors: 40, posts: 4000, tags: 12 });
    // One connection, so every call below meets the same prepared statement.
    handle = await createDatabase({ url: database.databaseUrl, dataDir: 'memory://', poolSize: 1, statementTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.close();
  });

  it('runs pages after many different cursors on one generic plan', async () => {
    const request = createRequestDatabase(handle.db, undefined);
    const ordering = postOrdering();
    const relations = { author: [], tags: true } as const;
    const keys = await sql<{ id: number; created_at: Date }>`select id, created_at from posts order by created_at desc, id desc`.execute(handle.db);
    const calls = 20;
    for (let call = 0; call < calls; call++) {
      const cursor = keys.rows[(call * 97) % (keys.rows.length - 40)]!;
      const window = { limit: 20, backward: false, after: { value: cursor.created_at.toISOString(), id: cursor.id } };
      const rows = await findPostsPage(request, { ordering, window, columns: [], relations, filters: {} });
      expect(rows.map((row) => row.id)).toEqual(keys.rows.slice((call * 97) % (keys.rows.length - 40) + 1).slice(0, 21).map((row) => row.id));
      expect(rows[0]!.author_name).toEqual(expect.any(String));
    }
    const { rows: plans } = await sql<{ generic: string; custom: string }>`select generic_plans as generic, custom_plans as custom
      from pg_prepared_statements where statement like ${'%from posts post%$2%'}`.execute(handle.db);
    expect(plans).toHaveLength(1);
    // Postgres plans the first five calls for their values before it weighs a generic plan.
    expect(Number(plans[0]!.custom)).toBeLessThanOrEqual(5);
    expect(Number(plans[0]!.generic)).toBeGreaterThanOrEqual(calls - 5);
  });
});
