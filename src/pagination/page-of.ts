import { type ConnectionArgs, type PageWindow, parseConnectionArgs } from './connection-args.ts';
import { cursorDecoder, cursorOf, type Ordering } from './orderings.ts';
import { type Connection, toConnection } from './to-connection.ts';

/** What a list gives for one window: its `limit + 1` rows and, if asked, its whole size. */
export interface FetchedPage<Row> {
  readonly rows: Promise<readonly Row[]>;
  readonly totalCount: () => Promise<number> | number;
}

/**
 * One page of any list as a connection: parses the arguments against `ordering` (bad ones are
 * BAD_USER_INPUT before any SQL), lets `fetch` read the window, and builds the connection.
 * `fetch` runs synchronously, so the loads of sibling fields still batch together.
 */
export async function pageOf<Row extends { id: number }, Fetched extends Row>(
  args: ConnectionArgs,
  ordering: Ordering<Row>,
  fetch: (window: PageWindow, ordering: Ordering<Row>) => FetchedPage<Fetched>,
): Promise<Connection<Fetched>> {
  const window = parseConnectionArgs(args, cursorDecoder(ordering));
  const { rows, totalCount } = fetch(window, ordering);
  return toConnection(await rows, window, cursorOf(ordering), totalCount);
}
