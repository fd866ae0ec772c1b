import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import type { LruStore } from '../../src/cache/lru-store.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, toResult, type TestServer } from '../support/test-server.ts';

// The opt-in whole-response cache on one process (in-memory backend): hits, exact invalidation by
// entity and list tags, ETags and 304s, and what it refuses to keep.

const POST = `query Post($id: ID!) { post(id: $id) { id title tags { name } } }`;
const LATEST = `query Latest { posts(first: 2) { nodes { title } } }`;
const UPDATE = `mutation ($input: UpdatePostInput!) { updatePost(input: $input) { post { id } } }`;
const CREATE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { post { id } } }`;
const DELETE = `mutation ($id: ID!) { deletePost(id: $id) { deletedId } }`;

let database: TestDatabase;
let server: TestServer;
let auth: Record<string, string>;
let postId: string;

/** A GET the way a browser or CDN sends it (Apollo's CSRF prevention wants the preflight header). */
export async function get(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const search = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const response = await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  return toResult(response);
}

/** Whether the response was answered from the response cache, from Server-Timing. */
const cacheOutcome = (headers: Headers) => /cache;desc=(hit|miss)/.exec(headers.get('server-timing') ?? '')?.[1];

async function write(query: string, variables: Record<string, unknown>) {
  const result = await server.execute(query, variables, { headers: auth, trace: false });
  expect(result.errors).toBeUndefined();
  return result.data;
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { cache: { maxEntries: 500 }, responseCache: { enabled: true, maxBytes: 16 * 1024 } });
  auth = { authorization: `Bearer ${await issueApiToken(database.handle.db, 1)}` };
  const mine = await server.execute(`query ($id: ID!) { author(id: $id) { posts(first: 1) { nodes { id } } } }`, { id: toGlobalId('Author', 1) });
  postId = mine.data.author.posts.nodes[0].id;
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('response cache hits', () => {
  it('answers a repeated read from the cache with the same body and ETag', async () => {
    const first = await get(server.url, POST, { id: postId });
    const second = await get(server.url, POST, { id: postId });
    expect(cacheOutcome(first.headers)).toBe('miss');
    expect(cacheOutcome(second.headers)).toBe('hit');
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('server-timing')).toContain('"0 queries"');
    expect(second.headers.get('cache-control')).toBe('no-cache, public');
  });

  it('lists the entities the response holds in Surrogate-Key and Cache-Tag', async () => {
    const result = await get(server.url, POST, { id: postId });
    const keys = result.headers.get('surrogate-key')!.split(' ');
    const postTag = `Post:${Buffer.from(postId, 'base64').toString().split(':')[1]}`;
    expect(keys).toContain(postTag);
    expect(keys.some((key) => /^Tag:\d+$/.test(key))).toBe(true);
    expect(result.headers.get('cache-tag')!.split(',')).toEqual(keys);
  });

  it('answers a matching If-None-Match with 304 without executing the operation', async () => {
    const warm = await get(server.url, POST, { id: postId });
    const etag = warm.headers.get('etag')!;
    // Changed behind the server's back: an execution would see it and produce another ETag.
    const id = Number(Buffer.from(postId, 'base64').toString().split(':')[1]);
    const { title } = await database.handle.db.selectFrom('posts').select('title').where('id', '=', id).executeTakeFirstOrThrow();
    await sql`update posts set title = 'changed in SQL' where id = ${id}`.execute(database.handle.db);
    try {
      const response = await fetch(`${server.url}?${new URLSearchParams({ query: POST, variables: JSON.stringify({ id: postId }) })}`, {
        headers: { 'apollo-require-preflight': 'true', 'if-none-match': `"other", ${etag}` },
      });
      expect(response.status).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe(etag);
    } finally {
      await sql`update posts set title = ${title} where id = ${id}`.execute(database.handle.db);
    }
  });

  it('answers 304 after executing when the read was not cached yet', async () => {
    const query = `query Count { tags(first: 3) { totalCount } }`;
    const first = await get(server.url, query);
    await write(UPDATE, { input: { id: postId, tags: ['http-cache'] } }); // creates a tag: Tag:list is stale
    const fresh = await get(server.url, query);
    expect(cacheOutcome(fresh.headers)).toBe('miss');
    expect(fresh.data.tags.totalCount).toBe(first.data.tags.totalCount + 1);
    const again = await get(server.url, query, {}, { 'if-none-match': fresh.headers.get('etag')! });
    expect(again.status).toBe(304);
  });
});

describe('exact invalidation', () => {
  it('serves the new title right after updatePost', async () => {
    await get(server.url, POST, { id: postId });
    await write(UPDATE, { input: { id: postId, title: 'Renamed behind a cache' } });
    const after = await get(server.url, POST, { id: postId });
    expect(cacheOutcome(after.headers)).toBe('miss');
    expect(after.data.post.title).toBe('Renamed behind a cache');
  });

  it("leaves a response alone that holds nothing the write changed", async () => {
    const other = `query Other($id: ID!) { author(id: $id) { name } }`;
    await get(server.url, other, { id: toGlobalId('Author', 5) });
    await write(UPDATE, { input: { id: postId, body: 'A body changed once more.' } });
    expect(cacheOutcome((await get(server.url, other, { id: toGlobalId('Author', 5) })).headers)).toBe('hit');
  });

  it('makes the post lists stale on createPost, and the new post appears', async () => {
    await get(server.url, LATEST);
    expect(cacheOutcome((await get(server.url, LATEST)).headers)).toBe('hit');
    await write(CREATE, { input: { title: 'Newest of all', body: 'Fresh.', tags: [] } });
    const after = await get(server.url, LATEST);
    expect(cacheOutcome(after.headers)).toBe('miss');
    expect(after.data.posts.nodes[0].title).toBe('Newest of all');
  });

  it("makes a tag's post list stale when a post gains that tag", async () => {
    const byTag = `query ByTag { tag(name: "cache-gain") { postCount posts(first: 5) { nodes { id } } } }`;
    const created = (await write(CREATE, { input: { title: 'Tagged later', body: 'b', tags: ['cache-gain'] } })) as any;
    const before = await get(server.url, byTag);
    expect(before.data.tag.postCount).toBe(1);
    await write(UPDATE, { input: { id: postId, tags: ['cache-gain'] } });
    const after = await get(server.url, byTag);
    expect(after.data.tag.postCount).toBe(2);
    expect(after.data.tag.posts.nodes.map((n: { id: string }) => n.id).sort()).toEqual([created.createPost.post.id, postId].sort());
  });

  it('shows a deleted post as null', async () => {
    const created = (await write(CREATE, { input: { title: 'Short-lived', body: 'b' } })) as any;
    const id = created.createPost.post.id;
    expect((await get(server.url, POST, { id })).data.post.title).toBe('Short-lived');
    await write(DELETE, { id });
    expect((await get(server.url, POST, { id })).data.post).toBeNull();
  });

  it('shows a post created under an ID that was read while empty', async () => {
    // The identity column's sequence: the ID the next createPost gets.
    const { rows } = await sql<{ next: number }>`select last_value::int + 1 as next from posts_id_seq`.execute(database.handle.db);
    const next = rows[0]!.next;
    const id = toGlobalId('Post', next);
    expect((await get(server.url, POST, { id })).data.post).toBeNull();
    await write(CREATE, { input: { title: 'Filled the gap', body: 'b' } });
    expect((await get(server.url, POST, { id })).data.post?.title).toBe('Filled the gap');
  });

  it('shows a tag created under an ID that was read while empty', async () => {
    const { rows } = await sql<{ next: number }>`select last_value::int + 1 as next from tags_id_seq`.execute(database.handle.db);
    const id = toGlobalId('Tag', rows[0]!.next);
    const byId = `query TagNode($id: ID!) { node(id: $id) { id ... on Tag { name } } }`;
    expect((await get(server.url, byId, { id })).data.node).toBeNull();
    await write(CREATE, { input: { title: 'Brings a tag', body: 'b', tags: ['born-later'] } });
    expect((await get(server.url, byId, { id })).data.node).toEqual({ id, name: 'born-later' });
  });
});

describe('what the response cache does not keep', () => {
  it('never caches a request with Authorization', async () => {
    await get(server.url, POST, { id: postId }, auth);
    const second = await get(server.url, POST, { id: postId }, auth);
    expect(cacheOutcome(second.headers)).toBeUndefined();
    expect(second.headers.get('surrogate-key')).toBeNull();
    expect(second.headers.get('cache-control')).toBe('no-cache, private');
  });

  it('never caches a response with errors', async () => {
    const bad = `query Bad { posts(first: 500) { nodes { title } } }`;
    await get(server.url, bad);
    const second = await get(server.url, bad);
    expect(second.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(cacheOutcome(second.headers)).toBe('miss');
    expect(second.headers.get('etag')).toBeNull();
  });

  it('records the lookup in a shown trace, and never stores the traced response', async () => {
    const query = `query Traced { authors(first: 2) { nodes { name } } }`;
    const traced = await get(server.url, query, {}, { 'x-inkql-trace': '1' });
    expect(traced.trace.cache.families.response).toEqual({ hits: 0, misses: 1 });
    expect(traced.headers.get('cache-control')).toBe('no-store');
    expect(cacheOutcome((await get(server.url, query)).headers)).toBe('miss');
    const hit = await get(server.url, query, {}, { 'x-inkql-trace': '1' });
    expect(hit.trace.cache.families.response).toEqual({ hits: 1, misses: 0 });
    expect(hit.trace.sql.count).toBe(0);
    expect(hit.data).toEqual(traced.data);
    expect(hit.headers.get('server-timing')).toContain('cache;desc=hit');
  });

  it('serves but does not keep a response larger than INKQL_RESPONSE_CACHE_MAX_BYTES', async () => {
    const big = `query Big { posts(first: 40) { nodes { body } } }`;
    const first = await get(server.url, big);
    expect(JSON.stringify(first.data).length).toBeGreaterThan(16 * 1024);
    const second = await get(server.url, big);
    expect(cacheOutcome(second.headers)).toBe('miss');
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
  });
});

describe('with client budgets on', () => {
  it("serves nothing from the response cache: every response holds its client's budget", async () => {
    const budgeted = await startTestServer(database, { responseCache: { enabled: true }, budgets: { size: 5000 } });
    try {
      await get(budgeted.url, POST, { id: postId });
      const second = await get(budgeted.url, POST, { id: postId });
      expect(second.headers.get('cache-control')).toBe('no-cache, private');
      expect(second.extensions?.cost?.throttleStatus).toBeDefined();
      expect(cacheOutcome(second.headers)).toBeUndefined();
    } finally {
      await budgeted.close();
    }
  });
});

describe('bad input', () => {
  it('answers a huge If-None-Match normally', async () => {
    const huge = Array.from({ length: 800 }, (_, i) => `"${String(i).padStart(8, '0')}"`).join(', ');
    const result = await get(server.url, POST, { id: postId }, { 'if-none-match': huge });
    expect(result.status).toBe(200);
    expect(result.data.post.id).toBe(postId);
  });

  it('answers a malformed If-None-Match normally', async () => {
    for (const value of ['not-a-tag', 'W/', ',,,', '"unterminated', '\u00ff\u00fe']) {
      const result = await get(server.url, POST, { id: postId }, { 'if-none-match': value });
      expect(result.status).toBe(200);
      expect(result.data.post.id).toBe(postId);
    }
  });

  it('keeps all responses together within INKQL_RESPONSE_CACHE_MEMORY_BYTES, dropping the oldest', async () => {
    const small = await startTestServer(database, { responseCache: { enabled: true, memoryBytes: 8 * 1024 } });
    try {
      const query = `query One($id: ID!) { post(id: $id) { id title body } }`;
      const ids = (await small.execute(`{ posts(first: 30) { nodes { id } } }`, {}, { trace: false })).data.posts.nodes.map((n: { id: string }) => n.id);
      let bytes = 0;
      for (const id of ids) bytes += JSON.stringify((await get(small.url, query, { id })).data).length;
      expect(bytes).toBeGreaterThan(3 * 8 * 1024);
      // The newest are still kept, the first were dropped to make room.
      expect(cacheOutcome((await get(small.url, query, { id: ids.at(-1) })).headers)).toBe('hit');
      expect(cacheOutcome((await get(small.url, query, { id: ids[0] })).headers)).toBe('miss');
    } finally {
      await small.close();
    }
  });

  it('stays within INKQL_CACHE_MAX_ENTRIES under a flood of 10,000 distinct variable sets', async () => {
    const store = server.server.cache.keyv!.opts.store as unknown as LruStore;
    const query = `query Flood { stats { postCount } }`;
    let next = 0;
    const worker = async () => {
      while (next < 10_000) {
        const i = next++;
        const result = await get(server.url, query, { pad: i });
        expect(result.status).toBe(200);
        expect(result.data.stats.postCount).toBeGreaterThan(0);
        expect(store.size).toBeLessThanOrEqual(500);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(store.size).toBeLessThanOrEqual(500);
    // Still a working cache afterwards.
    await get(server.url, POST, { id: postId });
    expect(cacheOutcome((await get(server.url, POST, { id: postId })).headers)).toBe('hit');
  }, 180_000);
});
