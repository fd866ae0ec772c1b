import type { GraphQLResolveInfo } from 'graphql';
import { badUserInput } from '../errors.ts';
import { toGlobalId } from '../global-id.ts';
import { relatedAuthor, relatedTags } from '../db/post-relations.ts';
import type { AuthorRow, FullPostRow, PostRow } from '../db/types.ts';
import type { Loaders } from '../loaders/create-loaders.ts';
import { selectedAuthorColumns } from './selected-columns.ts';
import type { PostResolvers } from './types.generated.ts';

export const MAX_EXCERPT_WORDS = 500;
export const WORDS_PER_MINUTE = 200;

/** The first `words` words of `body`, with an ellipsis when something was cut. */
export function toExcerpt(body: string, words: number): string {
  const parts = body.split(/\s+/).filter(Boolean);
  return parts.length <= words ? parts.join(' ') : parts.slice(0, words).join(' ') + '…';
}

/**
 * The whole row of a post that was loaded without a column its field reads. Lists fetch the
 * columns their query selects (selected-columns.ts), so this is a safety net, not a path.
 */
async function wholePost(post: PostRow, loaders: Loaders): Promise<FullPostRow> {
  const whole = await loaders.postById.load(post.id);
  if (!whole) throw new Error(`post ${post.id} is gone`);
  return whole;
}

async function loadAuthor(post: PostRow, loaders: Loaders, info: GraphQLResolveInfo): Promise<AuthorRow> {
  const author = await loaders.authorById(selectedAuthorColumns(info)).load(post.author_id);
  // author_id is a foreign key: a post without its author is a broken invariant, not user input.
  if (!author) throw new Error(`post ${post.id} has no author ${post.author_id}`);
  return author;
}

export const Post: PostResolvers = {
  id: (post) => toGlobalId('Post', post.id),
  body: (post, _args, { loaders }) => post.body ?? loaders.postBodyById.load(post.id),
  excerpt: async (post, { words }, { loaders }) => {
    const count = words ?? 30;
    if (!Number.isInteger(count) || count < 1 || count > MAX_EXCERPT_WORDS) {
      throw badUserInput(`Argument "words" must be between 1 and ${MAX_EXCERPT_WORDS}, got ${count}`, 'words');
    }
    return toExcerpt(post.body ?? (await loaders.postBodyById.load(post.id)), count);
  },
  createdAt: (post) => post.created_at,
  updatedAt: async (post, _args, { loaders }) => post.updated_at ?? (await wholePost(post, loaders)).updated_at,
  // What the post's page read along is taken off its row, synchronously: a loader's memo would
  // cost a promise per post and field.
  author: (post, _args, { loaders }, info) => relatedAuthor(post) ?? loadAuthor(post, loaders, info),
  tags: (post, _args, { loaders }) => relatedTags(post) ?? loaders.tagsByPostId.load(post.id),
  wordCount: async (post, _args, { loaders }) => post.word_count ?? (await wholePost(post, loaders)).word_count,
  readingTimeMinutes: async (post, _args, { loaders }) => {
    const words = post.word_count ?? (await wholePost(post, loaders)).word_count;
    return Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
  },
};
