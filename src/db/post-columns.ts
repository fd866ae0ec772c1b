import { type RawBuilder, sql } from 'kysely';

/** Every posts column but the body: bodies are most of a row's bytes and most lists never show them. */
export const POST_LIST_COLUMNS = ['id', 'author_id', 'title', 'word_count', 'created_at', 'updated_at'] as const;

export function postColumns(alias: string, withBody: boolean): RawBuilder<unknown> {
  const columns: string[] = withBody ? [...POST_LIST_COLUMNS, 'body'] : [...POST_LIST_COLUMNS];
  return sql.join(columns.map((column) => sql.ref(`${alias}.${column}`)));
}
