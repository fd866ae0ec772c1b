import { describe, expect, it } from 'vitest';
import { parseGlobalId } from '../../src/global-id.ts';
import { useAuthorServer } from '../support/author-server.ts';

// One failing root field must not take its siblings down with it: a committed mutation stays in
// the response when a later one in the same document fails, and a query's other root fields
// still answer. (The database-outage case, `{ posts stats }` with stats from the cache, is in
// faults.test.ts.)

const fixture = useAuthorServer();

describe('partial results', () => {
  it('keeps a committed createPost in the response when a sibling mutation fails', async () => {
    const result = await fixture.server.execute(
      `mutation ($good: CreatePostInput!, $bad: CreatePostInput!) {
        first: createPost(input: $good) { post { id title } }
        second: createPost(input: $bad) { post { id } }
      }`,
      { good: { title: 'Committed first', body: 'Kept in the answer.' }, bad: { title: '', body: 'An empty title.' } },
      { headers: fixture.auth, trace: false },
    );
    expect(result.data).toEqual({ first: { post: { id: expect.any(String), title: 'Committed first' } }, second: null });
    expect(result.errors).toEqual([expect.objectContaining({ path: ['second'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
    // The post the answer names is the one in the database.
    const { id } = parseGlobalId(result.data.first.post.id, 'id');
    const row = await fixture.database.handle.db.selectFrom('posts').select('title').where('id', '=', id).executeTakeFirst();
    expect(row).toEqual({ title: 'Committed first' });
  });

  it("answers a query's other root fields when one of them fails", async () => {
    const result = await fixture.server.execute(`{ posts(first: 101) { totalCount } stats { postCount } authors(first: 1) { nodes { name } } }`, {}, { trace: false });
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ posts: null, stats: { postCount: expect.any(Number) }, authors: { nodes: [{ name: expect.any(String) }] } });
    expect(result.errors).toEqual([expect.objectContaining({ path: ['posts'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  });

  it('nulls only the root field whose connection failed deeper down', async () => {
    const result = await fixture.server.execute(`{ authors(first: 2) { nodes { posts(last: -1) { totalCount } } } stats { postCount } }`, {}, { trace: false });
    expect(result.data).toEqual({ authors: null, stats: { postCount: expect.any(Number) } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
