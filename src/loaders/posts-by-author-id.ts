import { type Kysely, sql } from 'kysely';
import { keysetOrderBy, keysetWhere } from '../db/orderings.ts';
import { postColumns } from '../db/post-columns.ts';
import type { Database, PostRow } from '../db/types.ts';
import { createLoader, createLoaderFamily, type LoaderOptions } from './create-loader.ts';
import { groupByKeys } from './order-by-keys.ts';
import { type PostPageParams, postPageKey } from './post-page-params.ts';

/**
 * One page of posts for each of many authors in ONE statement: a LATERAL subquery runs the
 * keyset page (limit + 1, for hasNextPage) per author on posts(author_id, created_at, id).
 */
export function createPostsByAuthorId(db: Kysely<Database>, options: LoaderOptions) {
  return createLoaderFamily(postPageKey, ({ ordering, window, columns }: PostPageParams) =>
    createLoader<number, PostRow[]>(
      'postsByAuthorId',
      async (authorIds) => {
        const { rows } = await sql<PostRow>`select page.*
          from unnest(${authorIds}::int[]) with ordinality as parent(id, ord)
          cross join lateral (
            select ${postColumns('post', columns)} from posts post
            where post.author_id = parent.id and ${keysetWhere('post', ordering, window)}
            order by ${keysetOrderBy('post', ordering, window)}
            limit ${window.limit + 1}
          ) page
          order by parent.ord, ${keysetOrderBy('page', ordering, window)}`.execute(db);
        return groupByKeys(authorIds, rows, (row) => row.author_id);
      },
      options,
    ),
  );
}
