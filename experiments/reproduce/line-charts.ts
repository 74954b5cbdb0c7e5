// Line charts for the reproductions' figures: a ratio over time or over the arrival rate, one
// line per policy, the agent drawn thicker. Vega-Lite specs, rendered by the benchmark's renderSvg.

import type { TopLevelSpec } from 'vega-lite';

export interface LineChart {
  title: string;
  subtitle: string;
  /** The y axis: a ratio in [0, 1], shown in %. */
  yTitle: string;
  /** The policy drawn thicker (the agent). */
  highlight: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function policyEncoding(chart: LineChart) {
  return {
    color: { field: 'policy', type: 'nominal' as const, title: null, sort: null },
    strokeWidth: { condition: { test: `datum.policy === ${JSON.stringify(chart.highlight)}`, value: 3 }, value: 1.2 },
  };
}

/** What every chart here shares: schema, titles, size and the rows. */
function frame(chart: LineChart, rows: readonly object[]) {
  return {
    $schema: SCHEMA,
    title: { text: chart.title, subtitle: chart.subtitle },
    width: 520,
    height: 260,
    data: { values: rows.map((r) => ({ ...r })) },
  };
}

/** A ratio per window (mean over seeds) against the window's end time. */
export function overTimeSpec(chart: LineChart, rows: readonly { policy: string; endS: number; mean: number }[]): TopLevelSpec {
  return {
    ...frame(chart, rows),
    mark: { type: 'line', interpolate: 'linear' },
    encoding: {
      x: { field: 'endS', type: 'quantitative', title: 'simulated time (s)' },
      y: { field: 'mean', type: 'quantitative', title: chart.yTitle, axis: { format: '%' }, scale: { domain: [0, 1] } },
      ...policyEncoding(chart),
    },
  };
}

/** A ratio per arrival rate: each policy's mean over episodes, with its 95 % CI as a whisker. */
export function byRateSpec(chart: LineChart, rows: readonly { policy: string; rate: number; mean: number; low: number; high: number }[]): TopLevelSpec {
  const x = { field: 'rate', type: 'quantitative' as const, title: 'λ (clients/min per antenna)' };
  const y = { field: 'mean', type: 'quantitative' as const, title: chart.yTitle, axis: { format: '%' }, scale: { domain: [0, 1] } };
  return {
    ...frame(chart, rows),
    layer: [
      { mark: 'line', encoding: { x, y, ...policyEncoding(chart) } },
      { mark: { type: 'point', filled: true }, encoding: { x, y, color: policyEncoding(chart).color } },
      { mark: 'rule', encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: policyEncoding(chart).color } },
    ],
  };
}
