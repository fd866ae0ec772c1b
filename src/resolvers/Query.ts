import { loadStats } from '../cache/cached-stats.ts';
import { OPTIONAL_AUTHOR_COLUMNS } from '../db/author-columns.ts';
import { countAuthors, findAuthorsPage } from '../db/find-authors-page.ts';
import { countPosts, findPostsPage, type PostFilters } from '../db/find-posts-page.ts';
import { countTags, findTagsPage } from '../db/find-tags-page.ts';
import type { AuthorRow, PostRow, TagRow } from '../db/types.ts';
import { badUserInput } from '../errors.ts';
import { textArgument } from '../text-argument.ts';
import { parseGlobalId } from '../global-id.ts';
import { toRateLimit } from '../limits/cost-state.ts';
import type { Context } from '../context.ts';
import { MAX_PAGE_SIZE } from '../pagination/connection-args.ts';
import { authorOrdering, postOrdering, TAG_ORDERING } from '../pagination/orderings.ts';
import { pageOf } from '../pagination/page-of.ts';
import { selectedAuthorColumns, selectedPostColumns } from './selected-columns.ts';
import { selectedPageRelations } from './selected-relations.ts';
import type { QueryResolvers } from './types.generated.ts';

type NodeRow = PostRow | AuthorRow | TagRow;

function loadNode(globalId: string, argumentName: string, { loaders }: Context): Promise<NodeRow | null> {
  const { type, id } = parseGlobalId(globalId, argumentName);
  if (type === 'Post') return loaders.postById.load(id);
  // Whole rows: Node's type resolution tells an author from a tag by its `bio` key.
  if (type === 'Author') return loaders.authorById(OPTIONAL_AUTHOR_COLUMNS).load(id);
  return loaders.tagById.load(id);
}

/** Parsed after the page arguments, so a bad cursor is reported before a bad filter. */
function postFilters(args: { tag?: string | null; authorId?: string | null }): PostFilters {
  return {
    tag: args.tag != null ? textArgument(args.tag, 'tag') : undefined,
    authorId: args.authorId != null ? parseGlobalId(args.authorId, 'authorId', 'Author').id : undefined,
  };
}

export const Query: QueryResolvers = {
  node: (_parent, { id }, context) => loadNode(id, 'id', context),

  nodes: (_parent, { ids }, context) => {
    if (ids.length > MAX_PAGE_SIZE) {
      throw badUserInput(`Argument "ids" may hold at most ${MAX_PAGE_SIZE} IDs, got ${ids.length}`, 'ids');
    }
    // Each ID stands alone, like a list of `node(id:)` calls: a malformed one is null with its
    // error at `["nodes", i]`, and the others still load (in one batch per type). The error is
    // the item itself, not a rejected promise: graphql-jit appends a rejected item's null at the
    // end of the list instead of at its index, so the list would come back short.
    const items = ids.map((id) => {
      try {
        return loadNode(id, 'ids', context);
      } catch (error) {
        return error as Error;
      }
    });
    // The generated type knows neither an Error item nor a promise of null, both of which GraphQL completes.
    return items as unknown as Promise<NodeRow>[];
  },

  post: (_parent, { id }, { loaders }) => loaders.postById.load(parseGlobalId(id, 'id', 'Post').id),

  author: (_parent, { id }, { loaders }, info) => loaders.authorById(selectedAuthorColumns(info)).load(parseGlobalId(id, 'id', 'Author').id),

  tag: (_parent, { name }, { loaders }) => loaders.tagByName.load(textArgument(name, 'name')),

  posts: (_parent, args, { db, database, loaders }, info) =>
    pageOf(args, postOrdering(args.orderBy), (window, ordering) => {
      const filters = postFilters(args);
      return {
        rows: findPostsPage(database, { ordering, window, filters, columns: selectedPostColumns(info), relations: selectedPageRelations(info, loaders.batching) }),
        totalCount: () => countPosts(db, filters),
      };
    }),

  authors: (_parent, args, { db, database }, info) =>
    pageOf(args, authorOrdering(args.orderBy), (window, ordering) => ({
      rows: findAuthorsPage(database, ordering, window, selectedAuthorColumns(info)),
      totalCount: () => countAuthors(db),
    })),

  tags: (_parent, args, { db, database }) =>
    pageOf(args, TAG_ORDERING, (window) => ({ rows: findTagsPage(database, window), totalCount: () => countTags(db) })),

  stats: (_parent, _args, { cache, cachedDb }) => loadStats(cache, cachedDb.kysely),

  rateLimit: (_parent, _args, { cost }) => toRateLimit(cost),
};
