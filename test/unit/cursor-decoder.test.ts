import { describe, expect, it } from 'vitest';
import { authorOrdering, cursorDecoder, postOrdering } from '../../src/pagination/orderings.ts';
import { encodeCursor } from '../../src/pagination/cursor.ts';
import { textArgument } from '../../src/text-argument.ts';

const badInput = (argumentName: string) =>
  expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName }) });

describe('cursorDecoder', () => {
  const byDate = cursorDecoder(postOrdering({ field: 'CREATED_AT', direction: 'DESC' }));
  const byTitle = cursorDecoder(postOrdering({ field: 'TITLE', direction: 'ASC' }));

  it('accepts the cursors the orderings themselves write', () => {
    expect(byDate(encodeCursor('CREATED_AT', '2024-05-01T09:30:00.000Z', 42), 'after')).toEqual({ value: '2024-05-01T09:30:00.000Z', id: 42 });
    expect(byTitle(encodeCursor('TITLE', 'Fast queries', 7), 'before')).toEqual({ value: 'Fast queries', id: 7 });
    expect(cursorDecoder(authorOrdering(null))(encodeCursor('NAME', 'Ada Lovelace', 3), 'after').id).toBe(3);
  });

  it.each([
    '2024-02-30T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00.000Z',
    '2024-05-01',
    '2024-05-01T09:30:00Z',
    'May 1, 2024',
  ])('refuses a CREATED_AT value Postgres would not read back as written: %s', (value) => {
    expect(() => byDate(encodeCursor('CREATED_AT', value, 1), 'after')).toThrow(badInput('after'));
  });

  it('refuses a number where a TITLE is expected, and a title holding NUL', () => {
    expect(() => byTitle(encodeCursor('TITLE', 42, 1), 'before')).toThrow(badInput('before'));
    expect(() => byTitle(encodeCursor('TITLE', 'a\u0000b', 1), 'before')).toThrow(badInput('before'));
  });
});

describe('textArgument', () => {
  it('passes ordinary text, including other control characters and emoji', () => {
    expect(textArgument('graph\tql 🚀', 'tag')).toBe('graph\tql 🚀');
  });

  it('refuses NUL, naming the argument', () => {
    expect(() => textArgument('a\u0000', 'tag')).toThrow(badInput('tag'));
    expect(() => textArgument('a\u0000', 'tag')).toThrow(/"tag" must not contain a NUL character/);
  });
});
