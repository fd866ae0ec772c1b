import Keyv from 'keyv';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCache } from '../../src/cache/app-cache.ts';
import { LruStore } from '../../src/cache/lru-store.ts';
import { createRequestCache } from '../../src/cache/request-cache.ts';
import { prepareQuery } from '../../src/db/prepared-query.ts';
import { createRequestDatabase } from '../../src/db/request-database.ts';
import type { Database } from '../../src/db/types.ts';
import { withFieldScope } from '../../src/trace/field-scope.ts';
import { RequestTrace } from '../../src/trace/request-trace.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// A request's database and cache handles record into its trace on their own: a loader hands
// them a statement or a key, never the trace.

const TAG_NAMES_BY_ID = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
    .compile(),
);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const silent = { warn: () => {}, info: () => {} };

describe('the request database handle', () => {
  it('files a prepared statement under the field and loader running at the call', async () => {
    const trace = new RequestTrace(performance.now(), { fields: true });
    const db = createRequestDatabase(database.handle.db, trace);
    await withFieldScope(trace, { field: 'Post.tags', loader: 'tagById' }, () => db.run(TAG_NAMES_BY_ID, [[1, 2]]));
    expect(trace.statements.map((s) => [s.field, s.loader, s.parameters])).toEqual([['Post.tags', 'tagById', [[1, 2]]]]);
  });

  it('files a statement built on its Kysely under the field running when it compiled', async () => {
    const trace = new RequestTrace(performance.now(), { fields: true });
    const db = createRequestDatabase(database.handle.db, trace);
    await withFieldScope(trace, { field: 'Query.tags' }, () => db.kysely.selectFrom('tags').select('id').limit(1).execute());
    expect(trace.statements.map((s) => s.field)).toEqual(['Query.tags']);
  });

  it('records nothing without a trace', async () => {
    const trace = new RequestTrace(performance.now(), { fields: true });
    const db = createRequestDatabase(database.handle.db, undefined);
    const rows = await withFieldScope(trace, { field: 'Post.tags' }, () => db.run(TAG_NAMES_BY_ID, [[1]]));
    expect(rows).toHaveLength(1);
    expect(trace.statements).toEqual([]);
  });
});

describe('the request cache handle', () => {
  it("counts the request's hits and misses per family in its trace", async () => {
    const app = new AppCache('memory', new Keyv({ store: new LruStore(100), namespace: 'handles' }), { timeoutMs: 1000, logger: silent });
    const trace = new RequestTrace(0);
    const cache = createRequestCache(app, trace);
    expect(await cache.getOrCompute('stats', 'k', 60_000, async () => 7)).toBe(7);
    expect(await cache.getOrCompute('stats', 'k', 60_000, async () => 8)).toBe(7);
    expect(await cache.loadMany('authorPostCount', [1, 2], (id) => `n:${id}`, 60_000, async (ids) => ids.map((id) => id * 10))).toEqual([10, 20]);
    expect(trace.toJSON(0).cache).toEqual({ hits: 1, misses: 3, families: { stats: { hits: 1, misses: 1 }, authorPostCount: { hits: 0, misses: 2 } } });
  });
});
