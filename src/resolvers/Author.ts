import { OPTIONAL_AUTHOR_COLUMNS } from '../db/author-columns.ts';
import type { AuthorRow, FullAuthorRow } from '../db/types.ts';
import { toGlobalId } from '../global-id.ts';
import type { Loaders } from '../loaders/create-loaders.ts';
import { postOrdering } from '../pagination/orderings.ts';
import { pageOf } from '../pagination/page-of.ts';
import { primePostRelations } from '../loaders/prime-post-relations.ts';
import { selectedPostColumns } from './selected-columns.ts';
import { selectedPageRelations } from './selected-relations.ts';
import type { AuthorResolvers } from './types.generated.ts';

/** The whole row of an author loaded without a column its field reads (a safety net, as in Post.ts). */
async function wholeAuthor(author: AuthorRow, loaders: Loaders): Promise<FullAuthorRow> {
  const whole = (await loaders.authorById(OPTIONAL_AUTHOR_COLUMNS).load(author.id)) as FullAuthorRow | null;
  if (!whole) throw new Error(`author ${author.id} is gone`);
  return whole;
}

export const Author: AuthorResolvers = {
  id: (author) => toGlobalId('Author', author.id),
  bio: async (author, _args, { loaders }) => (author.bio !== undefined ? author.bio : (await wholeAuthor(author, loaders)).bio),
  createdAt: async (author, _args, { loaders }) => author.created_at ?? (await wholeAuthor(author, loaders)).created_at,
  posts: (author, args, { loaders }, info) =>
    pageOf(args, postOrdering(args.orderBy), (window, ordering) => {
      const { relations, primed } = selectedPageRelations(info, loaders.batching);
      return {
        rows: loaders
          .postsByAuthorId({ ordering, window, columns: selectedPostColumns(info), relations })
          .load(author.id)
          .then((rows) => primePostRelations(loaders, rows, primed)),
        totalCount: () => loaders.postCountByAuthorId.load(author.id),
      };
    }),
  postCount: (author, _args, { loaders }) => loaders.postCountByAuthorId.load(author.id),
};
