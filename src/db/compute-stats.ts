import { type Kysely, sql } from 'kysely';
import type { Database, TagRow } from './types.ts';

/** topTags is computed once for its largest allowed limit; smaller limits slice it. */
export const MAX_TOP_TAGS = 100;

export interface TagCountRow {
  readonly tag: TagRow;
  readonly count: number;
}

export interface StatsSnapshot {
  readonly postCount: number;
  readonly authorCount: number;
  readonly tagCount: number;
  readonly totalWords: number;
  readonly topTags: readonly TagCountRow[];
  readonly computedAt: Date;
}

/** The deliberately expensive aggregate: scans whole tables, in one statement. */
export async function computeStats(db: Kysely<Database>): Promise<StatsSnapshot> {
  const { rows } = await sql<{
    post_count: number;
    author_count: number;
    tag_count: number;
    total_words: number;
    top_tags: { id: number; name: string; count: number }[];
  }>`select
      (select count(*)::int from posts) as post_count,
      (select count(*)::int from authors) as author_count,
      (select count(*)::int from tags) as tag_count,
      (select coalesce(sum(word_count), 0)::float8 from posts) as total_words,
      coalesce((select json_agg(top) from (
        select tag.id, tag.name, count(*)::int as count
        from post_tags link join tags tag on tag.id = link.tag_id
        group by tag.id order by count desc, tag.name limit ${MAX_TOP_TAGS}
      ) top), '[]'::json) as top_tags`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('stats query returned no row');
  return {
    postCount: row.post_count,
    authorCount: row.author_count,
    tagCount: row.tag_count,
    totalWords: Number(row.total_words),
    topTags: row.top_tags.map(({ id, name, count }) => ({ tag: { id, name }, count })),
    computedAt: new Date(),
  };
}
