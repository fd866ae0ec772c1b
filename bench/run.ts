// npm run bench [-- --full] [--duration S] [--reps N] [--warmup S] [--only A,B] [--scales 1k,10k] [--publish]
// (BENCH_REDIS_URL=redis://... runs scenario G's servers on Redis instead of the in-memory cache)
//
// Seeds one Postgres database per scale when needed, starts the server as a child process per
// mode, loads it with autocannon from this process, compares A, B and C with PostGraphile 5 on
// Node 22 in interleaved rounds (bench/postgraphile-comparison.ts; a disagreement in data fails
// the run before any load), and writes bench/results/<date>-*.json, a
// Markdown report and SVG charts (latest-* are copies of the newest run). With --publish it also
// rewrites docs/performance.md's results block and charts (bench/publish.ts).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseGlobalId } from '../src/global-id.ts';
import type { TraceWire } from '../src/trace/trace-format.ts';
import { DEFAULT_BENCH_DATABASE_URL, type PreparedDatabase, prepareDatabase } from './bench-database.ts';
import { modesChartSpec, renderSvg, scaleChartSpec } from './charts.ts';
import { type LoadRequest, probe, runLoad } from './load.ts';
import { describeMachine } from './machine.ts';
import { PERFORMANCE_DOC, publishRefusal, RESULTS_DIR, runFiles } from './publish.ts';
import { renderReport, type RunSettings } from './report.ts';
import { DEFAULT_SCALES, findScale, MAIN_SCALE, type Scale, SCALES } from './scales.ts';
import { F_WRITE, POSTGRAPHILE_MODE, RESPONSE_CACHE_SCENARIO, type Scenario, SCENARIOS } from './scenarios.ts';
import { comparisonTable } from './comparison-table.ts';
import { type ComparisonId, ComparisonMismatch, INKQL_MODE, MIN_ROUNDS, runComparison, TRUSTED_MODE } from './postgraphile-comparison.ts';
import { type ServerProcess, startServer } from './server-process.ts';
import { type Measurement, median, type RunResult, summarise } from './summarise.ts';
import { checkTargets } from './targets.ts';

export const DEFAULT_DURATION_SECONDS = 3;
export const DEFAULT_WARMUP_SECONDS = 1;
export const DEFAULT_REPETITIONS = 3;
export const FULL_DURATION_SECONDS = 10;
export const FULL_REPETITIONS = 5;
/** The concurrency of the speed targets. */
export const CONNECTIONS = 10;
/** Scenario E: the page whose cursor is built from the database (keyset: it must cost what page 1 costs). */
export const DEEP_PAGE = 1000;
export const PAGE_SIZE = 20;
/**
 * Requests of each page scenario a fresh server gets before any measurement (see warmUp): on
 * this machine a server's A throughput was still climbing after 200 (the old figure) and
 * levelled off after a few thousand.
 */
export const WARMUP_REQUESTS = 1500;
/** ... but no longer than this per scenario (a busy machine, or the naive server, answers few requests a second; 4 s keeps the default run under 5 minutes with F). */
export const WARMUP_MAX_SECONDS = 4;
/** Server environment that turns the `stats` cache off, for D's uncached row (the writes branch's switch; ignored by a server without a cache). */
export const STATS_UNCACHED_ENV: Record<string, string> | undefined = { INKQL_CACHE: 'off' };

/** Scenario F: each connection sends this many reads, then one write, over and over. */
export const F_READS_PER_WRITE = 9;
/** The title of every post F writes: the run removes them by it afterwards. */
export const F_WRITE_TITLE = 'inkql bench F write';

const ROOT = new URL('../', import.meta.url);

const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    duration: { type: 'string' },
    reps: { type: 'string' },
    warmup: { type: 'string' },
    only: { type: 'string' },
    scales: { type: 'string' },
    publish: { type: 'boolean', default: false },
  },
});

const refusal = args.publish ? publishRefusal(args) : undefined;
if (refusal) {
  console.error(refusal);
  process.exit(2);
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return value;
}

const full = args.full ?? false;
const durationSeconds = positive('duration', args.duration, full ? FULL_DURATION_SECONDS : DEFAULT_DURATION_SECONDS);
const repetitions = Math.round(positive('reps', args.reps, full ? FULL_REPETITIONS : DEFAULT_REPETITIONS));
const warmupSeconds = positive('warmup', args.warmup, DEFAULT_WARMUP_SECONDS);
const only = new Set((args.only ?? 'A,B,C,D,E,F,G').split(',').map((s) => s.trim().toUpperCase()));
const scaleNames = args.scales ? args.scales.split(',') : full ? SCALES.map((s) => s.name) : [...DEFAULT_SCALES];
const scales = scaleNames.map(findScale);
// The modes and the comparison run at MAIN_SCALE, or, when --scales leaves it out, at the largest
// size asked for (a quick run at 1k seeds nothing bigger).
const mainScale: Scale = scales.find((s) => s.name === MAIN_SCALE) ?? [...scales].sort((a, b) => b.size.posts - a.size.posts)[0]!;
const baseUrl = process.env.DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
// A fresh token per run: the traced requests (SQL/req, trace-on mode) use it in production mode.
const debugToken = randomBytes(16).toString('hex');

const started = performance.now();
const measurements: Measurement[] = [];
const notes: string[] = [];
/** The PostGraphile comparison's section of the report (Markdown), once it has run. */
let comparison: string | undefined;
let step = 0;

function log(line: string): void {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[${elapsed} s] ${line}`);
}

interface Variant {
  readonly scenario: Scenario;
  readonly mode: string;
  readonly baselineMode?: string;
  readonly variables?: Record<string, unknown>;
  readonly trace?: boolean;
  readonly connections?: number;
  readonly sampleMemory?: boolean;
  /** Bodies that legitimately differ per request (a trace, a fresh computedAt): check for errors only. */
  readonly varyingBody?: boolean;
  /** A write each connection sends after every F_READS_PER_WRITE reads (scenario F). */
  readonly write?: { readonly body: string; readonly headers: Record<string, string> };
  /** Every request carries a variable of its own (unused by the query): no two share a response-cache key. */
  readonly distinctVariables?: boolean;
}

/** SQL statements of one traced request (the trace is unlocked by this run's debug token). */
async function sqlCount(server: ServerProcess, body: string): Promise<number | null> {
  const traced = await probe({ url: server.url, body, headers: { 'x-inkql-trace': '1', 'x-inkql-debug-token': debugToken } });
  const trace: TraceWire | undefined = traced.json?.extensions?.trace;
  const count = trace?.sql.count;
  // A failed request ran fewer statements than the scenario needs: no figure rather than a wrong one.
  return traced.status === 200 && !traced.json?.errors && typeof count === 'number' ? count : null;
}

/**
 * autocannon stops sending at the deadline, but the server still works off what it accepted:
 * one more request, answered after that backlog, keeps it out of the next repetition.
 */
async function drain(server: ServerProcess, body: string): Promise<void> {
  await probe({ url: server.url, body, headers: {} });
}

/** Scenario G's cold requests: a count no two requests share. */
let nonce = 0;

async function measure(server: ServerProcess, database: PreparedDatabase, scale: Scale, variant: Variant): Promise<Measurement> {
  const { scenario } = variant;
  const body = JSON.stringify({ query: scenario.query, variables: variant.variables ?? {} });
  const headers: Record<string, string> = variant.trace ? { 'x-inkql-trace': '1', 'x-inkql-debug-token': debugToken } : {};
  // Check one response in full; the load then requires every response to be byte-identical to
  // it, or (when bodies vary) free of a GraphQL `errors` field.
  const reference = await probe({ url: server.url, body, headers });
  const problem =
    reference.status !== 200
      ? `HTTP ${reference.status}`
      : reference.json?.errors
        ? `errors ${JSON.stringify(reference.json.errors).slice(0, 300)}`
        : scenario.check(reference.json?.data, database.posts);
  if (problem) throw new Error(`${scenario.id} ${variant.mode} at ${scale.name}: the reference response is wrong: ${problem}`);
  const request: LoadRequest = {
    url: server.url,
    body,
    headers,
    verifyBody: variant.varyingBody ? (text) => !text.includes('"errors"') : (text) => text === reference.text,
    sequence: variant.write ? [...Array.from({ length: F_READS_PER_WRITE }, () => ({ body, headers: {} })), variant.write] : undefined,
    bodyFor: variant.distinctVariables ? () => JSON.stringify({ query: scenario.query, variables: { ...variant.variables, nonce: nonce++ } }) : undefined,
  };
  const connections = variant.connections ?? CONNECTIONS;
  await runLoad(request, { connections, durationSeconds: warmupSeconds });
  await drain(server, body);
  let rssMaxMb = 0;
  const reps: RunResult[] = [];
  const cpuPerRequest: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const cpuBefore = server.cpuMs();
    const run = await runLoad(request, {
      connections,
      durationSeconds,
      onSample: variant.sampleMemory ? () => (rssMaxMb = Math.max(rssMaxMb, server.rssMb())) : undefined,
    });
    await drain(server, body);
    reps.push(run);
    cpuPerRequest.push((server.cpuMs() - cpuBefore) / (run.requests + 1));
  }
  const measurement: Measurement = {
    scenario: scenario.id,
    label: scenario.label,
    mode: variant.mode,
    scale: scale.name,
    posts: database.posts,
    connections,
    // A cold request's own key: the reference body is in the response cache by now.
    sqlPerRequest: await sqlCount(server, request.bodyFor?.() ?? body),
    cpuMsPerRequest: median(cpuPerRequest),
    ...(variant.sampleMemory && rssMaxMb > 0 ? { rssMaxMb } : {}),
    ...(variant.baselineMode ? { baselineMode: variant.baselineMode } : {}),
    reps,
    summary: summarise(reps),
  };
  measurements.push(measurement);
  const s = measurement.summary;
  step++;
  log(
    `#${step} ${scenario.id} ${scenario.label.padEnd(24)} ${variant.mode.padEnd(14)} ${scale.name.padStart(4)} c=${connections}: ` +
      `${s.reqPerSec.toFixed(0).padStart(5)} req/s  p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  ` +
      `CPU ${measurement.cpuMsPerRequest.toFixed(2)} ms/req  errors ${s.errors}  SQL ${measurement.sqlPerRequest ?? '-'}${measurement.rssMaxMb ? `  RSS ${measurement.rssMaxMb.toFixed(0)} MB` : ''}`,
  );
  if (s.errors > 0) notes.push(`${scenario.id} ${variant.mode} at ${scale.name} had ${s.errors} failed requests: that row does not count.`);
  return measurement;
}

/**
 * A fresh server runs its first requests unoptimised: each of the page scenarios gets a fixed
 * number of requests before anything is measured, so that the first measured mode is not the
 * one that paid for the JIT (a time-based warm-up alone is too short on a busy machine).
 */
async function warmUp(server: ServerProcess, scenarios: readonly Scenario[]): Promise<void> {
  for (const scenario of scenarios) {
    const request: LoadRequest = { url: server.url, body: JSON.stringify({ query: scenario.query }), headers: {}, verifyBody: () => true };
    await runLoad(request, { connections: CONNECTIONS, amount: WARMUP_REQUESTS, maxSeconds: WARMUP_MAX_SECONDS });
  }
}

async function withServer<T>(
  database: PreparedDatabase,
  env: Record<string, string>,
  warmUpWith: readonly Scenario[],
  fn: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const server = await startServer({ DATABASE_URL: database.url, INKQL_DEBUG_TOKEN: debugToken, ...env });
  try {
    await warmUp(server, warmUpWith);
    return await fn(server);
  } finally {
    await server.stop();
  }
}

const selected = (id: string) => only.has(id);
const pageScenarios = [SCENARIOS.A, SCENARIOS.B, SCENARIOS.C].filter((s) => selected(s.id));

/** Does the server cache `stats`? A second traced request that runs no SQL says yes. */
async function statsIsCached(server: ServerProcess): Promise<boolean> {
  const body = JSON.stringify({ query: SCENARIOS.D.query });
  await sqlCount(server, body);
  return (await sqlCount(server, body)) === 0;
}

/**
 * A, B and C on inkql (trusted documents off and on) and PostGraphile 5, interleaved: the rows
 * the speed targets read. Servers that disagree stop the run; failed requests fail it.
 */
async function compareWithPostGraphile(database: PreparedDatabase, scale: Scale): Promise<void> {
  const rounds = Math.max(MIN_ROUNDS, repetitions);
  const result = await runComparison({ database, scale, ids: pageScenarios.map((s) => s.id as ComparisonId), rounds, durationSeconds, debugToken, log });
  // The plain cells are the batched rows of the modes table: related to naive (c=10) and to trusted.
  measurements.push(...result.measurements.map((m) => (m.mode === INKQL_MODE ? { ...m, baselineMode: 'naive' } : m.mode === TRUSTED_MODE ? { ...m, baselineMode: INKQL_MODE } : m)));
  const node = result.postgraphileNode === process.execPath ? `Node ${process.versions.node}` : `Node 22 (${result.postgraphileNode})`;
  comparison = [
    `PostGraphile 5 on ${node}, production mode, --max-semi-space-size=64; inkql as npm start runs it, ` +
      `trusted documents off and enforced (requests by documentId). ${rounds} interleaved rounds of ${durationSeconds} s per cell; ` +
      `each figure is the median of the rounds with their min–max.`,
    '',
    result.verdict.text,
    '',
    comparisonTable(result.measurements, { inkql: INKQL_MODE, trusted: TRUSTED_MODE, postgraphile: POSTGRAPHILE_MODE }),
  ].join('\n');
  log(result.verdict.text.replaceAll('**', ''));
  for (const failure of result.failures) {
    console.error(`FAILED: ${failure}`);
    notes.push(`${failure}: the comparison does not hold.`);
  }
  if (result.failures.length > 0) process.exitCode = 1;
}

async function runMainScale(database: PreparedDatabase, scale: Scale): Promise<void> {
  if (pageScenarios.length > 0) await compareWithPostGraphile(database, scale);
  await measureBatched(database, scale);
  await measureUncachedAndNaive(database, scale);
  if (selected('G')) await measureResponseCache(database, scale);
}

/** The other modes of the batched server with its cache on. */
async function measureBatched(database: PreparedDatabase, scale: Scale): Promise<void> {
  // A, B and C batched (c=10 and c=50, with the RSS at c=50) come from the comparison.
  await withServer(database, { INKQL_BATCHING: 'on' }, pageScenarios, async (server) => {
    // The cost of watching, measured on scenario B.
    if (selected('B')) {
      await measure(server, database, scale, { scenario: SCENARIOS.B, mode: 'batched+trace', baselineMode: 'batched', trace: true, varyingBody: true });
    }
    if (selected('D')) {
      if (await statsIsCached(server)) {
        await measure(server, database, scale, { scenario: SCENARIOS.D, mode: 'cached', baselineMode: 'uncached', varyingBody: true });
        if (!STATS_UNCACHED_ENV) notes.push('D: stats is cached, and no switch to turn the cache off is known to the bench (STATS_UNCACHED_ENV in bench/run.ts), so D has no uncached row.');
      } else {
        await measure(server, database, scale, { scenario: SCENARIOS.D, mode: 'uncached', varyingBody: true });
        notes.push('D: this server does not cache `stats` (a repeated traced request still runs SQL), so D measures the uncached aggregate only.');
      }
    }
    if (selected('E')) {
      const cursor = await database.cursorAfterPages(DEEP_PAGE - 1, PAGE_SIZE);
      await measure(server, database, scale, { scenario: SCENARIOS.E, mode: 'page 1' });
      if (cursor) await measure(server, database, scale, { scenario: SCENARIOS.E, mode: `page ${DEEP_PAGE}`, baselineMode: 'page 1', variables: { after: cursor } });
      else notes.push(`E: ${scale.name} has fewer than ${DEEP_PAGE * PAGE_SIZE} posts, no page ${DEEP_PAGE}.`);
    }
    // Last on this server: its cache is left stale when the run's posts are removed.
    if (selected('F')) await measureMixed(server, database, scale, 'cached', STATS_UNCACHED_ENV ? 'uncached' : undefined);
  });
}

async function measureUncachedAndNaive(database: PreparedDatabase, scale: Scale): Promise<void> {
  const dUncached = selected('D') && STATS_UNCACHED_ENV && !measurements.some((m) => m.scenario === 'D' && m.mode === 'uncached');
  const fUncached = selected('F') && STATS_UNCACHED_ENV;
  if (dUncached || fUncached) {
    // The uncached aggregate is slow by design: its own per-row warm-up is enough.
    await withServer(database, { INKQL_BATCHING: 'on', ...STATS_UNCACHED_ENV }, [], async (server) => {
      if (dUncached) await measure(server, database, scale, { scenario: SCENARIOS.D, mode: 'uncached', varyingBody: true });
      if (fUncached) await measureMixed(server, database, scale, 'uncached');
    });
  }
  if (pageScenarios.length > 0) {
    await withServer(database, { INKQL_BATCHING: 'off' }, pageScenarios, async (server) => {
      for (const scenario of pageScenarios) await measure(server, database, scale, { scenario, mode: 'naive' });
    });
  }
}

/** How long the posts' count must hold still before the writes of a finished load count as done. */
const SETTLE_MS = 250;
const SETTLE_MAX_MS = 10_000;

/**
 * The load generator stops at its deadline, but the server still finishes the writes it accepted:
 * what the server shows is compared with the database only once the posts' count holds still, so
 * a write still in flight is not mistaken for a stale cache.
 */
async function writesSettled(database: PreparedDatabase): Promise<void> {
  const deadline = performance.now() + SETTLE_MAX_MS;
  let count = await database.countPosts();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const next = await database.countPosts();
    if (next === count || performance.now() > deadline) return;
    count = next;
  }
}

/**
 * Scenario F: reads of cached values with a write among them, which must make those values
 * stale at once. After the load, with no write in flight, the server's stats and the writer's
 * postCount must equal what the database counts, or the row does not count. The posts written
 * are removed afterwards, so the database keeps its seeded size.
 */
async function measureMixed(server: ServerProcess, database: PreparedDatabase, scale: Scale, mode: string, baselineMode?: string): Promise<void> {
  const readBody = JSON.stringify({ query: SCENARIOS.F.query, variables: {} });
  const read = async () => (await probe({ url: server.url, body: readBody, headers: {} })).json?.data;
  const writerGlobalId: string = (await read())?.authors?.nodes?.[0]?.id;
  const writer = parseGlobalId(writerGlobalId, 'id', 'Author').id;
  const input = { title: F_WRITE_TITLE, body: 'Written by the bench while others read.', tags: [] };
  const write = {
    body: JSON.stringify({ query: F_WRITE, variables: { input } }),
    headers: { authorization: `Bearer ${await database.issueToken(writer)}` },
  };
  try {
    const measurement = await measure(server, database, scale, { scenario: SCENARIOS.F, mode, baselineMode, varyingBody: true, write });
    await writesSettled(database);
    const data = await read();
    const served = { all: data?.stats?.postCount, writer: data?.authors?.nodes?.find((a: { id: string }) => a.id === writerGlobalId)?.postCount };
    const truth = { all: await database.countPosts(), writer: await database.countPosts(writer) };
    const writes = truth.all - database.posts;
    if (served.all !== truth.all || served.writer !== truth.writer) {
      notes.push(
        `F ${mode} served stale counts after ${writes} writes (stats.postCount ${served.all}, author ${served.writer}; ` +
          `the database has ${truth.all} and ${truth.writer}): that row does not count.`,
      );
      // A stale answer is a wrong answer: the row carries it as an error.
      measurements[measurements.indexOf(measurement)] = { ...measurement, summary: { ...measurement.summary, errors: measurement.summary.errors + 1 } };
      process.exitCode = 1;
    } else {
      notes.push(`F ${mode}: after ${writes} writes under load, stats.postCount (${truth.all}) and the writer's postCount (${truth.writer}) matched the database.`);
    }
  } finally {
    await database.removeWrites(F_WRITE_TITLE);
  }
}

/**
 * Scenario G: A with the response cache warm (every request a hit) against cold (every request a
 * new key: lookup, execution and store) and off, then the read-mostly mix with the response cache
 * on against off. The mix's writes (createPost) make A's page stale each time: after the load, the
 * page the server shows must be the database's newest posts, or the row does not count.
 */
async function measureResponseCache(database: PreparedDatabase, scale: Scale): Promise<void> {
  const scenario = RESPONSE_CACHE_SCENARIO;
  // BENCH_REDIS_URL: both servers use that Redis (a namespace of the run's own) instead of the in-memory LRU.
  const redis: Record<string, string> = process.env.BENCH_REDIS_URL
    ? { REDIS_URL: process.env.BENCH_REDIS_URL, INKQL_CACHE_NAMESPACE: `inkql-bench-${randomBytes(4).toString('hex')}` }
    : {};
  if (redis.REDIS_URL) notes.push('G: the cache (and response cache) backend was Redis.');
  await withServer(database, { INKQL_BATCHING: 'on', INKQL_RESPONSE_CACHE: 'on', ...redis }, [SCENARIOS.A], async (server) => {
    await measure(server, database, scale, { scenario, mode: 'A cold', distinctVariables: true });
    await measure(server, database, scale, { scenario, mode: 'A warm', baselineMode: 'A cold' });
    await measureReadMostly(server, database, scale, 'mix on', 'mix off');
  });
  await withServer(database, { INKQL_BATCHING: 'on', ...redis }, [SCENARIOS.A], async (server) => {
    await measure(server, database, scale, { scenario, mode: 'A off' });
    await measureReadMostly(server, database, scale, 'mix off');
  });
}

async function measureReadMostly(server: ServerProcess, database: PreparedDatabase, scale: Scale, mode: string, baselineMode?: string): Promise<void> {
  const scenario = RESPONSE_CACHE_SCENARIO;
  const writer = 1;
  const input = { title: F_WRITE_TITLE, body: 'Written by the bench while others read.', tags: [] };
  const write = {
    body: JSON.stringify({ query: F_WRITE, variables: { input } }),
    headers: { authorization: `Bearer ${await database.issueToken(writer)}` },
  };
  try {
    const measurement = await measure(server, database, scale, { scenario, mode, baselineMode, varyingBody: true, write });
    await writesSettled(database);
    const served = (await probe({ url: server.url, body: JSON.stringify({ query: scenario.query }), headers: {} })).json?.data;
    const newest = await database.newestPostTitles(PAGE_SIZE);
    const shown = (served?.posts?.nodes ?? []).map((node: { title: string }) => node.title);
    if (JSON.stringify(shown) !== JSON.stringify(newest)) {
      notes.push(`G ${mode} served a stale page after its writes (${JSON.stringify(shown)} against ${JSON.stringify(newest)}): that row does not count.`);
      measurements[measurements.indexOf(measurement)] = { ...measurement, summary: { ...measurement.summary, errors: measurement.summary.errors + 1 } };
      process.exitCode = 1;
    } else {
      notes.push(`G ${mode}: after ${(await database.countPosts()) - database.posts} writes under load, the page served was the database's newest ${PAGE_SIZE} posts.`);
    }
  } finally {
    await database.removeWrites(F_WRITE_TITLE);
  }
}

async function runScalePoint(database: PreparedDatabase, scale: Scale): Promise<void> {
  if (pageScenarios.length === 0) return;
  await withServer(database, { INKQL_BATCHING: 'on' }, pageScenarios, async (server) => {
    for (const scenario of pageScenarios) await measure(server, database, scale, { scenario, mode: 'batched', baselineMode: 'naive' });
  });
}

const MODE_ORDER = ['naive', 'batched', TRUSTED_MODE, POSTGRAPHILE_MODE, 'batched+trace', 'uncached', 'cached', 'page 1', `page ${DEEP_PAGE}`, 'A off', 'A cold', 'A warm', 'mix off', 'mix on'];
const modeRank = (mode: string) => (MODE_ORDER.indexOf(mode) + MODE_ORDER.length + 1) % (MODE_ORDER.length + 1);

function timestamp(date: Date): string {
  return date.toISOString().slice(0, 16).replace(':', '-');
}

async function main(): Promise<void> {
  const date = new Date();
  log(`inkql bench: ${full ? 'full' : 'default'} run, scales ${scales.map((s) => s.name).join(', ')}, ${repetitions} x ${durationSeconds} s after ${warmupSeconds} s warm-up`);
  const databases = new Map<string, PreparedDatabase>();
  for (const scale of scales) databases.set(scale.name, await prepareDatabase(baseUrl, scale, log));
  const main = databases.get(mainScale.name) as PreparedDatabase;
  const machine = describeMachine(main.postgresVersion);
  log(`machine: ${machine.cores} cores ${machine.cpuModel}, Node ${machine.node}, PostgreSQL ${machine.postgres}, load ${machine.loadAverage.toFixed(2)}`);
  try {
    await runMainScale(main, mainScale);
    for (const scale of scales) if (scale !== mainScale) await runScalePoint(databases.get(scale.name) as PreparedDatabase, scale);
  } finally {
    for (const database of databases.values()) await database.close();
  }

  const settings: RunSettings = { date: date.toISOString(), durationSeconds, warmupSeconds, repetitions, full };
  const stamp = timestamp(date);
  mkdirSync(new URL(`${RESULTS_DIR}/`, ROOT), { recursive: true });
  for (const scenario of new Set(measurements.map((m) => m.scenario))) {
    const rows = measurements.filter((m) => m.scenario === scenario);
    writeFileSync(new URL(`${RESULTS_DIR}/${stamp}-${scenario}.json`, ROOT), JSON.stringify({ machine, settings, measurements: rows }, null, 2) + '\n');
  }
  const modeRows = measurements
    .filter((m) => m.scale === mainScale.name)
    .sort((a, b) => a.scenario.localeCompare(b.scenario) || a.connections - b.connections || modeRank(a.mode) - modeRank(b.mode));
  const scaleRows = measurements
    .filter((m) => ['A', 'B', 'C'].includes(m.scenario) && m.mode === 'batched' && m.connections === CONNECTIONS)
    .sort((a, b) => a.scenario.localeCompare(b.scenario) || a.posts - b.posts);
  const checks = checkTargets(measurements, mainScale.name, CONNECTIONS);
  if (mainScale.name !== MAIN_SCALE) notes.push(`The modes were measured at ${mainScale.name} posts, not ${MAIN_SCALE}: the targets' reference figures are for ${MAIN_SCALE}.`);
  const modesSvg = await renderSvg(modesChartSpec(modeRows.filter((m) => m.connections === CONNECTIONS), `inkql: req/s by mode, ${mainScale.name} posts, c=${CONNECTIONS}`));
  const scaleSvg = await renderSvg(scaleChartSpec(scaleRows, `inkql: latency and SQL per request vs data size (batched, c=${CONNECTIONS})`));
  const report = { machine, settings, measurements, modeRows, scaleRows, checks, notes, comparison };
  const publish = args.publish ?? false;
  const files = runFiles({
    stamp,
    report,
    modesSvg,
    scaleSvg,
    publish,
    performanceDoc: publish ? readFileSync(new URL(PERFORMANCE_DOC, ROOT), 'utf8') : undefined,
  });
  for (const file of files) writeFileSync(new URL(file.path, ROOT), file.content);
  const reportText = renderReport({ ...report, charts: { modes: `${stamp}-modes.svg`, scale: `${stamp}-scale.svg` } });
  console.log('\n' + reportText.split('\n## Modes')[1]?.replace(/^/, '## Modes'));
  log(`done: ${RESULTS_DIR}/${stamp}-report.md (and latest.md, latest-modes.svg, latest-scale.svg)`);
  log(publish ? `published to ${PERFORMANCE_DOC}` : `${PERFORMANCE_DOC} unchanged (npm run bench -- --publish updates it)`);
  const failed = measurements.filter((m) => m.summary.errors > 0);
  if (failed.length > 0) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  if (!(error instanceof ComparisonMismatch)) throw error;
  console.error(`bench FAILED: ${error.message}`);
  process.exitCode = 1;
}
