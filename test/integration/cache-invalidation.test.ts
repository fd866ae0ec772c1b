import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startServersSharingRedis, type ServerPair } from '../support/servers-sharing-redis.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// A read after a write never sees stale data, on any process. Each scenario warms
// the cache through the reader, writes through the writer, and reads back through the reader at
// once, comparing every cached number with the database itself.

const READ = /* GraphQL */ `
  query ($a: ID!, $b: ID!) {
    a: author(id: $a) { postCount posts(first: 1) { totalCount } }
    b: author(id: $b) { postCount }
    tags(first: 100) { nodes { name postCount } }
    stats { postCount tagCount totalWords topTags(limit: 100) { count tag { name } } }
  }`;
const CREATE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { post { id } } }`;
const UPDATE = `mutation ($input: UpdatePostInput!) { updatePost(input: $input) { post { id } } }`;
const DELETE = `mutation ($id: ID!) { deletePost(id: $id) { deletedId } }`;

const redisUrl = inject('redisUrl');

let database: TestDatabase;
let token: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  token = { authorization: `Bearer ${await issueApiToken(database.handle.db, 1)}` };
});

afterAll(async () => {
  await database?.close();
});

/** The numbers READ shows, computed straight from the database. */
async function truth() {
  const db = database.handle.db;
  const { rows } = await sql<{ name: string; n: number }>`select t.name, count(l.post_id)::int as n
    from tags t left join post_tags l on l.tag_id = t.id group by t.name order by t.name`.execute(db);
  const count = async (authorId: number) =>
    (await db.selectFrom('posts').select(sql<number>`count(*)::int`.as('n')).where('author_id', '=', authorId).executeTakeFirstOrThrow()).n;
  const totals = await sql<{ posts: number; words: number }>`select count(*)::int as posts, coalesce(sum(word_count), 0)::int as words from posts`.execute(db);
  return {
    a: await count(1),
    b: await count(2),
    tags: Object.fromEntries(rows.map((r) => [r.name, r.n])),
    posts: totals.rows[0]!.posts,
    words: totals.rows[0]!.words,
    tagCount: rows.length,
  };
}

async function expectFresh(reader: TestServer) {
  const result = await reader.execute(READ, { a: toGlobalId('Author', 1), b: toGlobalId('Author', 2) });
  expect(result.errors).toBeUndefined();
  const expected = await truth();
  const data = result.data;
  expect({
    a: data.a.postCount,
    aTotal: data.a.posts.totalCount,
    b: data.b.postCount,
    tags: Object.fromEntries(data.tags.nodes.map((t: any) => [t.name, t.postCount])),
    posts: data.stats.postCount,
    words: data.stats.totalWords,
    tagCount: data.stats.tagCount,
  }).toEqual({ a: expected.a, aTotal: expected.a, b: expected.b, tags: expected.tags, posts: expected.posts, words: expected.words, tagCount: expected.tagCount });
  for (const top of data.stats.topTags) expect(top.count).toBe(expected.tags[top.tag.name]);
  return result;
}

function scenarios(servers: () => { writer: TestServer; reader: TestServer }) {
  let postId: string;

  it('serves warm reads from the cache', async () => {
    const { reader } = servers();
    await expectFresh(reader);
    const warm = await expectFresh(reader);
    expect(warm.trace.cache.families.stats).toEqual({ hits: 1, misses: 0 });
    expect(warm.trace.cache.families.authorPostCount!.misses).toBe(0);
  });

  it('shows a created post at once in every count it changed', async () => {
    const { writer, reader } = servers();
    const result = await writer.execute(CREATE, { input: { title: 'New', body: 'one two three', tags: ['graphql', 'fresh-one'] } }, { headers: token });
    expect(result.errors).toBeUndefined();
    postId = result.data.createPost.post.id;
    await expectFresh(reader);
  });

  it('moves tag counts when an update changes the tags', async () => {
    const { writer, reader } = servers();
    await expectFresh(reader);
    const result = await writer.execute(UPDATE, { input: { id: postId, tags: ['redis'], body: 'now four words here' } }, { headers: token });
    expect(result.errors).toBeUndefined();
    await expectFresh(reader);
  });

  it('keeps what a write did not touch: a title change invalidates nothing', async () => {
    const { writer, reader } = servers();
    await expectFresh(reader);
    const result = await writer.execute(UPDATE, { input: { id: postId, title: 'Renamed' } }, { headers: token });
    expect(result.errors).toBeUndefined();
    const after = await expectFresh(reader);
    expect(after.trace.cache.families.stats).toEqual({ hits: 1, misses: 0 });
    expect(after.trace.cache.families.authorPostCount).toEqual({ hits: 2, misses: 0 });
    expect(after.trace.cache.families.tagPostCount!.misses).toBe(0);
  });

  it("leaves other authors' counts cached when a post is deleted", async () => {
    const { writer, reader } = servers();
    await expectFresh(reader);
    const result = await writer.execute(DELETE, { id: postId }, { headers: token });
    expect(result.errors).toBeUndefined();
    const after = await expectFresh(reader);
    // Author 1 (the writer) was invalidated, author 2 was not.
    expect(after.trace.cache.families.authorPostCount).toEqual({ hits: 1, misses: 1 });
    expect(after.trace.cache.families.stats).toEqual({ hits: 0, misses: 1 });
  });
}

describe('one process, in-memory cache', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server?.close();
  });
  scenarios(() => ({ writer: server, reader: server }));
});

describe.skipIf(!redisUrl)('two processes sharing Redis (skipped: TEST_REDIS_URL is not set)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startServersSharingRedis(database, redisUrl, 'invalidation');
  });
  afterAll(() => pair?.close());
  it('really uses Redis', async () => {
    const result = await pair.b.execute(`{ stats { postCount } }`);
    expect(result.trace.cache.backend).toBe('redis');
  });
  scenarios(() => ({ writer: pair.a, reader: pair.b }));
});
