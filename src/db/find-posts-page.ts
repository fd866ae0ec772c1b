import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import { countRows, findPage } from './find-page.ts';
import type { Ordering } from './orderings.ts';
import { type OptionalPostColumn, postColumns } from './post-columns.ts';
import type { Database, PostRow } from './types.ts';

export interface PostFilters {
  /** A tag name: only posts carrying it. */
  readonly tag?: string;
  readonly authorId?: number;
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

export function findPostsPage(
  db: Kysely<Database>,
  params: { ordering: Ordering<PostRow>; window: PageWindow; columns: readonly OptionalPostColumn[]; filters: PostFilters },
): Promise<PostRow[]> {
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
