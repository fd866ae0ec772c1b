import { badUserInput } from '../errors.ts';
import { isPostgresText } from '../text-argument.ts';
import { type CursorKey, type CursorValue, decodeCursor, encodeCursor } from './cursor.ts';

export type Direction = 'ASC' | 'DESC';

/**
 * A keyset ordering: a sort column plus the id as tie-breaker, so that rows sharing a timestamp
 * or a title still have one fixed place (a timestamp alone skips or repeats them across pages).
 * Orderings are data, one constant per sort key and direction; the SQL that reads them lives in
 * db/find-page.ts.
 */
export interface Ordering<Row> {
  /** Names the ordering inside cursors (direction is not part of it: a position is a position). */
  readonly name: string;
  readonly column: string;
  readonly sqlType: 'timestamptz' | 'text';
  readonly direction: Direction;
  valueOf(row: Row): CursorValue;
}

interface Dated {
  readonly id: number;
  readonly created_at?: Date;
}

function timestampOrdering(direction: Direction): Ordering<Dated> {
  const valueOf = (row: Dated) => {
    // Pages always fetch their ordering's column; a row without it is a bug, not user input.
    if (!row.created_at) throw new Error(`row ${row.id} was loaded without created_at, the column of its ordering`);
    return row.created_at.toISOString();
  };
  return { name: 'CREATED_AT', column: 'created_at', sqlType: 'timestamptz', direction, valueOf };
}

function textOrdering<Column extends string>(name: string, column: Column, direction: Direction): Ordering<{ readonly id: number } & { readonly [C in Column]: string }> {
  return { name, column, sqlType: 'text', direction, valueOf: (row) => row[column] };
}

export interface OrderInput<Field extends string> {
  readonly field?: Field | null;
  readonly direction?: Direction | null;
}

const DEFAULT_POST_ORDER = { field: 'CREATED_AT', direction: 'DESC' } as const;
const DEFAULT_AUTHOR_ORDER = { field: 'NAME', direction: 'ASC' } as const;

const CREATED_AT = { ASC: timestampOrdering('ASC'), DESC: timestampOrdering('DESC') };
const TITLE = { ASC: textOrdering('TITLE', 'title', 'ASC'), DESC: textOrdering('TITLE', 'title', 'DESC') };
const NAME = { ASC: textOrdering('NAME', 'name', 'ASC'), DESC: textOrdering('NAME', 'name', 'DESC') };

export function postOrdering(input?: OrderInput<'CREATED_AT' | 'TITLE'> | null): Ordering<Dated & { readonly title: string }> {
  const direction = input?.direction ?? DEFAULT_POST_ORDER.direction;
  return (input?.field ?? DEFAULT_POST_ORDER.field) === 'TITLE' ? TITLE[direction] : CREATED_AT[direction];
}

export function authorOrdering(input?: OrderInput<'NAME' | 'CREATED_AT'> | null): Ordering<Dated & { readonly name: string }> {
  const direction = input?.direction ?? DEFAULT_AUTHOR_ORDER.direction;
  return (input?.field ?? DEFAULT_AUTHOR_ORDER.field) === 'CREATED_AT' ? CREATED_AT[direction] : NAME[direction];
}

export const TAG_ORDERING = NAME.ASC;

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
