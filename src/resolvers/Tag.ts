import { toGlobalId } from '../global-id.ts';
import { postOrdering } from '../pagination/orderings.ts';
import { pageOf } from '../pagination/page-of.ts';
import { primePostRelations } from '../loaders/prime-post-relations.ts';
import { selectedPostColumns } from './selected-columns.ts';
import { selectedPageRelations } from './selected-relations.ts';
import type { TagResolvers } from './types.generated.ts';

export const Tag: TagResolvers = {
  id: (tag) => toGlobalId('Tag', tag.id),
  posts: (tag, args, { loaders }, info) =>
    pageOf(args, postOrdering(args.orderBy), (window, ordering) => {
      const { relations, primed } = selectedPageRelations(info, loaders.batching);
      return {
        rows: loaders
          .postsByTagId({ ordering, window, columns: selectedPostColumns(info), relations })
          .load(tag.id)
          .then((rows) => primePostRelations(loaders, rows, primed)),
        totalCount: () => loaders.postCountByTagId.load(tag.id),
      };
    }),
  postCount: (tag, _args, { loaders }) => loaders.postCountByTagId.load(tag.id),
};
