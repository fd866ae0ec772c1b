import { findPostPagesByTagIds, type PostPageParams, postPageKey } from '../db/find-posts-page.ts';
import type { PostRow } from '../db/types.ts';
import { createLoader, createLoaderFamily, type LoaderOptions } from './create-loader.ts';
import type { RequestDatabase } from '../db/request-database.ts';

/** One page of posts for each of many tags in ONE statement (limit + 1 per tag, for hasNextPage). */
export function createPostsByTagId(db: RequestDatabase, options: LoaderOptions) {
  return createLoaderFamily(postPageKey, (params: PostPageParams) =>
    createLoader<number, PostRow[]>(
      'postsByTagId',
      (tagIds) => findPostPagesByTagIds(db, tagIds, params),
      options,
    ),
  );
}
