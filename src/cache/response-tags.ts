// The entities and lists a response holds, as tags, and the tags a write makes stale. A cached
// response is valid only while none of its tags was written after it was computed
// (response-cache.ts); the same tags go out in `Surrogate-Key` / `Cache-Tag` for a CDN's purge.
//
// | tag                | a response holds it when it reads            | made stale by                              |
// |--------------------|----------------------------------------------|--------------------------------------------|
// | Post:<id>          | that post's fields, or asks post/node(id)    | any write of that post (its creation too)  |
// | Author:<id>        | that author's fields, or asks author/node(id)| nothing (authors are not written)          |
// | Tag:<id>           | that tag's fields                            | nothing (tags are only ever added)         |
// | Post:list          | Query.posts (any filter, order, totalCount)  | create, delete, update of title or tags    |
// | Author:<id>:posts  | Author.posts, Author.postCount               | create/delete by the author, title update  |
// | Tag:<id>:posts     | Tag.posts, Tag.postCount                     | a post gaining/losing it, create/delete    |
// |                    |                                              | with it, title update of a post with it    |
// | Author:list        | Query.authors                                | nothing                                    |
// | Tag:list           | Query.tags, Query.tag(name), a Tag by ID     | a write naming tags (it may create one)    |
// | stats              | Query.stats                                  | any write that moves an aggregate          |
//
// A title update reorders every list that can be sorted by title, so it stales them all.

import type { GraphQLFieldResolver } from 'graphql';
import { parseGlobalId } from '../global-id.ts';
import type { Resolvers } from '../resolvers/types.generated.ts';

export const POST_LIST_TAG = 'Post:list';
export const AUTHOR_LIST_TAG = 'Author:list';
export const TAG_LIST_TAG = 'Tag:list';
export const STATS_TAG = 'stats';

export const entityTag = (type: 'Post' | 'Author' | 'Tag', id: number): string => `${type}:${id}`;
export const authorPostsTag = (authorId: number): string => `Author:${authorId}:posts`;
export const tagPostsTag = (tagId: number): string => `Tag:${tagId}:posts`;

/** A post write as the mutation saw it, after its transaction committed. */
export interface PostWriteTags {
  readonly postId: number;
  readonly authorId: number;
  /** Whether the post appeared or disappeared (create, delete) rather than changed. */
  readonly membershipChanged: boolean;
  /** Whether the title may have changed (an update that gave one): it reorders title-sorted lists. */
  readonly titleChanged: boolean;
  /** The post's tags before and after the write ([] before a create, after a delete). */
  readonly tagIdsBefore: readonly number[];
  readonly tagIdsAfter: readonly number[];
  /** Whether the write named tags (and so may have created one). */
  readonly namedTags: boolean;
  readonly statsChanged: boolean;
}

export function staleResponseTags(write: PostWriteTags): string[] {
  const tags = new Set<string>([entityTag('Post', write.postId)]);
  const before = new Set(write.tagIdsBefore);
  const after = new Set(write.tagIdsAfter);
  const gainedOrLost = [...write.tagIdsBefore.filter((id) => !after.has(id)), ...write.tagIdsAfter.filter((id) => !before.has(id))];
  const listsMove = write.membershipChanged || write.titleChanged;
  if (listsMove || gainedOrLost.length > 0) tags.add(POST_LIST_TAG);
  if (listsMove) {
    tags.add(authorPostsTag(write.authorId));
    for (const id of new Set([...write.tagIdsBefore, ...write.tagIdsAfter])) tags.add(tagPostsTag(id));
  }
  for (const id of gainedOrLost) tags.add(tagPostsTag(id));
  if (write.namedTags) tags.add(TAG_LIST_TAG);
  if (write.statsChanged) tags.add(STATS_TAG);
  return [...tags];
}

/** Where a request collects its tags; absent on requests the response cache will not keep. */
export interface TaggedContext {
  readonly responseTags?: Set<string>;
}

type Resolver = GraphQLFieldResolver<any, TaggedContext, any>;
type Recorder = (tags: Set<string>, result: any, parent: any, args: any) => void;

const rowId = (row: { id?: unknown } | null | undefined): number | undefined => (typeof row?.id === 'number' ? row.id : undefined);

function addRows(tags: Set<string>, type: 'Post' | 'Author' | 'Tag', rows: readonly any[] | null | undefined): void {
  for (const row of rows ?? []) {
    const id = rowId(row);
    if (id !== undefined) tags.add(entityTag(type, id));
  }
}

/**
 * The ID asked for is a tag even when nothing is there yet: a later create would fill it. Tags
 * are created by post writes under no tag of their own, so asking for one also reads Tag:list.
 */
function askedId(tags: Set<string>, globalId: unknown): void {
  if (typeof globalId !== 'string') return;
  try {
    const { type, id } = parseGlobalId(globalId, 'id');
    tags.add(entityTag(type, id));
    if (type === 'Tag') tags.add(TAG_LIST_TAG);
  } catch {
    // The resolver already answered; a bad ID made it fail, and a failed response is never kept.
  }
}

const RECORDERS: { readonly [type: string]: { readonly [field: string]: Recorder } } = {
  Query: {
    node: (tags, _result, _parent, args) => askedId(tags, args.id),
    nodes: (tags, _result, _parent, args) => (args.ids as unknown[]).forEach((id) => askedId(tags, id)),
    post: (tags, _result, _parent, args) => askedId(tags, args.id),
    author: (tags, _result, _parent, args) => askedId(tags, args.id),
    tag: (tags, result) => {
      tags.add(TAG_LIST_TAG);
      addRows(tags, 'Tag', [result]);
    },
    posts: (tags, result) => {
      tags.add(POST_LIST_TAG);
      addRows(tags, 'Post', result?.nodes);
    },
    authors: (tags, result) => {
      tags.add(AUTHOR_LIST_TAG);
      addRows(tags, 'Author', result?.nodes);
    },
    tags: (tags, result) => {
      tags.add(TAG_LIST_TAG);
      addRows(tags, 'Tag', result?.nodes);
    },
    stats: (tags) => tags.add(STATS_TAG),
  },
  Post: {
    author: (tags, result) => addRows(tags, 'Author', [result]),
    tags: (tags, result) => addRows(tags, 'Tag', result),
  },
  Author: {
    posts: (tags, result, parent) => {
      tags.add(authorPostsTag(parent.id));
      addRows(tags, 'Post', result?.nodes);
    },
    postCount: (tags, _result, parent) => tags.add(authorPostsTag(parent.id)),
  },
  Tag: {
    posts: (tags, result, parent) => {
      tags.add(tagPostsTag(parent.id));
      addRows(tags, 'Post', result?.nodes);
    },
    postCount: (tags, _result, parent) => tags.add(tagPostsTag(parent.id)),
  },
  BlogStats: {
    topTags: (tags, result) => addRows(tags, 'Tag', (result as { tag: unknown }[]).map((item) => item.tag)),
  },
};

/**
 * The resolvers with every field that yields an entity or a list recording its tags into the
 * request's `responseTags`. Built once, only when the response cache is on; a request without a
 * tag set pays one property check per wrapped field.
 */
export function tagResolvers(resolvers: Resolvers): Resolvers {
  const byType = resolvers as unknown as { [type: string]: { [field: string]: Resolver } };
  const tagged = { ...byType };
  for (const [typeName, recorders] of Object.entries(RECORDERS)) {
    const fields = { ...byType[typeName] };
    for (const [fieldName, recordTags] of Object.entries(recorders)) {
      const resolve = fields[fieldName];
      if (typeof resolve !== 'function') throw new Error(`tagResolvers: ${typeName}.${fieldName} has no resolver to wrap`);
      fields[fieldName] = (parent, args, context, info) => {
        const result = resolve(parent, args, context, info);
        const tags = context.responseTags;
        if (!tags) return result;
        return Promise.resolve(result).then((value) => {
          recordTags(tags, value, parent, args);
          return value;
        });
      };
    }
    tagged[typeName] = fields;
  }
  return tagged as unknown as Resolvers;
}
