import { type Kysely, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import { countRows, findPage } from './find-page.ts';
import type { Ordering } from '../pagination/orderings.ts';
import { authorColumns, type OptionalAuthorColumn } from './author-columns.ts';
import type { AuthorRow, Database } from './types.ts';

/** `columns`: the optional ones the query reads; the ordering's own column is added when it is one. */
export function findAuthorsPage(
  db: Kysely<Database>,
  ordering: Ordering<AuthorRow>,
  window: PageWindow,
  columns: readonly OptionalAuthorColumn[],
): Promise<AuthorRow[]> {
  const withOrdering = ordering.column === 'created_at' && !columns.includes('created_at') ? [...columns, 'created_at' as const] : columns;
  return findPage<AuthorRow>(db, {
    from: sql`authors author`,
    alias: 'author',
    columns: authorColumns('author', withOrdering),
    ordering,
    window,
  });
}

export function countAuthors(db: Kysely<Database>): Promise<number> {
  return countRows(db, sql`authors`);
}
