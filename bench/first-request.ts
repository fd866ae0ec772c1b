// First-request latency: how long the first request of a document takes on a freshly started
// server, against the same request once the process is warm. Each round starts a new process
// (`npm start`'s bundle, production) over the smallest bench database and sends scenario B first,
// then scenario C (the first request of a second document, in a process the first one warmed:
// what is left there is the document's own work), then B until it is warm, each way:
//
//   text      the documents' text in `query` (parsed, validated, priced and compiled on first use)
//   trusted   `documentId`s of the same documents in a trusted-documents manifest (all of that
//             done at start-up)
//
//   node --import tsx bench/first-request.ts [--rounds 5] [--database-url postgres://...]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../src/documents/sha256-hex.ts';
import { prepareDatabase } from './bench-database.ts';
import { findScale } from './scales.ts';
import { type Scenario, SCENARIOS } from './scenarios.ts';
import { startServer } from './server-process.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/inkql_first_request' },
    /** Requests sent after the first, in sequence, before the warm one is timed. */
    warmup: { type: 'string', default: '200' },
    /** Comma-separated: text, trusted. */
    ways: { type: 'string', default: 'text,trusted' },
  },
});
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);

type Way = 'text' | 'trusted';
const ways = values.ways.split(',') as Way[];

const [B, C] = [SCENARIOS.B, SCENARIOS.C];
const idOf = (scenario: Scenario) => `sha256:${sha256Hex(scenario.query)}`;
const dir = mkdtempSync(join(tmpdir(), 'inkql-first-request-'));
const manifest = join(dir, 'manifest.json');
writeFileSync(manifest, JSON.stringify({ [idOf(B)]: B.query, [idOf(C)]: C.query }));

async function send(url: string, way: Way, scenario: Scenario): Promise<number> {
  const body = way === 'text' ? { query: scenario.query } : { documentId: idOf(scenario) };
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as { data?: unknown; errors?: unknown };
  const ms = performance.now() - started;
  const wrong = json.errors ? 'errors' : scenario.check(json.data, database.posts);
  if (wrong) throw new Error(`${way} ${scenario.id}: ${wrong}: ${JSON.stringify(json).slice(0, 300)}`);
  return ms;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const database = await prepareDatabase(values['database-url'], findScale('1k'), (line) => console.log(line));
const results: Record<Way, { first: number[]; firstCpu: number[]; second: number[]; warm: number[] }> = {
  text: { first: [], firstCpu: [], second: [], warm: [] },
  trusted: { first: [], firstCpu: [], second: [], warm: [] },
};
try {
  for (let round = 0; round < rounds; round++) {
    // Interleaved, so a neighbour's burst of load falls on both ways alike.
    for (const way of ways) {
      const server = await startServer({
        LOG_LEVEL: 'error',
        DATABASE_URL: database.url,
        INKQL_TRUSTED_DOCUMENTS: manifest,
        INKQL_TRUSTED_DOCUMENTS_MODE: 'allow',
      });
      try {
        // Server CPU (10 ms ticks) is the figure a busy neighbour disturbs least; wall time is the one a user sees.
        const cpuBefore = server.cpuMs();
        results[way].first.push(await send(server.url, way, B));
        results[way].firstCpu.push(server.cpuMs() - cpuBefore);
        results[way].second.push(await send(server.url, way, C));
        for (let i = 0; i < warmup; i++) await send(server.url, way, B);
        const warm: number[] = [];
        for (let i = 0; i < 20; i++) warm.push(await send(server.url, way, B));
        results[way].warm.push(median(warm));
      } finally {
        await server.stop();
      }
    }
  }
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\n${rounds} fresh processes per way, medians (ms):`);
console.log('| way | first request (B) | its server CPU | then the first C | B when warm | first B / warm B |');
console.log('|---|---|---|---|---|---|');
for (const way of ways) {
  const first = median(results[way].first);
  const warm = median(results[way].warm);
  const cpu = median(results[way].firstCpu);
  const second = median(results[way].second);
  console.log(`| ${way} | ${first.toFixed(1)} | ${cpu.toFixed(0)} | ${second.toFixed(1)} | ${warm.toFixed(2)} | ${(first / warm).toFixed(1)}× |`);
}
