import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../src/documents/sha256-hex.ts';
import type { PreparedDatabase } from './bench-database.ts';
import { type BusyVerdict, busyVerdict, type MachineLoad } from './busy-machine.ts';
import { dataDifference } from './data-difference.ts';
import { type LoadRequest, type ProbeResult, probe, runLoad } from './load.ts';
import { node22Binary } from './node22.ts';
import { dataFromPostGraphile } from './postgraphile-shape.ts';
import type { Scale } from './scales.ts';
import { POSTGRAPHILE_MODE, POSTGRAPHILE_SCENARIOS, type Scenario, SCENARIOS } from './scenarios.ts';
import { type ServerProcess, startPostGraphile, startServer } from './server-process.ts';
import { type Measurement, median, type RunResult, summarise } from './summarise.ts';

// inkql beside PostGraphile 5 over one database: A, B and C at 10 and 50 connections, inkql as
// `npm start` runs it with trusted documents off and enforced, PostGraphile in its best
// configuration (Node 22, production mode, --max-semi-space-size=64). Rounds are interleaved
// (every cell once per round), so a busy spell of the machine hits all servers alike.

export const COMPARISON_IDS = ['A', 'B', 'C'] as const;
export type ComparisonId = (typeof COMPARISON_IDS)[number];
export const COMPARISON_CONNECTIONS = [10, 50] as const;
export const MIN_ROUNDS = 3;
/** PostGraphile's best configuration measured here. */
export const POSTGRAPHILE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
export const INKQL_MODE = 'batched';
export const TRUSTED_MODE = 'batched, trusted';
/** Requests of each scenario each server gets before the rounds (JIT and pools warm). */
const WARMUP_REQUESTS = 2000;
const WARMUP_MAX_SECONDS = 10;
/** The concurrency whose inkql server RSS is sampled (the memory target). */
const MEMORY_CONNECTIONS = 50;

type Target = typeof INKQL_MODE | typeof TRUSTED_MODE | typeof POSTGRAPHILE_MODE;
const TARGETS: readonly Target[] = [INKQL_MODE, TRUSTED_MODE, POSTGRAPHILE_MODE];

export interface ComparisonOptions {
  readonly database: PreparedDatabase;
  readonly scale: Scale;
  readonly ids: readonly ComparisonId[];
  readonly rounds: number;
  readonly durationSeconds: number;
  /** Unlocks inkql's traces, for the SQL statements per request. */
  readonly debugToken: string;
  readonly log: (line: string) => void;
}

export interface ComparisonResult {
  readonly measurements: Measurement[];
  readonly load: MachineLoad;
  readonly verdict: BusyVerdict;
  readonly postgraphileNode: string;
  /** Cells with failed requests: the comparison does not hold. */
  readonly failures: string[];
}

/** Thrown when the servers disagree (or fail) before any load: no figure of such a run means anything. */
export class ComparisonMismatch extends Error {}

const documentId = (id: ComparisonId) => `sha256:${sha256Hex(SCENARIOS[id].query)}`;

function bodyOf(target: Target, id: ComparisonId): string {
  if (target === POSTGRAPHILE_MODE) return JSON.stringify({ query: POSTGRAPHILE_SCENARIOS[id].query });
  return JSON.stringify(target === TRUSTED_MODE ? { documentId: documentId(id) } : { query: SCENARIOS[id].query });
}

const scenarioOf = (target: Target, id: ComparisonId): Scenario => (target === POSTGRAPHILE_MODE ? POSTGRAPHILE_SCENARIOS[id] : SCENARIOS[id]);

/** inkql's `data` for the answer of `target`: PostGraphile's put in inkql's shape. */
const dataOf = (target: Target, id: ComparisonId, response: ProbeResult) =>
  target === POSTGRAPHILE_MODE ? dataFromPostGraphile(id, response.json?.data) : response.json?.data;

/**
 * One request of each scenario on each server: each must succeed, pass its scenario's check,
 * and hold the same data as inkql's plain answer, field for field once ids are left out.
 */
async function agreement(servers: Map<Target, ServerProcess>, ids: readonly ComparisonId[], posts: number): Promise<Map<string, ProbeResult>> {
  const references = new Map<string, ProbeResult>();
  const problems: string[] = [];
  for (const id of ids) {
    for (const target of TARGETS) {
      const response = await probe({ url: servers.get(target)!.url, body: bodyOf(target, id), headers: {} });
      references.set(`${id}|${target}`, response);
      const problem =
        response.status !== 200
          ? `HTTP ${response.status}: ${response.text.slice(0, 200)}`
          : response.json?.errors
            ? `errors ${JSON.stringify(response.json.errors).slice(0, 200)}`
            : scenarioOf(target, id).check(response.json?.data, posts);
      if (problem) problems.push(`${id} on ${target}: ${problem}`);
    }
    const plain = references.get(`${id}|${INKQL_MODE}`)!;
    for (const target of [TRUSTED_MODE, POSTGRAPHILE_MODE] as const) {
      const difference = dataDifference(plain.json?.data, dataOf(target, id, references.get(`${id}|${target}`)!));
      if (difference) problems.push(`${id}: ${target} answered other data than ${INKQL_MODE} (at ${difference})`);
    }
  }
  if (problems.length > 0) throw new ComparisonMismatch(`the servers do not agree, so nothing was measured:\n  ${problems.join('\n  ')}`);
  return references;
}

async function sqlCount(server: ServerProcess, body: string, debugToken: string): Promise<number | null> {
  const traced = await probe({ url: server.url, body, headers: { 'x-inkql-trace': '1', 'x-inkql-debug-token': debugToken } });
  const count = traced.json?.extensions?.trace?.sql?.count;
  return traced.status === 200 && !traced.json?.errors && typeof count === 'number' ? count : null;
}

export async function runComparison(options: ComparisonOptions): Promise<ComparisonResult> {
  const { database, scale, ids, rounds, durationSeconds, debugToken, log } = options;
  const postgraphileNode = await node22Binary(log);
  const dir = mkdtempSync(join(tmpdir(), 'inkql-bench-compare-'));
  const manifest = join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify(Object.fromEntries(ids.map((id) => [documentId(id), SCENARIOS[id].query]))));
  const servers = new Map<Target, ServerProcess>();
  try {
    const env = { DATABASE_URL: database.url, INKQL_DEBUG_TOKEN: debugToken, LOG_LEVEL: 'error' };
    servers.set(INKQL_MODE, await startServer(env));
    servers.set(TRUSTED_MODE, await startServer({ ...env, INKQL_TRUSTED_DOCUMENTS: manifest, INKQL_TRUSTED_DOCUMENTS_MODE: 'enforce' }));
    servers.set(POSTGRAPHILE_MODE, await startPostGraphile(database.url, postgraphileNode, POSTGRAPHILE_V8_FLAGS));
    const references = await agreement(servers, ids, database.posts);
    const requestOf = (target: Target, id: ComparisonId): LoadRequest => {
      const reference = references.get(`${id}|${target}`)!.text;
      return { url: servers.get(target)!.url, body: bodyOf(target, id), headers: {}, verifyBody: (text) => text === reference };
    };
    for (const target of TARGETS) {
      for (const id of ids) await runLoad(requestOf(target, id), { connections: 10, amount: WARMUP_REQUESTS, maxSeconds: WARMUP_MAX_SECONDS });
    }

    const runs = new Map<string, { reps: RunResult[]; cpu: number[]; rss: number }>();
    const serverCpuBefore = [...servers.values()].reduce((sum, s) => sum + s.cpuMs(), 0);
    const loadBefore = loadavg()[0] ?? Number.NaN;
    const ownCpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    for (let round = 1; round <= rounds; round++) {
      for (const id of ids) {
        for (const connections of COMPARISON_CONNECTIONS) {
          for (const target of TARGETS) {
            const server = servers.get(target)!;
            const key = `${id}|${connections}|${target}`;
            const cell = runs.get(key) ?? { reps: [], cpu: [], rss: 0 };
            const sampleRss = target === INKQL_MODE && connections === MEMORY_CONNECTIONS;
            const cpuBefore = server.cpuMs();
            const run = await runLoad(requestOf(target, id), {
              connections,
              durationSeconds,
              onSample: sampleRss ? () => (cell.rss = Math.max(cell.rss, server.rssMb())) : undefined,
            });
            // The backlog a server still works off after the deadline stays out of the next cell.
            await probe({ url: server.url, body: bodyOf(target, id), headers: {} });
            cell.reps.push(run);
            cell.cpu.push((server.cpuMs() - cpuBefore) / (run.requests + 1));
            runs.set(key, cell);
            const failed = run.errors + run.non2xx + run.mismatches;
            log(`round ${round}/${rounds} ${id} c=${connections} ${target.padEnd(16)} ${run.reqPerSec.toFixed(0).padStart(6)} req/s  p99 ${run.p99} ms  errors ${failed}`);
          }
        }
      }
    }
    const wallMs = performance.now() - wallBefore;
    const ownCpu = process.cpuUsage(ownCpuBefore);
    const load: MachineLoad = {
      cores: cpus().length,
      loadBefore,
      loadAfter: loadavg()[0] ?? Number.NaN,
      loadGeneratorCores: (ownCpu.user + ownCpu.system) / 1000 / wallMs,
      serverCores: ([...servers.values()].reduce((sum, s) => sum + s.cpuMs(), 0) - serverCpuBefore) / wallMs,
    };

    const measurements: Measurement[] = [];
    const failures: string[] = [];
    for (const id of ids) {
      for (const connections of COMPARISON_CONNECTIONS) {
        for (const target of TARGETS) {
          const cell = runs.get(`${id}|${connections}|${target}`)!;
          const scenario = scenarioOf(target, id);
          const measurement: Measurement = {
            scenario: id,
            label: scenario.label,
            mode: target,
            scale: scale.name,
            posts: database.posts,
            connections,
            sqlPerRequest: target === POSTGRAPHILE_MODE ? null : await sqlCount(servers.get(target)!, bodyOf(target, id), debugToken),
            cpuMsPerRequest: median(cell.cpu),
            ...(cell.rss > 0 ? { rssMaxMb: cell.rss } : {}),
            reps: cell.reps,
            summary: summarise(cell.reps),
          };
          measurements.push(measurement);
          if (measurement.summary.errors > 0) failures.push(`${id} c=${connections} on ${target}: ${measurement.summary.errors} failed requests (errors, non-2xx or other data than the checked response)`);
        }
      }
    }
    return { measurements, load, verdict: busyVerdict(load), postgraphileNode, failures };
  } finally {
    for (const server of servers.values()) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

