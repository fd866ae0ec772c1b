import { type RawBuilder, sql } from 'kysely';

/** The authors columns every row carries. */
export const AUTHOR_COLUMNS = ['id', 'name'] as const;

/** Columns fetched only when the query asks for a field that reads them (see post-columns.ts). */
export const OPTIONAL_AUTHOR_COLUMNS = ['bio', 'created_at'] as const;
export type OptionalAuthorColumn = (typeof OPTIONAL_AUTHOR_COLUMNS)[number];

const lists = new Map<string, RawBuilder<unknown>>();

/** `optional` in OPTIONAL_AUTHOR_COLUMNS order: one statement text per column set. */
export function authorColumns(alias: string, optional: readonly OptionalAuthorColumn[]): RawBuilder<unknown> {
  const key = `${alias}|${optional.join(',')}`;
  let list = lists.get(key);
  if (!list) {
    list = sql.join([...AUTHOR_COLUMNS, ...optional].map((column) => sql.ref(`${alias}.${column}`)));
    lists.set(key, list);
  }
  return list;
}
