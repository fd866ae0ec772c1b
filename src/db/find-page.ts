import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import type { CursorKey } from '../pagination/cursor.ts';
import type { Ordering } from '../pagination/orderings.ts';

// Keyset SQL: the one place that turns an ordering and a page window into WHERE, ORDER BY and
// LIMIT. A page reads `limit + 1` rows in window order (the extra row tells toConnection that
// there is another page); a `last` page reads in reverse order and toConnection flips it.

function bound(alias: string, ordering: Ordering<never>, key: CursorKey, operator: '<' | '>'): RawBuilder<unknown> {
  const column = sql.ref(`${alias}.${ordering.column}`);
  const id = sql.ref(`${alias}.id`);
  return sql`(${column}, ${id}) ${sql.raw(operator)} (${key.value}::${sql.raw(ordering.sqlType)}, ${key.id}::int)`;
}

/** The WHERE conditions that cut the window out of the ordered rows (`true` when unbounded). */
function keysetWhere(alias: string, ordering: Ordering<never>, window: PageWindow): RawBuilder<boolean> {
  const ascending = ordering.direction === 'ASC';
  const parts: RawBuilder<unknown>[] = [];
  if (window.after) parts.push(bound(alias, ordering, window.after, ascending ? '>' : '<'));
  if (window.before) parts.push(bound(alias, ordering, window.before, ascending ? '<' : '>'));
  return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`${sql.join(parts, sql` and `)}`;
}

// Immutable builders, one per alias, column and direction (a handful per process).
const orderBys = new Map<string, RawBuilder<unknown>>();

/** ORDER BY for the window: list order forwards, reversed for a `last` page. */
function keysetOrderBy(alias: string, ordering: Ordering<never>, window: PageWindow): RawBuilder<unknown> {
  const ascending = (ordering.direction === 'ASC') !== window.backward;
  const key = `${alias}|${ordering.column}|${ascending}`;
  let orderBy = orderBys.get(key);
  if (!orderBy) {
    const direction = sql.raw(ascending ? 'asc' : 'desc');
    orderBy = sql`${sql.ref(`${alias}.${ordering.column}`)} ${direction}, ${sql.ref(`${alias}.id`)} ${direction}`;
    orderBys.set(key, orderBy);
  }
  return orderBy;
}

export interface PageQuery {
  /** FROM clause (with joins); the listed table is aliased `alias`. */
  readonly from: RawBuilder<unknown>;
  readonly alias: string;
  readonly columns: RawBuilder<unknown>;
  readonly ordering: Ordering<never>;
  readonly window: PageWindow;
  readonly filters?: readonly RawBuilder<unknown>[];
}

/** One keyset page of a top-level list. */
export async function findPage<Row>(db: Kysely<any>, query: PageQuery): Promise<Row[]> {
  const { from, alias, columns, ordering, window } = query;
  const conditions = [...(query.filters ?? []), keysetWhere(alias, ordering, window)];
  const { rows } = await sql<Row>`select ${columns} from ${from}
    where ${sql.join(conditions, sql` and `)}
    order by ${keysetOrderBy(alias, ordering, window)}
    limit ${window.limit + 1}`.execute(db);
  return rows;
}

export interface ChildPageQuery extends PageQuery {
  /** What the outer query returns of each row: `page.*`, with the parent's id when no row column holds it. */
  readonly select: RawBuilder<unknown>;
  /** The condition tying a row of `from` to `parent.id`. */
  readonly parentMatch: RawBuilder<unknown>;
}

/**
 * One keyset page for each of many parents in ONE statement: a LATERAL subquery runs the page
 * per parent id, and the rows come back grouped by parent in `parentIds` order.
 */
export async function findChildPages<Row>(db: Kysely<any>, parentIds: readonly number[], query: ChildPageQuery): Promise<Row[]> {
  const { select, from, alias, columns, parentMatch, ordering, window } = query;
  const { rows } = await sql<Row>`select ${select}
          from unnest(${parentIds}::int[]) with ordinality as parent(id, ord)
          cross join lateral (
            select ${columns} from ${from}
            where ${parentMatch} and ${keysetWhere(alias, ordering, window)}
            order by ${keysetOrderBy(alias, ordering, window)}
            limit ${window.limit + 1}
          ) page
          order by parent.ord, ${keysetOrderBy('page', ordering, window)}`.execute(db);
  return rows;
}

/** The size of the whole filtered list (totalCount), ignoring the page. */
export async function countRows(db: Kysely<any>, from: RawBuilder<unknown>, filters: readonly RawBuilder<unknown>[] = []): Promise<number> {
  const where = filters.length > 0 ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${from} ${where}`.execute(db);
  return rows[0]?.n ?? 0;
}
