import { Author } from './Author.ts';
import { BlogStats } from './BlogStats.ts';
import { AuthorConnection, PostConnection, TagConnection } from './Connection.ts';
import { DateTime } from './DateTime.ts';
import { Mutation } from './Mutation.ts';
import { Node } from './Node.ts';
import { Post } from './Post.ts';
import { Query } from './Query.ts';
import { Tag } from './Tag.ts';
import type { Resolvers } from './types.generated.ts';

export const resolvers: Resolvers = {
  Query, Mutation, Node, Post, Author, Tag, BlogStats, DateTime, PostConnection, AuthorConnection, TagConnection,
};
