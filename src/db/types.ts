import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// Hand-written table types: the one source of row shapes. Codegen maps GraphQL types to the rows
// (codegen.ts), so a resolver for Post.author receives a PostRow with author_id.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AuthorTable {
  id: Generated<number>;
  name: string;
  bio: string | null;
  created_at: CreatedAt;
}

export interface PostTable {
  id: Generated<number>;
  author_id: number;
  title: string;
  body: string;
  /** Stored at write time so stats and wordCount never read bodies. */
  word_count: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TagTable {
  id: Generated<number>;
  name: string;
}

export interface PostTagTable {
  post_id: number;
  tag_id: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  author_id: number;
  /** Hex SHA-256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: CreatedAt;
}

export interface Database {
  authors: AuthorTable;
  posts: PostTable;
  tags: TagTable;
  post_tags: PostTagTable;
  api_tokens: ApiTokenTable;
}

/**
 * An author as loaded for GraphQL: `bio` and `created_at` only when the operation asks for them
 * (author-columns.ts); Author.bio and Author.createdAt load the whole row when they are absent.
 */
export type AuthorRow = Omit<Selectable<AuthorTable>, 'bio' | 'created_at'> & { bio?: string | null; created_at?: Date };
/** An author with every column (node, nodes). */
export type FullAuthorRow = Selectable<AuthorTable>;
export type TagRow = Selectable<TagTable>;
export type NewPost = Insertable<PostTable>;

/**
 * A post as loaded for GraphQL. `body`, `word_count` and `updated_at` are fetched only when the
 * operation asks for a field that reads them (post-columns.ts); the resolvers of those fields
 * load them on demand when they are absent.
 */
export type PostRow = Omit<Selectable<PostTable>, 'body' | 'word_count' | 'updated_at'> & { body?: string; word_count?: number; updated_at?: Date };
/** A post with every column (post, node, nodes, mutation payloads). */
export type FullPostRow = Selectable<PostTable>;
