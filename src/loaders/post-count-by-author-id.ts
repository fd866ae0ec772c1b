import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/types.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';

/** Serves both Author.postCount and Author.posts.totalCount: the same number, loaded once. */
export function createPostCountByAuthorId(db: Kysely<Database>, options: LoaderOptions) {
  return createLoader<number, number>(
    'postCountByAuthorId',
    async (authorIds) => {
      const rows = await db
        .selectFrom('posts')
        .select(['author_id', sql<number>`count(*)::int`.as('n')])
        .where('author_id', '=', (eb) => eb.fn.any(eb.val(authorIds as number[])))
        .groupBy('author_id')
        .execute();
      return orderByKeys(authorIds, rows, (row) => row.author_id).map((row) => row?.n ?? 0);
    },
    options,
  );
}
