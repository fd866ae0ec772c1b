import type { Kysely } from 'kysely';
import type { Database, TagRow } from '../db/types.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';

export function createTagById(db: Kysely<Database>, options: LoaderOptions) {
  return createLoader<number, TagRow | null>(
    'tagById',
    async (ids) => {
      const rows = await db
        .selectFrom('tags')
        .select(['id', 'name'])
        .where('id', '=', (eb) => eb.fn.any(eb.val(ids as number[])))
        .execute();
      return orderByKeys(ids, rows, (row) => row.id);
    },
    options,
  );
}
