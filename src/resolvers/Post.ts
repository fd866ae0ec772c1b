import { badUserInput } from '../errors.ts';
import { toGlobalId } from '../global-id.ts';
import type { PostResolvers } from './types.generated.ts';

export const MAX_EXCERPT_WORDS = 500;
export const WORDS_PER_MINUTE = 200;

/** The first `words` words of `body`, with an ellipsis when something was cut. */
export function toExcerpt(body: string, words: number): string {
  const parts = body.split(/\s+/).filter(Boolean);
  return parts.length <= words ? parts.join(' ') : parts.slice(0, words).join(' ') + '…';
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
  updatedAt: (post) => post.updated_at,
  author: async (post, _args, { loaders }) => {
    const author = await loaders.authorById.load(post.author_id);
    // author_id is a foreign key: a post without its author is a broken invariant, not user input.
    if (!author) throw new Error(`post ${post.id} has no author ${post.author_id}`);
    return author;
  },
  tags: (post, _args, { loaders }) => loaders.tagsByPostId.load(post.id),
  wordCount: (post) => post.word_count,
  readingTimeMinutes: (post) => Math.max(1, Math.ceil(post.word_count / WORDS_PER_MINUTE)),
};
