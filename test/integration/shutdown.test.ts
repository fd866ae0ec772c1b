import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { until } from '../support/until.ts';

// SIGTERM under load, on the real server process. To have requests truly in
// flight when the signal arrives, another session locks the posts table: every request of the
// burst blocks on that lock inside Postgres, and the test counts them there before signalling.

const BURST = 8;
const QUERY = `{ posts(first: 5) { nodes { title } } }`;

interface Answer {
  readonly status: number;
  readonly body: any;
}

async function post(url: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  return { status: response.status, body: await response.json() };
}

/** The fetch failure's cause code (undici wraps it): ECONNREFUSED when nothing listens. */
async function connectionError(url: string): Promise<string | undefined> {
  try {
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
    return undefined;
  } catch (error) {
    return ((error as Error).cause as { code?: string } | undefined)?.code ?? 'unknown';
  }
}

describe.runIf(inject('database') === 'postgres')('SIGTERM under load', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  let locker: pg.Client | undefined;
  let server: (ServerProcess & { url: string }) | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = new pg.Client({ connectionString: database.databaseUrl });
    await admin.connect();
  });

  afterEach(async () => {
    await locker?.query('rollback').catch(() => {});
    await locker?.end().catch(() => {});
    locker = undefined;
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    server = undefined;
  });

  afterAll(async () => {
    await admin?.end();
    await database?.close();
  });

  async function lockPosts(): Promise<void> {
    locker = new pg.Client({ connectionString: database.databaseUrl });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table posts in access exclusive mode');
  }

  const unlockPosts = () => locker!.query('rollback');

  async function waitingOnLock(): Promise<number> {
    const { rows } = await admin.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    return rows[0].n;
  }

  async function startBlockedBurst(env: Record<string, string> = {}): Promise<Promise<Answer | Error>[]> {
    server = await startServerProcess({
      DATABASE_URL: database.databaseUrl!,
      INKQL_POOL_SIZE: String(BURST),
      INKQL_STATEMENT_TIMEOUT_MS: '60000',
      ...env,
    });
    expect((await post(server.url)).status).toBe(200);
    await lockPosts();
    const url = server.url;
    const burst = Array.from({ length: BURST }, () => post(url).catch((error: Error) => error));
    await until(async () => (await waitingOnLock()) === BURST, `${BURST} requests wait inside Postgres`);
    return burst;
  }

  it('finishes every in-flight request (200), refuses new connections, then exits 0', async () => {
    const burst = await startBlockedBurst();
    server!.child.kill('SIGTERM');
    await server!.waitForLine(/shutting down/);
    // Still holding the lock: refused while the burst is provably in flight.
    let refused: string | undefined;
    await until(async () => (refused = await connectionError(server!.url)) === 'ECONNREFUSED', 'new connections are refused');
    expect(refused).toBe('ECONNREFUSED');

    await unlockPosts();
    const answers = await Promise.all(burst);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 200, body: { data: { posts: { nodes: expect.any(Array) } } } });
      expect((answer as Answer).body?.errors).toBeUndefined();
    }
    expect(await server!.exited).toEqual({ code: 0, signal: null });
    expect(server!.stdout()).toContain('shut down cleanly');
  });

  it('exits 1 with a log line when in-flight requests outlive the shutdown grace period', async () => {
    const burst = await startBlockedBurst({ INKQL_SHUTDOWN_GRACE_MS: '500' });
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toEqual({ code: 1, signal: null });
    expect(server!.stdout()).toContain('shutdown grace period of 500 ms expired with requests still in flight: forcing exit');
    await unlockPosts();
    // The process is gone: the held requests end with a network error, not an answer.
    for (const answer of await Promise.all(burst)) expect(answer).toBeInstanceOf(Error);
  });
});
