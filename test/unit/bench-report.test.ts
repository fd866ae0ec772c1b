import { describe, expect, it } from 'vitest';
import { PERFORMANCE_DOC, PUBLISHED_CHARTS, publishRefusal, RESULTS_DIR, runFiles, type RunOutputs } from '../../bench/publish.ts';
import { PUBLISHED_END, PUBLISHED_START, tableRow } from '../../bench/report.ts';
import { failedRequests, type Measurement, median, ratioToBaseline, type RunResult, summarise } from '../../bench/summarise.ts';
import { checkTargets } from '../../bench/targets.ts';

const run = (reqPerSec: number, extra: Partial<RunResult> = {}): RunResult => ({
  requests: reqPerSec * 3,
  reqPerSec,
  p50: 1000 / reqPerSec,
  p90: 2000 / reqPerSec,
  p99: 3000 / reqPerSec,
  non2xx: 0,
  mismatches: 0,
  errors: 0,
  ...extra,
});

function measurement(scenario: string, mode: string, reps: RunResult[], extra: Partial<Measurement> = {}): Measurement {
  return {
    scenario,
    label: scenario,
    mode,
    scale: '100k',
    posts: 100_000,
    connections: 10,
    sqlPerRequest: 3,
    cpuMsPerRequest: 1,
    reps,
    summary: summarise(reps),
    ...extra,
  };
}

describe('bench statistics', () => {
  it('takes the median of an odd and an even number of values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('counts non-2xx, body mismatches, connection errors and empty repetitions as failed requests', () => {
    expect(failedRequests(run(100, { non2xx: 1, mismatches: 2, errors: 3 }))).toBe(6);
    expect(failedRequests(run(0))).toBe(1);
  });

  it('summarises repetitions by their median and sums their failures', () => {
    const summary = summarise([run(100), run(300, { mismatches: 1 }), run(200)]);
    expect(summary.reqPerSec).toBe(200);
    expect(summary.errors).toBe(1);
    expect(summary.requests).toBe(1800);
  });

  it('relates throughput to the baseline mode of the same scenario, scale and concurrency', () => {
    const naive = measurement('B', 'naive', [run(50)]);
    const batched = measurement('B', 'batched', [run(400)], { baselineMode: 'naive' });
    const other = measurement('B', 'batched', [run(100)], { baselineMode: 'naive', connections: 50 });
    expect(ratioToBaseline([naive, batched, other], batched)).toBe(8);
    expect(ratioToBaseline([naive, batched, other], other)).toBeUndefined();
    expect(tableRow([naive, batched], batched)).toContain('| 8.00x naive |');
  });
});

describe('bench targets', () => {
  it('passes B batched over naive only at 6x or more, and leaves unmeasured targets open', () => {
    const checks = checkTargets(
      [measurement('B', 'naive', [run(70)]), measurement('B', 'batched', [run(420)], { baselineMode: 'naive' })],
      '100k',
      10,
    );
    const byName = (prefix: string) => checks.find((c) => c.target.startsWith(prefix));
    expect(byName('B batched / naive')?.pass).toBe(true);
    expect(byName('B batched >= 420')?.pass).toBe(true);
    expect(byName('A batched >= 1,320')?.pass).toBeUndefined();
    expect(byName('D cached')?.pass).toBeUndefined();
  });

  it('fails a throughput target whose run had errors', () => {
    const checks = checkTargets([measurement('A', 'batched', [run(2000, { non2xx: 1 })])], '100k', 10);
    expect(checks.find((c) => c.target.startsWith('A batched >= 1,320'))?.pass).toBe(false);
  });

  it('holds every cell to 1.5 times PostGraphile measured in the same run, and to its p99', () => {
    const checks = checkTargets(
      [
        measurement('A', 'batched', [run(1400)]),
        measurement('A', 'batched, trusted', [run(1600)]),
        measurement('A', 'PostGraphile 5', [run(1000)]),
        measurement('B', 'batched', [run(700)]),
        measurement('B', 'PostGraphile 5', [run(450)]),
        measurement('B', 'batched', [run(800)], { connections: 50 }),
        measurement('B', 'PostGraphile 5', [run(500, { p99: 3 })], { connections: 50 }),
      ],
      '100k',
      10,
    );
    const byName = (prefix: string) => checks.find((c) => c.target.startsWith(prefix));
    expect(byName('A batched >= 1.5x PostGraphile 5 (c=10)')).toMatchObject({ pass: false, measured: '1.40x (1,400.0 vs 1,000.0 req/s)' });
    expect(byName('A batched, trusted >= 1.5x PostGraphile 5 (c=10)')?.pass).toBe(true);
    expect(byName('B batched >= 1.5x PostGraphile 5 (c=10)')?.pass).toBe(true);
    expect(byName('B batched >= 1.5x PostGraphile 5 (c=50)')?.pass).toBe(true);
    expect(byName("B batched p99 <= PostGraphile 5's (c=50)")?.pass).toBe(false);
    expect(byName("B batched p99 <= PostGraphile 5's (c=10)")?.pass).toBe(true);
    expect(byName('C batched >= 1.5x PostGraphile 5 (c=10)')?.pass).toBeUndefined();
  });
});

describe('bench publishing', () => {
  const rows = [measurement('A', 'naive', [run(200)]), measurement('A', 'batched', [run(1700)], { baselineMode: 'naive' })];
  const outputs = (publish: boolean, performanceDoc?: string): RunOutputs => ({
    stamp: '2026-12-01T10-00',
    report: {
      machine: { cores: 2, cpuModel: 'test CPU', memoryGb: 8, node: '20.19.0', postgres: '15', os: 'Linux', loadAverage: 0.2 },
      settings: { date: '2026-12-01T10:00:00.000Z', durationSeconds: 3, warmupSeconds: 1, repetitions: 3, full: false },
      measurements: rows,
      modeRows: rows,
      scaleRows: rows.slice(1),
      checks: [],
      notes: [],
    },
    modesSvg: '<svg>modes</svg>',
    scaleSvg: '<svg>scale</svg>',
    publish,
    performanceDoc,
  });
  const page = `# Performance\n\nBefore.\n\n${PUBLISHED_START}\nan older run\n${PUBLISHED_END}\n\nAfter.\n`;

  it('writes a run only under bench/results/ unless asked to publish', () => {
    const paths = runFiles(outputs(false, page)).map((file) => file.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.startsWith(`${RESULTS_DIR}/`))).toEqual([]);
  });

  it('with --publish, rewrites the block of docs/performance.md and its two charts, and nothing else of the page', () => {
    const files = runFiles(outputs(true, page));
    const byPath = new Map(files.map((file) => [file.path, file.content]));
    expect(byPath.get(PUBLISHED_CHARTS.modes)).toBe('<svg>modes</svg>');
    expect(byPath.get(PUBLISHED_CHARTS.scale)).toBe('<svg>scale</svg>');
    const doc = byPath.get(PERFORMANCE_DOC)!;
    expect(doc.startsWith('# Performance\n\nBefore.\n\n')).toBe(true);
    expect(doc.endsWith('\n\nAfter.\n')).toBe(true);
    expect(doc).not.toContain('an older run');
    expect(doc).toContain('Run of 2026-12-01 10:00 UTC');
    expect(doc).toContain('| 1,700 |');
    expect(doc).toContain('](performance-modes.svg)');
    expect(doc).toContain('](performance-scale.svg)');
  });

  it('refuses to publish into a page without the markers', () => {
    expect(() => runFiles(outputs(true, '# Performance\n'))).toThrow('markers');
  });

  it('publishes only a whole run, not one narrowed to some scenarios or scales', () => {
    expect(publishRefusal({})).toBeUndefined();
    expect(publishRefusal({ only: 'A,B' })).toContain('--only');
    expect(publishRefusal({ scales: '1k' })).toContain('--scales');
  });
});
