import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { parseGlobalId, toGlobalId } from '../../src/global-id.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, toResult, type TestServer } from '../support/test-server.ts';

// Read-after-write across processes under concurrency: two servers share one Redis response
// cache; rounds of title updates go through either server while readers on both keep reading
// the posts alone and in their author's list. A read that began after a write returned must
// show that write (or a later one), and at the end both servers agree with Postgres.

const redisUrl = inject('redisUrl');
const ROUNDS = 40;
const READERS = 8;
const POST = `query Post($id: ID!) { post(id: $id) { id title } }`;
const LIST = `query Mine($id: ID!) { author(id: $id) { posts(first: 10) { nodes { id title } } } }`;
const UPDATE = `mutation ($input: UpdatePostInput!) { updatePost(input: $input) { post { id } } }`;

/** `race-<round>`: the round of the write that set the title (-1 before any). */
const roundOf = (title: string) => (title.startsWith('race-') ? Number(title.slice(5)) : -1);

async function get(url: string, query: string, variables: Record<string, unknown>) {
  const search = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  return toResult(await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } }));
}

describe.skipIf(!redisUrl)('response cache shared by two servers over Redis', () => {
  let database: TestDatabase;
  let servers: TestServer[];
  let auth: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const overrides = {
      // This test checks exactness, not the fail-open timeout: a loaded machine may be slow.
      cache: { redisUrl, namespace: `inkql-test-rc-race-${randomBytes(4).toString('hex')}`, timeoutMs: 5000 },
      responseCache: { enabled: true },
    };
    servers = [await startTestServer(database, overrides), await startTestServer(database, overrides)];
    auth = { authorization: `Bearer ${await issueApiToken(database.handle.db, 1)}` };
  });

  afterAll(async () => {
    await servers?.[0]?.server.cache.keyv?.clear();
    for (const server of servers ?? []) await server.close();
    await database?.close();
  });

  it('never serves a response computed before a write that returned', async () => {
    const author = toGlobalId('Author', 1);
    const mine = await get(servers[0]!.url, LIST, { id: author });
    const postIds: string[] = mine.data.author.posts.nodes.slice(0, 3).map((node: { id: string }) => node.id);
    /** Per post, the round of the last write that has returned. */
    const returned = new Map<string, number>(postIds.map((id) => [id, -1]));
    const stale: string[] = [];
    let hits = 0;
    let reads = 0;
    let writing = true;

    const check = (id: string, title: string, before: number, where: string) => {
      if (roundOf(title) < before) stale.push(`${where}: ${id} showed round ${roundOf(title)} after round ${before} returned`);
    };

    const reader = async (n: number) => {
      while (writing) {
        const server = servers[(n + reads) % 2]!;
        const id = postIds[reads % postIds.length]!;
        reads++;
        if (reads % 2 === 0) {
          const before = returned.get(id)!;
          const result = await get(server.url, POST, { id });
          expect(result.errors).toBeUndefined();
          check(id, result.data.post.title, before, 'post');
          if (result.headers.get('server-timing')?.includes('cache;desc=hit')) hits++;
        } else {
          const before = new Map(returned);
          const result = await get(server.url, LIST, { id: author });
          expect(result.errors).toBeUndefined();
          for (const node of result.data.author.posts.nodes as { id: string; title: string }[]) {
            if (before.has(node.id)) check(node.id, node.title, before.get(node.id)!, 'list');
          }
          if (result.headers.get('server-timing')?.includes('cache;desc=hit')) hits++;
        }
      }
    };

    const writer = async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = postIds[round % postIds.length]!;
        const result = await servers[round % 2]!.execute(UPDATE, { input: { id, title: `race-${round}` } }, { headers: auth, trace: false });
        expect(result.errors).toBeUndefined();
        returned.set(id, round);
        // Let the readers fill the cache between writes, so that stale entries exist to be refused.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      writing = false;
    };

    await Promise.all([writer(), ...Array.from({ length: READERS }, (_, n) => reader(n))]);
    expect(stale).toEqual([]);
    // The race is only meaningful if the cache answered some of the reads.
    expect(hits).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(ROUNDS);

    const rows = await database.handle.db
      .selectFrom('posts')
      .select(['id', 'title'])
      .where('id', 'in', postIds.map((id) => parseGlobalId(id, 'id').id))
      .execute();
    for (const server of servers) {
      for (const row of rows) {
        const result = await get(server.url, POST, { id: toGlobalId('Post', row.id) });
        expect(result.data.post.title).toBe(row.title);
      }
    }
  }, 180_000);
});
