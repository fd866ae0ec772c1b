import { type Kysely, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import { countRows, findPage } from './find-page.ts';
import type { Ordering } from './orderings.ts';
import type { AuthorRow, Database } from './types.ts';

export function findAuthorsPage(db: Kysely<Database>, ordering: Ordering<AuthorRow>, window: PageWindow): Promise<AuthorRow[]> {
  return findPage<AuthorRow>(db, {
    from: sql`authors author`,
    alias: 'author',
    columns: sql`author.id, author.name, author.bio, author.created_at`,
    ordering,
    window,
  });
}

export function countAuthors(db: Kysely<Database>): Promise<number> {
  return countRows(db, sql`authors`);
}
