import { type RawBuilder, sql } from 'kysely';
import { badUserInput } from '../errors.ts';
import { isPostgresText } from '../text-argument.ts';
import type { PageWindow } from '../pagination/connection-args.ts';
import { type CursorKey, type CursorValue, decodeCursor, encodeCursor } from '../pagination/cursor.ts';
import type { AuthorRow, PostRow, TagRow } from './types.ts';

export type Direction = 'ASC' | 'DESC';

/**
 * A keyset ordering: a sort column plus the id as tie-breaker, so that rows sharing a timestamp
 * or a title still have one fixed place (a timestamp alone skips or repeats them across pages).
 */
export interface Ordering<Row> {
  /** Names the ordering inside cursors (direction is not part of it: a position is a position). */
  readonly name: string;
  readonly column: string;
  readonly sqlType: 'timestamptz' | 'text';
  readonly direction: Direction;
  valueOf(row: Row): CursorValue;
}

function timestampOrdering<Row extends { id: number; created_at?: Date }>(direction: Direction): Ordering<Row> {
  const valueOf = (row: Row) => {
    // Pages always fetch their ordering's column; a row without it is a bug, not user input.
    if (!row.created_at) throw new Error(`row ${row.id} was loaded without created_at, the column of its ordering`);
    return row.created_at.toISOString();
  };
  return { name: 'CREATED_AT', column: 'created_at', sqlType: 'timestamptz', direction, valueOf };
}

function textOrdering<Row extends { id: number }>(name: string, column: keyof Row & string, direction: Direction): Ordering<Row> {
  return { name, column, sqlType: 'text', direction, valueOf: (row) => row[column] as string };
}

export interface OrderInput<Field extends string> {
  readonly field?: Field | null;
  readonly direction?: Direction | null;
}

export const DEFAULT_POST_ORDER = { field: 'CREATED_AT', direction: 'DESC' } as const;
export const DEFAULT_AUTHOR_ORDER = { field: 'NAME', direction: 'ASC' } as const;

export function postOrdering(input?: OrderInput<'CREATED_AT' | 'TITLE'> | null): Ordering<PostRow> {
  const direction = input?.direction ?? DEFAULT_POST_ORDER.direction;
  return (input?.field ?? DEFAULT_POST_ORDER.field) === 'TITLE'
    ? textOrdering<PostRow>('TITLE', 'title', direction)
    : timestampOrdering<PostRow>(direction);
}

export function authorOrdering(input?: OrderInput<'NAME' | 'CREATED_AT'> | null): Ordering<AuthorRow> {
  const direction = input?.direction ?? DEFAULT_AUTHOR_ORDER.direction;
  return (input?.field ?? DEFAULT_AUTHOR_ORDER.field) === 'CREATED_AT'
    ? timestampOrdering<AuthorRow>(direction)
    : textOrdering<AuthorRow>('NAME', 'name', direction);
}

export const TAG_ORDERING: Ordering<TagRow> = textOrdering<TagRow>('NAME', 'name', 'ASC');

export function cursorOf<Row extends { id: number }>(ordering: Ordering<Row>): (row: Row) => string {
  return (row) => encodeCursor(ordering.name, ordering.valueOf(row), row.id);
}

// The only timestamps our cursors hold: Date#toISOString of a year-1-or-later instant. Date.parse
// alone is too lenient for Postgres, which refuses 2024-02-30, year 0000 and +275760-... with a 500.
const CURSOR_TIMESTAMP = /^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

function isCursorTimestamp(value: string): boolean {
  return CURSOR_TIMESTAMP.test(value) && new Date(value).toISOString() === value;
}

/** Decodes a cursor and checks that its sort value fits the ordering's column type. */
export function cursorDecoder(ordering: Ordering<never>): (cursor: string, argumentName: 'after' | 'before') => CursorKey {
  return (cursor, argumentName) => {
    const key = decodeCursor(cursor, ordering.name, argumentName);
    const fits =
      typeof key.value === 'string' && (ordering.sqlType === 'timestamptz' ? isCursorTimestamp(key.value) : isPostgresText(key.value));
    if (!fits) throw badUserInput(`Argument "${argumentName}" is not a valid cursor, got ${JSON.stringify(cursor)}`, argumentName);
    return key;
  };
}

function bound(alias: string, ordering: Ordering<never>, key: CursorKey, operator: '<' | '>'): RawBuilder<unknown> {
  const column = sql.ref(`${alias}.${ordering.column}`);
  const id = sql.ref(`${alias}.id`);
  return sql`(${column}, ${id}) ${sql.raw(operator)} (${key.value}::${sql.raw(ordering.sqlType)}, ${key.id}::int)`;
}

/** The WHERE conditions that cut the window out of the ordered rows (`true` when unbounded). */
export function keysetWhere(alias: string, ordering: Ordering<never>, window: PageWindow): RawBuilder<boolean> {
  const ascending = ordering.direction === 'ASC';
  const parts: RawBuilder<unknown>[] = [];
  if (window.after) parts.push(bound(alias, ordering, window.after, ascending ? '>' : '<'));
  if (window.before) parts.push(bound(alias, ordering, window.before, ascending ? '<' : '>'));
  return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`${sql.join(parts, sql` and `)}`;
}

// Immutable builders, one per alias, column and direction (a handful per process).
const orderBys = new Map<string, RawBuilder<unknown>>();

/** ORDER BY for the window: list order forwards, reversed for a `last` page. */
export function keysetOrderBy(alias: string, ordering: Ordering<never>, window: PageWindow): RawBuilder<unknown> {
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
