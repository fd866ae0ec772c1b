// What watching costs: query B against five servers of three builds.
//
//   bare       createServer({ tracing: NO_TRACING }) on a database without `observe`, metrics off: no hooks at all
//   off        the server as it starts by default (hooks in place, SQL comments on, metrics off), requests without X-Inkql-Trace
//   on         the normal server, every request with X-Inkql-Trace: 1 (the everyday trace: root
//              fields and fields with resolvers timed, plain reads of the parent not)
//   resolvers  the normal server, every request with X-Inkql-Trace: resolvers (every field timed)
//   metrics    the normal server with INKQL_METRICS=on, requests without X-Inkql-Trace
//
// Targets: off and metrics within 3% of bare; CPU per request of on at most 1.25 times off's, of
// resolvers at most twice. Each variant is a server
// in a child process of its own (this file bundled into dist/trace-overhead.js, run by plain node
// as npm start runs inkql), and autocannon loads all five at once, `connections` each, from this process: a
// neighbour's burst of load then hits the five alike. (Run one after another, one build's CPU per
// request moved by 20% and more from round to round; in a trial of two bare servers loaded at
// once, their ratio stayed within 4% of 1 in every round.)
// Each server reports the CPU time its process spent (`GET /cpu`, process.cpuUsage, helper
// threads included), and the bench divides it by the requests served: CPU ms per request is
// what the hooks add. Each round's variant is compared with the bare server of the same round
// (and a trace level with the off server too); the median round is the result.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/trace-overhead.ts \
//     [--rounds 5] [--duration 5] [--connections 5] [--posts 10000] [--rate 40]
//
// --rate sends each server that many requests a second instead of as many as it answers: on a
// crowded machine a server that gets more CPU time answers more requests, and a busier server
// spends less CPU on each (more of them share a wake-up and a write), which moves the ratios
// between servers; at one rate they all serve the same load. Pick a rate every server keeps up with.
//
// The bench creates a database of its own on that server, seeds it and drops it at the end.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { createDatabase } from '../src/db/create-database.ts';
import { migrateToLatest } from '../src/db/migrate-to-latest.ts';
import { seedDatabase } from '../src/db/seed-database.ts';
import { createServer } from '../src/server.ts';
import { createStatementObserver } from '../src/trace/statement-observer.ts';
import { NO_TRACING, TRACING } from '../src/trace/tracing.ts';
import { bundle } from '../scripts/build-server.ts';
import { type ServerProcess, spawnProcess } from '../test/support/server-process.ts';
import { SERVER_V8_FLAGS } from './server-process.ts';
import { createScratchDatabase } from './scratch-database.ts';

/** The little of autocannon's API used here (its package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const { default: autocannon } = (await import('autocannon' as string)) as { default: (options: object) => Promise<AutocannonResult> };

const QUERY_B = `{ posts(first: 100) { nodes { title author { name } tags { name } } } }`;
// A fresh server's throughput climbs for several seconds while V8 optimises it.
const WARMUP_SECONDS = 10;
// Against bare for the servers that show no trace; a trace level against the trace-off server.
const BUDGETS = { off: '3%', metrics: '3%', on: '1.25x of off', resolvers: '2x of off' };

type Variant = 'bare' | 'off' | 'on' | 'resolvers' | 'metrics';
const VARIANTS: Variant[] = ['bare', 'off', 'on', 'resolvers', 'metrics'];
type Build = 'bare' | 'traced' | 'metrics';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Child mode: serve one build on a random port and print its URL. */
async function serve(build: Build, databaseUrl: string): Promise<void> {
  const config = loadConfig({}, { http: { port: 0 }, database: { url: databaseUrl }, log: { level: 'warn' }, metrics: { enabled: build === 'metrics' } });
  const logger = pino({ level: config.log.level });
  const database = await createDatabase(config.database, build !== 'bare' ? { observe: createStatementObserver({ logger, slowSqlMs: config.log.slowSqlMs }) } : {});
  const server = await createServer({ config, database, logger, tracing: build !== 'bare' ? TRACING : NO_TRACING });
  server.app.get('/cpu', async () => {
    const { user, system } = process.cpuUsage();
    return { ms: (user + system) / 1000, mainMs: mainThreadCpuMs() };
  });
  console.log(JSON.stringify({ url: await server.listen() }));
}

/**
 * CPU time of the thread running JavaScript, from Linux's /proc (10 ms ticks): the rest of the
 * process's time is V8's helper threads, mostly garbage collection. NaN elsewhere.
 */
function mainThreadCpuMs(): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th.
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function startChild(build: Build, bundled: string, databaseUrl: string): Promise<{ url: string; server: ServerProcess }> {
  const server = spawnProcess([...SERVER_V8_FLAGS, bundled, '--serve', build, '--database', databaseUrl], {
    env: process.env as Record<string, string>,
    echoStderr: true,
  });
  const line = await server.waitForLine(/^\{/).catch((error: unknown) => {
    throw new Error(`the ${build} server exited before listening`, { cause: error });
  });
  return { url: JSON.parse(line).url, server };
}

async function cpuMs(url: string): Promise<{ ms: number; mainMs: number }> {
  const response = await fetch(new URL('/cpu', url));
  return (await response.json()) as { ms: number; mainMs: number };
}

interface Sample {
  rps: number;
  p50: number;
  cpuPerRequest: number;
  /** The part of cpuPerRequest spent on the JavaScript thread. */
  mainPerRequest: number;
}

/** Loads every target at once for `seconds`; each gets `connections` of its own. */
async function runAtOnce(targets: Record<Variant, { url: string; trace?: string }>, seconds: number, connections: number, rate?: number) {
  const cpuBefore = await Promise.all(VARIANTS.map((variant) => cpuMs(targets[variant].url)));
  const results = await Promise.all(
    VARIANTS.map((variant) => {
      const { url, trace } = targets[variant];
      return autocannon({
        url,
        method: 'POST',
        connections,
        duration: seconds,
        ...(rate ? { overallRate: rate } : {}),
        headers: { 'content-type': 'application/json', ...(trace ? { 'x-inkql-trace': trace } : {}) },
        body: JSON.stringify({ query: QUERY_B }),
      });
    }),
  );
  const samples = {} as Record<Variant, Sample>;
  for (const [i, variant] of VARIANTS.entries()) {
    const result = results[i]!;
    const { url } = targets[variant];
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const cpu = await cpuMs(url);
    const requests = result.requests.total;
    samples[variant] = {
      rps: result.requests.average,
      p50: result.latency.p50,
      cpuPerRequest: (cpu.ms - cpuBefore[i]!.ms) / requests,
      mainPerRequest: (cpu.mainMs - cpuBefore[i]!.mainMs) / requests,
    };
  }
  return samples;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      database: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '5' },
      rate: { type: 'string' },
      posts: { type: 'string', default: '10000' },
    },
  });
  if (values.serve) return serve(values.serve as Build, values.database!);

  const scratch = await createScratchDatabase('inkql_bench_trace');
  const databaseUrl = scratch.url;
  const children: ServerProcess[] = [];
  try {
    const setup = await createDatabase(loadConfig({}, { database: { url: databaseUrl } }).database);
    await migrateToLatest(setup.db);
    await seedDatabase(setup.db, { posts: Number(values.posts), authors: 100, tags: 50 });
    await setup.close();

    // The servers run bundled, as npm start runs inkql (the bundle serves both builds).
    const bundled = await bundle(fileURLToPath(import.meta.url), fileURLToPath(new URL('../dist/trace-overhead.js', import.meta.url)));
    // A process per variant, the traced ones included: they are loaded at the same time.
    const bare = await startChild('bare', bundled, databaseUrl);
    const off = await startChild('traced', bundled, databaseUrl);
    const on = await startChild('traced', bundled, databaseUrl);
    const resolvers = await startChild('traced', bundled, databaseUrl);
    const withMetrics = await startChild('metrics', bundled, databaseUrl);
    children.push(bare.server, off.server, on.server, resolvers.server, withMetrics.server);
    const target: Record<Variant, { url: string; trace?: string }> = {
      bare: { url: bare.url },
      off: { url: off.url },
      on: { url: on.url, trace: '1' },
      resolvers: { url: resolvers.url, trace: 'resolvers' },
      metrics: { url: withMetrics.url },
    };
    const connections = Number(values.connections);
    const rate = values.rate ? Number(values.rate) : undefined;
    await runAtOnce(target, WARMUP_SECONDS, connections, rate);

    const samples: Record<Variant, Sample[]> = { bare: [], off: [], on: [], resolvers: [], metrics: [] };
    for (let round = 1; round <= Number(values.rounds); round++) {
      const measured = await runAtOnce(target, Number(values.duration), connections, rate);
      for (const variant of VARIANTS) {
        const sample = measured[variant];
        samples[variant].push(sample);
        console.error(
          `round ${round} ${variant.padEnd(9)} ${sample.rps.toFixed(1)} req/s  p50 ${sample.p50} ms  ` +
            `${sample.cpuPerRequest.toFixed(3)} CPU ms/req (${sample.mainPerRequest.toFixed(3)} on the main thread)`,
        );
      }
    }

    const bareRps = median(samples.bare.map((s) => s.rps));
    const bareCpu = median(samples.bare.map((s) => s.cpuPerRequest));
    const pct = (value: number, base: number) => `${value >= base ? '+' : ''}${(((value - base) / base) * 100).toFixed(1)}%`;
    console.log(`\nquery B (${QUERY_B}), ${values.posts} posts, ${connections} connections per server${rate ? ` at ${rate} req/s` : ''}, ${values.rounds} rounds of ${values.duration} s, the five servers loaded at once`);
    console.log('| build | median CPU ms/req | vs bare | median req/s | vs bare | median p50 ms | runs (CPU ms/req) | runs (req/s) |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const variant of VARIANTS) {
      const rps = median(samples[variant].map((s) => s.rps));
      const cpu = median(samples[variant].map((s) => s.cpuPerRequest));
      const bare = variant === 'bare';
      console.log(
        `| ${variant} | ${cpu.toFixed(2)} | ${bare ? '' : pct(cpu, bareCpu)} | ${rps.toFixed(1)} | ${bare ? '' : pct(rps, bareRps)} | ` +
          `${median(samples[variant].map((s) => s.p50))} | ${samples[variant].map((s) => s.cpuPerRequest.toFixed(2)).join(' ')} | ` +
          `${samples[variant].map((s) => s.rps.toFixed(0)).join(' ')} |`,
      );
    }
    // Paired: each round's variant against the bare server of the same round, so that what moves
    // a whole round (a neighbour's burst of load) cancels out; then the median round.
    const paired = (variant: Variant, metric: 'cpuPerRequest' | 'mainPerRequest' | 'rps') =>
      median(samples[variant].map((s, round) => s[metric] / samples.bare[round]![metric]));
    const metrics = [
      ['CPU per request', 'cpuPerRequest'],
      ['main-thread CPU per request', 'mainPerRequest'],
      ['req/s', 'rps'],
    ] as const;
    for (const [label, metric] of metrics) {
      const variants = (['off', 'on', 'resolvers', 'metrics'] as const).map((variant) => `${variant} ${pct(paired(variant, metric), 1)} (budget ${BUDGETS[variant]})`);
      console.log(`\n${label} vs bare, median of paired rounds: ${variants.join(', ')}`);
    }
    // What a shown trace adds to a request that shows none (the trace levels' own budgets).
    const overOff = (variant: Variant) => median(samples[variant].map((s, round) => s.cpuPerRequest / samples.off[round]!.cpuPerRequest));
    console.log(`\nCPU per request vs off, median of paired rounds: on ${overOff('on').toFixed(3)}x (budget ${BUDGETS.on}), resolvers ${overOff('resolvers').toFixed(3)}x (budget ${BUDGETS.resolvers})`);
  } finally {
    for (const child of children) {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    await scratch.drop();
  }
}

await main();
