import { type Kysely, sql } from 'kysely';
import { type BlogSize, generateAuthors, generatePosts, generateTags, loadFaker } from './generate-blog.ts';
import type { Database } from './types.ts';

export const DEMO_SIZE: BlogSize = Object.freeze({ authors: 50, posts: 3000, tags: 30 });
export const DEFAULT_SEED = 42;
/** Rows per INSERT ... SELECT FROM unnest(...): one statement, seven array parameters. */
const CHUNK = 2000;

export class DatabaseNotEmptyError extends Error {
  constructor(posts: number) {
    super(`the database already holds ${posts} posts; pass --reset to replace them`);
    this.name = 'DatabaseNotEmptyError';
  }
}

export interface SeedOptions {
  readonly seed?: number;
  readonly reset?: boolean;
  readonly onProgress?: (postsDone: number, postsTotal: number) => void;
}

export async function countPostsInDatabase(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('posts').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

/** Fills an empty database with generated authors, tags and posts (ids 1..N). */
export async function seedDatabase(db: Kysely<Database>, size: BlogSize, options: SeedOptions = {}): Promise<void> {
  const seed = options.seed ?? DEFAULT_SEED;
  const existing = await countPostsInDatabase(db);
  if (existing > 0 && !options.reset) throw new DatabaseNotEmptyError(existing);
  if (options.reset) await sql`truncate post_tags, posts, tags, authors restart identity cascade`.execute(db);

  const faker = await loadFaker();
  const authors = generateAuthors(size, seed, faker);
  for (let i = 0; i < authors.length; i += CHUNK) {
    const chunk = authors.slice(i, i + CHUNK);
    await sql`insert into authors (id, name, bio, created_at)
      select * from unnest(${chunk.map((a) => a.id)}::int[], ${chunk.map((a) => a.name)}::text[],
        ${chunk.map((a) => a.bio)}::text[], ${chunk.map((a) => a.createdAt)}::timestamptz[])`.execute(db);
  }
  const tags = generateTags(size);
  if (tags.length > 0) {
    await sql`insert into tags (id, name)
      select * from unnest(${tags.map((t) => t.id)}::int[], ${tags.map((t) => t.name)}::text[])`.execute(db);
  }
  let done = 0;
  for (const posts of generatePosts(size, seed, CHUNK, faker)) {
    const created = posts.map((p) => p.createdAt);
    await sql`insert into posts (id, author_id, title, body, word_count, created_at, updated_at)
      select * from unnest(${posts.map((p) => p.id)}::int[], ${posts.map((p) => p.authorId)}::int[],
        ${posts.map((p) => p.title)}::text[], ${posts.map((p) => p.body)}::text[],
        ${posts.map((p) => p.wordCount)}::int[], ${created}::timestamptz[], ${created}::timestamptz[])`.execute(db);
    const links = posts.flatMap((p) => p.tagIds.map((tagId) => [p.id, tagId] as const));
    if (links.length > 0) {
      await sql`insert into post_tags (post_id, tag_id)
        select * from unnest(${links.map((l) => l[0])}::int[], ${links.map((l) => l[1])}::int[])`.execute(db);
    }
    done += posts.length;
    options.onProgress?.(done, size.posts);
  }
  // Explicit ids leave the identity sequences behind; the next insert must not collide.
  for (const table of ['authors', 'posts', 'tags'] as const) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest((select max(id) from ${sql.table(table)}), 1))`.execute(db);
  }
  // The triggers that keep each post's tag list rewrote every post once its links were in: a full
  // vacuum leaves the table as compact as if each post had been written once.
  await sql`vacuum (full, analyze)`.execute(db);
}
