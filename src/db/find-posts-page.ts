import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type PageWindow, windowKey } from '../pagination/connection-args.ts';
import type { Ordering } from '../pagination/orderings.ts';
import { countRows, findChildPages, findPage } from './find-page.ts';
import { type OptionalPostColumn, postColumns } from './post-columns.ts';
import { type PostRelations, type RelatedPostRow, relatedParts, relationsKey, withTagList } from './post-relations.ts';
import type { RequestDatabase } from './request-database.ts';
import { slot } from './shaped-query.ts';
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
  /** The authors and tags read with the rows (batched mode only). */
  readonly relations: PostRelations;
}

/** Equal params, equal key: parents asking for the same page share one batched statement. */
export function postPageKey(params: PostPageParams): string {
  return `${params.ordering.name}|${params.ordering.direction}|${windowKey(params.window)}|${params.columns.join(',')}|${relationsKey(params.relations)}`;
}

/** The FROM and WHERE of a filtered list; `value` places each filter's value (a slot, or the value itself). */
function postsFrom(filters: PostFilters, value: (name: string, value: unknown) => unknown): { from: RawBuilder<unknown>; where: RawBuilder<unknown>[] } {
  const where: RawBuilder<unknown>[] = [];
  if (filters.authorId !== undefined) where.push(sql`post.author_id = ${value('author_id', filters.authorId)}::int`);
  if (filters.tag === undefined) return { from: sql`posts post`, where };
  // A join on the tag's id, not a subquery per row: post_tags(tag_id, post_id) serves it.
  return {
    from: sql`posts post join post_tags link on link.post_id = post.id
      join tags tag on tag.id = link.tag_id and tag.name = ${value('tag', filters.tag)}::text`,
    where,
  };
}

const toSlot = (name: string) => slot(name);
const itself = (_name: string, value: unknown) => value;

export function findPostsPage(database: RequestDatabase, params: PostPageParams & { filters: PostFilters }): Promise<RelatedPostRow[]> {
  const { filters, columns, relations } = params;
  return findPage<RelatedPostRow>(database, {
    shape: `posts|${filters.tag !== undefined ? 't' : ''}${filters.authorId !== undefined ? 'a' : ''}|${columns.join(',')}|${relationsKey(relations)}`,
    ordering: params.ordering,
    window: params.window,
    values: { tag: filters.tag, author_id: filters.authorId },
    parts: () => {
      const { from, where } = postsFrom(filters, toSlot);
      return { from, alias: 'post', columns: withTagList(postColumns('post', columns), relations), filters: where, related: relatedParts(relations) };
    },
  });
}

export function countPosts(db: Kysely<Database>, filters: PostFilters): Promise<number> {
  const { from, where } = postsFrom(filters, itself);
  return countRows(db, from, where);
}

function childShape(parent: string, params: PostPageParams): string {
  return `${parent}|${params.columns.join(',')}|${relationsKey(params.relations)}`;
}

// The posts columns that are timestamps (a child page read as json carries them as text).
const POST_TIMESTAMPS = ['created_at', 'updated_at'];

/** A page of posts per author, on posts(author_id, created_at, id), in `authorIds` order. */
export function findPostPagesByAuthorIds(database: RequestDatabase, authorIds: readonly number[], params: PostPageParams): Promise<RelatedPostRow[][]> {
  return findChildPages<RelatedPostRow>(database, authorIds, {
    shape: childShape('posts-by-author', params),
    ordering: params.ordering,
    window: params.window,
    values: {},
    timestamps: POST_TIMESTAMPS,
    parts: () => ({
      from: sql`posts post`,
      alias: 'post',
      columns: withTagList(postColumns('post', params.columns), params.relations),
      parentMatch: sql`post.author_id = parent.id`,
      related: relatedParts(params.relations),
    }),
  });
}

/** A page of posts per tag, on post_tags(tag_id, post_id), in `tagIds` order. */
export function findPostPagesByTagIds(database: RequestDatabase, tagIds: readonly number[], params: PostPageParams): Promise<RelatedPostRow[][]> {
  return findChildPages<RelatedPostRow>(database, tagIds, {
    shape: childShape('posts-by-tag', params),
    ordering: params.ordering,
    window: params.window,
    values: {},
    timestamps: POST_TIMESTAMPS,
    parts: () => ({
      from: sql`post_tags link
            join posts post on post.id = link.post_id`,
      alias: 'post',
      columns: withTagList(postColumns('post', params.columns), params.relations),
      parentMatch: sql`link.tag_id = parent.id`,
      related: relatedParts(params.relations),
    }),
  });
}
