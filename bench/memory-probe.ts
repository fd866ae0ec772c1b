// Ad hoc: RSS and CPU per request of scenario B at c=50 for several sets of V8 heap flags.
//   node --import tsx bench/memory-probe.ts '--max-semi-space-size=64' '--max-semi-space-size=16 --optimize-for-size' ''
import { prepareDatabase, DEFAULT_BENCH_DATABASE_URL } from './bench-database.ts';
import { probe, runLoad } from './load.ts';
import { findScale } from './scales.ts';
import { SCENARIOS } from './scenarios.ts';
import { SERVE_BUNDLE_ARGS } from '../scripts/build-server.ts';
import { startServer } from './server-process.ts';
const database = await prepareDatabase(DEFAULT_BENCH_DATABASE_URL, findScale('100k'), console.log);
const body = JSON.stringify({ query: SCENARIOS.B.query });
for (const flags of process.argv.slice(2)) {
  const args = [...flags.split(/\s+/).filter(Boolean), ...SERVE_BUNDLE_ARGS];
  const server = await startServer({ DATABASE_URL: database.url }, undefined, args);
  const idle = server.rssMb();
  let peak = 0;
  const req = { url: server.url, body, headers: {}, verifyBody: (t: string) => !t.includes('"errors"') };
  await runLoad(req, { connections: 50, durationSeconds: 3 });
  const cpu0 = server.cpuMs();
  const run = await runLoad(req, { connections: 50, durationSeconds: 8, onSample: () => (peak = Math.max(peak, server.rssMb())) });
  await probe(req);
  console.log(`[${flags || 'no flags'}]: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, ${run.reqPerSec.toFixed(0)} req/s, CPU ${((server.cpuMs() - cpu0) / run.requests).toFixed(2)} ms/req, errors ${run.non2xx + run.mismatches + run.errors}`);
  await server.stop();
}
await database.close();
