import type { Kysely } from 'kysely';
import type { AuthorRow, Database } from '../db/types.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';

export function createAuthorById(db: Kysely<Database>, options: LoaderOptions) {
  return createLoader<number, AuthorRow | null>(
    'authorById',
    async (ids) => {
      const rows = await db
        .selectFrom('authors')
        .select(['id', 'name', 'bio', 'created_at'])
        .where('id', '=', (eb) => eb.fn.any(eb.val(ids as number[])))
        .execute();
      return orderByKeys(ids, rows, (row) => row.id);
    },
    options,
  );
}
