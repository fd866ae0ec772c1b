import { type RawBuilder, sql } from 'kysely';

/** The posts columns every list row carries: keys, the default ordering's column and the title. */
export const POST_LIST_COLUMNS = ['id', 'author_id', 'title', 'created_at'] as const;

/**
 * Columns a list fetches only when its query asks for a field that reads them (Django's
 * `.only()`): bodies are most of a row's bytes, and parsing an unread timestamp for every row
 * was a measurable share of a page's CPU.
 */
export const OPTIONAL_POST_COLUMNS = ['body', 'word_count', 'updated_at'] as const;
export type OptionalPostColumn = (typeof OPTIONAL_POST_COLUMNS)[number];

// Kysely's builders are immutable, so one list per alias and column set serves every query;
// parsing the column references again for each page was 1.5% of the server's CPU on bench A.
const lists = new Map<string, RawBuilder<unknown>>();

/** `optional` in OPTIONAL_POST_COLUMNS order (selectedColumns gives it so): one text per set. */
export function postColumns(alias: string, optional: readonly OptionalPostColumn[]): RawBuilder<unknown> {
  const key = `${alias}|${optional.join(',')}`;
  let list = lists.get(key);
  if (!list) {
    list = sql.join([...POST_LIST_COLUMNS, ...optional].map((column) => sql.ref(`${alias}.${column}`)));
    lists.set(key, list);
  }
  return list;
}
