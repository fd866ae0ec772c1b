import type { RawBuilder } from 'kysely';
import { columnList } from './column-list.ts';

/** The posts columns every list row carries: keys, the default ordering's column and the title. */
export const POST_LIST_COLUMNS = ['id', 'author_id', 'title', 'created_at'] as const;

/**
 * Columns a list fetches only when its query asks for a field that reads them (Django's
 * `.only()`): bodies are most of a row's bytes, and parsing an unread timestamp for every row
 * was a measurable share of a page's CPU.
 */
export const OPTIONAL_POST_COLUMNS = ['body', 'word_count', 'updated_at'] as const;
export type OptionalPostColumn = (typeof OPTIONAL_POST_COLUMNS)[number];

/** `optional` in OPTIONAL_POST_COLUMNS order (selectedPostColumns gives it so): one text per set. */
export function postColumns(alias: string, optional: readonly OptionalPostColumn[]): RawBuilder<unknown> {
  return columnList(alias, POST_LIST_COLUMNS, optional);
}
