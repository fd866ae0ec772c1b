import { type Kysely, sql } from 'kysely';
import { keysetOrderBy, keysetWhere } from '../db/orderings.ts';
import { postColumns } from '../db/post-columns.ts';
import type { Database, PostRow } from '../db/types.ts';
import { createLoader, createLoaderFamily, type LoaderOptions } from './create-loader.ts';
import { groupByKeys } from './order-by-keys.ts';
import { type PostPageParams, postPageKey } from './post-page-params.ts';

type TaggedPostRow = PostRow & { parent_id: number };

/** One page of posts for each of many tags in ONE statement (LATERAL over post_tags(tag_id, post_id)). */
export function createPostsByTagId(db: Kysely<Database>, options: LoaderOptions) {
  return createLoaderFamily(postPageKey, ({ ordering, window, columns }: PostPageParams) =>
    createLoader<number, PostRow[]>(
      'postsByTagId',
      async (tagIds) => {
        const { rows } = await sql<TaggedPostRow>`select parent.id as parent_id, page.*
          from unnest(${tagIds}::int[]) with ordinality as parent(id, ord)
          cross join lateral (
            select ${postColumns('post', columns)} from post_tags link
            join posts post on post.id = link.post_id
            where link.tag_id = parent.id and ${keysetWhere('post', ordering, window)}
            order by ${keysetOrderBy('post', ordering, window)}
            limit ${window.limit + 1}
          ) page
          order by parent.ord, ${keysetOrderBy('page', ordering, window)}`.execute(db);
        return groupByKeys(tagIds, rows, (row) => row.parent_id);
      },
      options,
    ),
  );
}
