import { changedTagIds, staleKeys } from '../cache/invalidation.ts';
import { staleResponseTags } from '../cache/response-tags.ts';
import { retryTransaction } from '../db/retry-transaction.ts';
import { deletePostRow, insertPost, lockPostAuthor, updatePostRow } from '../db/write-posts.ts';
import { InkqlError } from '../errors.ts';
import { parseGlobalId, toGlobalId } from '../global-id.ts';
import { parseCreatePost, parseUpdatePost } from './post-input.ts';
import type { MutationResolvers } from './types.generated.ts';

// Every mutation: authenticate, validate, one transaction (run once more if the database aborts it
// as a deadlock or serialization failure), then delete exactly the cache keys the
// write made stale (after the commit, so no reader can re-cache the old value from the database,
// and before returning, so the client's next read, on any process, sees the new one), and stamp
// the response-cache tags it made stale, under the same rule.

/** Locks the post and checks that the viewer wrote it; NOT_FOUND and FORBIDDEN roll the transaction back. */
async function lockOwnPost(trx: Parameters<typeof lockPostAuthor>[0], postId: number, globalId: string, viewerId: number): Promise<number> {
  const authorId = await lockPostAuthor(trx, postId);
  if (authorId === undefined) throw new InkqlError('NOT_FOUND', `No post with ID ${JSON.stringify(globalId)}`, { argumentName: 'id' });
  if (authorId !== viewerId) throw new InkqlError('FORBIDDEN', `Post ${JSON.stringify(globalId)} belongs to another author`);
  return authorId;
}

export const Mutation: MutationResolvers = {
  createPost: async (_parent, { input }, context) => {
    const viewer = await context.viewer.require();
    const fields = parseCreatePost(input);
    const written = await retryTransaction(context.db, (trx) => insertPost(trx, { authorId: viewer.authorId, ...fields }));
    await context.cache.invalidate(staleKeys({ authorId: viewer.authorId, tagIds: written.tagIds, statsChanged: true }));
    await context.responseCache?.invalidate(staleResponseTags({
      postId: written.post.id, authorId: viewer.authorId, membershipChanged: true, titleChanged: false,
      tagIdsBefore: [], tagIdsAfter: written.tagIds, namedTags: fields.tags.length > 0, statsChanged: true,
    }));
    return { post: written.post, clientMutationId: input.clientMutationId ?? null };
  },

  updatePost: async (_parent, { input }, context) => {
    const viewer = await context.viewer.require();
    const { id: postId } = parseGlobalId(input.id, 'input.id', 'Post');
    const fields = parseUpdatePost(input);
    const update = await retryTransaction(context.db, async (trx) => {
      await lockOwnPost(trx, postId, input.id, viewer.authorId);
      return updatePostRow(trx, postId, fields);
    });
    const tagIds = changedTagIds(update.tagIdsBefore, update.tagIdsAfter);
    await context.cache.invalidate(staleKeys({ tagIds, statsChanged: update.wordCountChanged || tagIds.length > 0 }));
    await context.responseCache?.invalidate(staleResponseTags({
      postId, authorId: viewer.authorId, membershipChanged: false, titleChanged: fields.title !== undefined,
      tagIdsBefore: update.tagIdsBefore, tagIdsAfter: update.tagIdsAfter, namedTags: fields.tags !== undefined && fields.tags.length > 0,
      statsChanged: update.wordCountChanged || tagIds.length > 0,
    }));
    return { post: update.post, clientMutationId: input.clientMutationId ?? null };
  },

  deletePost: async (_parent, { id, clientMutationId }, context) => {
    const viewer = await context.viewer.require();
    const { id: postId } = parseGlobalId(id, 'id', 'Post');
    const tagIds = await retryTransaction(context.db, async (trx) => {
      await lockOwnPost(trx, postId, id, viewer.authorId);
      return deletePostRow(trx, postId);
    });
    await context.cache.invalidate(staleKeys({ authorId: viewer.authorId, tagIds, statsChanged: true }));
    await context.responseCache?.invalidate(staleResponseTags({
      postId, authorId: viewer.authorId, membershipChanged: true, titleChanged: false,
      tagIdsBefore: tagIds, tagIdsAfter: [], namedTags: false, statsChanged: true,
    }));
    return { deletedId: toGlobalId('Post', postId), clientMutationId: clientMutationId ?? null };
  },
};
