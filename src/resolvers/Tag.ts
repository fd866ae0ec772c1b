import { toGlobalId } from '../global-id.ts';
import { childPostsPage } from './child-posts-page.ts';
import type { TagResolvers } from './types.generated.ts';

export const Tag: TagResolvers = {
  id: (tag) => toGlobalId('Tag', tag.id),
  posts: (tag, args, { loaders }, info) => childPostsPage(tag.id, args, loaders, info, { pages: loaders.postsByTagId, count: loaders.postCountByTagId }),
  postCount: (tag, _args, { loaders }) => loaders.postCountByTagId.load(tag.id),
};
