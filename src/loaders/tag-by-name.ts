import type { Kysely } from 'kysely';
import type { Database, TagRow } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';
import type { RequestDatabase } from '../db/request-database.ts';

const TAGS_BY_NAME = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('name', '=', (eb) => eb.fn.any(eb.val([] as string[])))
    .compile(),
);

export function createTagByName(db: RequestDatabase, options: LoaderOptions) {
  return createLoader<string, TagRow | null>(
    'tagByName',
    async (names) => {
      const rows = await db.run(TAGS_BY_NAME, [names]);
      return orderByKeys(names, rows, (row) => row.name);
    },
    options,
  );
}
