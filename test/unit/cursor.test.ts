import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/pagination/cursor.ts';

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('cursor', () => {
  it('round-trips a timestamp, a title and a numeric value with the id', () => {
    for (const [ordering, value, id] of [
      ['CREATED_AT', '2024-05-01T09:30:00.000Z', 42],
      ['TITLE', 'Fast queries, "quoted" and ünïcode', 7],
      ['SCORE', 1.75, 3],
    ] as const) {
      expect(decodeCursor(encodeCursor(ordering, value, id), ordering, 'after')).toEqual({ value, id });
    }
  });

  it('is opaque: URL-safe base64 without padding', () => {
    expect(encodeCursor('TITLE', '??>>', 1)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of non-JSON', base64url('hello')],
    ['a JSON object', base64url({ value: 'x', id: 1 })],
    ['two elements', base64url(['CREATED_AT', 'x'])],
    ['four elements', base64url(['CREATED_AT', 'x', 1, 2])],
    ['a non-string ordering', base64url([1, 'x', 1])],
    ['a boolean value', base64url(['TITLE', true, 1])],
    ['a null value', base64url(['TITLE', null, 1])],
    ['a fractional id', base64url(['TITLE', 'x', 1.5])],
    ['a string id', base64url(['TITLE', 'x', '1'])],
    ['an unsafe id', base64url(['TITLE', 'x', 2 ** 53])],
    ['an id past int4', base64url(['TITLE', 'x', 2 ** 31])],
    ['id 0', base64url(['TITLE', 'x', 0])],
    ['the empty string', ''],
  ])('refuses %s as BAD_USER_INPUT naming the argument', (_name, cursor) => {
    expect(() => decodeCursor(cursor, 'TITLE', 'before')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName: 'before' }) }),
    );
    expect(() => decodeCursor(cursor, 'TITLE', 'before')).toThrow(/"before" is not a valid cursor/);
  });

  it('refuses a cursor of another ordering, naming both', () => {
    const cursor = encodeCursor('TITLE', 'x', 1);
    expect(() => decodeCursor(cursor, 'CREATED_AT', 'after')).toThrow(/"after" is a cursor for ordering TITLE, but this list is ordered by CREATED_AT/);
  });
});
