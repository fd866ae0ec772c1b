import { describe, expect, it } from 'vitest';
import type { PageWindow } from '../../src/pagination/connection-args.ts';
import { encodeCursor } from '../../src/pagination/cursor.ts';
import { TAG_ORDERING } from '../../src/pagination/orderings.ts';
import { pageOf } from '../../src/pagination/page-of.ts';

interface Row { id: number; name: string }
const tags: Row[] = ['ada', 'bob', 'cy', 'dee'].map((name, i) => ({ id: i + 1, name }));

describe('pageOf', () => {
  it('fetches the window its arguments name and returns the page with cursors of its ordering', async () => {
    const windows: PageWindow[] = [];
    const connection = await pageOf({ first: 2, after: encodeCursor('NAME', 'ada', 1) }, TAG_ORDERING, (window) => {
      windows.push(window);
      return { rows: Promise.resolve(tags.slice(1, 4)), totalCount: () => tags.length };
    });
    expect(windows).toEqual([{ limit: 2, backward: false, after: { value: 'ada', id: 1 }, before: undefined }]);
    expect(connection.nodes).toEqual(tags.slice(1, 3));
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true, endCursor: encodeCursor('NAME', 'cy', 3) });
    expect(await connection.totalCount()).toBe(4);
  });

  it('fetches nothing when a cursor belongs to another ordering', async () => {
    const fetched: PageWindow[] = [];
    const page = pageOf({ after: encodeCursor('CREATED_AT', '2024-05-01T09:30:00.000Z', 1) }, TAG_ORDERING, (window) => {
      fetched.push(window);
      return { rows: Promise.resolve([]), totalCount: () => 0 };
    });
    await expect(page).rejects.toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName: 'after' }) }));
    expect(fetched).toEqual([]);
  });

  it('asks for the total count only when the connection is asked for it', async () => {
    let counted = 0;
    const connection = await pageOf({ last: 1 }, TAG_ORDERING, () => ({ rows: Promise.resolve(tags.slice(3)), totalCount: () => ++counted }));
    expect(connection.nodes).toEqual(tags.slice(3));
    expect(counted).toBe(0);
  });
});
