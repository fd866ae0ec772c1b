import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parseConnectionArgs, windowKey } from '../../src/pagination/connection-args.ts';
import type { CursorKey } from '../../src/pagination/cursor.ts';

const decoded: [string, string][] = [];
const decode = (cursor: string, argumentName: string): CursorKey => {
  decoded.push([cursor, argumentName]);
  return { value: `v:${cursor}`, id: cursor.length };
};

const badInput = (argumentName: string) =>
  expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName }) });

describe('parseConnectionArgs', () => {
  it('defaults to a forward page of DEFAULT_PAGE_SIZE', () => {
    expect(parseConnectionArgs({}, decode)).toEqual({ limit: DEFAULT_PAGE_SIZE, backward: false, after: undefined, before: undefined });
    expect(parseConnectionArgs({ first: null, last: null, after: null, before: null }, decode).limit).toBe(DEFAULT_PAGE_SIZE);
  });

  it('reads first as a forward page and last as a backward one', () => {
    expect(parseConnectionArgs({ first: 7 }, decode)).toMatchObject({ limit: 7, backward: false });
    expect(parseConnectionArgs({ last: 7 }, decode)).toMatchObject({ limit: 7, backward: true });
  });

  it('accepts 0 and MAX_PAGE_SIZE', () => {
    expect(parseConnectionArgs({ first: 0 }, decode).limit).toBe(0);
    expect(parseConnectionArgs({ last: MAX_PAGE_SIZE }, decode).limit).toBe(MAX_PAGE_SIZE);
  });

  it('decodes after and before with their argument names', () => {
    decoded.length = 0;
    const window = parseConnectionArgs({ first: 3, after: 'a', before: 'bb' }, decode);
    expect(window.after).toEqual({ value: 'v:a', id: 1 });
    expect(window.before).toEqual({ value: 'v:bb', id: 2 });
    expect(decoded).toEqual([
      ['a', 'after'],
      ['bb', 'before'],
    ]);
  });

  it.each([
    [{ first: MAX_PAGE_SIZE + 1 }, 'first', /"first" must be between 0 and 100, got 101/],
    [{ first: -1 }, 'first', /"first" must be between 0 and 100, got -1/],
    [{ last: MAX_PAGE_SIZE + 1 }, 'last', /"last" must be between 0 and 100, got 101/],
    [{ last: -5 }, 'last', /"last".*got -5/],
    [{ first: 1.5 }, 'first', /"first".*got 1.5/],
    [{ first: 5, last: 5 }, 'first', /"first" and "last" cannot be used together/],
    [{ first: 0, last: 0 }, 'first', /"first" and "last"/],
  ])('refuses %j naming "%s"', (args, argumentName, message) => {
    expect(() => parseConnectionArgs(args, decode)).toThrow(badInput(argumentName));
    expect(() => parseConnectionArgs(args, decode)).toThrow(message);
  });
});

describe('windowKey', () => {
  it('tells apart windows that differ in size, direction or bounds, and only those', () => {
    const keys = [
      { limit: 5, backward: false },
      { limit: 6, backward: false },
      { limit: 5, backward: true },
      { limit: 5, backward: false, after: { value: 'x', id: 1 } },
      { limit: 5, backward: false, after: { value: 'x', id: 2 } },
      { limit: 5, backward: false, before: { value: 'x', id: 1 } },
    ].map(windowKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(windowKey({ limit: 5, backward: false, after: { value: 'x', id: 1 } })).toBe(keys[3]);
  });
});
