import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { PostPageParams } from '../db/find-posts-page.ts';
import type { PostRow } from '../db/types.ts';
import type { Loaders } from '../loaders/create-loaders.ts';
import type { ConnectionArgs } from '../pagination/connection-args.ts';
import { type OrderInput, postOrdering } from '../pagination/orderings.ts';
import { pageOf } from '../pagination/page-of.ts';
import { selectedPostColumns } from './selected-columns.ts';
import { selectedPageRelations } from './selected-relations.ts';

/** How a parent type reaches its posts: one page loader per page shape, and its count. */
export interface ChildPosts {
  readonly pages: (params: PostPageParams) => DataLoader<number, PostRow[]>;
  readonly count: DataLoader<number, number>;
}

/**
 * A parent's page of posts (Author.posts, Tag.posts): batched with its siblings' pages in one
 * statement that reads along the authors and tags the page's fields ask for.
 */
export function childPostsPage(parentId: number, args: ConnectionArgs & { readonly orderBy?: OrderInput<'CREATED_AT' | 'TITLE'> | null }, loaders: Loaders, info: GraphQLResolveInfo, { pages, count }: ChildPosts) {
  return pageOf(args, postOrdering(args.orderBy), (window, ordering) => ({
    rows: pages({ ordering, window, columns: selectedPostColumns(info), relations: selectedPageRelations(info, loaders.batching) }).load(parentId),
    totalCount: () => count.load(parentId),
  }));
}
