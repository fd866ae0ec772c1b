import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest, MigrationError } from '../../src/db/migrate-to-latest.ts';
import { countPostsInDatabase, DatabaseNotEmptyError, DEMO_SIZE, seedDatabase } from '../../src/db/seed-database.ts';
import { migrations } from '../../migrations/index.ts';
import { createTestDatabase, TEST_SIZE, type TestDatabase } from '../support/test-database.ts';
import { startServerProcess, type StartedServer } from '../support/server-process.ts';
import { toResult } from '../support/test-server.ts';

// The commands around the server: migrate, seed, and the real process's start-up and shutdown.

const kind = inject('database');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

describe('migrateToLatest', () => {
  it('throws a MigrationError naming the migration that failed', async () => {
    const failing = {
      ...migrations,
      '2099-01-01T00-00_broken': { up: async (db: any) => void (await sql`alter table no_such_table add column x int`.execute(db)) },
    };
    const error = await migrateToLatest(database.handle.db, failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migrationName).toBe('2099-01-01T00-00_broken');
    expect((error as MigrationError).message).toContain('2099-01-01T00-00_broken');
    expect((error as MigrationError).message).toContain('no_such_table');
  });

  it('applies nothing on an up-to-date database', async () => {
    await expect(migrateToLatest(database.handle.db)).resolves.toEqual([]);
  });
});

describe('seedDatabase', () => {
  it('refuses a database that already holds posts', async () => {
    await expect(seedDatabase(database.handle.db, TEST_SIZE)).rejects.toThrow(DatabaseNotEmptyError);
    expect(await countPostsInDatabase(database.handle.db)).toBe(TEST_SIZE.posts);
  });

  it('replaces the data when asked to reset, and leaves identity sequences past the seeded ids', async () => {
    const db = database.handle.db;
    await seedDatabase(db, { authors: 3, posts: 30, tags: 4 }, { reset: true, seed: 7 });
    expect(await countPostsInDatabase(db)).toBe(30);
    const { rows } = await sql<{ id: number }>`insert into posts (author_id, title, body, word_count)
      values (1, 'after the seed', 'x', 1) returning id`.execute(db);
    expect(rows[0]?.id).toBe(31);
    // Back to the file's usual data: the server tests below run on this database on Postgres.
    await seedDatabase(db, TEST_SIZE, { reset: true });
  });
});

// A first start on an empty embedded database creates it and seeds 3000 posts: ~15 s on a quiet
// machine, several times that on a busy one, hence the generous bound (a bound, not a timing assertion).
const PROCESS_TEST_TIMEOUT_MS = 400_000;

describe('the server process', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'inkql-cli-test-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** On PGlite, a fresh embedded database in a temp dir; on Postgres, this file's own database. */
  function serverEnv(): Record<string, string> {
    return kind === 'postgres'
      ? { DATABASE_URL: database.databaseUrl!, LOG_SQL: '1' }
      : { INKQL_DATA_DIR: dataDir, LOG_SQL: '1' };
  }

  async function query(server: StartedServer, text: string, headers: Record<string, string> = {}) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: text }),
    });
    return toResult(response);
  }

  it.runIf(kind === 'pglite')('seeds the demo data on an empty embedded database, and only then', async () => {
    const first = await startServerProcess(serverEnv());
    try {
      expect(first.logs.some((line) => line.msg === 'empty embedded database: seeding demo data')).toBe(true);
      const result = await query(first, '{ stats { postCount authorCount tagCount } }');
      expect(result.data.stats).toEqual({ postCount: DEMO_SIZE.posts, authorCount: DEMO_SIZE.authors, tagCount: DEMO_SIZE.tags });
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toEqual({ code: 0, signal: null });
    }
    const again = await startServerProcess(serverEnv());
    try {
      expect(again.logs.some((line) => line.msg === 'empty embedded database: seeding demo data')).toBe(false);
      const result = await query(again, '{ stats { postCount } }');
      expect(result.data.stats.postCount).toBe(DEMO_SIZE.posts);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toEqual({ code: 0, signal: null });
    }
  });

  it('finishes the requests in flight on SIGTERM, then exits 0', async () => {
    const server = await startServerProcess(serverEnv());
    // Naive mode: 1 + 2 x 50 statements per request, which the server must still run after SIGTERM.
    const body = JSON.stringify({ query: `{ posts(first: 50) { nodes { title author { name } tags { name } } } }` });
    const requests = Array.from({ length: 3 }, () => startRequest(server.url, body, { 'x-inkql-batching': 'off' }));
    // In flight for certain: headers and half of each body are sent, the rest waits for the signal.
    for (const request of requests) await request.connected;
    // A whole request answered after them: the server has read what came before on the other sockets.
    expect((await query(server, '{ tags(first: 1) { totalCount } }')).status).toBe(200);
    server.child.kill('SIGTERM');
    await server.waitForLog((line) => line.msg === 'shutting down: finishing in-flight requests');
    for (const request of requests) request.finish();
    const results = await Promise.all(requests.map((request) => request.response));
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data.posts.nodes).toHaveLength(50);
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // The statements of the finished requests ran after shutdown began: the database closed last.
    const shutdownAt = server.logs.findIndex((line) => line.msg === 'shutting down: finishing in-flight requests');
    const sqlAfter = server.logs.slice(shutdownAt).filter((line) => line.msg === 'sql').length;
    expect(sqlAfter).toBeGreaterThanOrEqual(3 * (1 + 2 * 50));
  });

  it('refuses new requests once it is shutting down', async () => {
    const server = await startServerProcess(serverEnv());
    const request = startRequest(server.url, JSON.stringify({ query: '{ tags(first: 1) { totalCount } }' }));
    await request.connected;
    expect((await query(server, '{ tags(first: 1) { totalCount } }')).status).toBe(200);
    server.child.kill('SIGTERM');
    await server.waitForLog((line) => line.msg === 'shutting down: finishing in-flight requests');
    // A new connection is refused; a kept-alive one may still reach Fastify, which answers 503.
    const late = await fetch(new URL('/healthz', server.url)).then((response) => response.status, () => 'refused');
    expect(['refused', 503]).toContain(late);
    request.finish();
    expect((await request.response).status).toBe(200);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});

interface RawRequest {
  /** Resolves once the headers and the first half of the body are written. */
  readonly connected: Promise<void>;
  /** Sends the rest of the body. */
  finish(): void;
  readonly response: Promise<{ status: number; body: any }>;
}

/** A POST over a raw socket whose body arrives in two halves, so it can be held in flight. */
function startRequest(url: string, body: string, headers: Record<string, string> = {}): RawRequest {
  const { hostname, port, pathname } = new URL(url);
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const socket = connect({ host: hostname, port: Number(port) });
  const head = [
    `POST ${pathname} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    'content-type: application/json',
    `content-length: ${bytes.length}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => socket.write(Buffer.concat([Buffer.from(head + '\r\n\r\n'), bytes.subarray(0, half)]), () => resolve()));
  });
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      expect(text.slice(0, split).toLowerCase(), 'a plain (not chunked) response').not.toContain('transfer-encoding: chunked');
      resolve({ status, body: JSON.parse(text.slice(split + 4)) });
    });
  });
  return { connected, finish: () => socket.write(bytes.subarray(half)), response };
}
