import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { snapshotDatabase } from '../support/db-snapshot.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, toResult, type TestServer } from '../support/test-server.ts';

// Limits on what one client can make the process hold: the document's source, the response,
// the open connections. Each refusal has its code and leaves the database as it was.

let database: TestDatabase;
const servers: TestServer[] = [];
let before: Awaited<ReturnType<typeof snapshotDatabase>>;

async function start(overrides: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  const started = await startTestServer(database, overrides);
  servers.push(started);
  return started;
}

beforeAll(async () => {
  database = await createTestDatabase();
  before = await snapshotDatabase(database.handle.db);
});

afterAll(async () => {
  for (const started of servers) await started.close();
  expect(await snapshotDatabase(database.handle.db)).toEqual(before);
  await database?.close();
});

describe('document size', () => {
  it('refuses a GET whose query is over INKQL_MAX_DOCUMENT_BYTES with 413 DOCUMENT_TOO_LARGE', async () => {
    const server = await start({ limits: { maxDocumentBytes: 2048 } });
    const query = `{ __typename } # ${'x'.repeat(3000)}`;
    const response = await fetch(`${server.url}?${new URLSearchParams({ query })}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(413);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      errors: [{ message: `The document is ${query.length} bytes, over the maximum of 2048 (comments included)`, extensions: { code: 'DOCUMENT_TOO_LARGE' } }],
    });
    const small = await fetch(`${server.url}?${new URLSearchParams({ query: '{ __typename }' })}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await small.json()).toMatchObject({ data: { __typename: 'Query' } });
  });
});

describe('response size', () => {
  it('replaces a response over INKQL_MAX_RESPONSE_BYTES by RESPONSE_TOO_LARGE', async () => {
    const server = await start({ limits: { maxResponseBytes: 64 * 1024 } });
    const full = await servers[0]!.execute(`{ posts(first: 100) { nodes { body } } }`, undefined, { trace: false });
    const fullBytes = Buffer.byteLength(JSON.stringify({ data: full.data, extensions: full.extensions }));
    expect(fullBytes, 'the seeded bodies must exceed the cap for this test to mean anything').toBeGreaterThan(64 * 1024);

    const result = await server.execute(`{ posts(first: 100) { nodes { body } } }`, undefined, { trace: false });
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      { message: expect.stringMatching(/^The response is \d+ bytes, over the maximum of 65536/), extensions: { code: 'RESPONSE_TOO_LARGE', bytes: expect.any(Number), maximum: 65536 } },
    ]);
    expect(result.errors![0]!.extensions!.bytes).toBeGreaterThan(64 * 1024);
    expect((await server.execute(`{ posts(first: 3) { nodes { title } } }`)).errors).toBeUndefined();
  });
});

describe('connections', () => {
  const open = (url: string) =>
    new Promise<Socket>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const socket = connect(Number(port), hostname, () => resolve(socket));
      socket.on('error', reject);
    });

  it('closes connections beyond INKQL_MAX_CONNECTIONS and serves again once one is gone', async () => {
    const server = await start({ http: { maxConnections: 2 } });
    const held = [await open(server.url), await open(server.url)];
    // Give the server a turn to count both before the next one arrives.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).rejects.toThrow();
    for (const socket of held) socket.destroy();
    await expect.poll(async () => (await server.execute('{ __typename }').catch(() => undefined))?.data, { timeout: 10_000 }).toEqual({ __typename: 'Query' });
  });
});

describe('persisted queries', () => {
  const redisUrl = inject('redisUrl');
  const MAX_BYTES = 1024 * 1024;
  /** A distinct document of about 60 KB (under the 64 KiB cap), nearly all of it a comment. */
  const document = (i: number) => {
    const query = `{ __typename } # ${i} ${randomBytes(4).toString('hex')} ${'x'.repeat(60_000)}`;
    return { query, hash: createHash('sha256').update(query).digest('hex') };
  };
  const send = (server: TestServer, query: string | undefined, hash: string) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    }).then(toResult);
  /** Registers 40 documents (2.4 MB), then tells which hashes still answer without their query. */
  async function registerMany(server: TestServer) {
    const documents = Array.from({ length: 40 }, (_, i) => document(i));
    for (const { query, hash } of documents) expect((await send(server, query, hash)).data).toEqual({ __typename: 'Query' });
    // Apollo stores a registration without waiting for the store: let the last writes land.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const known: boolean[] = [];
    for (const { hash } of documents) known.push((await send(server, undefined, hash)).data !== undefined);
    return known;
  }

  it.each([
    ['in memory', {}],
    ['with the cache off', { enabled: false }],
  ])('keeps at most INKQL_APQ_MAX_BYTES %s, forgetting the oldest', async (_name, overrides) => {
    const server = await start({ cache: { ...overrides, apqMaxBytes: MAX_BYTES } });
    const known = await registerMany(server);
    // 60 KB of text is 120 KB at two bytes a character: 8 fit in 1 MiB.
    expect(known.filter(Boolean).length).toBe(8);
    expect(known.slice(-8)).toEqual(Array(8).fill(true));
  });

  it.runIf(redisUrl)('keeps at most INKQL_APQ_MAX_BYTES in Redis, forgetting the oldest', async () => {
    const namespace = `inkql-test-apq-${randomBytes(4).toString('hex')}`;
    const server = await start({ cache: { redisUrl, namespace, apqMaxBytes: MAX_BYTES, timeoutMs: 5000 } });
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      const known = await registerMany(server);
      // ~60 KB each counted in bytes, plus the entry overhead: 17 fit in 1 MiB.
      expect(known.slice(-17)).toEqual(Array(17).fill(true));
      expect(known.filter(Boolean).length).toBe(17);
      const keys = await redis.keys(`${namespace}::apq-text:*`);
      let held = 0;
      for (const key of keys) held += await redis.strLen(key);
      expect(keys.length).toBe(17);
      expect(held).toBeLessThanOrEqual(MAX_BYTES);
      expect(Number(await redis.get(`${namespace}::apq-bytes`))).toBeLessThanOrEqual(MAX_BYTES);
    } finally {
      // keyv's clear() leaves the index and the sizes (not strings): remove the namespace's keys ourselves.
      const left = await redis.keys(`${namespace}::*`);
      if (left.length > 0) await redis.del(left);
      await redis.quit();
    }
  });
});
