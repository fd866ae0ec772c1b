import type { Kysely } from 'kysely';
import type { Database, TagRow } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';

const TAGS_BY_NAME = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('name', '=', (eb) => eb.fn.any(eb.val([] as string[])))
    .compile(),
);

export function createTagByName(db: Kysely<Database>, options: LoaderOptions) {
  return createLoader<string, TagRow | null>(
    'tagByName',
    async (names) => {
      const rows = await TAGS_BY_NAME.execute(db, [names], options.trace);
      return orderByKeys(names, rows, (row) => row.name);
    },
    options,
  );
}
