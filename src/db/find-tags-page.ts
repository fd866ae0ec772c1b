import { type Kysely, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import { countRows, findPage } from './find-page.ts';
import { TAG_ORDERING } from '../pagination/orderings.ts';
import type { Database, TagRow } from './types.ts';

export function findTagsPage(db: Kysely<Database>, window: PageWindow): Promise<TagRow[]> {
  return findPage<TagRow>(db, { from: sql`tags tag`, alias: 'tag', columns: sql`tag.id, tag.name`, ordering: TAG_ORDERING, window });
}

export function countTags(db: Kysely<Database>): Promise<number> {
  return countRows(db, sql`tags`);
}
