import type { Kysely } from 'kysely';
import type { Database, TagRow } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';
import type { RequestDatabase } from '../db/request-database.ts';

const TAGS_BY_ID = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
    .compile(),
);

export function createTagById(db: RequestDatabase, options: LoaderOptions) {
  return createLoader<number, TagRow | null>(
    'tagById',
    async (ids) => {
      const rows = await db.run(TAGS_BY_ID, [ids]);
      return orderByKeys(ids, rows, (row) => row.id);
    },
    options,
  );
}
