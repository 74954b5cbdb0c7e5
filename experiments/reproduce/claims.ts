// Shared by the papers' reproductions: a claim checked against what we measured, and the
// summary.md that puts each claim beside our figure, written with the benchmark's own outputs.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchmarkFiles, writeBenchmark } from '../../jobs/benchmark/output.js';
import { benchmarkTable } from '../../jobs/benchmark/report.js';
import type { BenchmarkResult, PolicyResult } from '../../jobs/benchmark/run.js';

/** One of a paper's claims and what we measured for it. */
export interface Claim {
  /** The claim in the paper's words (or close to them). */
  paper: string;
  /** What we measured, with its interval. */
  ours: string;
  agrees: boolean;
}

export interface Reproduction {
  experiment: string;
  title: string;
  /** How it was run: seeds, horizons, which agent. */
  setup: string;
  results: BenchmarkResult[];
  /** Folder and heading of each result when there are several (default 0, 1, …). */
  runNames?: string[];
  claims: Claim[];
  /** Markdown blocks placed after the claims, before each run's table. */
  sections?: string[];
  /** Writes the experiment's own files (e.g. time series and their charts) into its folder; returns their paths. */
  write?: (dir: string) => Promise<string[]>;
}

export interface ReproductionFiles {
  summary: string;
  benchmarks: BenchmarkFiles[];
  /** What the experiment's own `write` wrote. */
  extra: string[];
}

/** The shipped agents' folder (experiments/pretrained/), from dist/ or from the source tree. */
export function pretrainedDir(name: string): string {
  for (const relative of ['../../../experiments/pretrained/', '../pretrained/']) {
    const dir = fileURLToPath(new URL(`${relative}${name}/`, import.meta.url));
    if (fs.existsSync(dir)) return dir;
  }
  throw new Error(`the shipped agent experiments/pretrained/${name}/ is missing from this installation`);
}

/** A policy's result by name (the agent is named after its algorithm and folder, e.g. a2c:ecsrl-a2c). */
export function policyNamed(result: BenchmarkResult, name: string): PolicyResult {
  const found = result.policies.find((p) => p.name === name || p.spec === name);
  if (found === undefined) throw new Error(`no policy ${JSON.stringify(name)} in the ${result.env} benchmark (${result.policies.map((p) => p.name).join(', ')})`);
  if (found.failure !== null) throw new Error(`${found.name} failed at episode ${found.failure.episode}, step ${found.failure.step}: ${found.failure.message}`);
  return found;
}

/** `mean ± ci` of one metric of one policy. */
export function meanCi(p: PolicyResult, metric: string, digits = 3): string {
  const s = p.summaries[metric];
  return `${s.mean.toFixed(digits)} ± ${Number.isNaN(s.ci95) ? '–' : s.ci95.toFixed(digits)}`;
}

/** Writes each benchmark into `out/<experiment>/<k>/` and `out/<experiment>/summary.md`. */
export async function writeReproduction(r: Reproduction, out: string): Promise<ReproductionFiles> {
  const dir = path.join(out, r.experiment);
  const benchmarks: BenchmarkFiles[] = [];
  const runName = (k: number): string => r.runNames?.[k] ?? String(k);
  for (const [k, result] of r.results.entries()) benchmarks.push(await writeBenchmark(result, path.join(dir, r.results.length === 1 ? '.' : runName(k))));
  const extra = (await r.write?.(dir)) ?? [];
  const lines = [
    `# ${r.title}`,
    '',
    r.setup,
    '',
    '| the paper | we measured | agrees |',
    '| --- | --- | --- |',
    ...r.claims.map((c) => `| ${cell(c.paper)} | ${cell(c.ours)} | ${c.agrees ? 'yes' : '**no**'} |`),
    '',
    ...(r.sections ?? []).flatMap((s) => [s, '']),
    ...r.results.flatMap((result, k) => [`## ${r.results.length === 1 ? 'Results' : `Run ${runName(k)}`}: ${result.env} ${JSON.stringify(result.kwargs)}`, '', benchmarkTable(result), '']),
  ];
  const summary = path.join(dir, 'summary.md');
  fs.writeFileSync(summary, `${lines.join('\n')}\n`);
  return { summary, benchmarks, extra };
}

/** Text for a Markdown table cell: a `|` inside it would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
