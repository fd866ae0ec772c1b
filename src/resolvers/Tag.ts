import { toGlobalId } from '../global-id.ts';
import { resolveChildPosts } from './child-posts.ts';
import type { TagResolvers } from './types.generated.ts';

export const Tag: TagResolvers = {
  id: (tag) => toGlobalId('Tag', tag.id),
  posts: (tag, args, { loaders }, info) => resolveChildPosts(tag.id, args, info, loaders.postsByTagId, loaders.postCountByTagId),
  postCount: (tag, _args, { loaders }) => loaders.postCountByTagId.load(tag.id),
};
