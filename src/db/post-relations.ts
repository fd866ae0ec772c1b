import { type RawBuilder, sql } from 'kysely';
import { type OptionalAuthorColumn } from './author-columns.ts';
import type { RelatedParts } from './find-page.ts';
import type { AuthorRow, PostRow, TagRow } from './types.ts';

/**
 * What a page of posts reads of each post's author and tags in its own statement, so that
 * Post.author and Post.tags take them off the post's row (relatedAuthor, relatedTags) instead of
 * running a statement each.
 */
export interface PostRelations {
  /** The optional author columns to join (beside id and name); absent: no author join. */
  readonly author?: readonly OptionalAuthorColumn[];
  readonly tags: boolean;
}

export const NO_RELATIONS: PostRelations = { tags: false };

/** A tag of one post, as tagsByPostId gives it. */
export type TagOfPost = TagRow & { post_id: number };

/** A post of a page with its relations: the author's columns prefixed `author_`, the tags as one json list (null: none). */
export type RelatedPostRow = PostRow & {
  author_name?: string;
  author_bio?: string | null;
  author_created_at?: Date;
  related_tags?: TagOfPost[] | null;
};

/** The author a page read along with `row` (every column some `author` field under the page reads), if it did. */
export function relatedAuthor(row: RelatedPostRow): AuthorRow | undefined {
  if (row.author_name === undefined) return undefined;
  const author: AuthorRow = { id: row.author_id, name: row.author_name };
  if (row.author_bio !== undefined) author.bio = row.author_bio;
  if (row.author_created_at !== undefined) author.created_at = row.author_created_at;
  return author;
}

/** The tags a page read along with `row`, in tagsByPostId's order, if it did. */
export function relatedTags(row: RelatedPostRow): TagOfPost[] | undefined {
  // A post without tags has no group in the page's tags join.
  return row.related_tags === undefined ? undefined : (row.related_tags ?? []);
}

export function relationsKey(relations: PostRelations): string {
  return `${relations.author ? `a:${relations.author.join(',')}` : ''}|${relations.tags ? 't' : ''}`;
}

// The tags of all the page's posts in one grouped join (a subquery per post cost Postgres more than
// the tags loader's own statement), each post's list in the loader's row shape and order. As json,
// which pg parses with JSON.parse: two arrays per post (ids, names) were cheaper for Postgres to
// build but dearer for the server to parse and zip. json_agg of whole rows fed in order (post,
// name) is cheaper for Postgres than json_build_object with an ordered aggregate; with one group
// per post and no parallel plan for a page's few hundred rows, each group keeps its input's order.
const TAGS_SELECT = sql`, tags.related_tags`;
const TAGS_JOIN = sql`left join (
      select tag.post_id, json_agg(tag) as related_tags
      from (
        select link.post_id, tag.id, tag.name
        from post_tags link join tags tag on tag.id = link.tag_id
        where link.post_id = any(array(select id from page))
        order by link.post_id, tag.name
      ) tag
      group by tag.post_id
    ) tags on tags.post_id = page.id`;
const AUTHOR_JOIN = sql`join authors author on author.id = page.author_id`;

/** The select-list entries and joins over a page's rows (aliased `page`); undefined when it reads none. */
export function relatedParts(relations: PostRelations): RelatedParts | undefined {
  const { author, tags } = relations;
  if (!author && !tags) return undefined;
  const select: RawBuilder<unknown>[] = [];
  if (author) {
    select.push(sql`, author.name as author_name`);
    for (const column of author) select.push(sql`, ${sql.ref(`author.${column}`)} as ${sql.ref(`author_${column}`)}`);
  }
  if (tags) select.push(TAGS_SELECT);
  const joins = [...(author ? [AUTHOR_JOIN] : []), ...(tags ? [TAGS_JOIN] : [])];
  return { select: sql.join(select, sql` `), joins: sql.join(joins, sql` `) };
}
