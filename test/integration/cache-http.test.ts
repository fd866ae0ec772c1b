import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS_KEY } from '../../src/cache/cache-keys.ts';
import { useAuthorServer } from '../support/author-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const fixture = useAuthorServer();

describe('Cache-Control (@cacheControl hints)', () => {
  // Entities and lists used to be `max-age=10, public`: a browser then showed a post's old title
  // for ten seconds after updatePost. They are revalidated on every use now.
  it('makes a read of entities and lists no-cache, so a read after a write sees it', async () => {
    const result = await fixture.server.execute(`{ posts(first: 2) { nodes { title author { name } tags { name } } } stats { postCount } }`, {}, { trace: false });
    expect(result.errors).toBeUndefined();
    expect(result.headers.get('cache-control')).toBe('no-cache, public');
    // Origin last: development answers CORS requests from local pages, so the answer depends on it too.
    expect(result.headers.get('vary')).toBe('Accept, Authorization, X-Inkql-Trace, X-Inkql-Debug-Token, X-Inkql-Explain, X-Inkql-Batching, Origin');
  });

  it('gives a cacheable GET an ETag to revalidate with, and a POST, which nothing revalidates, none', async () => {
    const query = `{ posts(first: 2) { nodes { title } } }`;
    const got = await fetch(`${fixture.server.url}?${new URLSearchParams({ query })}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const posted = await fixture.server.execute(query, {}, { trace: false });
    expect(posted.errors).toBeUndefined();
    expect(posted.headers.get('cache-control')).toBe('no-cache, public');
    expect(posted.headers.get('etag')).toBeNull();
  });

  it('lets shared caches keep stats, which may be a little stale, for a short while', async () => {
    const result = await fixture.server.execute(`{ stats { postCount topTags(limit: 3) { count } } }`, {}, { trace: false });
    expect(result.errors).toBeUndefined();
    expect(result.headers.get('cache-control')).toBe('max-age=10, public');
  });

  it('never makes the response to a request with Authorization public', async () => {
    const result = await fixture.server.execute(`{ stats { postCount } }`, {}, { headers: fixture.auth, trace: false });
    expect(result.errors).toBeUndefined();
    expect(result.headers.get('cache-control')).toBe('max-age=10, private');
  });

  it("makes rateLimit private: it is one client's budget", async () => {
    const result = await fixture.server.execute(`{ rateLimit { remaining } }`, {}, { trace: false });
    expect(result.errors).toBeUndefined();
    expect(result.headers.get('cache-control')).toBe('no-cache, private');
  });

  it('marks a traced read no-store: the trace belongs to one request and holds SQL', async () => {
    const result = await fixture.server.execute(`{ posts(first: 2) { nodes { title } } }`);
    expect(result.trace).toBeDefined();
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('marks a mutation no-store', async () => {
    const result = await fixture.server.execute(
      `mutation { createPost(input: { title: "t", body: "b" }) { post { id title } } }`,
      {},
      { headers: fixture.auth, trace: false },
    );
    expect(result.errors).toBeUndefined();
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('marks a response with errors no-store', async () => {
    const result = await fixture.server.execute(`{ posts(first: 500) { nodes { title } } }`, {}, { trace: false });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('marks a rejected document no-store', async () => {
    const result = await fixture.server.execute(`{ posts(`, {}, { trace: false });
    expect(result.status).toBe(400);
    expect(result.headers.get('cache-control')).toBe('no-store');
  });
});

describe('single flight', () => {
  it('computes cold stats once for concurrent requests', async () => {
    await fixture.server.server.cache.invalidate([STATS_KEY]);
    const results = await Promise.all(Array.from({ length: 8 }, () => fixture.server.execute(`{ stats { postCount totalWords } }`)));
    for (const result of results) expect(result.errors).toBeUndefined();
    const statements = results.reduce((sum, result) => sum + result.trace.sql.count, 0);
    expect(statements).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r.data))).size).toBe(1);
  });
});

describe('Cache-Control with client budgets on', () => {
  let budgeted: TestServer;

  beforeAll(async () => {
    budgeted = await startTestServer(fixture.database, { budgets: { size: 5000 } });
  });

  afterAll(async () => {
    await budgeted?.close();
  });

  it("makes every read private: x-ratelimit-* and extensions.cost hold this client's budget", async () => {
    const result = await budgeted.execute(`{ stats { postCount } posts(first: 1) { nodes { title } } }`, {}, { trace: false });
    expect(result.errors).toBeUndefined();
    expect(result.headers.get('x-ratelimit-remaining')).not.toBeNull();
    expect(result.extensions?.cost?.throttleStatus).toBeDefined();
    expect(result.headers.get('cache-control')).toBe('no-cache, private');
  });

  it('keeps a stats-only read private too, with its short max-age', async () => {
    const result = await budgeted.execute(`{ stats { postCount } }`, {}, { trace: false });
    expect(result.headers.get('cache-control')).toBe('max-age=10, private');
  });
});
