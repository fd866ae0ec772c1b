import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Measurement } from './summarise.ts';

// SVG charts rendered in Node by vega-lite -> vega (renderer "none": no canvas, no browser).

export function modesChartSpec(rows: readonly Measurement[], title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows.map((m) => ({ scenario: `${m.scenario} ${m.label}`, mode: m.mode, reqPerSec: Math.round(m.summary.reqPerSec) })) },
    facet: { column: { field: 'scenario', type: 'nominal', title: null, header: { labelFontSize: 10, labelLimit: 220 } } },
    // Scenarios differ by orders of magnitude (cached stats vs a 100-post page): one y scale each.
    resolve: { scale: { y: 'independent', x: 'independent' } },
    spec: {
      width: 110,
      height: 220,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'mode', type: 'nominal', sort: null, title: null, axis: { labelAngle: -40 } },
            y: { field: 'reqPerSec', type: 'quantitative', title: 'req/s' },
            color: { field: 'mode', type: 'nominal', legend: null },
          },
        },
        {
          mark: { type: 'text', dy: -6, fontSize: 9 },
          encoding: {
            x: { field: 'mode', type: 'nominal', sort: null },
            y: { field: 'reqPerSec', type: 'quantitative' },
            text: { field: 'reqPerSec', type: 'quantitative' },
          },
        },
      ],
    },
  } as TopLevelSpec;
}

export function scaleChartSpec(rows: readonly Measurement[], title: string): TopLevelSpec {
  const latency = rows.flatMap((m) => [
    { scenario: m.scenario, posts: m.posts, percentile: 'p50', ms: m.summary.p50 },
    { scenario: m.scenario, posts: m.posts, percentile: 'p99', ms: m.summary.p99 },
  ]);
  const sql = rows.map((m) => ({ scenario: m.scenario, posts: m.posts, sql: m.sqlPerRequest }));
  const x = { field: 'posts', type: 'quantitative', scale: { type: 'log' }, title: 'posts in the database' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    hconcat: [
      {
        width: 300,
        height: 220,
        data: { values: latency },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
          color: { field: 'scenario', type: 'nominal' },
          strokeDash: { field: 'percentile', type: 'nominal' },
        },
      },
      {
        width: 200,
        height: 220,
        data: { values: sql },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'sql', type: 'quantitative', title: 'SQL statements per request', scale: { domainMin: 0 } },
          color: { field: 'scenario', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
