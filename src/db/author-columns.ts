import type { RawBuilder } from 'kysely';
import { columnList } from './column-list.ts';

/** The authors columns every row carries. */
export const AUTHOR_COLUMNS = ['id', 'name'] as const;

/** Columns fetched only when the query asks for a field that reads them (see post-columns.ts). */
export const OPTIONAL_AUTHOR_COLUMNS = ['bio', 'created_at'] as const;
export type OptionalAuthorColumn = (typeof OPTIONAL_AUTHOR_COLUMNS)[number];

/** `optional` in OPTIONAL_AUTHOR_COLUMNS order: one statement text per column set. */
export function authorColumns(alias: string, optional: readonly OptionalAuthorColumn[]): RawBuilder<unknown> {
  return columnList(alias, AUTHOR_COLUMNS, optional);
}
