// The main job (`npm start`, `edgegym quickstart`): trains an A2C dispatcher on ECSRL's test-bed,
// exports it to ONNX, benchmarks it paired against every baseline on held-out seeds with step logs,
// and writes a learning curve and a summary.md that says whether it beat the best baseline.

import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import '../envs/index.js';
import { type ExportResult } from '../agents/export.js';
import { baselineNames } from '../envs/baselines.js';
import { renderSvg } from './benchmark/charts.js';
import { type BenchmarkFiles, writeBenchmark } from './benchmark/output.js';
import { benchmarkTable } from './benchmark/report.js';
import { benchmark, type BenchmarkResult, type PolicyResult } from './benchmark/run.js';
import { exportPolicy } from './export.js';
import { type TrainProgress, type TrainSummary, train } from './train.js';
import { formatSummary, pairedVerdict } from '../src/stats.js';
import { makeDirs } from '../src/make-dirs.js';
import { writeAtomically } from './run-folder.js';

/** The flagship scenario: Dispatch-v0's default, ecsrl-testbed, where edge-first is hard to beat. */
export const QUICKSTART_ENV = 'EdgeSched/Dispatch-v0';

export interface QuickstartOptions {
  /** Folder for everything (agent/, benchmark/, replay/, charts/, summary.md). */
  out: string;
  /** Training steps (default 400,000: about two minutes on one core). */
  steps?: number;
  /** Held-out evaluation episodes (default 5), from `seed` (default 1000: training never sees seeds ≥ 1000). */
  seeds?: number;
  seed?: number;
  /** Start over in an `out` that holds a previous run. */
  force?: boolean;
  log?: (line: string) => void;
  onTrainProgress?: (p: TrainProgress) => void;
  /** Called after each benchmark episode (policy name, done, total). */
  onEpisode?: (policy: string, done: number, total: number) => void;
}

export interface QuickstartResult {
  train: TrainSummary;
  onnx: ExportResult;
  benchmark: BenchmarkResult;
  /** The agent's row of the benchmark. */
  agent: PolicyResult;
  files: { summary: string; policy: string; checkpoint: string | null; onnx: string; learningCurve: string; replay: string } & BenchmarkFiles;
}

const AGENT_SEED = 1;

/** Runs the whole job; each step's files are on disk before the next starts. */
export async function quickstart(options: QuickstartOptions): Promise<QuickstartResult> {
  const out = path.resolve(options.out);
  const log = options.log ?? ((): void => {});
  const steps = options.steps ?? 400_000;
  const seeds = options.seeds ?? 5;
  const seed = options.seed ?? 1000;
  if (fs.existsSync(path.join(out, 'summary.md')) && options.force !== true) {
    throw new RangeError(`${out} holds a previous quickstart (summary.md); pass --force to start over`);
  }
  makeDirs(out);
  fs.rmSync(path.join(out, 'summary.md'), { force: true });
  const agentDir = path.join(out, 'agent');
  const replayDir = path.join(out, 'replay');
  // A second run must not read the first one's step logs as its own.
  fs.rmSync(replayDir, { recursive: true, force: true });

  // Four checkpoints along the way (8 envs × 5 steps per A2C update), so the run can be resumed.
  const updates = Math.max(1, Math.floor(steps / 40));
  const trained = await train({
    env: QUICKSTART_ENV, algo: 'a2c', steps, seed: AGENT_SEED, out: agentDir, force: true, backend: 'auto',
    hyper: { normObs: true }, checkpointEvery: Math.max(1, Math.ceil(updates / 4)), keep: 1,
    log, onProgress: options.onTrainProgress,
  });
  const policyDir = trained.policy as string;
  const onnx = await exportPolicy({ checkpoint: policyDir, format: 'onnx', out: path.join(agentDir, 'policy.onnx') });
  log(`onnx: ${onnx.path}`);

  const baselines = baselineNames(QUICKSTART_ENV).filter((n) => n !== 'random');
  const policies = [policyDir, ...baselines];
  const done = new Map<string, number>();
  const result = await benchmark({
    env: QUICKSTART_ENV, policies, seeds, seed, replay: replayDir, workers: availableParallelism(),
    onEpisode: (e) => {
      done.set(e.policy, (done.get(e.policy) ?? 0) + 1);
      options.onEpisode?.(e.policy, [...done.values()].reduce((a, b) => a + b, 0), policies.length * seeds);
    },
  });
  const files = await writeBenchmark(result, path.join(out, 'benchmark'));
  const agent = result.policies[0];

  const chartsDir = path.join(out, 'charts');
  makeDirs(chartsDir);
  const learningCurve = path.join(chartsDir, 'learning-curve.svg');
  fs.writeFileSync(learningCurve, await renderSvg(learningCurveSpec(path.join(agentDir, 'metrics.csv'), result)));

  const summary = path.join(out, 'summary.md');
  const all = { summary, policy: policyDir, checkpoint: trained.checkpoint, onnx: onnx.path, learningCurve, replay: replayDir, ...files };
  writeAtomically(summary, summaryMarkdown(trained, result, agent, all, out));
  return { train: trained, onnx, benchmark: result, agent, files: all };
}

/**
 * Mean return of the last 20 training episodes against steps, with the best baseline's held-out
 * mean as a rule. Updates before the first finished episode have no return (an empty CSV cell):
 * they are left out, never drawn as 0.
 */
export function learningCurveSpec(metricsCsv: string, result: BenchmarkResult): TopLevelSpec {
  const [header, ...rows] = fs.readFileSync(metricsCsv, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const step = columns.indexOf('global_step');
  const ret = columns.indexOf('episodic_return_last20');
  // About 200 points keep the SVG small; the CSV has every update.
  const every = Math.max(1, Math.floor(rows.length / 200));
  const values = rows
    .filter((_, i) => i % every === 0 || i === rows.length - 1)
    .map((r) => r.split(','))
    .map((c) => ({ step: Number(c[step]), return: c[ret] === '' ? NaN : Number(c[ret]) }))
    .filter((v) => Number.isFinite(v.return));
  const reference = result.policies.find((p) => p.name === result.reference);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `A2C on ${result.env}: training return`, subtitle: reference === undefined ? 'mean of the last 20 episodes' : `mean of the last 20 episodes; dashed: ${reference.name} on the held-out seeds` },
    width: 480,
    height: 240,
    layer: [
      { data: { values }, mark: 'line', encoding: { x: { field: 'step', type: 'quantitative', title: 'env steps' }, y: { field: 'return', type: 'quantitative', title: 'return', scale: { zero: false } } } },
      ...(reference === undefined ? [] : [{ data: { values: [{ y: reference.summaries.return.mean }] }, mark: { type: 'rule' as const, strokeDash: [6, 4] }, encoding: { y: { field: 'y', type: 'quantitative' as const } } }]),
    ],
  } as TopLevelSpec;
}

/** The verdict in one sentence: beats, loses to or ties the best baseline, by the paired CI. */
export function verdict(agent: PolicyResult, reference: string | null): string {
  const d = agent.paired;
  if (agent.failure !== null) return `the agent failed: ${agent.failure.message}`;
  if (reference === null || d === null) return 'no baseline to compare against';
  const diff = `${formatSummary(d, 1)} per episode (paired 95 % CI, ${d.wins} wins / ${d.losses} losses)`;
  const said = pairedVerdict(d);
  if (said === 'beats') return `the agent beats ${reference}, the best baseline, by ${diff}`;
  if (said === 'loses') return `the agent loses to ${reference}, the best baseline, by ${diff}`;
  return `the agent ties ${reference}, the best baseline: ${diff}, an interval that holds 0`;
}

function summaryMarkdown(t: TrainSummary, result: BenchmarkResult, agent: PolicyResult, files: QuickstartResult['files'], out: string): string {
  const rel = (p: string | null): string => (p === null ? '—' : path.relative(out, p) || '.');
  return [
    `# Quickstart: A2C on ${t.env}`,
    '',
    `Trained ${t.steps.toLocaleString('en-US')} steps (seed ${t.seed}, ${t.numEnvs} envs, backend ${t.backend}) in ${t.trainSeconds.toFixed(0)} s; evaluated greedily on ${result.seeds} held-out seeds from ${result.seed}, every policy on the same arrivals.`,
    '',
    `**Result:** ${verdict(agent, result.reference)}.`,
    '',
    benchmarkTable(result).split('\n').slice(2).join('\n').trim(),
    '',
    '## Files',
    '',
    `- policy (a checkpoint, \`edgegym eval --policy\` loads it): \`${rel(files.policy)}\``,
    `- latest training checkpoint (\`edgegym train --resume\`): \`${rel(files.checkpoint)}\``,
    `- ONNX export: \`${rel(files.onnx)}\``,
    `- step logs, Arrow (\`edgegym replay ${rel(files.replay)}/<policy> --summary\`): \`${rel(files.replay)}/\``,
    `- learning curve: \`${rel(files.learningCurve)}\`; benchmark charts: \`${rel(path.dirname(files.charts[0] ?? files.table))}/\``,
    `- per-episode results: \`${rel(files.csv)}\`, \`${rel(files.arrow)}\`; table: \`${rel(files.table)}\``,
    '',
  ].join('\n');
}
