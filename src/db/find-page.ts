import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { PageWindow } from '../pagination/connection-args.ts';
import type { Ordering } from '../pagination/orderings.ts';
import type { RequestDatabase } from './request-database.ts';
import { shapedQueries, slot } from './shaped-query.ts';

// Keyset SQL: the one place that turns an ordering and a page window into WHERE, ORDER BY and
// LIMIT. A page reads `limit + 1` rows in window order (the extra row tells toConnection that
// there is another page); a `last` page reads in reverse order and toConnection flips it.
// Statements are built once per shape and take the window's bounds as values. The limit is part of
// the text: Postgres plans a named statement once (a generic plan) only when its row count is
// known, and replanned the page with its relations on every call while the limit was a parameter.

// The cursor's values reach the condition through `(select $n)`, which the planner cannot see
// into: every plan of the statement then prices the same window, so Postgres settles on one
// generic plan instead of planning each call again. Seeing the values gains nothing (the index walk
// stops after `limit + 1` rows wherever it starts) but moved each call's estimate enough that the
// automatic choice kept replanning. Filters that do steer the plan, like a tag, stay visible.
function bound(alias: string, ordering: Ordering<never>, side: 'after' | 'before', operator: '<' | '>'): RawBuilder<unknown> {
  const column = sql.ref(`${alias}.${ordering.column}`);
  const id = sql.ref(`${alias}.id`);
  const value = sql`(select ${slot(`${side}_value`)}::${sql.raw(ordering.sqlType)})`;
  return sql`(${column}, ${id}) ${sql.raw(operator)} (${value}, (select ${slot(`${side}_id`)}::int))`;
}

/** The WHERE conditions that cut the window out of the ordered rows (`true` when unbounded). */
function keysetWhere(alias: string, ordering: Ordering<never>, window: PageWindow): RawBuilder<boolean> {
  const ascending = ordering.direction === 'ASC';
  const parts: RawBuilder<unknown>[] = [];
  if (window.after) parts.push(bound(alias, ordering, 'after', ascending ? '>' : '<'));
  if (window.before) parts.push(bound(alias, ordering, 'before', ascending ? '<' : '>'));
  return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`${sql.join(parts, sql` and `)}`;
}

/** ORDER BY for the window: list order forwards, reversed for a `last` page. */
function keysetOrderBy(alias: string, ordering: Ordering<never>, window: PageWindow): RawBuilder<unknown> {
  const ascending = (ordering.direction === 'ASC') !== window.backward;
  const direction = sql.raw(ascending ? 'asc' : 'desc');
  return sql`${sql.ref(`${alias}.${ordering.column}`)} ${direction}, ${sql.ref(`${alias}.id`)} ${direction}`;
}

/** What of a window changes a statement's text: its direction, which bounds it has, and its size. */
function windowShape(ordering: Ordering<never>, window: PageWindow): string {
  return `${ordering.name}|${ordering.direction}|${window.backward ? 'b' : 'f'}${window.after ? 'a' : ''}${window.before ? 'z' : ''}|${window.limit}`;
}

/** `limit + 1` rows: the extra one says whether there is another page. */
function limitOf(window: PageWindow): RawBuilder<unknown> {
  return sql.lit(window.limit + 1);
}

/** The values of a window's slots, added to the caller's own. */
function windowValues(window: PageWindow, values: Record<string, unknown>): Record<string, unknown> {
  if (window.after) {
    values.after_value = window.after.value;
    values.after_id = window.after.id;
  }
  if (window.before) {
    values.before_value = window.before.value;
    values.before_id = window.before.id;
  }
  return values;
}

/**
 * Columns and joins added over the page's rows once the window is cut: the rows are the
 * materialized `page`, which `joins` may read again (`any(array(select id from page))`), so a
 * relation is read for the whole page at once rather than by a subquery per row.
 */
export interface RelatedParts {
  /** Extra select-list entries, each after a comma: `, author.name as author_name`. */
  readonly select: RawBuilder<unknown>;
  readonly joins: RawBuilder<unknown>;
}

// The statement still begins with `select` (the trace explains only those on demand).
function withRelated(page: RawBuilder<unknown>, related: RelatedParts, ordering: Ordering<never>, window: PageWindow): RawBuilder<unknown> {
  return sql`select * from (
    with page as materialized (${page})
    select page.* ${related.select} from page ${related.joins}
  ) page
  order by ${keysetOrderBy('page', ordering, window)}`;
}

export interface PageParts {
  /** FROM clause (with joins); the listed table is aliased `alias`. */
  readonly from: RawBuilder<unknown>;
  readonly alias: string;
  readonly columns: RawBuilder<unknown>;
  /** Conditions, taking their values through slots. */
  readonly filters?: readonly RawBuilder<unknown>[];
  readonly related?: RelatedParts;
}

export interface PageQuery {
  /** Names everything of the statement's text but the ordering and the window: table, columns, filter kinds, related. */
  readonly shape: string;
  readonly ordering: Ordering<never>;
  readonly window: PageWindow;
  /** The filters' slot values (a fresh object: the window's are added to it). */
  readonly values: Record<string, unknown>;
  /** The statement's parts, asked for only the first time a shape runs. */
  readonly parts: () => PageParts;
}

/** The window's rows of `parts` that meet `conditions`, in window order. */
function keysetPage(parts: PageParts, conditions: readonly RawBuilder<unknown>[], ordering: Ordering<never>, window: PageWindow): RawBuilder<unknown> {
  const { from, alias, columns } = parts;
  return sql`select ${columns} from ${from}
    where ${sql.join([...conditions, keysetWhere(alias, ordering, window)], sql` and `)}
    order by ${keysetOrderBy(alias, ordering, window)}
    limit ${limitOf(window)}`;
}

const pages = shapedQueries<any>();

/** One keyset page of a top-level list. */
export function findPage<Row>(database: RequestDatabase, query: PageQuery): Promise<Row[]> {
  const { ordering, window } = query;
  const statement = pages(`${query.shape}|${windowShape(ordering, window)}`, () => {
    const parts = query.parts();
    const page = keysetPage(parts, parts.filters ?? [], ordering, window);
    return parts.related ? withRelated(page, parts.related, ordering, window) : page;
  });
  return statement.run(database, windowValues(window, query.values));
}

export interface ChildPageParts extends PageParts {
  /** The condition tying a row of `from` to `parent.id`. */
  readonly parentMatch: RawBuilder<unknown>;
}

export interface ChildPageQuery extends PageQuery {
  readonly parts: () => ChildPageParts;
  /** The row columns that are timestamps: a page read as json carries them as text. */
  readonly timestamps: readonly string[];
}

const childPages = shapedQueries<any>();

/** One parent's page, in window order, as json (null when it is empty). */
function pageAsJson(parts: ChildPageParts, ordering: Ordering<never>, window: PageWindow): RawBuilder<unknown> {
  return sql`(select json_agg(page order by ${keysetOrderBy('page', ordering, window)})
    from (${keysetPage(parts, [parts.parentMatch], ordering, window)}) page)`;
}

/** Every parent's page as rows beside its place in `parent_ids`, with the relations joined over all of them. */
function pagesAsRows(parts: ChildPageParts, related: RelatedParts, ordering: Ordering<never>, window: PageWindow): RawBuilder<unknown> {
  const pages = sql`select parent.ord as parent_ord, page.*
    from unnest(${slot('parent_ids')}::int[]) with ordinality as parent(id, ord)
    cross join lateral (${keysetPage(parts, [parts.parentMatch], ordering, window)}) page`;
  return withRelated(pages, related, ordering, window);
}

/**
 * One keyset page for each of many parents in ONE statement: a subquery runs the page per parent
 * id. The pages come back in `parentIds` order, one per id. Without relations each parent's page
 * is one json value: Node parses a page of rows as one JSON text far faster than pg parses the rows
 * field by field. With relations (read over all the pages at once) the rows come back flat,
 * each with its parent's place.
 */
export async function findChildPages<Row>(database: RequestDatabase, parentIds: readonly number[], query: ChildPageQuery): Promise<Row[][]> {
  const { ordering, window } = query;
  const statement = childPages(`${query.shape}|${windowShape(ordering, window)}`, () => {
    const parts = query.parts();
    if (parts.related) return pagesAsRows(parts, parts.related, ordering, window);
    return sql`select ${pageAsJson(parts, ordering, window)} as page
          from unnest(${slot('parent_ids')}::int[]) with ordinality as parent(id, ord)
          order by parent.ord`;
  });
  const values = windowValues(window, query.values);
  values.parent_ids = parentIds;
  const rows = await statement.run(database, values);
  // The statement's text decides its rows' shape: one per parent holding its page, or flat rows.
  if (rows[0] && 'page' in rows[0]) return rows.map(({ page }) => (page ? reviveTimestamps(page, query.timestamps) : []));
  const pages: Row[][] = parentIds.map(() => []);
  for (const row of rows) pages[row.parent_ord - 1]!.push(row);
  return pages;
}

/** json has no dates: the columns that are timestamps become Dates again, as pg's own rows carry them. */
function reviveTimestamps<Row>(rows: Record<string, unknown>[], timestamps: readonly string[]): Row[] {
  for (const row of rows) {
    for (const column of timestamps) {
      const text = row[column];
      if (typeof text === 'string') row[column] = new Date(text);
    }
  }
  return rows as Row[];
}

/** The size of the whole filtered list (totalCount), ignoring the page. */
export async function countRows(db: Kysely<any>, from: RawBuilder<unknown>, filters: readonly RawBuilder<unknown>[] = []): Promise<number> {
  const where = filters.length > 0 ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${from} ${where}`.execute(db);
  return rows[0]?.n ?? 0;
}
