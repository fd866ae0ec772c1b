import type { Kysely } from 'kysely';
import type { AppCache } from '../cache/app-cache.ts';
import type { Database } from '../db/types.ts';
import { createAuthorById } from './author-by-id.ts';
import type { LoaderOptions } from './create-loader.ts';
import { createPostBodyById } from './post-body-by-id.ts';
import { createPostById } from './post-by-id.ts';
import { createPostCountByAuthorId } from './post-count-by-author-id.ts';
import { createPostCountByTagId } from './post-count-by-tag-id.ts';
import { createPostsByAuthorId } from './posts-by-author-id.ts';
import { createPostsByTagId } from './posts-by-tag-id.ts';
import { createTagById } from './tag-by-id.ts';
import { createTagByName } from './tag-by-name.ts';
import { createTagsByPostId } from './tags-by-post-id.ts';

/** Fresh loaders for one request: their memo must never outlive it or cross users. */
export function createLoaders(db: Kysely<Database>, options: LoaderOptions, cache: AppCache) {
  return {
    authorById: createAuthorById(db, options),
    postById: createPostById(db, options),
    postBodyById: createPostBodyById(db, options),
    tagById: createTagById(db, options),
    tagByName: createTagByName(db, options),
    tagsByPostId: createTagsByPostId(db, options),
    postCountByAuthorId: createPostCountByAuthorId(db, options, cache),
    postCountByTagId: createPostCountByTagId(db, options, cache),
    postsByAuthorId: createPostsByAuthorId(db, options),
    postsByTagId: createPostsByTagId(db, options),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
