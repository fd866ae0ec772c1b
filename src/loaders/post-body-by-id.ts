import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { orderByKeys } from './order-by-keys.ts';
import type { RequestDatabase } from '../db/request-database.ts';

const BODIES_BY_ID = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('posts')
    .select(['id', 'body'])
    .where('id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
    .compile(),
);

/** Bodies of posts that a list loaded without them (a fallback: lists fetch bodies they see asked for). */
export function createPostBodyById(db: RequestDatabase, options: LoaderOptions) {
  return createLoader<number, string>(
    'postBodyById',
    async (ids) => {
      const rows = await db.run(BODIES_BY_ID, [ids]);
      return orderByKeys(ids, rows, (row) => row.id).map((row, i) => row?.body ?? new Error(`post ${ids[i]} has no body`));
    },
    options,
  );
}
