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

/**
 * A Relay connection over one fetched page. Edges and cursors are built only when a query asks
 * for them: `nodes { ... }` alone allocates nothing per row. `totalCount` is a method, so the
 * default resolver calls it (and runs its SQL) only when the field is selected.
 */
export class Connection<T> {
  constructor(
    readonly nodes: readonly T[],
    readonly pageInfo: PageInfo,
    private readonly cursorOf: (node: T) => string,
    readonly totalCount: () => Promise<number> | number,
  ) {}

  get edges(): Edge<T>[] {
    return this.nodes.map((node) => ({ node, cursor: this.cursorOf(node) }));
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
  const first = page[0];
  const last = page[page.length - 1];
  const pageInfo: PageInfo = {
    hasNextPage: window.backward ? window.before !== undefined : more,
    hasPreviousPage: window.backward ? more : window.after !== undefined,
    startCursor: first === undefined ? null : cursorOf(first),
    endCursor: last === undefined ? null : cursorOf(last),
  };
  return new Connection(page, pageInfo, cursorOf, totalCount);
}
