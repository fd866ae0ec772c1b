import { describe, expect, it } from 'vitest';
import type { PageWindow } from '../../src/pagination/connection-args.ts';
import { toConnection } from '../../src/pagination/to-connection.ts';

interface Row { id: number }
const rows = (...ids: number[]): Row[] => ids.map((id) => ({ id }));
const cursorOf = (row: Row) => `c${row.id}`;
const bound = { value: 'x', id: 0 };

function connect(fetched: Row[], window: PageWindow) {
  return toConnection(fetched, window, cursorOf, () => 99);
}

/** pageInfo's fields as a plain object (its cursors are getters, read here). */
function info({ pageInfo: { hasNextPage, hasPreviousPage, startCursor, endCursor } }: ReturnType<typeof connect>) {
  return { hasNextPage, hasPreviousPage, startCursor, endCursor };
}

describe('toConnection forwards', () => {
  it('drops the extra row and reports a next page', () => {
    const connection = connect(rows(1, 2, 3, 4), { limit: 3, backward: false });
    expect(connection.nodes).toEqual(rows(1, 2, 3));
    expect(info(connection)).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: 'c1', endCursor: 'c3' });
  });

  it('reports no next page when the rows fit', () => {
    expect(connect(rows(1, 2, 3), { limit: 3, backward: false }).pageInfo.hasNextPage).toBe(false);
  });

  it('reports a previous page when it starts after a cursor', () => {
    expect(connect(rows(5, 6), { limit: 3, backward: false, after: bound }).pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
  });

  it('gives an empty page null cursors', () => {
    expect(info(connect([], { limit: 3, backward: false }))).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('with first: 0 says whether there is anything at all', () => {
    const connection = connect(rows(1), { limit: 0, backward: false });
    expect(connection.nodes).toEqual([]);
    expect(connection.pageInfo.hasNextPage).toBe(true);
  });
});

describe('toConnection backwards', () => {
  it('flips the reversed rows, drops the extra one and reports a previous page', () => {
    // A `last: 3` page is fetched in reverse list order: 9, 8, 7 and the extra 6.
    const connection = connect(rows(9, 8, 7, 6), { limit: 3, backward: true });
    expect(connection.nodes).toEqual(rows(7, 8, 9));
    expect(info(connection)).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: 'c7', endCursor: 'c9' });
  });

  it('reports no previous page at the start of the list', () => {
    expect(connect(rows(2, 1), { limit: 3, backward: true }).pageInfo.hasPreviousPage).toBe(false);
  });

  it('reports a next page when it ends before a cursor', () => {
    expect(connect(rows(2, 1), { limit: 3, backward: true, before: bound }).pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
  });

  it('does not reorder the rows it was given', () => {
    const fetched = rows(3, 2, 1);
    connect(fetched, { limit: 2, backward: true });
    expect(fetched).toEqual(rows(3, 2, 1));
  });
});

describe('Connection', () => {
  it('builds edges and cursors only when they are read', () => {
    const calls: number[] = [];
    const connection = toConnection(rows(1, 2, 3), { limit: 5, backward: false }, (row) => {
      calls.push(row.id);
      return `c${row.id}`;
    }, () => 0);
    // Nothing is encoded until a cursor is read: pageInfo's, or an edge's.
    expect(calls).toEqual([]);
    expect([connection.pageInfo.startCursor, connection.pageInfo.endCursor]).toEqual(['c1', 'c3']);
    expect(calls).toEqual([1, 3]);
    const edges = connection.edges;
    expect(edges.map((edge) => edge.node)).toEqual(rows(1, 2, 3));
    expect(calls).toEqual([1, 3]);
    expect(edges.map((edge) => edge.cursor)).toEqual(['c1', 'c2', 'c3']);
    expect(calls).toEqual([1, 3, 1, 2, 3]);
  });

  it('counts only when totalCount is called', async () => {
    let counted = 0;
    const connection = toConnection(rows(1), { limit: 5, backward: false }, cursorOf, async () => ++counted);
    expect(counted).toBe(0);
    expect(await connection.totalCount()).toBe(1);
  });
});
