import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type PageWindow, windowKey } from '../pagination/connection-args.ts';
import type { Ordering } from '../pagination/orderings.ts';
import { countRows, findChildPages, findPage } from './find-page.ts';
import { type OptionalPostColumn, postColumns } from './post-columns.ts';
import type { Database, PostRow } from './types.ts';

export interface PostFilters {
  /** A tag name: only posts carrying it. */
  readonly tag?: string;
  readonly authorId?: number;
}

/** What one page of posts reads, for a root list or for every parent in one batch of child pages. */
export interface PostPageParams {
  readonly ordering: Ordering<PostRow>;
  readonly window: PageWindow;
  /** Optional columns the rows need, in OPTIONAL_POST_COLUMNS order. */
  readonly columns: readonly OptionalPostColumn[];
}

/** Equal params, equal key: parents asking for the same page share one batched statement. */
export function postPageKey(params: PostPageParams): string {
  return `${params.ordering.name}|${params.ordering.direction}|${windowKey(params.window)}|${params.columns.join(',')}`;
}

function postsFrom(filters: PostFilters): { from: RawBuilder<unknown>; where: RawBuilder<unknown>[] } {
  const where: RawBuilder<unknown>[] = [];
  if (filters.authorId !== undefined) where.push(sql`post.author_id = ${filters.authorId}::int`);
  if (filters.tag === undefined) return { from: sql`posts post`, where };
  // A join on the tag's id, not a subquery per row: post_tags(tag_id, post_id) serves it.
  return {
    from: sql`posts post join post_tags link on link.post_id = post.id
      join tags tag on tag.id = link.tag_id and tag.name = ${filters.tag}::text`,
    where,
  };
}

export function findPostsPage(db: Kysely<Database>, params: PostPageParams & { filters: PostFilters }): Promise<PostRow[]> {
  const { from, where } = postsFrom(params.filters);
  return findPage<PostRow>(db, {
    from,
    alias: 'post',
    columns: postColumns('post', params.columns),
    ordering: params.ordering,
    window: params.window,
    filters: where,
  });
}

export function countPosts(db: Kysely<Database>, filters: PostFilters): Promise<number> {
  const { from, where } = postsFrom(filters);
  return countRows(db, from, where);
}

/** A page of posts per author, on posts(author_id, created_at, id); each row carries its author_id. */
export function findPostPagesByAuthorIds(db: Kysely<Database>, authorIds: readonly number[], params: PostPageParams): Promise<PostRow[]> {
  return findChildPages<PostRow>(db, authorIds, {
    select: sql`page.*`,
    from: sql`posts post`,
    alias: 'post',
    columns: postColumns('post', params.columns),
    parentMatch: sql`post.author_id = parent.id`,
    ordering: params.ordering,
    window: params.window,
  });
}

type TaggedPostRow = PostRow & { parent_id: number };

/** A page of posts per tag, on post_tags(tag_id, post_id); `parent_id` says which tag a row is for. */
export function findPostPagesByTagIds(db: Kysely<Database>, tagIds: readonly number[], params: PostPageParams): Promise<TaggedPostRow[]> {
  return findChildPages<TaggedPostRow>(db, tagIds, {
    select: sql`parent.id as parent_id, page.*`,
    from: sql`post_tags link
            join posts post on post.id = link.post_id`,
    alias: 'post',
    columns: postColumns('post', params.columns),
    parentMatch: sql`link.tag_id = parent.id`,
    ordering: params.ordering,
    window: params.window,
  });
}
