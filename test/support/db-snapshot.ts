import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/types.ts';

export interface DatabaseSnapshot {
  readonly counts: { posts: number; tags: number; postTags: number };
  /** A digest of every row of posts, tags and post_tags: equal digests, equal tables. */
  readonly digest: string;
}

/** What a failed mutation must leave exactly as it was. */
export async function snapshotDatabase(db: Kysely<Database>): Promise<DatabaseSnapshot> {
  const { rows } = await sql<{ posts: number; tags: number; post_tags: number; digest: string }>`select
      (select count(*)::int from posts) as posts,
      (select count(*)::int from tags) as tags,
      (select count(*)::int from post_tags) as post_tags,
      md5(
        coalesce((select string_agg(concat_ws('|', id, author_id, title, md5(body), word_count, created_at, updated_at), ',' order by id) from posts), '') ||
        coalesce((select string_agg(concat_ws('|', id, name), ',' order by id) from tags), '') ||
        coalesce((select string_agg(concat_ws('|', post_id, tag_id), ',' order by post_id, tag_id) from post_tags), '')
      ) as digest`.execute(db);
  const row = rows[0]!;
  return { counts: { posts: row.posts, tags: row.tags, postTags: row.post_tags }, digest: row.digest };
}
