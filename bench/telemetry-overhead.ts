// What OpenTelemetry costs per request: query B against four servers (`npm start`'s build), all
// loaded at once so that a neighbour's burst of load hits them alike:
//
//   none         no OTEL_* variables: no OpenTelemetry package loaded
//   unsampled    OTEL_TRACES_SAMPLER=always_off: a server span's ids and `traceresponse`, nothing recorded
//   sampled      always_on: every span sent, `traceparent` in the SQL comments (statements unprepared)
//   uncommented  always_on with INKQL_SQL_COMMENTS=off: the same spans, prepared statements
//
// `sampled` against `uncommented` is the price of the traceparent comment. Spans go to a receiver
// in this process that reads and drops them. CPU per request is the server process's (Linux
// /proc), compared with `none` in each round; the median round is reported.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/telemetry-overhead.ts \
//     [--rounds 3] [--duration 5] [--connections 5] [--posts 2000]

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createDatabase } from '../src/db/create-database.ts';
import { migrateToLatest } from '../src/db/migrate-to-latest.ts';
import { seedDatabase } from '../src/db/seed-database.ts';
import { buildServer } from '../scripts/build-server.ts';
import { type ServerProcess, startServer } from './server-process.ts';
import { createScratchDatabase } from './scratch-database.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}
const { default: autocannon } = (await import('autocannon' as string)) as { default: (options: object) => Promise<AutocannonResult> };

const QUERY_B = `{ posts(first: 100) { nodes { title author { name } tags { name } } } }`;
const WARMUP_SECONDS = 10;
const VARIANTS = ['none', 'unsampled', 'sampled', 'uncommented'] as const;
type Variant = (typeof VARIANTS)[number];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function load(servers: Record<Variant, ServerProcess>, seconds: number, connections: number) {
  const before = VARIANTS.map((variant) => servers[variant].cpuMs());
  const results = await Promise.all(
    VARIANTS.map((variant) =>
      autocannon({
        url: servers[variant].url,
        method: 'POST',
        connections,
        duration: seconds,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY_B }),
      }),
    ),
  );
  return Object.fromEntries(
    VARIANTS.map((variant, i) => {
      const result = results[i]!;
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      return [variant, { rps: result.requests.average, cpuPerRequest: (servers[variant].cpuMs() - before[i]!) / result.requests.total }];
    }),
  ) as Record<Variant, { rps: number; cpuPerRequest: number }>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '5' },
      posts: { type: 'string', default: '2000' },
    },
  });
  const scratch = await createScratchDatabase('inkql_bench_otel');
  const databaseUrl = scratch.url;
  let spansBytes = 0;
  const receiver = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (spansBytes += chunk.length));
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const servers: Partial<Record<Variant, ServerProcess>> = {};
  try {
    const setup = await createDatabase(loadConfig({}, { database: { url: databaseUrl } }).database);
    await migrateToLatest(setup.db);
    await seedDatabase(setup.db, { posts: Number(values.posts), authors: 100, tags: 50 });
    await setup.close();
    await buildServer();
    // Errors only: on a loaded machine every statement would be logged as slow.
    const base = { DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'error' };
    const otel = { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
    const envs: Record<Variant, Record<string, string>> = {
      none: base,
      unsampled: { ...otel, OTEL_TRACES_SAMPLER: 'always_off' },
      sampled: { ...otel, OTEL_TRACES_SAMPLER: 'always_on' },
      uncommented: { ...otel, OTEL_TRACES_SAMPLER: 'always_on', INKQL_SQL_COMMENTS: 'off' },
    };
    for (const variant of VARIANTS) servers[variant] = await startServer(envs[variant]);
    const started = servers as Record<Variant, ServerProcess>;
    const connections = Number(values.connections);
    await load(started, WARMUP_SECONDS, connections);
    const rounds: Record<Variant, { rps: number; cpuPerRequest: number }>[] = [];
    for (let round = 1; round <= Number(values.rounds); round++) {
      const sample = await load(started, Number(values.duration), connections);
      rounds.push(sample);
      console.log(`round ${round} ` + VARIANTS.map((v) => `${v} ${sample[v].cpuPerRequest.toFixed(3)} CPU ms/req ${sample[v].rps.toFixed(1)} req/s`).join(' | '));
    }
    console.log(`\nquery B, ${values.posts} posts, ${connections} connections per server, ${values.rounds} rounds of ${values.duration} s, the four servers loaded at once`);
    console.log('| build | median CPU ms/req | vs none (median of paired rounds) | median req/s |\n|---|---|---|---|');
    for (const variant of VARIANTS) {
      const ratio = median(rounds.map((r) => r[variant].cpuPerRequest / r.none.cpuPerRequest - 1));
      console.log(
        `| ${variant} | ${median(rounds.map((r) => r[variant].cpuPerRequest)).toFixed(3)} | ${variant === 'none' ? '' : `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`} | ${median(rounds.map((r) => r[variant].rps)).toFixed(1)} |`,
      );
    }
    const comment = median(rounds.map((r) => r.sampled.cpuPerRequest / r.uncommented.cpuPerRequest - 1));
    console.log(`\ntraceparent in SQL comments (sampled vs uncommented): ${comment >= 0 ? '+' : ''}${(comment * 100).toFixed(1)}% CPU per request; ${(spansBytes / 1e6).toFixed(1)} MB of spans received`);
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    receiver.close();
    await scratch.drop();
  }
}

await main();
