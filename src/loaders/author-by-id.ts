import type { Kysely } from 'kysely';
import type { AuthorRow, Database } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';

const AUTHORS_BY_ID = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('authors')
    .select(['id', 'name', 'bio', 'created_at'])
    .where('id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
    .compile(),
);

export function createAuthorById(db: Kysely<Database>, options: LoaderOptions) {
  return createLoader<number, AuthorRow | null>(
    'authorById',
    async (ids) => {
      const rows = await AUTHORS_BY_ID.execute(db, [ids], options.trace);
      return orderByKeys(ids, rows, (row) => row.id);
    },
    options,
  );
}
