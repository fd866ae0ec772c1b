import type { PageWindow } from './connection-args.ts';

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

export interface Edge<T> {
  readonly node: T;
  readonly cursor: string;
}

/** An edge whose cursor is encoded only if the query reads it (`edges { node }` often does not). */
class LazyEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (node: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** Page info whose cursors are encoded only if the query reads them. */
class LazyPageInfo<T> implements PageInfo {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly first: T | undefined,
    private readonly last: T | undefined,
    private readonly cursorOf: (node: T) => string,
  ) {}

  get startCursor(): string | null {
    return this.first === undefined ? null : this.cursorOf(this.first);
  }

  get endCursor(): string | null {
    return this.last === undefined ? null : this.cursorOf(this.last);
  }
}

/**
 * A Relay connection over one fetched page. Edges and cursors are built only when a query asks
 * for them: `nodes { ... }` alone allocates nothing per row, and `edges { node }` encodes no
 * cursor (C's 100 nested edges encoded 100 unread cursors per request). `totalCount` is a
 * method, which its resolver (resolvers/Connection.ts) calls only when the field is selected.
 */
export class Connection<T> {
  constructor(
    readonly nodes: readonly T[],
    readonly pageInfo: PageInfo,
    private readonly cursorOf: (node: T) => string,
    readonly totalCount: () => Promise<number> | number,
  ) {}

  get edges(): Edge<T>[] {
    return this.nodes.map((node) => new LazyEdge(node, this.cursorOf));
  }
}

/**
 * Turns the `limit + 1` rows fetched for `window` into a connection. Forward: a row beyond the
 * limit means a next page, and a cursor we started `after` means a previous one (the row it names
 * came before). Backward pages are fetched in reverse order and flipped here.
 */
export function toConnection<T>(
  rows: readonly T[],
  window: PageWindow,
  cursorOf: (node: T) => string,
  totalCount: () => Promise<number> | number,
): Connection<T> {
  const more = rows.length > window.limit;
  const page = more ? rows.slice(0, window.limit) : rows.slice();
  if (window.backward) page.reverse();
  const pageInfo = new LazyPageInfo(
    window.backward ? window.before !== undefined : more,
    window.backward ? more : window.after !== undefined,
    page[0],
    page[page.length - 1],
    cursorOf,
  );
  return new Connection(page, pageInfo, cursorOf, totalCount);
}
