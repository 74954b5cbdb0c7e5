// Writes a benchmark's files into one folder: the Markdown table, per-episode CSV and Arrow, the
// whole result as JSON, one SVG chart per metric under charts/, and where the env declares window
// metrics their means over time as windows.csv and charts/window-<metric>.svg.

import fs from 'node:fs';
import path from 'node:path';
import { Field, Float64, Int32, Schema, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { benchmarkCharts, windowCharts } from './charts.js';
import { benchmarkCsv, benchmarkTable, windowsCsv } from './report.js';
import { type BenchmarkResult, valueOf } from './run.js';
import { makeDirs } from '../../src/make-dirs.js';

/** The paths written, for the command to print. */
export interface BenchmarkFiles {
  table: string;
  csv: string;
  arrow: string;
  json: string;
  charts: string[];
  /** windows.csv, or null when the env declares no window metrics. */
  windows: string | null;
  windowCharts: string[];
}

/** Per-episode results as an Arrow IPC file: one row per (policy, episode), null where a metric is missing. */
export function benchmarkArrow(result: BenchmarkResult): Uint8Array {
  const episodes = result.policies.flatMap((p) => p.episodes);
  const keys = result.metrics.slice(1);
  const fields = [new Field('policy', new Utf8()), new Field('episode', new Int32()), new Field('seed', new Float64()), new Field('return', new Float64()), new Field('length', new Int32()), ...keys.map((k) => new Field(k, new Float64(), true))];
  const metadata = new Map([
    ['edgegym.env_id', result.env],
    ['edgegym.env_kwargs', JSON.stringify(result.kwargs)],
    ['edgegym.seed', String(result.seed)],
    ['edgegym.seeds', String(result.seeds)],
  ]);
  const columns = [
    vectorFromArray(episodes.map((e) => e.policy), new Utf8()),
    vectorFromArray(episodes.map((e) => e.episode), new Int32()),
    vectorFromArray(episodes.map((e) => e.seed), new Float64()),
    vectorFromArray(episodes.map((e) => e.return), new Float64()),
    vectorFromArray(episodes.map((e) => e.length), new Int32()),
    ...keys.map((k) => vectorFromArray(episodes.map((e) => (Number.isNaN(valueOf(e, k)) ? null : valueOf(e, k))), new Float64())),
  ];
  const schema = new Schema(fields, metadata);
  const table = new Table(schema, Object.fromEntries(fields.map((f, i) => [f.name, columns[i]])));
  return tableToIPC(table, 'file');
}

/** Writes every output into `dir` (created if needed) and returns the paths. */
export async function writeBenchmark(result: BenchmarkResult, dir: string): Promise<BenchmarkFiles> {
  const chartsDir = path.join(dir, 'charts');
  makeDirs(chartsDir);
  const files: BenchmarkFiles = {
    table: path.join(dir, 'results.md'),
    csv: path.join(dir, 'episodes.csv'),
    arrow: path.join(dir, 'episodes.arrow'),
    json: path.join(dir, 'results.json'),
    charts: [],
    windows: result.windows === null ? null : path.join(dir, 'windows.csv'),
    windowCharts: [],
  };
  fs.writeFileSync(files.table, benchmarkTable(result));
  fs.writeFileSync(files.csv, benchmarkCsv(result));
  fs.writeFileSync(files.arrow, benchmarkArrow(result));
  fs.writeFileSync(files.json, `${JSON.stringify(result, null, 2)}\n`);
  for (const [metric, svg] of await benchmarkCharts(result)) {
    const file = path.join(chartsDir, `${metric.replace(/[^\w.-]+/g, '_')}.svg`);
    fs.writeFileSync(file, svg);
    files.charts.push(file);
  }
  if (files.windows !== null) {
    fs.writeFileSync(files.windows, windowsCsv(result));
    for (const [metric, svg] of await windowCharts(result)) {
      const file = path.join(chartsDir, `window-${metric.replace(/[^\w.-]+/g, '_')}.svg`);
      fs.writeFileSync(file, svg);
      files.windowCharts.push(file);
    }
  }
  return files;
}
