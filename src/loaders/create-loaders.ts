import type { RequestCache } from '../cache/request-cache.ts';
import type { RequestDatabase } from '../db/request-database.ts';
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

const FACTORIES = {
  authorById: createAuthorById,
  postById: createPostById,
  postBodyById: createPostBodyById,
  tagById: createTagById,
  tagByName: createTagByName,
  tagsByPostId: createTagsByPostId,
  postCountByAuthorId: createPostCountByAuthorId,
  postCountByTagId: createPostCountByTagId,
  postsByAuthorId: createPostsByAuthorId,
  postsByTagId: createPostsByTagId,
};

/** Loaders whose values go into the shared cache: their statements run on `cachedDb`. */
const CACHED: ReadonlySet<keyof typeof FACTORIES> = new Set(['postCountByAuthorId', 'postCountByTagId']);

export type Loaders = { readonly [K in keyof typeof FACTORIES]: ReturnType<(typeof FACTORIES)[K]> } & {
  /** false in the naive mode: pages then read no relations along, so the N+1 shows. */
  readonly batching: boolean;
};

class LazyLoaders {
  readonly built: Partial<Record<keyof typeof FACTORIES, unknown>> = {};
  constructor(
    readonly db: RequestDatabase,
    readonly options: LoaderOptions,
    readonly cache: RequestCache,
    readonly cachedDb: RequestDatabase,
  ) {}

  get batching(): boolean {
    return this.options.batching;
  }
}

// One getter per loader on the class's prototype: a loader is built on its first use in a request.
for (const name of Object.keys(FACTORIES) as (keyof typeof FACTORIES)[]) {
  Object.defineProperty(LazyLoaders.prototype, name, {
    enumerable: true,
    get(this: LazyLoaders) {
      return (this.built[name] ??= FACTORIES[name](CACHED.has(name) ? this.cachedDb : this.db, this.options, this.cache));
    },
  });
}

/**
 * Fresh loaders for one request: their memo must never outlive it or cross users. Each is built
 * on first use: a request touches two or three of the ten, and building all ten was a
 * measurable share of a small request's CPU. Values that go into the shared cache are computed
 * from `cachedDb` (the primary when there are read replicas: cache/app-cache.ts says why).
 */
export function createLoaders(db: RequestDatabase, options: LoaderOptions, cache: RequestCache, cachedDb: RequestDatabase = db): Loaders {
  return new LazyLoaders(db, options, cache, cachedDb) as unknown as Loaders;
}
