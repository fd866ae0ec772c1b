// Pure: turns repetitions of one load run into the figures the report shows.

/** One autocannon run (one repetition). Latencies in ms. */
export interface RunResult {
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** Responses with a status outside 2xx. */
  readonly non2xx: number;
  /** 2xx responses whose body failed the check (a GraphQL `errors` field, wrong data). */
  readonly mismatches: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
}

export interface Summary {
  /** Median over the repetitions (the median resists one repetition disturbed by a neighbour). */
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** Every failed request of every repetition: a result counts only when this is 0. */
  readonly errors: number;
  readonly requests: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A repetition in which no request completed failed as a whole: it counts as one error. */
export function failedRequests(run: RunResult): number {
  return run.non2xx + run.mismatches + run.errors + (run.requests === 0 ? 1 : 0);
}

export function summarise(reps: readonly RunResult[]): Summary {
  return {
    reqPerSec: median(reps.map((r) => r.reqPerSec)),
    p50: median(reps.map((r) => r.p50)),
    p90: median(reps.map((r) => r.p90)),
    p99: median(reps.map((r) => r.p99)),
    errors: reps.reduce((sum, r) => sum + failedRequests(r), 0),
    requests: reps.reduce((sum, r) => sum + r.requests, 0),
  };
}

/** One scenario in one mode at one size: what the JSON, the table and the charts are made of. */
export interface Measurement {
  readonly scenario: string;
  /** The operation, as the table shows it. */
  readonly label: string;
  readonly mode: string;
  readonly scale: string;
  readonly posts: number;
  readonly connections: number;
  /** From one traced request of the same scenario and mode (null: no trace was available). */
  readonly sqlPerRequest: number | null;
  /**
   * Server process CPU time per completed request (median over the repetitions): throughput on a
   * shared machine depends on the neighbours, the CPU a request costs much less.
   */
  readonly cpuMsPerRequest: number;
  /** Peak resident memory of the server process during the repetitions, when sampled. */
  readonly rssMaxMb?: number;
  /** The mode this one is compared with in the ratio column (same scenario, scale, connections). */
  readonly baselineMode?: string;
  readonly reps: readonly RunResult[];
  readonly summary: Summary;
}

export function measurementKey(m: Pick<Measurement, 'scenario' | 'mode' | 'scale' | 'connections'>): string {
  return `${m.scenario}|${m.mode}|${m.scale}|c${m.connections}`;
}

export function findMeasurement(
  measurements: readonly Measurement[],
  query: Pick<Measurement, 'scenario' | 'mode' | 'scale' | 'connections'>,
): Measurement | undefined {
  const key = measurementKey(query);
  return measurements.find((m) => measurementKey(m) === key);
}

/** Throughput relative to the baseline mode (e.g. batched / naive); undefined without one. */
export function ratioToBaseline(measurements: readonly Measurement[], m: Measurement): number | undefined {
  if (!m.baselineMode) return undefined;
  const baseline = findMeasurement(measurements, { ...m, mode: m.baselineMode });
  if (!baseline || baseline.summary.reqPerSec === 0) return undefined;
  return m.summary.reqPerSec / baseline.summary.reqPerSec;
}
