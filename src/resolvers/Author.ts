import { toGlobalId } from '../global-id.ts';
import { resolveChildPosts } from './child-posts.ts';
import type { AuthorResolvers } from './types.generated.ts';

export const Author: AuthorResolvers = {
  id: (author) => toGlobalId('Author', author.id),
  createdAt: (author) => author.created_at,
  posts: (author, args, { loaders }, info) =>
    resolveChildPosts(author.id, args, info, loaders.postsByAuthorId, loaders.postCountByAuthorId),
  postCount: (author, _args, { loaders }) => loaders.postCountByAuthorId.load(author.id),
};
