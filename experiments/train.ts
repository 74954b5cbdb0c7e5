// `edgegym train`: picks the tensor backend, builds the vector env, trains PPO or A2C with a
// progress line, writes metrics CSVs as it goes, and saves the policy into the run folder.

import fs from 'node:fs';
import path from 'node:path';
import '../envs/index.js';
import { A2C_DEFAULTS, type A2CConfig, trainA2C } from '../agents/a2c.js';
import { type BackendRequest, selectBackend } from '../agents/backend.js';
import { savePolicy } from '../agents/policy-io.js';
import { PPO_DEFAULTS, type PPOConfig, trainPPO } from '../agents/ppo.js';
import type { TrainedAgent, UpdateStats } from '../agents/training.js';
import type { Kwargs } from '../src/registry.js';
import { recordQueries } from '../envs/edge/query-log.js';
import { RecordReplayVector } from '../src/replay/record-replay.js';
import { makeVec, type VectorizationMode } from '../src/vector/make-vec.js';
import type { EpisodeStatistics } from '../src/wrappers/record-episode-statistics.js';

export type Algo = 'ppo' | 'a2c';

/**
 * Named hyper-parameter sets. `cleanrl` is PPO's default (CleanRL's ppo.py); `rl-zoo` is
 * rl-baselines3-zoo's tuned PPO for CartPole-v1 (solves it within 100k steps).
 */
export const PPO_PRESETS: Readonly<Record<string, Partial<PPOConfig> & { numEnvs?: number }>> = {
  cleanrl: {},
  'rl-zoo': { numEnvs: 8, numSteps: 32, numMinibatches: 1, updateEpochs: 20, gaeLambda: 0.8, gamma: 0.98, entCoef: 0, learningRate: 1e-3, annealLr: true, annealClip: true, clipVloss: false },
};

/** Sub-envs when not given: CleanRL's 4 for PPO, rl-zoo's 8 for A2C. */
export const DEFAULT_NUM_ENVS: Readonly<Record<Algo, number>> = { ppo: 4, a2c: 8 };

export interface TrainOptions {
  env: string;
  algo: Algo;
  /** Total env steps (all sub-envs counted). */
  steps: number;
  numEnvs?: number;
  seed: number;
  /** Run folder for metrics.csv, episodes.csv, run.json and policy/; null writes nothing. */
  out: string | null;
  backend: BackendRequest;
  /** A PPO preset name (see PPO_PRESETS), applied before `hyper`. */
  preset?: string;
  /** Hyper-parameters overriding the algorithm's defaults. */
  hyper?: Partial<PPOConfig> | Partial<A2CConfig>;
  kwargs?: Kwargs;
  vectorizationMode?: VectorizationMode;
  /** Receives the progress lines; default: none. */
  log?: (line: string) => void;
  /** Seconds between progress lines (default 1; the last update always prints). */
  progressSeconds?: number;
  /** Write a step log (with the agent's log-probabilities and values) into this directory. */
  replay?: string;
  /** EdgeSched envs: write the simulator's query log into this directory (not with 'async'). */
  events?: string;
}

export interface TrainSummary {
  env: string;
  algo: Algo;
  backend: string;
  seed: number;
  numEnvs: number;
  steps: number;
  episodes: number;
  /** Mean return of the last 20 finished episodes. */
  meanReturnLast20: number;
  /** Training wall time (env + updates), excluding backend start-up and saving. */
  trainSeconds: number;
  stepsPerSecond: number;
  out: string | null;
  config: object;
}

/** Runs one training job. */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const log = options.log ?? ((): void => {});
  const backend = await selectBackend(options.backend, { log });
  const preset = options.algo === 'ppo' ? presetNamed(options.preset) : {};
  const { numEnvs: presetEnvs, ...presetHyper } = preset;
  const numEnvs = options.numEnvs ?? presetEnvs ?? DEFAULT_NUM_ENVS[options.algo];
  const hyper = { ...presetHyper, ...(options.hyper ?? {}), totalTimesteps: options.steps, seed: options.seed };
  if (options.events !== undefined && options.vectorizationMode === 'async') throw new RangeError("events: the query log sees simulators in this thread only; use vectorization 'sync' with it");
  const events = options.events === undefined ? null : recordQueries(options.events, { writer: options.algo, metadata: { 'edgegym.env_id': options.env, 'edgegym.seed': String(options.seed) } });
  let env;
  try {
    env = makeVec(options.env, { numEnvs, kwargs: options.kwargs, vectorizationMode: options.vectorizationMode });
    if (options.replay !== undefined) env = new RecordReplayVector(env, { dir: options.replay, envId: options.env, kwargs: options.kwargs ?? {}, seed: options.seed, writer: options.algo, policyOutputs: true });
  } catch (err) {
    events?.close();
    throw err;
  }

  const out = options.out === null ? null : path.resolve(options.out);
  if (out !== null) fs.mkdirSync(out, { recursive: true });
  const metrics = out === null ? null : new CsvWriter(path.join(out, 'metrics.csv'), METRIC_COLUMNS);
  const episodesCsv = out === null ? null : new CsvWriter(path.join(out, 'episodes.csv'), ['global_step', 'return', 'length', 'seconds']);
  const recent: EpisodeStatistics[] = [];
  let episodes = 0;
  let lastPrint = 0;
  const start = performance.now();
  const hooks = {
    onEpisode(episode: EpisodeStatistics, globalStep: number): void {
      episodes += 1;
      recent.push(episode);
      if (recent.length > 20) recent.shift();
      episodesCsv?.row([globalStep, episode.r, episode.l, episode.t]);
    },
    onUpdate(stats: UpdateStats): void {
      const ret = mean(recent.map((e) => e.r));
      const len = mean(recent.map((e) => e.l));
      metrics?.row(metricRow(stats, (performance.now() - start) / 1000, ret, len));
      const now = performance.now();
      if (now - lastPrint >= (options.progressSeconds ?? 1) * 1000 || stats.iteration === stats.iterations) {
        lastPrint = now;
        log(progressLine(stats, ret, len));
      }
    },
  };

  let agent: TrainedAgent;
  try {
    agent = options.algo === 'ppo' ? trainPPO(env, hyper as Partial<PPOConfig>, hooks) : trainA2C(env, hyper as Partial<A2CConfig>, hooks);
  } finally {
    metrics?.close();
    episodesCsv?.close();
    env.close();
    events?.close();
  }
  const trainSeconds = (performance.now() - start) / 1000;
  const summary: TrainSummary = {
    env: options.env,
    algo: options.algo,
    backend: backend.name,
    seed: options.seed,
    numEnvs,
    steps: agent.globalStep,
    episodes,
    meanReturnLast20: mean(recent.map((e) => e.r)),
    trainSeconds,
    stepsPerSecond: agent.globalStep / trainSeconds,
    out,
    config: agent.config,
  };
  if (out !== null) {
    await savePolicy(path.join(out, 'policy'), agent, { envId: options.env, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace });
    writeAtomically(path.join(out, 'run.json'), `${JSON.stringify({ ...summary, kwargs: options.kwargs ?? {}, preset: options.preset ?? null }, null, 2)}\n`);
  }
  return summary;
}

/** The algorithm defaults a CLI should show, by algo. */
export function trainDefaults(algo: Algo): Readonly<PPOConfig> | Readonly<A2CConfig> {
  return algo === 'ppo' ? PPO_DEFAULTS : A2C_DEFAULTS;
}

/** One line per update: the numbers CleanRL logs, in the order a practitioner scans them. */
export function progressLine(s: UpdateStats, ret: number, len: number): string {
  const pct = ((100 * s.iteration) / s.iterations).toFixed(0).padStart(3);
  return [
    `${pct}% step ${s.globalStep}`,
    `${Math.round(s.stepsPerSecond)} steps/s`,
    `return ${fmt(ret, 1)} length ${fmt(len, 1)} (last ${Math.min(20, s.episodes)} of ${s.episodes} episodes)`,
    `pg ${fmt(s.policyLoss, 4)} vf ${fmt(s.valueLoss, 3)} ent ${fmt(s.entropy, 3)}`,
    `kl ${fmt(s.approxKl, 5)} clip ${fmt(s.clipFraction, 3)} ev ${fmt(s.explainedVariance, 2)} lr ${s.learningRate.toExponential(2)}`,
  ].join(' | ');
}

const METRIC_COLUMNS = [
  'iteration', 'global_step', 'wall_seconds', 'steps_per_second', 'episodes', 'episodic_return_last20', 'episodic_length_last20', 'learning_rate',
  'loss', 'policy_loss', 'value_loss', 'entropy', 'old_approx_kl', 'approx_kl', 'clip_fraction', 'explained_variance', 'grad_norm',
];

function metricRow(s: UpdateStats, wall: number, ret: number, len: number): number[] {
  return [s.iteration, s.globalStep, wall, s.stepsPerSecond, s.episodes, ret, len, s.learningRate, s.loss, s.policyLoss, s.valueLoss, s.entropy, s.oldApproxKl, s.approxKl, s.clipFraction, s.explainedVariance, s.gradNorm];
}

function presetNamed(name: string | undefined): Partial<PPOConfig> & { numEnvs?: number } {
  if (name === undefined) return {};
  const preset = PPO_PRESETS[name];
  if (preset === undefined) throw new RangeError(`unknown preset ${JSON.stringify(name)}; known presets: ${Object.keys(PPO_PRESETS).join(', ')}`);
  return preset;
}

/** Appends CSV rows line by line, so a crashed run keeps every finished update. */
class CsvWriter {
  private readonly fd: number;

  constructor(file: string, columns: readonly string[]) {
    this.fd = fs.openSync(file, 'w');
    fs.writeSync(this.fd, `${columns.join(',')}\n`);
  }

  row(values: readonly number[]): void {
    fs.writeSync(this.fd, `${values.map((v) => (Number.isFinite(v) ? String(Number.isInteger(v) ? v : Number(v.toPrecision(7))) : '')).join(',')}\n`);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}
