import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CONNECT_TIMEOUT_MS, createDatabase, type DatabaseHandle } from '../../src/db/create-database.ts';
import { createStatementObserver } from '../../src/trace/statement-observer.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Postgres going away while the server runs. The server reaches the shared
// Postgres through a TCP proxy of the test's own, which the test cuts and restores: the shared
// service itself is never stopped.

const POSTS = `{ posts(first: 3) { nodes { title author { name } } } }`;

describe.runIf(inject('database') === 'postgres')('Postgres outage while serving', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let handle: DatabaseHandle;
  let server: TestServer;
  const poolErrors: Error[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const upstream = new URL(database.databaseUrl!);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    handle = await createDatabase(
      { url: proxy.via(database.databaseUrl!), dataDir: 'memory://', poolSize: 4, statementTimeoutMs: 1000 },
      { observe: createStatementObserver(), onPoolError: (error) => poolErrors.push(error) },
    );
    server = await startTestServer({ ...database, handle });
  });

  afterAll(async () => {
    await server?.close();
    await handle?.close();
    await proxy?.close();
    await database?.close();
  });

  const readyz = async () => (await fetch(new URL('/readyz', server.url))).status;
  const healthz = async () => (await fetch(new URL('/healthz', server.url))).status;

  it('is ready and answers while the database is reachable', async () => {
    // Several at once, so the pool holds idle connections for the cut to break.
    const results = await Promise.all(Array.from({ length: 4 }, () => server.execute(POSTS)));
    for (const result of results) expect(result.errors).toBeUndefined();
    // Cached from now on: the outage tests read it from the cache.
    expect((await server.execute(`{ stats { postCount } }`)).data).toEqual({ stats: { postCount: 240 } });
    expect(await readyz()).toBe(200);
  });

  it('survives losing a connection that is checked out of the pool', async () => {
    // pg-pool does not listen to a checked-out client: without a listener of our own, its
    // 'error' event is an uncaught exception that kills the server (and fails this run).
    // A pool of one, so the error that arrives is the held connection's.
    let lost = () => {};
    const errors: Error[] = [];
    const single = await createDatabase(
      { url: proxy.via(database.databaseUrl!), dataDir: 'memory://', poolSize: 1, statementTimeoutMs: 1000 },
      {
        onPoolError: (error) => {
          errors.push(error);
          lost();
        },
      },
    );
    try {
      await single.db.connection().execute(async (connection) => {
        await sql`select 1`.execute(connection);
        const reported = new Promise<void>((resolve) => (lost = resolve));
        await proxy.cut();
        await reported;
      });
      expect(errors.map((error) => error.message)).toEqual(['Connection terminated unexpectedly']);
    } finally {
      await single.close();
    }
  }, 15_000);

  it('reports not ready (503) and stays alive (200) while the database is cut', async () => {
    expect(await readyz()).toBe(503);
    expect(await healthz()).toBe(200);
  });

  it('reports the idle connections the cut broke to onPoolError', () => {
    expect(poolErrors.length).toBeGreaterThan(0);
  });

  it('answers GraphQL requests during the outage with DATABASE_UNAVAILABLE for the fields that need SQL', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => server.execute(POSTS)));
    for (const result of results) {
      expect(result.status).toBe(200);
      // posts is nullable: the failed root field is null, not the whole response.
      expect(result.data).toEqual({ posts: null });
      expect(result.errors).toEqual([expect.objectContaining({ path: ['posts'], extensions: { code: 'DATABASE_UNAVAILABLE' } })]);
    }
  });

  it('still answers the fields the cache holds next to the ones that need the database', async () => {
    const result = await server.execute(`{ posts(first: 3) { nodes { title } } stats { postCount } }`);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ posts: null, stats: { postCount: 240 } });
    expect(result.errors).toEqual([expect.objectContaining({ path: ['posts'], extensions: { code: 'DATABASE_UNAVAILABLE' } })]);
  });

  it('recovers without a restart when the database returns', async () => {
    await proxy.restore();
    expect(await readyz()).toBe(200);
    const results = await Promise.all(Array.from({ length: 6 }, () => server.execute(POSTS)));
    for (const result of results) {
      expect(result.errors).toBeUndefined();
      expect(result.data.posts.nodes).toHaveLength(3);
    }
  });

  it('lets a request wait for a busy pool longer than the connect timeout', async () => {
    // pg-pool bounds the wait for a free connection with its connect timeout: a saturated pool
    // of a healthy database failed requests after 2 s until the two bounds were separated.
    const single = await createDatabase(
      { url: database.databaseUrl, dataDir: 'memory://', poolSize: 1, statementTimeoutMs: 1000 },
      { observe: createStatementObserver() },
    );
    const singleServer = await startTestServer({ ...database, handle: single });
    try {
      const answer = await single.db.connection().execute(async () => {
        const pending = singleServer.execute(POSTS);
        await new Promise((resolve) => setTimeout(resolve, CONNECT_TIMEOUT_MS + 1000));
        return { pending };
      });
      const result = await answer.pending;
      expect(result.errors).toBeUndefined();
      expect(result.data.posts.nodes).toHaveLength(3);
    } finally {
      await singleServer.close();
      await single.close();
    }
  });

  it('answers DATABASE_UNAVAILABLE, not a hang, when the database accepts connections but never replies', async () => {
    // A fresh pool, so every request must open a connection: the connect timeout (2 s) is what ends it.
    proxy.pause();
    const hung = await createDatabase(
      { url: proxy.via(database.databaseUrl!), dataDir: 'memory://', poolSize: 2, statementTimeoutMs: 1000 },
      { observe: createStatementObserver() },
    );
    const hungServer = await startTestServer({ ...database, handle: hung });
    try {
      const result = await hungServer.execute(POSTS);
      expect(result.errors).toEqual([expect.objectContaining({ path: ['posts'], extensions: { code: 'DATABASE_UNAVAILABLE' } })]);
      expect((await fetch(new URL('/readyz', hungServer.url))).status).toBe(503);
    } finally {
      proxy.resume();
      await hungServer.close();
      await hung.close();
    }
  });
});
