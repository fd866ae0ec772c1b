import { formatSpread, spreadOf } from './spread.ts';
import { findMeasurement, type Measurement } from './summarise.ts';

// Pure: the PostGraphile comparison as a Markdown table, one row per scenario and concurrency.

export interface ComparisonColumns {
  /** inkql as `npm start` runs it, trusted documents off. */
  readonly inkql: string;
  /** The same with trusted documents enforced, requests by documentId. */
  readonly trusted: string;
  readonly postgraphile: string;
}

const ratio = (a: Measurement | undefined, b: Measurement | undefined) =>
  a && b && b.summary.reqPerSec > 0 ? `${(a.summary.reqPerSec / b.summary.reqPerSec).toFixed(2)}x` : '-';

/**
 * req/s and p99 of each cell as the median of its rounds with their min–max; the ratios are of the
 * medians; errors count every failed request of every round of the row's three cells.
 */
export function comparisonTable(measurements: readonly Measurement[], columns: ComparisonColumns): string {
  const cells = measurements.filter((m) => m.mode === columns.inkql);
  const rows = cells
    .map((m) => ({ scenario: m.scenario, label: m.label, scale: m.scale, connections: m.connections }))
    .sort((a, b) => a.scenario.localeCompare(b.scenario) || a.connections - b.connections);
  const lines = [
    `| scenario | c | inkql req/s | trusted req/s | PostGraphile req/s | inkql / PG | trusted / PG | inkql p99 ms | trusted p99 ms | PostGraphile p99 ms | errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const get = (mode: string) => findMeasurement(measurements, { ...row, mode });
    const [plain, trusted, pg] = [get(columns.inkql), get(columns.trusted), get(columns.postgraphile)];
    const rps = (m: Measurement | undefined) => (m ? formatSpread(spreadOf(m.reps.map((r) => r.reqPerSec))) : '-');
    const p99 = (m: Measurement | undefined) => (m ? formatSpread(spreadOf(m.reps.map((r) => r.p99)), 1) : '-');
    const errors = [plain, trusted, pg].reduce((n, m) => n + (m?.summary.errors ?? 0), 0);
    lines.push(
      `| ${row.scenario} ${row.label} | ${row.connections} | ${rps(plain)} | ${rps(trusted)} | ${rps(pg)} | ${ratio(plain, pg)} | ${ratio(trusted, pg)} | ` +
        `${p99(plain)} | ${p99(trusted)} | ${p99(pg)} | ${errors} |`,
    );
  }
  return lines.join('\n');
}
