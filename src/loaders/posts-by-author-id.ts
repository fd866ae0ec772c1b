import { findPostPagesByAuthorIds, type PostPageParams, postPageKey } from '../db/find-posts-page.ts';
import type { PostRow } from '../db/types.ts';
import { createLoader, createLoaderFamily, type LoaderOptions } from './create-loader.ts';
import type { RequestDatabase } from '../db/request-database.ts';

/** One page of posts for each of many authors in ONE statement (limit + 1 per author, for hasNextPage). */
export function createPostsByAuthorId(db: RequestDatabase, options: LoaderOptions) {
  return createLoaderFamily(postPageKey, (params: PostPageParams) =>
    createLoader<number, PostRow[]>(
      'postsByAuthorId',
      (authorIds) => findPostPagesByAuthorIds(db, authorIds, params),
      options,
    ),
  );
}
