import { type Kysely, sql } from 'kysely';
import type { RequestCache } from '../cache/request-cache.ts';
import { COUNT_TTL_MS, tagPostCountKey } from '../cache/cache-keys.ts';
import type { Database } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';
import type { RequestDatabase } from '../db/request-database.ts';

const POST_COUNTS_BY_TAG_ID = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('post_tags')
    .select(['tag_id', sql<number>`count(*)::int`.as('n')])
    .where('tag_id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
    .groupBy('tag_id')
    .compile(),
);

/** Serves both Tag.postCount and Tag.posts.totalCount: one cache round trip, one statement for the misses. */
export function createPostCountByTagId(db: RequestDatabase, options: LoaderOptions, cache: RequestCache) {
  return createLoader<number, number>(
    'postCountByTagId',
    (tagIds, inBatchScope) =>
      cache.loadMany(
        'tagPostCount',
        tagIds,
        tagPostCountKey,
        COUNT_TTL_MS,
        async (missing) => {
          // After the cache round trip: back in the batch's scope, so the trace names field and loader.
          const rows = await inBatchScope(() => db.run(POST_COUNTS_BY_TAG_ID, [missing]));
          return orderByKeys(missing, rows, (row) => row.tag_id).map((row) => row?.n ?? 0);
        },
      ),
    options,
  );
}
