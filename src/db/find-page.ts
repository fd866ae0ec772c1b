import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import { keysetOrderBy, keysetWhere, type Ordering } from './orderings.ts';

export interface PageQuery {
  /** FROM clause (with joins); the listed table is aliased `alias`. */
  readonly from: RawBuilder<unknown>;
  readonly alias: string;
  readonly columns: RawBuilder<unknown>;
  readonly ordering: Ordering<never>;
  readonly window: PageWindow;
  readonly filters?: readonly RawBuilder<unknown>[];
}

/** One keyset page of a top-level list: `limit + 1` rows in window order (see toConnection). */
export async function findPage<Row>(db: Kysely<any>, query: PageQuery): Promise<Row[]> {
  const { from, alias, columns, ordering, window } = query;
  const conditions = [...(query.filters ?? []), keysetWhere(alias, ordering, window)];
  const { rows } = await sql<Row>`select ${columns} from ${from}
    where ${sql.join(conditions, sql` and `)}
    order by ${keysetOrderBy(alias, ordering, window)}
    limit ${window.limit + 1}`.execute(db);
  return rows;
}

/** The size of the whole filtered list (totalCount), ignoring the page. */
export async function countRows(db: Kysely<any>, from: RawBuilder<unknown>, filters: readonly RawBuilder<unknown>[] = []): Promise<number> {
  const where = filters.length > 0 ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${from} ${where}`.execute(db);
  return rows[0]?.n ?? 0;
}
