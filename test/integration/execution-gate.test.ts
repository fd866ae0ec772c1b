import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.ts';
import { EXECUTIONS_PER_CONNECTION } from '../../src/http/graphql-route.ts';
import { createStatementObserver } from '../../src/trace/statement-observer.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { type GraphQLResult, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until.ts';

// Requests beyond what the pool serves wait before they execute, not inside the pool holding
// their half-built results. Postgres only: a lock from another session holds the statements.

const POOL_SIZE = 2;
/** Requests let in to execute at once; the rest wait before executing. */
const ADMITTED = Math.ceil(EXECUTIONS_PER_CONNECTION * POOL_SIZE);
const REQUESTS = ADMITTED + 4;

describe.runIf(inject('database') === 'postgres')('GraphQL executions beyond the pool', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await createDatabase({ url: database.databaseUrl, dataDir: 'memory://', poolSize: POOL_SIZE, statementTimeoutMs: 30_000 }, { observe: createStatementObserver() });
    server = await startTestServer({ ...database, handle });
  });

  afterAll(async () => {
    await server?.close();
    await handle?.close();
    await database?.close();
  });

  it('wait for one another rather than for a connection, and all finish once the database answers', async () => {
    const locker = new pg.Client({ connectionString: database.databaseUrl });
    await locker.connect();
    let answers: Promise<GraphQLResult[]>;
    try {
      await locker.query('begin');
      await locker.query('lock table posts in access exclusive mode');
      // One statement each: a request let in takes one connection and blocks on the lock.
      answers = Promise.all(Array.from({ length: REQUESTS }, () => server.execute('{ posts(first: 1) { nodes { title } } }', undefined, { trace: false })));
      const connections = () => new Promise<number>((resolve, reject) => server.server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
      await until(async () => (await connections()) === REQUESTS, `the server holds all ${REQUESTS} requests`);
      const queued = ADMITTED - POOL_SIZE;
      await until(async () => handle.poolStats().inUse === POOL_SIZE && handle.poolStats().waiting === queued, 'the admitted requests hold or wait for every connection');
      // The others wait before executing: the pool's queue stays as it is, now and a moment later.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(handle.poolStats()).toMatchObject({ inUse: POOL_SIZE, waiting: queued });
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
    }
    const results = await answers;
    expect(results.map((result) => [result.status, result.errors, result.data?.posts.nodes.length])).toEqual(Array.from({ length: REQUESTS }, () => [200, undefined, 1]));
  });
});
