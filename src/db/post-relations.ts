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

/** A post of a page with its relations: the author's columns prefixed `author_`, the tags as the post's json list. */
export type RelatedPostRow = PostRow & {
  author_name?: string;
  author_bio?: string | null;
  author_created_at?: Date;
  related_tags?: TagRow[];
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
export function relatedTags(row: RelatedPostRow): TagRow[] | undefined {
  return row.related_tags;
}

export function relationsKey(relations: PostRelations): string {
  return `${relations.author ? `a:${relations.author.join(',')}` : ''}|${relations.tags ? 't' : ''}`;
}

// Each post's tags are a column of its own, `tag_list`, kept in step with post_tags by triggers
// (migrations/2026-12-01T00-00_post_tag_lists.ts): reading them from post_tags cost Postgres an
// index probe per post, most of the work of a page statement with tags.
const TAG_LIST = sql`, post.tag_list as related_tags`;
// Only the page's authors, found by their ids: joined to the whole table, Postgres hashed every
// author on every call to match a page of twenty.
const AUTHOR_JOIN = sql`join (select * from authors where id = any(array(select author_id from page))) author
    on author.id = page.author_id`;

/** The columns of a page's posts (aliased `post`), with each post's tags when the page reads them. */
export function withTagList(columns: RawBuilder<unknown>, relations: PostRelations): RawBuilder<unknown> {
  return relations.tags ? sql`${columns}${TAG_LIST}` : columns;
}

/** The author's columns and join over a page's rows (aliased `page`); undefined when it reads no author. */
export function relatedParts({ author }: PostRelations): RelatedParts | undefined {
  if (!author) return undefined;
  const select: RawBuilder<unknown>[] = [sql`, author.name as author_name`];
  for (const column of author) select.push(sql`, ${sql.ref(`author.${column}`)} as ${sql.ref(`author_${column}`)}`);
  return { select: sql.join(select, sql` `), joins: AUTHOR_JOIN };
}
