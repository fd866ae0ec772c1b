import type { GraphQLResolveInfo } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestDatabase } from '../../src/db/request-database.ts';
import { createLoaders } from '../../src/loaders/create-loaders.ts';
import { Author } from '../../src/resolvers/Author.ts';
import { Post } from '../../src/resolvers/Post.ts';
import { createTestDatabase, expectSqlCount, startTestServer, type TestDatabase, type TestServer } from '../support/index.ts';

// Lists fetch the columns their query reads (Django's .only()): the rest of a row stays in the
// database, and the answers are the same as from whole rows.

const LEAN = /* GraphQL */ `{ posts(first: 20) { nodes { title author { name } tags { name } } } }`;
const RICH = /* GraphQL */ `
  { posts(first: 20) { nodes { id title updatedAt wordCount readingTimeMinutes author { id bio createdAt } } } }`;
const ONE_POST = /* GraphQL */ `
  query ($id: ID!) { post(id: $id) { updatedAt wordCount readingTimeMinutes } node(id: $id) { ... on Post { author { bio createdAt } } } }`;

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { cache: { enabled: false } });
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const statementOf = (result: { trace: any }, loader: string | null) =>
  result.trace.sql.statements.find((s: any) => (s.loader ?? null) === loader).sql as string;

describe('columns a list fetches', () => {
  it('leaves out the columns no selected field reads', async () => {
    const result = await expectSqlCount(server, LEAN, 1);
    const page = statementOf(result, null);
    for (const column of ['body', 'word_count', 'updated_at']) expect(page).not.toContain(`"post"."${column}"`);
    expect(page).toContain('"post"."title"');
    // The authors the page joins for Post.author: their name, not their bio.
    expect(page).toContain('author.name as author_name');
    expect(page).not.toContain('"author"."bio"');
  });

  it('fetches the columns the selected fields read, of posts and of their authors, in one statement, with the values of whole rows', async () => {
    const result = await expectSqlCount(server, RICH, 1);
    expect(statementOf(result, null)).toContain('"post"."word_count", "post"."updated_at"');
    expect(statementOf(result, null)).toContain('"author"."bio" as "author_bio" , "author"."created_at" as "author_created_at"');
    for (const post of result.data.posts.nodes.slice(0, 3)) {
      const whole = await server.execute(ONE_POST, { id: post.id });
      expect(whole.errors).toBeUndefined();
      expect(post).toMatchObject({ ...whole.data.post, author: { bio: whole.data.node.author.bio, createdAt: whole.data.node.author.createdAt } });
      expect(post.wordCount).toBeGreaterThan(0);
    }
  });
});

describe('fields whose column a row lacks', () => {
  // Not reachable through a query (lists fetch what their selection reads): the resolvers load
  // the whole row rather than answer undefined, should a new path ever forget a column.
  it('load the whole row to answer', async () => {
    const { handle } = database;
    const loaders = () => createLoaders(createRequestDatabase(handle.db, undefined), { batching: true }, undefined as never);
    const context = () => ({ loaders: loaders() }) as never;
    const info = {} as GraphQLResolveInfo;
    const whole = await handle.db.selectFrom('posts').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    const lean = { id: whole.id, author_id: whole.author_id, title: whole.title, created_at: whole.created_at };
    expect(await (Post.updatedAt as any)(lean, {}, context(), info)).toEqual(whole.updated_at);
    expect(await (Post.wordCount as any)(lean, {}, context(), info)).toBe(whole.word_count);
    expect(await (Post.readingTimeMinutes as any)(lean, {}, context(), info)).toBe(Math.max(1, Math.ceil(whole.word_count / 200)));

    const author = await handle.db.selectFrom('authors').selectAll().where('id', '=', whole.author_id).executeTakeFirstOrThrow();
    const leanAuthor = { id: author.id, name: author.name };
    expect(await (Author.bio as any)(leanAuthor, {}, context(), info)).toBe(author.bio);
    expect(await (Author.createdAt as any)(leanAuthor, {}, context(), info)).toEqual(author.created_at);
  });
});
