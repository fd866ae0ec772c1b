import { type Kysely, sql, type Transaction } from 'kysely';
import { countWords } from './count-words.ts';
import { OPTIONAL_POST_COLUMNS, postColumns } from './post-columns.ts';
import type { Database, FullPostRow } from './types.ts';

// The write side of posts. Each function runs inside the caller's transaction, so a mutation is
// all of its statements or none of them.

type Trx = Transaction<Database> | Kysely<Database>;

export interface WrittenPost {
  readonly post: FullPostRow;
  readonly tagIds: number[];
}

/**
 * Ids of the named tags, creating the missing ones; safe against a concurrent creator of the same
 * names. Two transactions that insert the same new names each wait on the other's uncommitted
 * rows, so they insert in one fixed (sorted) order: in any other, each can hold a name the other
 * waits for, and Postgres aborts one as a deadlock.
 */
export async function ensureTags(trx: Trx, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const sorted = [...new Set(names)].sort();
  await sql`insert into tags (name) select name from unnest(${sorted}::text[]) with ordinality as given(name, position)
    order by position on conflict (name) do nothing`.execute(trx);
  const rows = await trx.selectFrom('tags').select(['id', 'name']).where('name', '=', (eb) => eb.fn.any(eb.val([...names]))).execute();
  const byName = new Map(rows.map((row) => [row.name, row.id]));
  return names.map((name) => byName.get(name) as number);
}

async function linkTags(trx: Trx, postId: number, tagIds: readonly number[]): Promise<void> {
  if (tagIds.length === 0) return;
  await sql`insert into post_tags (post_id, tag_id) select ${postId}, unnest(${tagIds}::int[])`.execute(trx);
}

async function tagIdsOf(trx: Trx, postId: number): Promise<number[]> {
  const rows = await trx.selectFrom('post_tags').select('tag_id').where('post_id', '=', postId).orderBy('tag_id').execute();
  return rows.map((row) => row.tag_id);
}

export async function insertPost(trx: Trx, fields: { authorId: number; title: string; body: string; tags: readonly string[] }): Promise<WrittenPost> {
  const { rows } = await sql<FullPostRow>`insert into posts (author_id, title, body, word_count)
    values (${fields.authorId}, ${fields.title}, ${fields.body}, ${countWords(fields.body)})
    returning ${postColumns('posts', OPTIONAL_POST_COLUMNS)}`.execute(trx);
  const post = rows[0] as FullPostRow;
  const tagIds = await ensureTags(trx, fields.tags);
  await linkTags(trx, post.id, tagIds);
  return { post, tagIds };
}

/** The post's author, with the row locked until the transaction ends; undefined if there is no such post. */
export async function lockPostAuthor(trx: Trx, postId: number): Promise<number | undefined> {
  const row = await trx.selectFrom('posts').select('author_id').where('id', '=', postId).forUpdate().executeTakeFirst();
  return row?.author_id;
}

export interface PostUpdate {
  readonly post: FullPostRow;
  readonly tagIdsBefore: number[];
  readonly tagIdsAfter: number[];
  readonly wordCountChanged: boolean;
}

export async function updatePostRow(
  trx: Trx,
  postId: number,
  fields: { title?: string; body?: string; tags?: readonly string[] },
): Promise<PostUpdate> {
  const before = await trx.selectFrom('posts').select('word_count').where('id', '=', postId).executeTakeFirstOrThrow();
  const wordCount = fields.body === undefined ? before.word_count : countWords(fields.body);
  const { rows } = await sql<FullPostRow>`update posts set
      title = coalesce(${fields.title ?? null}::text, title),
      body = coalesce(${fields.body ?? null}::text, body),
      word_count = ${wordCount},
      updated_at = now()
    where id = ${postId}
    returning ${postColumns('posts', OPTIONAL_POST_COLUMNS)}`.execute(trx);
  const tagIdsBefore = await tagIdsOf(trx, postId);
  let tagIdsAfter = tagIdsBefore;
  if (fields.tags !== undefined) {
    tagIdsAfter = await ensureTags(trx, fields.tags);
    await trx.deleteFrom('post_tags').where('post_id', '=', postId).execute();
    await linkTags(trx, postId, tagIdsAfter);
  }
  return { post: rows[0] as FullPostRow, tagIdsBefore, tagIdsAfter, wordCountChanged: wordCount !== before.word_count };
}

/** Deletes the post (its tag links go with it) and returns the tags it had. */
export async function deletePostRow(trx: Trx, postId: number): Promise<number[]> {
  const tagIds = await tagIdsOf(trx, postId);
  await trx.deleteFrom('posts').where('id', '=', postId).execute();
  return tagIds;
}
