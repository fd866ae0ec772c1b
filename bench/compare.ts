// npm run bench:compare -- DIR [--duration S] [--reps N] [--only A,B,C] [--scale 100k]
//                            [--connections N] [--base-flags="V8 flags"] [--flags="V8 flags"]
//
// A/B test of a code change on a noisy machine: the server of this checkout and the server of
// another checkout DIR (e.g. `git archive main | tar -x -C /tmp/base && ln -s $PWD/node_modules
// /tmp/base/`) run side by side on the same seeded database, and their repetitions alternate
// (base, this, base, this ...) so that a neighbour's burst of load hits both alike. Prints the
// median req/s of each and the ratio. Absolute figures on a busy machine mean little; the ratio
// of alternated runs is what a change's commit message should quote.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BENCH_DATABASE_URL, prepareDatabase } from './bench-database.ts';
import { probe, runLoad } from './load.ts';
import { findScale, MAIN_SCALE } from './scales.ts';
import { SCENARIOS } from './scenarios.ts';
import { SERVE_BUNDLE_ARGS } from '../scripts/build-server.ts';
import { SERVER_NODE_ARGS, startServer } from './server-process.ts';
import { median, type RunResult } from './summarise.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: '4' },
    reps: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string', default: 'A,B,C' },
    scale: { type: 'string', default: MAIN_SCALE },
    // Node/V8 flags of each side (default: npm start's), to compare heap settings on one checkout (DIR = .).
    'base-flags': { type: 'string' },
    flags: { type: 'string' },
  },
});
const nodeArgs = (flags: string | undefined) => (flags === undefined ? SERVER_NODE_ARGS : [...flags.split(/\s+/).filter(Boolean), ...SERVE_BUNDLE_ARGS]);
const baseDir = positionals[0];
if (!baseDir) {
  console.error('usage: npm run bench:compare -- DIR  (DIR: another checkout with node_modules)');
  process.exit(2);
}
const durationSeconds = Number(values.duration);
const reps = Number(values.reps);
const connections = Number(values.connections);
const scale = findScale(values.scale as string);
const database = await prepareDatabase(process.env.DATABASE_URL || DEFAULT_BENCH_DATABASE_URL, scale, console.log);
const env = { DATABASE_URL: database.url, INKQL_BATCHING: 'on' };
const base = await startServer(env, resolve(baseDir), nodeArgs(values['base-flags']));
const head = await startServer(env, undefined, nodeArgs(values.flags));
try {
  for (const id of (values.only as string).split(',')) {
    const scenario = SCENARIOS[id.trim().toUpperCase() as keyof typeof SCENARIOS];
    const body = JSON.stringify({ query: scenario.query });
    const request = (url: string) => ({ url, body, headers: {}, verifyBody: (text: string) => !text.includes('"errors"') });
    const runs: { base: RunResult[]; head: RunResult[] } = { base: [], head: [] };
    const cpu = { base: [] as number[], head: [] as number[] };
    const rss = { base: 0, head: 0 };
    const timed = async (server: typeof base, side: 'base' | 'head') => {
      const before = server.cpuMs();
      const onSample = () => (rss[side] = Math.max(rss[side], server.rssMb()));
      const run = await runLoad(request(server.url), { connections, durationSeconds, onSample });
      await probe({ url: server.url, body, headers: {} });
      runs[side].push(run);
      cpu[side].push((server.cpuMs() - before) / (run.requests + 1));
    };
    await runLoad(request(base.url), { connections, durationSeconds: Number(values.warmup) });
    await runLoad(request(head.url), { connections, durationSeconds: Number(values.warmup) });
    for (let i = 0; i < reps; i++) {
      await timed(base, 'base');
      await timed(head, 'head');
    }
    // Let both servers work off their backlog before the next scenario (or the shutdown).
    await Promise.all([probe({ url: base.url, body, headers: {} }), probe({ url: head.url, body, headers: {} })]);
    const failed = [...runs.base, ...runs.head].reduce((n, r) => n + r.non2xx + r.mismatches + r.errors, 0);
    const b = median(runs.base.map((r) => r.reqPerSec));
    const h = median(runs.head.map((r) => r.reqPerSec));
    const pairs = runs.base.map((r, i) => ((runs.head[i] as RunResult).reqPerSec / r.reqPerSec).toFixed(2)).join(' ');
    console.log(
      `${scenario.id} ${scenario.label.padEnd(24)} base ${b.toFixed(0).padStart(5)} req/s  this ${h.toFixed(0).padStart(5)} req/s  ` +
        `ratio ${(h / b).toFixed(2)} (pairs ${pairs})  p50 ${median(runs.base.map((r) => r.p50))} -> ${median(runs.head.map((r) => r.p50))} ms  ` +
        `server CPU/request ${median(cpu.base).toFixed(2)} -> ${median(cpu.head).toFixed(2)} ms (${(median(cpu.base) / median(cpu.head)).toFixed(2)}x)  ` +
        `peak RSS ${rss.base.toFixed(0)} -> ${rss.head.toFixed(0)} MB  errors ${failed}`,
    );
  }
} finally {
  await Promise.all([base.stop(), head.stop()]);
  await database.close();
}
