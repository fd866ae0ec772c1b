import type { Kysely } from 'kysely';
import type { Database, TagRow } from '../db/types.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';

export function createTagByName(db: Kysely<Database>, options: LoaderOptions) {
  return createLoader<string, TagRow | null>(
    'tagByName',
    async (names) => {
      const rows = await db
        .selectFrom('tags')
        .select(['id', 'name'])
        .where('name', '=', (eb) => eb.fn.any(eb.val(names as string[])))
        .execute();
      return orderByKeys(names, rows, (row) => row.name);
    },
    options,
  );
}
