// Scenario A at concurrency 50 against one server process and against INKQL_WORKERS=2, in the same
// run, rounds interleaved (1, 2, 1, 2, ...) so a neighbour's load falls on both alike. The load
// generator (autocannon, in this process) shares the machine's cores with the server: its own CPU
// use is reported beside the server's, since on a 2-core machine it decides what a second worker
// can gain.
//
//   node --import tsx bench/workers.ts [--scale 10k] [--seconds 10] [--rounds 2]
//
// Needs Postgres (BENCH_DATABASE_URL, default inkql_scale_bench_<scale> on the local server) and
// Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { prepareDatabase } from './bench-database.ts';
import { runLoad } from './load.ts';
import { findScale } from './scales.ts';
import { SCENARIOS } from './scenarios.ts';
import { startServer } from './server-process.ts';

const CONNECTIONS = 50;
const WARMUP_SECONDS = 3;
const CLOCK_TICKS_PER_SECOND = 100;

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '10k' }, seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' } },
});
const scale = findScale(values.scale!);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
// Read here, not through src/config.ts: these are the bench's own settings, never the server's.
const databaseBase = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/inkql_scale_bench';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** CPU ms of a process and all its descendants (the cluster primary and its workers), from /proc. */
function treeCpuMs(pid: number): number {
  let total = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ') : []) total += treeCpuMs(Number(child));
  } catch {
    // the process ended between the two reads
  }
  return total;
}

const database = await prepareDatabase(databaseBase, scale, (line) => console.error(line));
const body = JSON.stringify({ query: SCENARIOS.A.query });
const results: Record<number, { reqPerSec: number[]; serverCores: number[]; loadCores: number[]; errors: number }> = {
  1: { reqPerSec: [], serverCores: [], loadCores: [], errors: 0 },
  2: { reqPerSec: [], serverCores: [], loadCores: [], errors: 0 },
};
console.error(`cores ${availableParallelism()}, load average before ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
for (let round = 0; round < rounds; round++) {
  for (const workers of [1, 2]) {
    const server = await startServer({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      INKQL_CACHE_NAMESPACE: 'bench-workers',
      INKQL_WORKERS: String(workers),
    });
    try {
      const request = { url: server.url, body, headers: {}, verifyBody: (text: string) => !text.includes('"errors"') };
      await runLoad(request, { connections: CONNECTIONS, durationSeconds: WARMUP_SECONDS });
      const cpuBefore = process.cpuUsage();
      const serverBefore = treeCpuMs(server.pid);
      const started = performance.now();
      const run = await runLoad(request, { connections: CONNECTIONS, durationSeconds: seconds });
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpuBefore);
      const result = results[workers]!;
      result.reqPerSec.push(run.reqPerSec);
      result.serverCores.push((treeCpuMs(server.pid) - serverBefore) / wallMs);
      result.loadCores.push((used.user + used.system) / 1000 / wallMs);
      result.errors += run.non2xx + run.mismatches + run.errors;
      console.error(`round ${round + 1}, ${workers} worker(s): ${run.reqPerSec.toFixed(0)} req/s, p99 ${run.p99} ms`);
    } finally {
      await server.stop();
    }
  }
}
await database.close();

const mean = (list: number[]) => list.reduce((sum, n) => sum + n, 0) / list.length;
console.log(`| workers | req/s (mean of ${rounds}) | server cores used | server CPU ms per request | load generator cores used | failed requests |`);
console.log('|---|---|---|---|---|---|');
for (const workers of [1, 2]) {
  const r = results[workers]!;
  const cpuPerRequest = (mean(r.serverCores) * 1000) / mean(r.reqPerSec);
  console.log(`| ${workers} | ${mean(r.reqPerSec).toFixed(0)} (${r.reqPerSec.map((n) => n.toFixed(0)).join(', ')}) | ${mean(r.serverCores).toFixed(2)} | ${cpuPerRequest.toFixed(2)} | ${mean(r.loadCores).toFixed(2)} | ${r.errors} |`);
}
console.log(`\n2 workers / 1 worker: ${(mean(results[2]!.reqPerSec) / mean(results[1]!.reqPerSec)).toFixed(2)}x; scenario A, c=${CONNECTIONS}, ${scale.name} posts, ${seconds} s per round; load average after ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
