import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { PostRow, AuthorRow, TagRow } from '../db/types.ts';
import type { Connection, Edge } from '../pagination/to-connection.ts';
import type { StatsSnapshot, TagCountRow } from '../db/compute-stats.ts';
import type { Context } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 timestamp in UTC with millisecond precision, e.g. `2024-05-01T09:30:00.000Z`. */
  DateTime: { input: Date; output: Date; }
};

/** Someone who writes posts. Writes need a token of an author (`npm run token -- --author <id>`). */
export type Author = Node & {
  __typename?: 'Author';
  /** A short self-description; null when the author has not written one. */
  bio: Maybe<Scalars['String']['output']>;
  /** When the author joined. */
  createdAt: Scalars['DateTime']['output'];
  /** The author's global ID (`Author:<n>`, base64): pass it to `author(id:)`, `node(id:)` or `posts(authorId:)`. */
  id: Scalars['ID']['output'];
  /** The author's display name, as they chose it (not unique). */
  name: Scalars['String']['output'];
  /** How many posts the author has written; cached, and exact after every write. */
  postCount: Scalars['Int']['output'];
  /** The author's posts, newest first unless `orderBy` says otherwise. Cost 2 plus the page's items. */
  posts: PostConnection;
};


/** Someone who writes posts. Writes need a token of an author (`npm run token -- --author <id>`). */
export type AuthorPostsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<PostOrder>;
};

/** A page of authors (a Relay connection): `nodes` for the items, `edges` when you need each item's cursor. */
export type AuthorConnection = {
  __typename?: 'AuthorConnection';
  /** The page's items with their cursors. */
  edges: Array<AuthorEdge>;
  /** The page's items, without cursors: the shorter way when `pageInfo` is enough to page on. */
  nodes: Array<Author>;
  /** Cursors of the page's ends, and whether more items follow or precede. */
  pageInfo: PageInfo;
  /** All items of the list, ignoring pagination: one more statement (a count) when selected. */
  totalCount: Scalars['Int']['output'];
};

/** One author of a page, with its cursor. */
export type AuthorEdge = {
  __typename?: 'AuthorEdge';
  /** An opaque cursor for this item: pass it as `after` or `before` to page from here (same list and ordering). */
  cursor: Scalars['String']['output'];
  /** The author itself. */
  node: Author;
};

/** How to order authors; ties are broken by id, so cursors are stable. */
export type AuthorOrder = {
  /** A to Z (or oldest) first by default. */
  direction?: OrderDirection;
  /** The sort key; a cursor is valid only with the ordering that made it. */
  field?: AuthorOrderField;
};

/** What authors are ordered by. */
export type AuthorOrderField =
  /** When the author joined. */
  | 'CREATED_AT'
  /** The author's name, alphabetically (the default). */
  | 'NAME';

/** Aggregates over the whole blog: deliberately expensive to compute, and may be served 10 s stale. */
export type BlogStats = {
  __typename?: 'BlogStats';
  /** Authors in the blog, with or without posts. */
  authorCount: Scalars['Int']['output'];
  /** When these numbers were computed: they may be up to 10 s old. */
  computedAt: Scalars['DateTime']['output'];
  /** Posts in the blog. */
  postCount: Scalars['Int']['output'];
  /** Tags in the blog, with or without posts. */
  tagCount: Scalars['Int']['output'];
  /** The most used tags, most posts first (limit 1 to 100). */
  topTags: Array<TagCount>;
  /** The sum of every post's `wordCount`. */
  totalWords: Scalars['Int']['output'];
};


/** Aggregates over the whole blog: deliberately expensive to compute, and may be served 10 s stale. */
export type BlogStatsTopTagsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** Who may keep a cached response: any cache, or only the client that asked. */
export type CacheControlScope =
  /** Only the asking client may keep it: the response holds that client's own data. */
  | 'PRIVATE'
  /** Shared caches (a CDN, a proxy) may keep the response for every client. */
  | 'PUBLIC';

/** A new post by the author whose token the request carries. */
export type CreatePostInput = {
  /** 1 to 100,000 characters. */
  body: Scalars['String']['input'];
  /** Echoed in the payload (Relay mutations). */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** At most 10 tag names (`^[a-z0-9-]{1,40}$`); a tag is created on first use. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** 1 to 200 characters. */
  title: Scalars['String']['input'];
};

/** The result of `createPost`. */
export type CreatePostPayload = {
  __typename?: 'CreatePostPayload';
  /** The input's `clientMutationId`, unchanged. */
  clientMutationId: Maybe<Scalars['String']['output']>;
  /** The new post, written by the token's author. */
  post: Post;
};

/** The result of `deletePost`. */
export type DeletePostPayload = {
  __typename?: 'DeletePostPayload';
  /** The argument `clientMutationId`, unchanged. */
  clientMutationId: Maybe<Scalars['String']['output']>;
  /** The global ID of the deleted post. */
  deletedId: Scalars['ID']['output'];
};

/**
 * Writes need `Authorization: Bearer <token>` (`npm run token -- --author <id>`); an author may change
 * only their own posts. Each mutation is one transaction: a failed one writes nothing.
 *
 * The payloads are nullable: a mutation that fails is `null` with its error, and the mutations
 * before it in the same document keep their results. A committed `createPost` is always in the
 * response, so a client never resends it for lack of an answer (and creates a duplicate).
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Publishes a post by the token's author; `UNAUTHENTICATED` without a valid token, `BAD_USER_INPUT` on bad input. */
  createPost: Maybe<CreatePostPayload>;
  /** Deletes a post of the token's author, with its tag links; `FORBIDDEN` and `NOT_FOUND` as for `updatePost`. */
  deletePost: Maybe<DeletePostPayload>;
  /** Changes a post of the token's author; `FORBIDDEN` for another author's post, `NOT_FOUND` for a missing one. */
  updatePost: Maybe<UpdatePostPayload>;
};


/**
 * Writes need `Authorization: Bearer <token>` (`npm run token -- --author <id>`); an author may change
 * only their own posts. Each mutation is one transaction: a failed one writes nothing.
 *
 * The payloads are nullable: a mutation that fails is `null` with its error, and the mutations
 * before it in the same document keep their results. A committed `createPost` is always in the
 * response, so a client never resends it for lack of an answer (and creates a duplicate).
 */
export type MutationCreatePostArgs = {
  input: CreatePostInput;
};


/**
 * Writes need `Authorization: Bearer <token>` (`npm run token -- --author <id>`); an author may change
 * only their own posts. Each mutation is one transaction: a failed one writes nothing.
 *
 * The payloads are nullable: a mutation that fails is `null` with its error, and the mutations
 * before it in the same document keep their results. A committed `createPost` is always in the
 * response, so a client never resends it for lack of an answer (and creates a duplicate).
 */
export type MutationDeletePostArgs = {
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Writes need `Authorization: Bearer <token>` (`npm run token -- --author <id>`); an author may change
 * only their own posts. Each mutation is one transaction: a failed one writes nothing.
 *
 * The payloads are nullable: a mutation that fails is `null` with its error, and the mutations
 * before it in the same document keep their results. A committed `createPost` is always in the
 * response, so a client never resends it for lack of an answer (and creates a duplicate).
 */
export type MutationUpdatePostArgs = {
  input: UpdatePostInput;
};

/** An object with a global ID (Relay object identification). */
export type Node = {
  /** An opaque global ID: fetch the object again with `Query.node(id:)`. */
  id: Scalars['ID']['output'];
};

/** Ascending or descending. */
export type OrderDirection =
  /** Smallest first: oldest, or A to Z. */
  | 'ASC'
  /** Largest first: newest, or Z to A. */
  | 'DESC';

/** Where a page sits in its list (Relay connections): pass `endCursor` as `after` for the next page. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the page's last item, to pass as `after`; null when the page is empty. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page: exact when paging forwards; when paging backwards, whether `before` was given. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items precede this page: exact when paging backwards (`last`); when paging forwards, whether `after` was given. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the page's first item, to pass as `before`; null when the page is empty. */
  startCursor: Maybe<Scalars['String']['output']>;
};

/** A blog post. */
export type Post = Node & {
  __typename?: 'Post';
  /** Who wrote the post; the authors of a page of posts load in one batched statement. */
  author: Author;
  /** Priced at 8 (a scalar otherwise costs 0): a body may hold 100,000 characters, so a query's cost bounds the text it can return. */
  body: Scalars['String']['output'];
  /** When the post was published. */
  createdAt: Scalars['DateTime']['output'];
  /** The first `words` words of the body (1 to 500), with an ellipsis when cut. */
  excerpt: Scalars['String']['output'];
  /** The post's global ID (`Post:<n>`, base64): pass it to `post(id:)`, `node(id:)`, `updatePost` or `deletePost`. */
  id: Scalars['ID']['output'];
  /** At 200 words a minute, at least 1. */
  readingTimeMinutes: Scalars['Int']['output'];
  /** Tags in name order. */
  tags: Array<Tag>;
  /** The title: 1 to 200 characters. */
  title: Scalars['String']['output'];
  /** When the post was last changed by `updatePost`; equal to `createdAt` until then. */
  updatedAt: Scalars['DateTime']['output'];
  /** Words in the body (runs of non-space characters). */
  wordCount: Scalars['Int']['output'];
};


/** A blog post. */
export type PostExcerptArgs = {
  words?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of posts (a Relay connection): `nodes` for the items, `edges` when you need each item's cursor. */
export type PostConnection = {
  __typename?: 'PostConnection';
  /** The page's items with their cursors. */
  edges: Array<PostEdge>;
  /** The page's items, without cursors: the shorter way when `pageInfo` is enough to page on. */
  nodes: Array<Post>;
  /** Cursors of the page's ends, and whether more items follow or precede. */
  pageInfo: PageInfo;
  /** All items of the list, ignoring pagination: one more statement (a count) when selected. */
  totalCount: Scalars['Int']['output'];
};

/** One post of a page, with its cursor. */
export type PostEdge = {
  __typename?: 'PostEdge';
  /** An opaque cursor for this item: pass it as `after` or `before` to page from here (same list and ordering). */
  cursor: Scalars['String']['output'];
  /** The post itself. */
  node: Post;
};

/** How to order posts; ties are broken by id, so cursors are stable. */
export type PostOrder = {
  /** Newest (or Z) first by default. */
  direction?: OrderDirection;
  /** The sort key; a cursor is valid only with the ordering that made it. */
  field?: PostOrderField;
};

/** What posts are ordered by. */
export type PostOrderField =
  /** When the post was created (the default). */
  | 'CREATED_AT'
  /** The title, alphabetically (by the database's collation). */
  | 'TITLE';

/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type Query = {
  __typename?: 'Query';
  /** An author by global ID; null when there is none. */
  author: Maybe<Author>;
  /** Authors, by name unless `orderBy` says otherwise. */
  authors: Maybe<AuthorConnection>;
  /** Fetches any object by its global ID; null when it does not exist. */
  node: Maybe<Node>;
  /**
   * Fetches up to 100 objects by global ID, in the order given; null for each that does not exist.
   * A malformed ID is null too, with a `BAD_USER_INPUT` error at its index (`["nodes", i]`).
   */
  nodes: Maybe<Array<Maybe<Node>>>;
  /** A post by its global ID; null when it does not exist (it may have been deleted). */
  post: Maybe<Post>;
  /**
   * Posts, newest first by default. `tag` keeps posts with that tag name; `authorId` (an Author's
   * global ID) keeps that author's posts.
   */
  posts: Maybe<PostConnection>;
  /** This client's cost budget (GitHub's `rateLimit`); null when client budgets are off. */
  rateLimit: Maybe<RateLimit>;
  /** Aggregates over the whole table: priced like a page of rows (cached, but a miss scans everything). */
  stats: Maybe<BlogStats>;
  /** A tag by its exact name; null when there is none. */
  tag: Maybe<Tag>;
  /** Tags by name. */
  tags: Maybe<TagConnection>;
};


/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type QueryAuthorArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type QueryAuthorsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<AuthorOrder>;
};


/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type QueryPostArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type QueryPostsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  authorId?: InputMaybe<Scalars['ID']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<PostOrder>;
  tag?: InputMaybe<Scalars['String']['input']>;
};


/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type QueryTagArgs = {
  name: Scalars['String']['input'];
};


/**
 * Every root field is nullable, so one that fails (its database statement timed out, the database
 * is down, an argument is invalid) is `null` with its error in `errors`, and its siblings still
 * answer: `{ posts stats }` in an outage still returns `stats` from the cache. Below the root,
 * fields keep their non-null types, so an error inside a connection nulls that root field only.
 */
export type QueryTagsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A client's leaky bucket of cost points (docs/limits-and-security.md): one client's data, never in a shared cache. */
export type RateLimit = {
  __typename?: 'RateLimit';
  /** The requested (estimated) cost of this operation. */
  cost: Scalars['Int']['output'];
  /** Points the bucket holds when full. */
  limit: Scalars['Int']['output'];
  /** Points left after this operation's requested cost. */
  remaining: Scalars['Int']['output'];
  /** When the bucket is full again. */
  resetAt: Scalars['DateTime']['output'];
};

/** A topic that posts are filed under; created on first use by `createPost` or `updatePost`. */
export type Tag = Node & {
  __typename?: 'Tag';
  /** The tag's global ID (`Tag:<n>`, base64): pass it to `node(id:)`. */
  id: Scalars['ID']['output'];
  /** The tag's unique name: lowercase letters, digits and dashes, 1 to 40 characters; look it up with `tag(name:)`. */
  name: Scalars['String']['output'];
  /** How many posts carry this tag; cached, and exact after every write. */
  postCount: Scalars['Int']['output'];
  /** Posts with this tag, newest first unless `orderBy` says otherwise. Cost 2 plus the page's items. */
  posts: PostConnection;
};


/** A topic that posts are filed under; created on first use by `createPost` or `updatePost`. */
export type TagPostsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<PostOrder>;
};

/** A page of tags (a Relay connection): `nodes` for the items, `edges` when you need each item's cursor. */
export type TagConnection = {
  __typename?: 'TagConnection';
  /** The page's items with their cursors. */
  edges: Array<TagEdge>;
  /** The page's items, without cursors: the shorter way when `pageInfo` is enough to page on. */
  nodes: Array<Tag>;
  /** Cursors of the page's ends, and whether more items follow or precede. */
  pageInfo: PageInfo;
  /** All items of the list, ignoring pagination: one more statement (a count) when selected. */
  totalCount: Scalars['Int']['output'];
};

/** A tag and its post count, as of `BlogStats.computedAt`: may be served a few seconds stale. */
export type TagCount = {
  __typename?: 'TagCount';
  /** How many posts carried the tag when the stats were computed. */
  count: Scalars['Int']['output'];
  /** The tag. */
  tag: Tag;
};

/** One tag of a page, with its cursor. */
export type TagEdge = {
  __typename?: 'TagEdge';
  /** An opaque cursor for this item: pass it as `after` or `before` to page from here (same list and ordering). */
  cursor: Scalars['String']['output'];
  /** The tag itself. */
  node: Tag;
};

/** Changes the fields given; the others keep their values. `tags` replaces the whole list. */
export type UpdatePostInput = {
  /** A new body, 1 to 100,000 characters; null is a `BAD_USER_INPUT` error (leave it out to keep the body). */
  body?: InputMaybe<Scalars['String']['input']>;
  /** Echoed in the payload (Relay mutations). */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The post's global ID: a post of the token's author (`FORBIDDEN` otherwise, `NOT_FOUND` when there is none). */
  id: Scalars['ID']['input'];
  /** The whole new list of tag names (at most 10, `^[a-z0-9-]{1,40}$`); `[]` removes every tag. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** A new title, 1 to 200 characters; null is a `BAD_USER_INPUT` error (leave it out to keep the title). */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** The result of `updatePost`. */
export type UpdatePostPayload = {
  __typename?: 'UpdatePostPayload';
  /** The input's `clientMutationId`, unchanged. */
  clientMutationId: Maybe<Scalars['String']['output']>;
  /** The post as it is after the change. */
  post: Post;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;




/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = {
  Node:
    | ( AuthorRow )
    | ( PostRow )
    | ( TagRow )
  ;
};

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Author: ResolverTypeWrapper<AuthorRow>;
  AuthorConnection: ResolverTypeWrapper<Connection<AuthorRow>>;
  AuthorEdge: ResolverTypeWrapper<Edge<AuthorRow>>;
  AuthorOrder: AuthorOrder;
  AuthorOrderField: AuthorOrderField;
  BlogStats: ResolverTypeWrapper<StatsSnapshot>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CacheControlScope: CacheControlScope;
  CreatePostInput: CreatePostInput;
  CreatePostPayload: ResolverTypeWrapper<Omit<CreatePostPayload, 'post'> & { post: ResolversTypes['Post'] }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeletePostPayload: ResolverTypeWrapper<DeletePostPayload>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Node: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['Node']>;
  OrderDirection: OrderDirection;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Post: ResolverTypeWrapper<PostRow>;
  PostConnection: ResolverTypeWrapper<Connection<PostRow>>;
  PostEdge: ResolverTypeWrapper<Edge<PostRow>>;
  PostOrder: PostOrder;
  PostOrderField: PostOrderField;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RateLimit: ResolverTypeWrapper<RateLimit>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Tag: ResolverTypeWrapper<TagRow>;
  TagConnection: ResolverTypeWrapper<Connection<TagRow>>;
  TagCount: ResolverTypeWrapper<TagCountRow>;
  TagEdge: ResolverTypeWrapper<Edge<TagRow>>;
  UpdatePostInput: UpdatePostInput;
  UpdatePostPayload: ResolverTypeWrapper<Omit<UpdatePostPayload, 'post'> & { post: ResolversTypes['Post'] }>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Author: AuthorRow;
  AuthorConnection: Connection<AuthorRow>;
  AuthorEdge: Edge<AuthorRow>;
  AuthorOrder: AuthorOrder;
  BlogStats: StatsSnapshot;
  Boolean: Scalars['Boolean']['output'];
  CreatePostInput: CreatePostInput;
  CreatePostPayload: Omit<CreatePostPayload, 'post'> & { post: ResolversParentTypes['Post'] };
  DateTime: Scalars['DateTime']['output'];
  DeletePostPayload: DeletePostPayload;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Mutation: Record<PropertyKey, never>;
  Node: ResolversInterfaceTypes<ResolversParentTypes>['Node'];
  PageInfo: PageInfo;
  Post: PostRow;
  PostConnection: Connection<PostRow>;
  PostEdge: Edge<PostRow>;
  PostOrder: PostOrder;
  Query: Record<PropertyKey, never>;
  RateLimit: RateLimit;
  String: Scalars['String']['output'];
  Tag: TagRow;
  TagConnection: Connection<TagRow>;
  TagCount: TagCountRow;
  TagEdge: Edge<TagRow>;
  UpdatePostInput: UpdatePostInput;
  UpdatePostPayload: Omit<UpdatePostPayload, 'post'> & { post: ResolversParentTypes['Post'] };
};

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = Context, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ComplexityDirectiveArgs = {
  assumedSize?: Maybe<Scalars['Int']['input']>;
  multipliers?: Maybe<Array<Scalars['String']['input']>>;
  value?: Scalars['Int']['input'];
};

export type ComplexityDirectiveResolver<Result, Parent, ContextType = Context, Args = ComplexityDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AuthorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Author'] = ResolversParentTypes['Author']> = {
  bio?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  postCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  posts?: Resolver<ResolversTypes['PostConnection'], ParentType, ContextType, Partial<AuthorPostsArgs>>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type AuthorConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuthorConnection'] = ResolversParentTypes['AuthorConnection']> = {
  edges?: Resolver<Array<ResolversTypes['AuthorEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Author']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AuthorEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuthorEdge'] = ResolversParentTypes['AuthorEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Author'], ParentType, ContextType>;
};

export type BlogStatsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BlogStats'] = ResolversParentTypes['BlogStats']> = {
  authorCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  computedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  postCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tagCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  topTags?: Resolver<Array<ResolversTypes['TagCount']>, ParentType, ContextType, RequireFields<BlogStatsTopTagsArgs, 'limit'>>;
  totalWords?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CreatePostPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreatePostPayload'] = ResolversParentTypes['CreatePostPayload']> = {
  clientMutationId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  post?: Resolver<ResolversTypes['Post'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeletePostPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeletePostPayload'] = ResolversParentTypes['DeletePostPayload']> = {
  clientMutationId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  deletedId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createPost?: Resolver<Maybe<ResolversTypes['CreatePostPayload']>, ParentType, ContextType, RequireFields<MutationCreatePostArgs, 'input'>>;
  deletePost?: Resolver<Maybe<ResolversTypes['DeletePostPayload']>, ParentType, ContextType, RequireFields<MutationDeletePostArgs, 'id'>>;
  updatePost?: Resolver<Maybe<ResolversTypes['UpdatePostPayload']>, ParentType, ContextType, RequireFields<MutationUpdatePostArgs, 'input'>>;
};

export type NodeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Node'] = ResolversParentTypes['Node']> = {
  __resolveType: TypeResolveFn<'Author' | 'Post' | 'Tag', ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PostResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Post'] = ResolversParentTypes['Post']> = {
  author?: Resolver<ResolversTypes['Author'], ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  excerpt?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<PostExcerptArgs, 'words'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  readingTimeMinutes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['Tag']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  wordCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PostConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PostConnection'] = ResolversParentTypes['PostConnection']> = {
  edges?: Resolver<Array<ResolversTypes['PostEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Post']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PostEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PostEdge'] = ResolversParentTypes['PostEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Post'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  author?: Resolver<Maybe<ResolversTypes['Author']>, ParentType, ContextType, RequireFields<QueryAuthorArgs, 'id'>>;
  authors?: Resolver<Maybe<ResolversTypes['AuthorConnection']>, ParentType, ContextType, Partial<QueryAuthorsArgs>>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType, RequireFields<QueryNodeArgs, 'id'>>;
  nodes?: Resolver<Maybe<Array<Maybe<ResolversTypes['Node']>>>, ParentType, ContextType, RequireFields<QueryNodesArgs, 'ids'>>;
  post?: Resolver<Maybe<ResolversTypes['Post']>, ParentType, ContextType, RequireFields<QueryPostArgs, 'id'>>;
  posts?: Resolver<Maybe<ResolversTypes['PostConnection']>, ParentType, ContextType, Partial<QueryPostsArgs>>;
  rateLimit?: Resolver<Maybe<ResolversTypes['RateLimit']>, ParentType, ContextType>;
  stats?: Resolver<Maybe<ResolversTypes['BlogStats']>, ParentType, ContextType>;
  tag?: Resolver<Maybe<ResolversTypes['Tag']>, ParentType, ContextType, RequireFields<QueryTagArgs, 'name'>>;
  tags?: Resolver<Maybe<ResolversTypes['TagConnection']>, ParentType, ContextType, Partial<QueryTagsArgs>>;
};

export type RateLimitResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RateLimit'] = ResolversParentTypes['RateLimit']> = {
  cost?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  limit?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  remaining?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  resetAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type TagResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Tag'] = ResolversParentTypes['Tag']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  postCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  posts?: Resolver<ResolversTypes['PostConnection'], ParentType, ContextType, Partial<TagPostsArgs>>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type TagConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TagConnection'] = ResolversParentTypes['TagConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TagEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Tag']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TagCountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TagCount'] = ResolversParentTypes['TagCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tag?: Resolver<ResolversTypes['Tag'], ParentType, ContextType>;
};

export type TagEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TagEdge'] = ResolversParentTypes['TagEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Tag'], ParentType, ContextType>;
};

export type UpdatePostPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UpdatePostPayload'] = ResolversParentTypes['UpdatePostPayload']> = {
  clientMutationId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  post?: Resolver<ResolversTypes['Post'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  Author?: AuthorResolvers<ContextType>;
  AuthorConnection?: AuthorConnectionResolvers<ContextType>;
  AuthorEdge?: AuthorEdgeResolvers<ContextType>;
  BlogStats?: BlogStatsResolvers<ContextType>;
  CreatePostPayload?: CreatePostPayloadResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeletePostPayload?: DeletePostPayloadResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Node?: NodeResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Post?: PostResolvers<ContextType>;
  PostConnection?: PostConnectionResolvers<ContextType>;
  PostEdge?: PostEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RateLimit?: RateLimitResolvers<ContextType>;
  Tag?: TagResolvers<ContextType>;
  TagConnection?: TagConnectionResolvers<ContextType>;
  TagCount?: TagCountResolvers<ContextType>;
  TagEdge?: TagEdgeResolvers<ContextType>;
  UpdatePostPayload?: UpdatePostPayloadResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
  complexity?: ComplexityDirectiveResolver<any, any, ContextType>;
};
