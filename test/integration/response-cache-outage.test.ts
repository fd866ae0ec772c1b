import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { CACHE_RETRY_AFTER_MS } from '../../src/cache/app-cache.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, toResult, type TestServer } from '../support/test-server.ts';

// A write whose response-cache stamp could not reach Redis must not let the old response be
// served once Redis answers again. After a failed call the app cache leaves Redis alone for a
// while (CACHE_RETRY_AFTER_MS), so a write in that window never reaches Redis at all: the server
// owes the stamp and pays it before it serves anything from the response cache again.

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
const POST = `query Post($id: ID!) { post(id: $id) { id title } }`;
const UPDATE = `mutation ($input: UpdatePostInput!) { updatePost(input: $input) { post { title } } }`;

async function get(url: string, variables: Record<string, unknown>) {
  const search = new URLSearchParams({ query: POST, variables: JSON.stringify(variables) });
  return toResult(await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } }));
}
const outcome = (headers: Headers) => /cache;desc=(hit|miss)/.exec(headers.get('server-timing') ?? '')?.[1];

describe.skipIf(!hasRedisServer)('response cache through a Redis outage (skipped: no redis-server binary)', () => {
  let redis: OwnRedis;
  let database: TestDatabase;
  let server: TestServer;
  let auth: Record<string, string>;
  let postId: string;

  beforeAll(async () => {
    redis = await startOwnRedis();
    database = await createTestDatabase();
    server = await startTestServer(database, { cache: { redisUrl: redis.url, namespace: 'inkql-rc-outage', timeoutMs: 200 }, responseCache: { enabled: true } });
    auth = { authorization: `Bearer ${await issueApiToken(database.handle.db, 1)}` };
    const mine = await server.execute(`query ($id: ID!) { author(id: $id) { posts(first: 1) { nodes { id } } } }`, { id: toGlobalId('Author', 1) });
    postId = mine.data.author.posts.nodes[0].id;
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
    await redis?.stop();
  });

  it('never serves the old response after a write whose stamp was owed', async () => {
    await get(server.url, { id: postId });
    expect(outcome((await get(server.url, { id: postId })).headers)).toBe('hit');
    redis.signal('SIGSTOP');
    try {
      // Times out: the app cache now leaves Redis alone for CACHE_RETRY_AFTER_MS.
      const during = await get(server.url, { id: postId });
      expect(during.status).toBe(200);
    } finally {
      redis.signal('SIGCONT');
    }
    const written = await server.execute(UPDATE, { input: { id: postId, title: 'Written while Redis was away' } }, { headers: auth, trace: false });
    expect(written.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, CACHE_RETRY_AFTER_MS * 2));
    for (let i = 0; i < 3; i++) {
      const after = await get(server.url, { id: postId });
      expect(after.data.post.title).toBe('Written while Redis was away');
    }
    // And the cache works again.
    expect(outcome((await get(server.url, { id: postId })).headers)).toBe('hit');
  });
});
