import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/types.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';

/** Serves both Tag.postCount and Tag.posts.totalCount. */
export function createPostCountByTagId(db: Kysely<Database>, options: LoaderOptions) {
  return createLoader<number, number>(
    'postCountByTagId',
    async (tagIds) => {
      const rows = await db
        .selectFrom('post_tags')
        .select(['tag_id', sql<number>`count(*)::int`.as('n')])
        .where('tag_id', '=', (eb) => eb.fn.any(eb.val(tagIds as number[])))
        .groupBy('tag_id')
        .execute();
      return orderByKeys(tagIds, rows, (row) => row.tag_id).map((row) => row?.n ?? 0);
    },
    options,
  );
}
