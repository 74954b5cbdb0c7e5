// The benchmark's SVG charts: per metric, a bar per policy at its mean with the 95 % CI as a
// whisker, and where the env declares window metrics a line per policy over the episode's time.
// Vega-Lite describes each chart, Vega renders it headless in Node (no browser, no canvas).

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { metricDirection, windowRows } from './report.js';
import type { BenchmarkResult } from './run.js';

/** The Vega-Lite spec of one metric's bar chart; failed policies have no bar. */
export function barChartSpec(result: BenchmarkResult, metric: string): TopLevelSpec {
  const values = result.policies
    .filter((p) => p.failure === null && !Number.isNaN(p.summaries[metric].mean))
    .map((p) => {
      const s = p.summaries[metric];
      const half = Number.isNaN(s.ci95) ? 0 : s.ci95;
      return { policy: p.name, kind: p.baseline ? 'baseline' : 'policy', mean: s.mean, low: s.mean - half, high: s.mean + half };
    });
  const dir = metricDirection(metric);
  const title = `${metric}${dir > 0 ? ' (higher is better)' : dir < 0 ? ' (lower is better)' : ''}`;
  const x = { field: 'policy', type: 'nominal' as const, sort: null, axis: { labelAngle: -30, title: null } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `${result.env}, ${result.seeds} seeds from ${result.seed}, mean ± 95 % CI` },
    width: Math.max(160, 60 * values.length),
    height: 220,
    data: { values },
    layer: [
      { mark: 'bar', encoding: { x, y: { field: 'mean', type: 'quantitative', title: metric }, color: { field: 'kind', type: 'nominal', title: null } } },
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      { mark: { type: 'tick', thickness: 1.5, size: 12 }, encoding: { x, y: { field: 'low', type: 'quantitative' } } },
      { mark: { type: 'tick', thickness: 1.5, size: 12 }, encoding: { x, y: { field: 'high', type: 'quantitative' } } },
    ],
  };
}

/** Window metric `metric` over time: a line per finished policy through its mean over seeds at each window's end. */
export function windowChartSpec(result: BenchmarkResult, metric: string): TopLevelSpec {
  const windowS = (result.windows?.windowMs ?? NaN) / 1000;
  const values = windowRows(result).flatMap((row) => (Number.isNaN(row.values[metric]) ? [] : [{ policy: row.policy, time: row.timeS, value: row.values[metric] }]));
  const dir = metricDirection(metric);
  const title = `${metric} per ${windowS} s window${dir > 0 ? ' (higher is better)' : dir < 0 ? ' (lower is better)' : ''}`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `${result.env}, mean over ${result.seeds} seeds from ${result.seed}` },
    width: 420,
    height: 220,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'time (s) at the end of the window' },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: { field: 'policy', type: 'nominal', sort: null, title: null },
    },
  };
}

/** Renders a Vega-Lite spec to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One SVG per metric, keyed by metric name. */
export async function benchmarkCharts(result: BenchmarkResult): Promise<Map<string, string>> {
  const charts = new Map<string, string>();
  for (const metric of result.metrics) charts.set(metric, await renderSvg(barChartSpec(result, metric)));
  return charts;
}

/** One SVG per window metric (none when the env declares none), keyed by metric name. */
export async function windowCharts(result: BenchmarkResult): Promise<Map<string, string>> {
  const charts = new Map<string, string>();
  for (const metric of result.windows?.keys ?? []) charts.set(metric, await renderSvg(windowChartSpec(result, metric)));
  return charts;
}
