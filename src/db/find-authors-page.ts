import { type Kysely, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import { countRows, findPage } from './find-page.ts';
import type { Ordering } from '../pagination/orderings.ts';
import { authorColumns, type OptionalAuthorColumn } from './author-columns.ts';
import type { RequestDatabase } from './request-database.ts';
import type { AuthorRow, Database } from './types.ts';

/** `columns`: the optional ones the query reads; the ordering's own column is added when it is one. */
export function findAuthorsPage(
  database: RequestDatabase,
  ordering: Ordering<AuthorRow>,
  window: PageWindow,
  columns: readonly OptionalAuthorColumn[],
): Promise<AuthorRow[]> {
  return findPage<AuthorRow>(database, {
    shape: `authors|${columns.join(',')}`,
    ordering,
    window,
    values: {},
    parts: () => {
      const withOrdering = ordering.column === 'created_at' && !columns.includes('created_at') ? [...columns, 'created_at' as const] : columns;
      return { from: sql`authors author`, alias: 'author', columns: authorColumns('author', withOrdering) };
    },
  });
}

export function countAuthors(db: Kysely<Database>): Promise<number> {
  return countRows(db, sql`authors`);
}
