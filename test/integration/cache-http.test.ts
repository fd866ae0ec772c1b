import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { STATS_KEY } from '../../src/cache/cache-keys.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

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

describe('Cache-Control (@cacheControl hints)', () => {
  it('lets shared caches keep a read for a short while', async () => {
    const result = await server.execute(`{ posts(first: 2) { nodes { title author { name } tags { name } } } stats { postCount } }`, {}, { trace: false });
    expect(result.errors).toBeUndefined();
    expect(result.headers.get('cache-control')).toBe('max-age=10, public');
  });

  it('marks a traced read no-store: the trace belongs to one request and holds SQL', async () => {
    const result = await server.execute(`{ posts(first: 2) { nodes { title } } }`);
    expect(result.trace).toBeDefined();
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('marks a mutation no-store', async () => {
    const result = await server.execute(
      `mutation { createPost(input: { title: "t", body: "b" }) { post { id title } } }`,
      {},
      { headers: auth, trace: false },
    );
    expect(result.errors).toBeUndefined();
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('marks a response with errors no-store', async () => {
    const result = await server.execute(`{ posts(first: 500) { nodes { title } } }`, {}, { trace: false });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('marks a rejected document no-store', async () => {
    const result = await server.execute(`{ posts(`, {}, { trace: false });
    expect(result.status).toBe(400);
    expect(result.headers.get('cache-control')).toBe('no-store');
  });
});

describe('single flight', () => {
  it('computes cold stats once for concurrent requests', async () => {
    await server.server.cache.invalidate([STATS_KEY]);
    const results = await Promise.all(Array.from({ length: 8 }, () => server.execute(`{ stats { postCount totalWords } }`)));
    for (const result of results) expect(result.errors).toBeUndefined();
    const statements = results.reduce((sum, result) => sum + result.trace.sql.count, 0);
    expect(statements).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r.data))).size).toBe(1);
  });
});
