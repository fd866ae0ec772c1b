import http from 'node:http';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// SIGTERM while large answers are still being written, on the real server process. Each client
// receives its answer's headers (the server has handed the whole body to Node) and then stops
// reading, so most of every body is still queued in the server when the signal arrives; the
// clients read on only after the server has begun shutting down. Every answer that started must
// arrive whole, and the exit code must say whether they did.
//
// Real Postgres only: the process needs a database it can share with the test, and an embedded
// PGlite data directory belongs to one process.

const BODY_LENGTH = 100_000;
const POSTS = 100;
const CLIENTS = 12;
/** Within the default maximum cost: the query a client of this size is meant to send. */
const QUERY = `{ posts(first: ${POSTS}) { nodes { id body } } }`;
/**
 * A connection for every request, no statement limit and a long grace period: on a busy machine
 * no answer may fail for waiting, and writing them all out may take a while.
 */
const SLOW_MACHINE_ENV = { INKQL_POOL_SIZE: String(2 * CLIENTS), INKQL_STATEMENT_TIMEOUT_MS: '60000', INKQL_SHUTDOWN_GRACE_MS: '60000' };

interface Held {
  readonly response: http.IncomingMessage;
  /** The whole body as text, or the error that cut it off; starts once `resume()` is called. */
  readonly text: Promise<string>;
  resume(): void;
}

/**
 * POSTs the query on a keep-alive connection of its own, resolves once the answer's headers are
 * in, and holds the body unread until `resume()`.
 */
function holdAnswer(url: string, agent: http.Agent): Promise<Held> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      response.pause();
      let resumed = false;
      const text = new Promise<string>((done, fail) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => (response.complete ? done(Buffer.concat(chunks).toString('utf8')) : fail(new Error('answer ended before its last byte'))));
        response.on('aborted', () => fail(new Error('answer aborted')));
        response.on('error', fail);
      });
      text.catch(() => {});
      resolve({
        response,
        text,
        resume: () => {
          if (resumed) return;
          resumed = true;
          response.resume();
        },
      });
    });
    request.on('error', reject);
    request.end(JSON.stringify({ query: QUERY }));
  });
}

function expectWhole(text: string): void {
  const body = JSON.parse(text);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(body.data.posts.nodes).toHaveLength(POSTS);
  for (const node of body.data.posts.nodes) expect(node.body).toHaveLength(BODY_LENGTH);
}

describe.runIf(inject('database') === 'postgres')('SIGTERM while large answers are being written', () => {
  let database: TestDatabase;
  let server: (ServerProcess & { url: string }) | undefined;
  let agent: http.Agent;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The newest posts, so the default ordering returns them first.
    await sql`insert into posts (author_id, title, body, word_count, created_at)
      select 1, 'Long ' || g, repeat('abcdefghi ', ${BODY_LENGTH / 10}), ${BODY_LENGTH / 10}, now() + g * interval '1 second'
      from generate_series(1, ${POSTS}) g`.execute(database.handle.db);
  });

  afterEach(() => {
    agent?.destroy();
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    server = undefined;
  });

  afterAll(async () => {
    await database?.close();
  });

  async function holdAnswers(env: Record<string, string> = {}): Promise<Held[]> {
    server = await startServerProcess({ DATABASE_URL: database.databaseUrl!, ...SLOW_MACHINE_ENV, NODE_ENV: 'production', ...env });
    agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    return Promise.all(Array.from({ length: CLIENTS }, () => holdAnswer(server!.url, agent)));
  }

  it('finishes every answer it started, then exits 0', async () => {
    const held = await holdAnswers();
    expect(held.map((answer) => answer.response.statusCode)).toEqual(held.map(() => 200));
    server!.child.kill('SIGTERM');
    await server!.waitForLine(/shutting down/);
    // Time for a shutdown that does not wait for queued bytes to cut the connections.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const answer of held) answer.resume();
    const texts = await Promise.allSettled(held.map((answer) => answer.text));
    expect(texts.filter((text) => text.status === 'rejected').map((text) => String((text as PromiseRejectedResult).reason))).toEqual([]);
    for (const text of texts) expectWhole((text as PromiseFulfilledResult<string>).value);
    expect(await server!.exited).toEqual({ code: 0, signal: null });
    expect(server!.stdout()).toContain('shut down cleanly');
  });

  it('finishes every answer that started when SIGTERM comes in the middle of a burst read at full speed', async () => {
    server = await startServerProcess({ DATABASE_URL: database.databaseUrl!, ...SLOW_MACHINE_ENV, NODE_ENV: 'production' });
    const url = server.url;
    const burst = 2 * CLIENTS;
    let started = 0;
    const outcomes = await Promise.all(
      Array.from({ length: burst }, async () => {
        let response: Response;
        try {
          response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
        } catch {
          return 'not started';
        }
        if (++started === CLIENTS) server!.child.kill('SIGTERM');
        const text = await response.text().catch((error: Error) => `cut: ${error.message}`);
        // A request that arrived on a kept-alive connection after the signal gets a whole 503.
        if (response.status === 503) return 'refused while closing';
        expectWhole(text);
        return 'whole';
      }),
    );
    expect(outcomes.filter((outcome) => outcome === 'whole').length).toBeGreaterThanOrEqual(CLIENTS);
    expect(await server!.exited).toEqual({ code: 0, signal: null });
  });

  it('exits 1 when a client does not take its answer within the grace period', async () => {
    const held = await holdAnswers({ INKQL_SHUTDOWN_GRACE_MS: '2000' });
    const [stalled, ...others] = held;
    server!.child.kill('SIGTERM');
    await server!.waitForLine(/shutting down/);
    for (const answer of others) answer.resume();
    for (const text of await Promise.all(others.map((answer) => answer.text))) expectWhole(text);
    expect(await server!.exited).toEqual({ code: 1, signal: null });
    expect(server!.stdout()).toContain('shutdown grace period of 2000 ms expired');
    stalled!.resume();
    await expect(stalled!.text).rejects.toThrow();
  });
});
