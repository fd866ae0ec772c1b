// What the cache buys, measured with autocannon against two in-process servers over the same
// database: one with the cache (in-memory LRU, or Redis with REDIS_URL), one with INKQL_CACHE=off.
//
//   node --import tsx bench/cache.ts [--duration 5] [--rounds 3] [--connections 10]
//
// The machine is shared and noisy: runs are interleaved (off, on, off, on ...) and medians are
// reported, with the ratio on/off per scenario. Not a test: nothing here asserts a speed.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { createDatabase } from '../src/db/create-database.ts';
import { migrateToLatest } from '../src/db/migrate-to-latest.ts';
import { countPostsInDatabase, DEMO_SIZE, seedDatabase } from '../src/db/seed-database.ts';
import { createServer, type InkqlServer } from '../src/server.ts';

const SCENARIOS = {
  stats: `{ stats { postCount authorCount tagCount totalWords topTags(limit: 10) { count tag { name } } } }`,
  'posts(first: 100) author.postCount': `{ posts(first: 100) { nodes { author { postCount } } } }`,
} as const;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
  },
});
const duration = Number(values.duration);
const rounds = Number(values.rounds);
const connections = Number(values.connections);

const env = loadConfig();
// Without DATABASE_URL: a fresh in-memory PGlite with the demo data, so a run never touches ./.inkql.
const base = loadConfig(process.env, {
  http: { port: 0 },
  log: { level: 'warn' },
  database: { dataDir: env.database.url ? env.database.dataDir : 'memory://' },
});
const logger = pino({ level: 'warn' });
const database = await createDatabase(base.database);
await migrateToLatest(database.db);
if ((await countPostsInDatabase(database.db)) === 0) await seedDatabase(database.db, DEMO_SIZE);
const posts = await countPostsInDatabase(database.db);

async function start(cache: boolean): Promise<{ server: InkqlServer; url: string }> {
  const server = await createServer({ config: { ...base, cache: { ...base.cache, enabled: cache } }, database, logger });
  return { server, url: await server.listen() };
}

const off = await start(false);
const on = await start(true);
const backend = on.server.cache.backend;

async function run(url: string, query: string): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return result.requests.average;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

console.log(`inkql cache bench: ${database.kind}, ${posts} posts, cache backend ${backend}, ${connections} connections, ${rounds} x ${duration} s per variant\n`);
const rows: string[] = [];
for (const [name, query] of Object.entries(SCENARIOS)) {
  // Warm the cached server once, so "on" measures warm hits.
  await fetch(on.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const samples = { off: [] as number[], on: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    samples.off.push(await run(off.url, query));
    samples.on.push(await run(on.url, query));
    process.stderr.write(`  ${name} round ${round + 1}: off ${samples.off.at(-1)!.toFixed(0)} req/s, on ${samples.on.at(-1)!.toFixed(0)} req/s\n`);
  }
  const [a, b] = [median(samples.off), median(samples.on)];
  rows.push(`| \`${name}\` | ${a.toFixed(0)} | ${b.toFixed(0)} | ×${(b / a).toFixed(2)} |`);
}

console.log(`\n| query | cache off (req/s, median) | cache warm (req/s, median) | ratio |`);
console.log(`|---|---|---|---|`);
for (const row of rows) console.log(row);

// autocannon stops at its deadline without waiting for answers still in flight: let them finish.
await new Promise((resolve) => setTimeout(resolve, 1000));
await off.server.close();
await on.server.close();
await database.close();
