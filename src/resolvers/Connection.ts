import type { AuthorConnectionResolvers, PostConnectionResolvers, TagConnectionResolvers } from './types.generated.ts';

// `totalCount` is a method of a connection (it runs SQL only when selected). graphql-js's default
// resolver calls methods, graphql-jit's reads properties: an explicit resolver calls it for both.

export const PostConnection: PostConnectionResolvers = { totalCount: (connection) => connection.totalCount() };
export const AuthorConnection: AuthorConnectionResolvers = { totalCount: (connection) => connection.totalCount() };
export const TagConnection: TagConnectionResolvers = { totalCount: (connection) => connection.totalCount() };
