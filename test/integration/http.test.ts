import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type GraphQLResult, type TestServer } from '../support/test-server.ts';

// The HTTP surface: health routes, Server-Timing on every response, and who may see a trace.

const POSTS = `{ posts(first: 10) { nodes { title author { name } tags { name } } } }`;
const DEBUG_TOKEN = 'let-me-see-the-sql';

let database: TestDatabase;
let development: TestServer;
let production: TestServer;
/** Statements run since the last reset, whatever the responses show. */
let statementsRun = 0;

beforeAll(async () => {
  database = await createTestDatabase(undefined, { sqlLogger: { info: () => void statementsRun++, warn: () => {} } });
  development = await startTestServer(database);
  production = await startTestServer(database, { nodeEnv: 'production', trace: { debugToken: DEBUG_TOKEN } });
});

afterAll(async () => {
  await development?.close();
  await production?.close();
  await database?.close();
});

/** The statement count a response's Server-Timing header reports (`sql;dur=..;desc="N queries"`). */
function serverTimingCount(result: GraphQLResult): number {
  const header = result.headers.get('server-timing');
  expect(header).toMatch(/^sql;dur=[0-9.]+;desc="[0-9]+ queries", resolve;dur=[0-9.]+, total;dur=[0-9.]+$/);
  return Number(/desc="([0-9]+) queries"/.exec(header!)![1]);
}

describe('health', () => {
  it('answers /healthz with 200', async () => {
    const response = await fetch(new URL('/healthz', development.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 while the database answers', async () => {
    const response = await fetch(new URL('/readyz', development.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready' });
  });

  it('answers /readyz with 503 once the database is gone, and /healthz still with 200', async () => {
    const own = await createTestDatabase({ authors: 1, posts: 1, tags: 1 });
    const server = await startTestServer(own);
    try {
      expect((await fetch(new URL('/readyz', server.url))).status).toBe(200);
      await own.handle.close();
      const response = await fetch(new URL('/readyz', server.url));
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable' });
      expect((await fetch(new URL('/healthz', server.url))).status).toBe(200);
    } finally {
      await server.close();
      await own.close().catch(() => {});
    }
  });
});

describe('Server-Timing', () => {
  it('reports the SQL count of the trace on a traced response', async () => {
    const result = await development.execute(POSTS);
    expect(result.trace.sql.count).toBe(1);
    expect(serverTimingCount(result)).toBe(1);
  });

  // Production shows the statement count only to the holder of the debug token (see below).
  it('is on every response, untraced, failed and production ones included', async () => {
    expect(serverTimingCount(await development.execute(POSTS, {}, { trace: false }))).toBe(1);
    expect(serverTimingCount(await development.execute(`{ posts(first: 101) { totalCount } }`))).toBe(0);
    expect(serverTimingCount(await development.execute(`{ nope }`))).toBe(0);
    expect(serverTimingCount(await production.execute(POSTS, {}, { headers: { 'x-inkql-debug-token': DEBUG_TOKEN } }))).toBe(1);
  });

  it('carries only the total in production without the debug token', async () => {
    for (const headers of [{}, { 'x-inkql-debug-token': 'wrong' }] as Record<string, string>[]) {
      for (const query of [POSTS, `{ nope }`]) {
        expect((await production.execute(query, {}, { headers })).headers.get('server-timing')).toMatch(/^total;dur=[0-9.]+$/);
      }
    }
  });

  it('times the resolving of an untraced request too, and none for a request that never executed', async () => {
    const resolveMs = (result: GraphQLResult) => Number(/resolve;dur=([0-9.]+)/.exec(result.headers.get('server-timing')!)![1]);
    expect(resolveMs(await production.execute(POSTS, {}, { headers: { 'x-inkql-debug-token': DEBUG_TOKEN } }))).toBeGreaterThan(0);
    expect(resolveMs(await development.execute(`{ nope }`))).toBe(0);
  });

  it('counts the naive statements when batching is switched off for the request', async () => {
    const result = await development.execute(POSTS, {}, { headers: { 'x-inkql-batching': 'off' } });
    expect(result.trace.sql.count).toBe(1 + 2 * 10);
    expect(serverTimingCount(result)).toBe(1 + 2 * 10);
  });
});

describe('who sees the trace', () => {
  it('shows it in development to a request that asks with X-Inkql-Trace: 1', async () => {
    const result = await development.execute(POSTS, {}, { trace: true });
    expect(result.trace.sql.statements).toHaveLength(1);
  });

  it('does not show it in development to a request that does not ask', async () => {
    const result = await development.execute(POSTS, {}, { trace: false });
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.trace).toBeUndefined();
  });

  it('does not show it in production without the debug token, even when asked', async () => {
    const result = await production.execute(POSTS, {}, { trace: true });
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.trace).toBeUndefined();
  });

  it('shows it in production to a request with the right debug token', async () => {
    const result = await production.execute(POSTS, {}, { trace: true, headers: { 'x-inkql-debug-token': DEBUG_TOKEN } });
    expect(result.trace.sql.count).toBe(1);
  });

  it('does not show it in production with a wrong debug token', async () => {
    for (const token of ['wrong', DEBUG_TOKEN.slice(0, -1), DEBUG_TOKEN + 'x']) {
      const result = await production.execute(POSTS, {}, { trace: true, headers: { 'x-inkql-debug-token': token } });
      expect(result.errors).toBeUndefined();
      expect(result.extensions?.trace).toBeUndefined();
    }
  });

  it('does not show it in production when no debug token is configured', async () => {
    const locked = await startTestServer(database, { nodeEnv: 'production', trace: { debugToken: undefined } });
    try {
      const result = await locked.execute(POSTS, {}, { trace: true, headers: { 'x-inkql-debug-token': '' } });
      expect(result.extensions?.trace).toBeUndefined();
    } finally {
      await locked.close();
    }
  });

  it('ignores X-Inkql-Batching: off in production', async () => {
    statementsRun = 0;
    const result = await production.execute(POSTS, {}, { trace: true, headers: { 'x-inkql-batching': 'off' } });
    expect(result.errors).toBeUndefined();
    // Server-Timing shows no count here (production, no debug token): the database's own log counts.
    expect(statementsRun).toBe(1);
  });
});

describe('GET /graphql', () => {
  it('runs a query from the URL', async () => {
    const url = new URL(development.url);
    url.searchParams.set('query', '{ stats { postCount } }');
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.stats.postCount).toBe(240);
    expect(response.headers.get('server-timing')).toContain('desc="1 queries"');
  });
});
