import { type Kysely, sql } from 'kysely';
import type { RequestCache } from '../cache/request-cache.ts';
import { authorPostCountKey, COUNT_TTL_MS } from '../cache/cache-keys.ts';
import type { Database } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';
import type { RequestDatabase } from '../db/request-database.ts';

const POST_COUNTS_BY_AUTHOR_ID = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('posts')
    .select(['author_id', sql<number>`count(*)::int`.as('n')])
    .where('author_id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
    .groupBy('author_id')
    .compile(),
);

/**
 * Serves both Author.postCount and Author.posts.totalCount: the same number, loaded once. A batch
 * is one cache round trip for all its authors plus, for the misses, one SQL statement.
 */
export function createPostCountByAuthorId(db: RequestDatabase, options: LoaderOptions, cache: RequestCache) {
  return createLoader<number, number>(
    'postCountByAuthorId',
    (authorIds, inBatchScope) =>
      cache.loadMany(
        'authorPostCount',
        authorIds,
        authorPostCountKey,
        COUNT_TTL_MS,
        async (missing) => {
          // After the cache round trip: back in the batch's scope, so the trace names field and loader.
          const rows = await inBatchScope(() => db.run(POST_COUNTS_BY_AUTHOR_ID, [missing]));
          return orderByKeys(missing, rows, (row) => row.author_id).map((row) => row?.n ?? 0);
        },
      ),
    options,
  );
}
