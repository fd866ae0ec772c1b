import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startServersSharingRedis, type ServerPair } from '../support/servers-sharing-redis.ts';
import { startTestServer, toResult, type TestServer } from '../support/test-server.ts';

// Automatic persisted queries: a client sends the query's SHA-256; an unknown hash is
// PERSISTED_QUERY_NOT_FOUND, the client resends hash + query, and from then on the hash alone works,
// on every process that shares the cache.

const redisUrl = inject('redisUrl');

function apqRequest(server: TestServer, query: string | undefined, hash: string) {
  return fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-inkql-trace': '1' },
    body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  }).then(toResult);
}

/** A query no other test registers (each run's own), and its hash. */
function uniqueQuery() {
  const query = `{ posts(first: 2) { nodes { title } } __typename } # ${randomBytes(8).toString('hex')}`;
  return { query, hash: createHash('sha256').update(query).digest('hex') };
}

/** Apollo stores a registered query without waiting for the store: allow that write to land. */
async function eventually<T>(run: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await run();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await run();
  }
  return value;
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

describe('one process, in-memory cache', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('asks for the query behind an unknown hash', async () => {
    const { hash } = uniqueQuery();
    const result = await apqRequest(server, undefined, hash);
    expect(result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('runs a registered query from its hash alone and counts the lookup in the trace', async () => {
    const { query, hash } = uniqueQuery();
    const registered = await apqRequest(server, query, hash);
    expect(registered.errors).toBeUndefined();
    const byHash = await eventually(() => apqRequest(server, undefined, hash), (r) => r.errors === undefined);
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual(registered.data);
    expect(byHash.trace.cache.families.apq).toEqual({ hits: 1, misses: 0 });
  });

  it('rejects a hash that does not match the query', async () => {
    const { query } = uniqueQuery();
    const result = await apqRequest(server, query, '0'.repeat(64));
    expect(result.status).toBe(400);
  });
});

describe.skipIf(!redisUrl)('two processes sharing Redis (skipped: TEST_REDIS_URL is not set)', () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startServersSharingRedis(database, redisUrl, 'apq');
  });
  afterAll(() => pair?.close());

  it('runs on process B a query registered on process A', async () => {
    const { query, hash } = uniqueQuery();
    expect((await apqRequest(pair.b, undefined, hash)).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await apqRequest(pair.a, query, hash);
    expect(registered.errors).toBeUndefined();
    const onB = await eventually(() => apqRequest(pair.b, undefined, hash), (r) => r.errors === undefined);
    expect(onB.errors).toBeUndefined();
    expect(onB.data).toEqual(registered.data);
    expect(onB.trace.cache).toMatchObject({ backend: 'redis', families: { apq: { hits: 1, misses: 0 } } });
  });
});
