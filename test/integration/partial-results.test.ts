import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { parseGlobalId } from '../../src/global-id.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// One failing root field must not take its siblings down with it: a committed mutation stays in
// the response when a later one in the same document fails, and a query's other root fields
// still answer. (The database-outage case, `{ posts stats }` with stats from the cache, is in
// faults.test.ts.)

let database: TestDatabase;
let server: TestServer;
let auth: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  auth = { authorization: `Bearer ${await issueApiToken(database.handle.db, 1)}` };
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('partial results', () => {
  it('keeps a committed createPost in the response when a sibling mutation fails', async () => {
    const result = await server.execute(
      `mutation ($good: CreatePostInput!, $bad: CreatePostInput!) {
        first: createPost(input: $good) { post { id title } }
        second: createPost(input: $bad) { post { id } }
      }`,
      { good: { title: 'Committed first', body: 'Kept in the answer.' }, bad: { title: '', body: 'An empty title.' } },
      { headers: auth, trace: false },
    );
    expect(result.data).toEqual({ first: { post: { id: expect.any(String), title: 'Committed first' } }, second: null });
    expect(result.errors).toEqual([expect.objectContaining({ path: ['second'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
    // The post the answer names is the one in the database.
    const { id } = parseGlobalId(result.data.first.post.id, 'id');
    const row = await database.handle.db.selectFrom('posts').select('title').where('id', '=', id).executeTakeFirst();
    expect(row).toEqual({ title: 'Committed first' });
  });

  it("answers a query's other root fields when one of them fails", async () => {
    const result = await server.execute(`{ posts(first: 101) { totalCount } stats { postCount } authors(first: 1) { nodes { name } } }`, {}, { trace: false });
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ posts: null, stats: { postCount: expect.any(Number) }, authors: { nodes: [{ name: expect.any(String) }] } });
    expect(result.errors).toEqual([expect.objectContaining({ path: ['posts'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  });

  it('nulls only the root field whose connection failed deeper down', async () => {
    const result = await server.execute(`{ authors(first: 2) { nodes { posts(last: -1) { totalCount } } } stats { postCount } }`, {}, { trace: false });
    expect(result.data).toEqual({ authors: null, stats: { postCount: expect.any(Number) } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
