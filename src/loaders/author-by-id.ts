import type { CompiledQuery, Kysely } from 'kysely';
import { AUTHOR_COLUMNS, type OptionalAuthorColumn } from '../db/author-columns.ts';
import { type PreparedQuery, prepareQuery } from '../db/prepared-query.ts';
import type { AuthorRow, Database } from '../db/types.ts';
import { createLoader, createLoaderFamily, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';
import type { RequestDatabase } from '../db/request-database.ts';

// One statement per column set (at most four), compiled on first use.
const statements = new Map<string, PreparedQuery<Database, AuthorRow>>();

function authorsById(columns: readonly OptionalAuthorColumn[]): PreparedQuery<Database, AuthorRow> {
  const key = columns.join(',');
  let statement = statements.get(key);
  if (!statement) {
    statement = prepareQuery((db: Kysely<Database>) =>
      db
        .selectFrom('authors')
        .select([...AUTHOR_COLUMNS, ...columns])
        .where('id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
        .compile() as CompiledQuery<AuthorRow>,
    );
    statements.set(key, statement);
  }
  return statement;
}

/**
 * Authors by id with the optional columns a field reads (in OPTIONAL_AUTHOR_COLUMNS order): one
 * loader per column set, so `author { name }` under 100 posts fetches no bios.
 */
export function createAuthorById(db: RequestDatabase, options: LoaderOptions) {
  return createLoaderFamily(
    (columns: readonly OptionalAuthorColumn[]) => columns.join(','),
    (columns) =>
      createLoader<number, AuthorRow | null>(
        'authorById',
        async (ids) => {
          const rows = await db.run(authorsById(columns), [ids]);
          return orderByKeys(ids, rows, (row) => row.id);
        },
        options,
      ),
  );
}
