import { OPTIONAL_AUTHOR_COLUMNS } from '../db/author-columns.ts';
import type { AuthorRow, FullAuthorRow } from '../db/types.ts';
import { toGlobalId } from '../global-id.ts';
import type { Loaders } from '../loaders/create-loaders.ts';
import { childPostsPage } from './child-posts-page.ts';
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
  posts: (author, args, { loaders }, info) => childPostsPage(author.id, args, loaders, info, { pages: loaders.postsByAuthorId, count: loaders.postCountByAuthorId }),
  postCount: (author, _args, { loaders }) => loaders.postCountByAuthorId.load(author.id),
};
