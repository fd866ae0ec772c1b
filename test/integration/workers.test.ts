import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ServerProcess, spawnServer, startServerProcess, type StartedServer } from '../support/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { until } from '../support/until.ts';

// INKQL_WORKERS on real processes: a primary forking workers that share one port. Requests are held
// inside Postgres by a table lock, so that "in flight" and "connections held" are facts counted in
// pg_stat_activity, not guesses about timing.

const QUERY = `{ posts(first: 5) { nodes { title } } }`;

interface Answer {
  readonly status: number;
  readonly body: any;
}

async function post(url: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  return { status: response.status, body: await response.json() };
}

const workerPids = (server: ServerProcess) =>
  server.logs.filter((line) => typeof line.msg === 'string' && line.msg.startsWith('worker ready at ')).map((line) => line.pid as number);

describe('INKQL_WORKERS refusals', () => {
  it('refuses more than one worker without REDIS_URL, naming both variables', async () => {
    const server = spawnServer({ INKQL_WORKERS: '2', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' });
    expect(await server.exited).toEqual({ code: 2, signal: null });
    expect(server.stderr()).toContain('configuration error: INKQL_WORKERS=2 needs REDIS_URL');
  });

  it('refuses more than one worker on embedded PGlite', async () => {
    const server = spawnServer({ INKQL_WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(await server.exited).toEqual({ code: 2, signal: null });
    expect(server.stderr()).toContain('configuration error: INKQL_WORKERS=2 needs DATABASE_URL');
  });
});

describe.runIf(inject('database') === 'postgres' && inject('redisUrl') !== '')('INKQL_WORKERS=2 on one port', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  let locker: pg.Client | undefined;
  let server: StartedServer | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = new pg.Client({ connectionString: database.databaseUrl });
    await admin.connect();
  });

  afterEach(async () => {
    await locker?.query('rollback').catch(() => {});
    await locker?.end().catch(() => {});
    locker = undefined;
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      for (const pid of workerPids(server)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      server.child.kill('SIGKILL');
    }
    server = undefined;
  });

  afterAll(async () => {
    await admin?.end();
    await database?.close();
  });

  const start = (env: Record<string, string> = {}) =>
    startServerProcess({
      DATABASE_URL: database.databaseUrl!,
      REDIS_URL: inject('redisUrl'),
      INKQL_CACHE_NAMESPACE: `workers-${process.pid}`,
      INKQL_WORKERS: '2',
      INKQL_STATEMENT_TIMEOUT_MS: '60000',
      ...env,
    });

  async function lockPosts(): Promise<void> {
    locker = new pg.Client({ connectionString: database.databaseUrl });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table posts in access exclusive mode');
  }

  /** Statements of this test's database waiting for the lock: each holds one server connection. */
  async function serverConnections(): Promise<{ waiting: number }> {
    const { rows } = await admin.query(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    return rows[0];
  }

  it('starts two workers that log ready once, with pools that together stay within the connection budget', async () => {
    server = await start({ INKQL_POOL_SIZE: '10', INKQL_DB_CONNECTION_BUDGET: '4' });
    await server.waitForLog((line) => line.msg === `inkql ready at ${server!.url}` && line.workers === 2);
    await until(async () => workerPids(server!).length === 2, 'both workers logged ready');
    expect(new Set(workerPids(server)).size).toBe(2);
    expect(server.logs.filter((line) => String(line.msg).startsWith('worker ready at ')).map((line) => line.poolSize)).toEqual([2, 2]);

    await lockPosts();
    const url = server.url;
    const burst = Array.from({ length: 16 }, () => post(url).catch((error: Error) => error));
    // Round-robin hands out connections, not an even share of requests, so how the 16 split between
    // the workers is not known; but whatever the split, at most 2 + 2 may reach Postgres (at least 8
    // would, from one worker, with pools of INKQL_POOL_SIZE=10).
    await until(async () => (await serverConnections()).waiting >= 2, 'requests wait inside Postgres');
    let most = 0;
    for (let sample = 0; sample < 20; sample++) {
      most = Math.max(most, (await serverConnections()).waiting);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(most).toBeLessThanOrEqual(4);
    await locker!.query('rollback');
    for (const answer of await Promise.all(burst)) expect(answer).toMatchObject({ status: 200, body: { data: { posts: { nodes: expect.any(Array) } } } });
  });

  it('replaces a worker that dies, logs it, and keeps answering', async () => {
    server = await start();
    await until(async () => workerPids(server!).length === 2, 'both workers logged ready');
    const [victim] = workerPids(server);
    process.kill(victim!, 'SIGKILL');
    const died = await server.waitForLog((line) => line.msg === 'worker died: starting a replacement');
    expect(died).toMatchObject({ workerPid: victim, signal: 'SIGKILL', level: 50 });
    await server.waitForLog((line) => line.msg === 'replacement worker ready');
    for (let n = 0; n < 6; n++) expect((await post(server.url)).status).toBe(200);
    expect(new Set(workerPids(server)).size).toBe(3);
  });

  it('SIGTERM drains every worker: requests in flight are answered, then exit 0', async () => {
    // Pools big enough for the whole burst: round-robin hands out connections, not an exact half each.
    server = await start({ INKQL_POOL_SIZE: '8' });
    await until(async () => workerPids(server!).length === 2, 'both workers logged ready');
    await lockPosts();
    const url = server.url;
    const burst = Array.from({ length: 8 }, () => post(url).catch((error: Error) => error));
    await until(async () => (await serverConnections()).waiting === 8, 'eight requests wait inside Postgres');
    server.child.kill('SIGTERM');
    await until(async () => server!.logs.filter((line) => line.msg === 'shutting down: finishing in-flight requests').length === 2, 'both workers drain');
    await locker!.query('rollback');
    for (const answer of await Promise.all(burst)) {
      expect(answer).toMatchObject({ status: 200, body: { data: { posts: { nodes: expect.any(Array) } } } });
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.logs.filter((line) => line.msg === 'shut down cleanly').map((line) => line.pid)).toHaveLength(3);
  });
});
