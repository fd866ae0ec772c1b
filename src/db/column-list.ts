import { type RawBuilder, sql } from 'kysely';

// Kysely's builders are immutable, so one list per table, alias and column set serves every
// query; parsing the column references again for each page was 1.5% of the server's CPU on
// bench A.
const lists = new WeakMap<readonly string[], Map<string, RawBuilder<unknown>>>();

/** `alias.a, alias.b, ...`: the columns a row always carries, then the optional ones asked for. */
export function columnList(alias: string, always: readonly string[], optional: readonly string[]): RawBuilder<unknown> {
  let byKey = lists.get(always);
  if (!byKey) lists.set(always, (byKey = new Map()));
  const key = `${alias}|${optional.join(',')}`;
  let list = byKey.get(key);
  if (!list) {
    list = sql.join([...always, ...optional].map((column) => sql.ref(`${alias}.${column}`)));
    byKey.set(key, list);
  }
  return list;
}
