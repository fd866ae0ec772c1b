import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareQuery } from '../../src/db/prepared-query.ts';
import type { Database } from '../../src/db/types.ts';
import { RequestTrace } from '../../src/trace/request-trace.ts';
import { createSqlScopePlugin, withFieldScope } from '../../src/trace/field-scope.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// A statement compiled once runs again and again with fresh parameters, on PGlite and on
// Postgres, and is still attributed in the request's trace though Kysely's plugins never see it.
const TAG_NAMES_BY_ID = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
    .orderBy('id')
    .compile(),
);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('prepareQuery', () => {
  it('runs the compiled statement with each call’s parameters', async () => {
    const { db } = database.handle;
    const expected = await db.selectFrom('tags').select(['id', 'name']).orderBy('id').execute();
    const first = await TAG_NAMES_BY_ID.execute(db, [[expected[0]!.id, expected[2]!.id]], undefined);
    const second = await TAG_NAMES_BY_ID.execute(db, [[expected[1]!.id]], undefined);
    expect(first).toEqual([expected[0], expected[2]]);
    expect(second).toEqual([expected[1]]);
  });

  it('files the statement under the request, field and loader running when it was called', async () => {
    const trace = new RequestTrace(performance.now(), { fields: true });
    const db = database.handle.db.withPlugin(createSqlScopePlugin(trace));
    const rows = await withFieldScope(trace, { field: 'Post.tags', loader: 'tagById' }, () => TAG_NAMES_BY_ID.execute(db, [[1]], trace));
    expect(rows).toHaveLength(1);
    expect(trace.statements).toHaveLength(1);
    expect(trace.statements[0]).toMatchObject({ field: 'Post.tags', loader: 'tagById', parameters: [[1]], rows: 1 });
    expect(trace.statements[0]!.sql).toMatch(/^select "id", "name" from "tags" where "id" = any\(\$1\) order by "id"$/);
  });

  it('refuses parameters that do not match its placeholders, before any SQL', async () => {
    const trace = new RequestTrace(performance.now(), { fields: true });
    const db = database.handle.db.withPlugin(createSqlScopePlugin(trace));
    await expect(TAG_NAMES_BY_ID.execute(db, [[1], 2], trace)).rejects.toThrow(/takes 1 parameters, got 2/);
    expect(trace.statements).toHaveLength(0);
  });
});
