// Soak run: the real server process under mixed reads at concurrency 50 for
// 60 s against a seeded Postgres database, with a Redis of its own killed and restarted halfway.
//
//   node --import tsx bench/soak.ts [--duration 60] [--connections 50] [--posts 10000] [--timeout 10]
//                                   [--database-url postgres://postgres@127.0.0.1:5432/test]
//
// Reports requests served, errors (transport, non-2xx, GraphQL `errors`: all must be 0), latency
// percentiles and the server's RSS over the run (growth must stay within 20%).
// It creates a database of its own next to the one named by --database-url and drops it after.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createDatabase } from '../src/db/create-database.ts';
import { migrateToLatest } from '../src/db/migrate-to-latest.ts';
import { seedDatabase } from '../src/db/seed-database.ts';
import { issueApiToken } from '../src/auth/api-token.ts';
import { startOwnRedis, type OwnRedis } from '../test/support/redis-server.ts';
import { startServerProcess } from '../test/support/server-process.ts';
import { SERVER_V8_FLAGS } from './server-process.ts';

/** Long enough for V8 to grow its young generation (--max-semi-space-size=64) to steady state. */
const WARM_UP_SECONDS = 10;
const MAX_RSS_GROWTH = 0.2;
const REDIS_DOWN_MS = 2000;

/** The SQL-count table's queries, plus the common small page; each round also writes one post (WRITE). */
const QUERIES: Record<string, string> = {
  posts100: `{ posts(first: 100) { nodes { title author { name } tags { name } } } }`,
  authorsWithPosts: `{ authors(first: 10) { nodes { name posts(first: 10) { edges { node { title tags { name } } } } } } }`,
  authorsWithTotals: `{ authors(first: 10) { totalCount nodes { name posts(first: 10) { totalCount edges { node { title tags { name } } } } } } }`,
  stats: `{ stats { postCount authorCount tagCount totalWords topTags(limit: 5) { tag { name } count } } }`,
  posts20: `{ posts(first: 20) { nodes { title author { name } tags { name } } } }`,
};

/** A write in every round, so the run invalidates cached counts and stats while it reads them. */
const WRITE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { post { id } } }`;
const WRITE_VARIABLES = { input: { title: 'Soak post', body: 'Written during the soak run.', tags: ['soak', 'graphql'] } };

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '50' },
    // autocannon's per-request client timeout; on a starved shared machine 10 s can be too short.
    timeout: { type: 'string', default: '10' },
    posts: { type: 'string', default: '10000' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const posts = Number(values.posts);
const timeout = Number(values.timeout);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function run(url: string, seconds: number, token: string, counters: { graphqlErrors: number; firstError?: string }) {
  const bodies = [
    ...Object.values(QUERIES).map((query) => ({ body: JSON.stringify({ query }), headers: {} })),
    { body: JSON.stringify({ query: WRITE, variables: WRITE_VARIABLES }), headers: { authorization: `Bearer ${token}` } },
  ];
  const requests = bodies.map(({ body, headers }) => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    onResponse: (status: number, body: string) => {
      if (status === 200 && body.includes('"errors"')) {
        counters.graphqlErrors++;
        counters.firstError ??= body.slice(0, 300);
      }
    },
  }));
  return autocannon({ url, connections, duration: seconds, timeout, requests });
}

const adminUrl = values['database-url'];
const name = `inkql_soak_${process.pid}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
let redis: OwnRedis | undefined;
let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;

try {
  await admin(adminUrl, `create database ${name}`);
  const seeding = await createDatabase({ url: databaseUrl, dataDir: 'memory://', poolSize: 2, statementTimeoutMs: 60_000 });
  await migrateToLatest(seeding.db);
  await seedDatabase(seeding.db, { posts, authors: 200, tags: 30 });
  const token = await issueApiToken(seeding.db, 1);
  await seeding.close();

  redis = await startOwnRedis();
  // As `npm start` runs it (--max-semi-space-size), in production mode.
  server = await startServerProcess(
    { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, NODE_ENV: 'production' },
    SERVER_V8_FLAGS,
  );
  const pid = server.child.pid!;
  const rssIdle = rssMb(pid);

  const warmUp = { graphqlErrors: 0 };
  await run(server.url, WARM_UP_SECONDS, token, warmUp);
  const rssStart = rssMb(pid);

  const counters: { graphqlErrors: number; firstError?: string } = { graphqlErrors: 0 };
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(rssMb(pid)), 1000);
  let redisRestarted = false;
  const restart = setTimeout(async () => {
    await redis!.kill();
    await new Promise((resolve) => setTimeout(resolve, REDIS_DOWN_MS));
    await redis!.restart();
    redisRestarted = true;
  }, (duration * 1000) / 2);
  const result = await run(server.url, duration, token, counters);
  clearInterval(sampler);
  clearTimeout(restart);
  const rssEnd = rssMb(pid);
  const rssPeak = Math.max(rssStart, rssEnd, ...rssSamples);
  const rssEvery10s = rssSamples.filter((_, index) => index % 10 === 9);
  // A single sample lands anywhere on the garbage collector's saw-tooth (the young generation
  // alone swings by up to ~190 MB with --max-semi-space-size=64): growth compares the medians
  // of the first and the last 10 one-second samples, which a leak moves and the saw-tooth does not.
  const rssFirst = median(rssSamples.slice(0, 10));
  const rssLast = median(rssSamples.slice(-10));

  server.child.kill('SIGTERM');
  const exit = await server.exited;

  // autocannon's `errors` already includes its `timeouts`.
  const errors = result.errors + result.non2xx + counters.graphqlErrors;
  const growth = (rssLast - rssFirst) / rssFirst;
  const lines = [
    `## Soak: ${duration} s, concurrency ${connections}, ${posts} posts on Postgres, Redis killed and restarted at ${duration / 2} s`,
    '',
    `Mix (round robin per connection): ${Object.keys(QUERIES).join(', ')}. plus one createPost per round.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| requests served (2xx) | ${result['2xx']} |`,
    `| throughput | ${Math.round(result.requests.average)} req/s average |`,
    `| errors: transport (of which client timeouts > ${timeout} s) + non-2xx + GraphQL errors | ${errors}: ${result.errors} (${result.timeouts}) + ${result.non2xx} + ${counters.graphqlErrors} |`,
    `| latency p50 / p99 / max | ${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} ms |`,
    `| RSS idle / after ${WARM_UP_SECONDS} s warm-up / peak / end | ${rssIdle} / ${rssStart} / ${rssPeak} / ${rssEnd} MB |`,
    `| RSS every 10 s | ${rssEvery10s.join(', ')} MB |`,
    `| RSS median of first / last 10 s | ${rssFirst} / ${rssLast} MB |`,
    `| RSS growth (medians) | ${(growth * 100).toFixed(1)}% (limit ${MAX_RSS_GROWTH * 100}%); single samples warm-up -> end: ${(((rssEnd - rssStart) / rssStart) * 100).toFixed(1)}% |`,
    `| Redis restarted mid-run | ${redisRestarted ? 'yes' : 'no'} |`,
    `| exit after SIGTERM | ${exit.code} |`,
    '',
    'The machine is shared (2 cores, other jobs running): absolute numbers are noisy.',
  ];
  console.log(lines.join('\n'));
  if (counters.firstError) console.log(`\nfirst GraphQL error: ${counters.firstError}`);
  process.exitCode = errors === 0 && growth <= MAX_RSS_GROWTH && exit.code === 0 ? 0 : 1;
} finally {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  await redis?.stop();
  await admin(adminUrl, `drop database if exists ${name} with (force)`);
}
