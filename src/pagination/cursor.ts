import { badUserInput } from '../errors.ts';
import { MAX_DATABASE_ID } from '../global-id.ts';

// An opaque keyset cursor: the sort key and the id of the row it points at, never an offset.
//
//   base64url(JSON ["CREATED_AT", "2024-05-01T09:30:00.000Z", 42])
//   base64url(JSON ["TITLE", "Fast queries", 7])
//   base64url(JSON ["NAME", "Ada Lovelace", 3])
//
// The first element names the ordering, so a cursor taken from one ordering is refused by
// another instead of silently pointing somewhere else.

export type CursorValue = string | number;

export interface CursorKey {
  readonly value: CursorValue;
  readonly id: number;
}

export function encodeCursor(ordering: string, value: CursorValue, id: number): string {
  return Buffer.from(JSON.stringify([ordering, value, id])).toString('base64url');
}

/** Decodes a cursor for `ordering`; a bad one is BAD_USER_INPUT naming the argument. */
export function decodeCursor(cursor: string, ordering: string, argumentName: string): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    (typeof parsed[1] !== 'string' && typeof parsed[1] !== 'number') ||
    !Number.isInteger(parsed[2]) ||
    parsed[2] < 1 ||
    parsed[2] > MAX_DATABASE_ID
  ) {
    throw badUserInput(`Argument "${argumentName}" is not a valid cursor, got ${JSON.stringify(cursor)}`, argumentName);
  }
  if (parsed[0] !== ordering) {
    throw badUserInput(
      `Argument "${argumentName}" is a cursor for ordering ${parsed[0]}, but this list is ordered by ${ordering}`,
      argumentName,
    );
  }
  return { value: parsed[1], id: parsed[2] };
}
