import type { GraphQLResolveInfo } from 'graphql';
import type DataLoader from 'dataloader';
import { cursorDecoder, cursorOf, type OrderInput, postOrdering } from '../pagination/orderings.ts';
import type { PostRow } from '../db/types.ts';
import { type ConnectionArgs, parseConnectionArgs } from '../pagination/connection-args.ts';
import { type Connection, toConnection } from '../pagination/to-connection.ts';
import type { PostPageParams } from '../db/find-posts-page.ts';
import { selectedPostColumns } from './selected-columns.ts';

type ChildPostArgs = ConnectionArgs & { orderBy?: OrderInput<'CREATED_AT' | 'TITLE'> | null };

/**
 * Author.posts and Tag.posts: the page comes from a loader family (one statement for all parents
 * at this level) and totalCount from the parent's batched post count.
 */
export async function resolveChildPosts(
  parentId: number,
  args: ChildPostArgs,
  info: GraphQLResolveInfo,
  pages: (params: PostPageParams) => DataLoader<number, PostRow[]>,
  counts: DataLoader<number, number>,
): Promise<Connection<PostRow>> {
  const ordering = postOrdering(args.orderBy);
  const window = parseConnectionArgs(args, cursorDecoder(ordering));
  const rows = await pages({ ordering, window, columns: selectedPostColumns(info) }).load(parentId);
  return toConnection(rows, window, cursorOf(ordering), () => counts.load(parentId));
}
