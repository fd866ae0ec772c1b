import { type Kysely, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import { countRows, findPage } from './find-page.ts';
import { TAG_ORDERING } from '../pagination/orderings.ts';
import type { RequestDatabase } from './request-database.ts';
import type { Database, TagRow } from './types.ts';

const TAG_PARTS = () => ({ from: sql`tags tag`, alias: 'tag', columns: sql`tag.id, tag.name` });

export function findTagsPage(database: RequestDatabase, window: PageWindow): Promise<TagRow[]> {
  return findPage<TagRow>(database, { shape: 'tags', ordering: TAG_ORDERING, window, values: {}, parts: TAG_PARTS });
}

export function countTags(db: Kysely<Database>): Promise<number> {
  return countRows(db, sql`tags`);
}
