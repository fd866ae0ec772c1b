import type { OptionalAuthorColumn } from '../db/author-columns.ts';
import type { RelatedPostRow } from '../db/post-relations.ts';
import type { AuthorRow } from '../db/types.ts';
import type { Loaders } from './create-loaders.ts';

/** Which loaders a page's rows prime: one authorById loader per column set its fields read, and tagsByPostId. */
export interface PrimedRelations {
  /** Each column set with which a field under the page loads Post.author (the loader family's key). */
  readonly authorColumnSets: readonly (readonly OptionalAuthorColumn[])[];
  readonly tags: boolean;
}

/** The author of `row` with exactly `columns` beside id and name: the row authorById(columns) gives. */
function authorOf(row: RelatedPostRow, columns: readonly OptionalAuthorColumn[]): AuthorRow {
  const author: AuthorRow = { id: row.author_id, name: row.author_name! };
  for (const column of columns) (author as Record<string, unknown>)[column] = row[`author_${column}`];
  return author;
}

/**
 * Puts the authors and tags a page read with its rows into the request's loaders, so that
 * Post.author and Post.tags are memo hits instead of a statement each. Each author goes to the
 * loader of its own column set, never a row with fewer columns where a field expects more.
 */
export function primePostRelations<Row extends RelatedPostRow>(loaders: Loaders, rows: readonly Row[], primed: PrimedRelations): readonly Row[] {
  if (rows.length === 0) return rows;
  for (const columns of primed.authorColumnSets) {
    const loader = loaders.authorById(columns);
    // Once per author: priming a key already held would count as a memo hit in the trace.
    const seen = new Set<number>();
    for (const row of rows) {
      if (seen.has(row.author_id)) continue;
      seen.add(row.author_id);
      loader.prime(row.author_id, authorOf(row, columns));
    }
  }
  if (primed.tags) {
    const loader = loaders.tagsByPostId;
    // A post without tags has no group in the page's tags join.
    for (const row of rows) loader.prime(row.id, row.related_tags ?? []);
  }
  return rows;
}
