import { type Kysely, sql } from 'kysely';
import { OPTIONAL_POST_COLUMNS, postColumns } from '../db/post-columns.ts';
import type { Database, FullPostRow } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';
import type { RequestDatabase } from '../db/request-database.ts';

const POSTS_BY_ID = prepareQuery((db: Kysely<Database>) =>
  sql<FullPostRow>`select ${postColumns('post', OPTIONAL_POST_COLUMNS)} from posts post where post.id = any(${[]}::int[])`.compile(db),
);

/** Single posts (post, node, nodes) come with their body: a detail view almost always shows it. */
export function createPostById(db: RequestDatabase, options: LoaderOptions) {
  return createLoader<number, FullPostRow | null>(
    'postById',
    async (ids) => {
      const rows = await db.run(POSTS_BY_ID, [ids]);
      return orderByKeys(ids, rows, (row) => row.id);
    },
    options,
  );
}
