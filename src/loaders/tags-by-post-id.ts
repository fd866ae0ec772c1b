import type { Kysely } from 'kysely';
import type { Database, TagRow } from '../db/types.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import { createLoader, type LoaderOptions } from './create-loader.ts';
import { groupByKeys } from './order-by-keys.ts';
import type { RequestDatabase } from '../db/request-database.ts';

const TAGS_BY_POST_ID = prepareQuery((db: Kysely<Database>) =>
  db
    .selectFrom('post_tags')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['post_tags.post_id', 'tags.id', 'tags.name'])
    .where('post_tags.post_id', '=', (eb) => eb.fn.any(eb.val([] as number[])))
    .orderBy('tags.name')
    .compile(),
);

export function createTagsByPostId(db: RequestDatabase, options: LoaderOptions) {
  return createLoader<number, TagRow[]>(
    'tagsByPostId',
    async (postIds) => {
      const rows = await db.run(TAGS_BY_POST_ID, [postIds]);
      // Rows keep their post_id: a tag served as is, not copied per post (B: ~300 objects a request).
      return groupByKeys(postIds, rows, (row) => row.post_id);
    },
    options,
  );
}
