import { COMPARISON_CONNECTIONS, INKQL_MODE, TRUSTED_MODE } from './postgraphile-comparison.ts';
import { POSTGRAPHILE_MODE } from './scenarios.ts';
import { findMeasurement, type Measurement } from './summarise.ts';

// The speed targets, each one named constant (measured at the main scale, c = 10).
// The req/s targets are PostGraphile 5's figures on the machine they were first measured on; the run
// also measures PostGraphile 5 itself beside inkql, the comparison no machine change can skew.
export const TARGET_REQ_PER_SEC: Readonly<Record<string, number>> = { A: 1320, B: 420, C: 370 };
/** inkql's req/s over PostGraphile 5's in every cell of the comparison, trusted documents off and on. */
export const MIN_OVER_POSTGRAPHILE = 1.5;
export const MAX_SQL_PER_REQUEST = 3;
export const MIN_BATCHED_OVER_NAIVE_B = 6;
export const MAX_DEEP_PAGE_P50_RATIO = 1.2;
export const MIN_CACHED_STATS_RATIO = 50;
export const MAX_RSS_MB = 200;
/** Scenario G: A answered from a warm response cache against A missing it every time. */
export const MIN_WARM_OVER_COLD_A = 5;

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured in this run (e.g. no cache yet). */
  readonly pass: boolean | undefined;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function checkTargets(measurements: readonly Measurement[], scale: string, connections: number): TargetCheck[] {
  const get = (scenario: string, mode: string, c = connections) => findMeasurement(measurements, { scenario, mode, scale, connections: c });
  const checks: TargetCheck[] = [];
  for (const [scenario, target] of Object.entries(TARGET_REQ_PER_SEC)) {
    const m = get(scenario, 'batched');
    for (const c of COMPARISON_CONNECTIONS) {
      const postgraphile = get(scenario, POSTGRAPHILE_MODE, c);
      for (const mode of [INKQL_MODE, TRUSTED_MODE]) {
        const cell = get(scenario, mode, c);
        checks.push(
          ratioCheck(`${scenario} ${mode} >= ${MIN_OVER_POSTGRAPHILE}x ${POSTGRAPHILE_MODE} (c=${c})`, cell, postgraphile, (r) => r >= MIN_OVER_POSTGRAPHILE, 'reqPerSec'),
          ratioCheck(`${scenario} ${mode} p99 <= ${POSTGRAPHILE_MODE}'s (c=${c})`, cell, postgraphile, (r) => r <= 1, 'p99'),
        );
      }
    }
    checks.push({
      target: `${scenario} batched >= ${fmt(target)} req/s (c=${connections}, PostGraphile 5's reference figure)`,
      measured: m ? `${fmt(m.summary.reqPerSec)} req/s` : 'not measured',
      pass: m ? m.summary.reqPerSec >= target && m.summary.errors === 0 : undefined,
    });
    checks.push({
      target: `${scenario} batched <= ${MAX_SQL_PER_REQUEST} SQL statements per request`,
      measured: m?.sqlPerRequest != null ? String(m.sqlPerRequest) : 'not measured',
      pass: m?.sqlPerRequest != null ? m.sqlPerRequest <= MAX_SQL_PER_REQUEST : undefined,
    });
  }
  const batchedB = get('B', 'batched');
  const naiveB = get('B', 'naive');
  checks.push(ratioCheck(`B batched / naive >= ${MIN_BATCHED_OVER_NAIVE_B}x`, batchedB, naiveB, (r) => r >= MIN_BATCHED_OVER_NAIVE_B, 'reqPerSec'));
  checks.push(
    ratioCheck(`E page 1000 p50 <= ${MAX_DEEP_PAGE_P50_RATIO}x page 1 p50`, get('E', 'page 1000'), get('E', 'page 1'), (r) => r <= MAX_DEEP_PAGE_P50_RATIO, 'p50'),
  );
  checks.push(ratioCheck(`D cached stats >= ${MIN_CACHED_STATS_RATIO}x uncached`, get('D', 'cached'), get('D', 'uncached'), (r) => r >= MIN_CACHED_STATS_RATIO, 'reqPerSec'));
  checks.push(ratioCheck(`G A warm >= ${MIN_WARM_OVER_COLD_A}x A cold (response cache)`, get('G', 'A warm'), get('G', 'A cold'), (r) => r >= MIN_WARM_OVER_COLD_A, 'reqPerSec'));
  checks.push(ratioCheck('G read-mostly mix faster with the response cache on than off', get('G', 'mix on'), get('G', 'mix off'), (r) => r > 1, 'reqPerSec'));
  const memory = measurements.find((m) => m.rssMaxMb !== undefined && m.scale === scale);
  checks.push({
    target: `server RSS under c=${memory?.connections ?? 50} <= ${MAX_RSS_MB} MB`,
    measured: memory?.rssMaxMb !== undefined ? `${fmt(memory.rssMaxMb)} MB peak (${memory.scenario} ${memory.mode})` : 'not measured',
    pass: memory?.rssMaxMb !== undefined ? memory.rssMaxMb <= MAX_RSS_MB : undefined,
  });
  return checks;
}

function ratioCheck(
  target: string,
  m: Measurement | undefined,
  base: Measurement | undefined,
  ok: (ratio: number) => boolean,
  metric: 'reqPerSec' | 'p50' | 'p99',
): TargetCheck {
  if (!m || !base) return { target, measured: 'not measured', pass: undefined };
  const ratio = m.summary[metric] / base.summary[metric];
  const unit = metric === 'reqPerSec' ? 'req/s' : 'ms';
  return {
    target,
    measured: `${fmt(ratio, 2)}x (${fmt(m.summary[metric], 1)} vs ${fmt(base.summary[metric], 1)} ${unit})`,
    pass: ok(ratio) && m.summary.errors === 0 && base.summary.errors === 0,
  };
}
