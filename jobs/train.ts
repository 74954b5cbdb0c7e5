// `edgegym train`: picks the tensor backend, builds the vector env, trains PPO or A2C with a
// progress line, writes metrics CSVs, a TensorBoard event file and checkpoints as it goes, resumes
// a stopped run, and saves the trained agent into the run folder (policy/).

import fs from 'node:fs';
import path from 'node:path';
import '../envs/index.js';
import { A2C_DEFAULTS, type A2CConfig, A2CTrainer } from '../agents/a2c.js';
import { type BackendRequest, selectBackend } from '../agents/backend.js';
import { type CheckpointMeta, type PolicyFile, loadCheckpoint } from '../agents/checkpoint.js';
import { checkpointFiles, saveCheckpoint } from '../agents/checkpoint-save.js';
import { checkpointDir, pruneCheckpoints, resolveCheckpoint, writeFolderAtomicallyAsync } from '../agents/checkpoint-folder.js';
import { stepOf } from '../agents/policy-io.js';
import { PPO_DEFAULTS, type PPOConfig, PPOTrainer } from '../agents/ppo.js';
import type { Trainer, TrainHooks, TrainingState, UpdateStats } from '../agents/training.js';
import { type Kwargs, spec } from '../src/registry.js';
import { queryLogSetup } from '../envs/edge/sim/query-log.js';
import { RecordReplayVector } from '../src/replay/record-replay.js';
import { STEP_LOG_PREFIX } from '../src/replay/step-log.js';
import { makeVec, type VectorizationMode } from '../src/vector/make-vec.js';
import type { EpisodeStatistics } from '../src/wrappers/record-episode-statistics.js';
import { EventFileWriter } from '../src/tensorboard/event-file.js';
import { CsvWriter, type RunSettings, TrainOptionsError, dropAfter, prepareRunFolder, readRunSettings, runFolderOf, writeRunSettings } from './run-folder.js';

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
  /** Registered env id (default CartPole-v1; on resume, the checkpoint's). */
  env?: string;
  /** Default ppo; on resume, the checkpoint's. */
  algo?: Algo;
  /** Total env steps (all sub-envs counted); default 100,000, on resume the checkpoint's total. */
  steps?: number;
  numEnvs?: number;
  /** Default 1; on resume, the checkpoint's. */
  seed?: number;
  /** Run folder for metrics.csv, episodes.csv, run.json, checkpoints/ and policy/; null writes nothing; undefined on resume: the resumed run's folder. */
  out?: string | null;
  backend: BackendRequest;
  /** A PPO preset name (see PPO_PRESETS), applied before `hyper`. */
  preset?: string;
  /** Hyper-parameters overriding the algorithm's defaults. */
  hyper?: Partial<PPOConfig> | Partial<A2CConfig>;
  kwargs?: Kwargs;
  vectorizationMode?: VectorizationMode;
  /**
   * 'async' only: worker threads the sub-envs share (default: one fewer than the cores). It
   * changes speed, not results: each sub-env steps the same wherever it runs, so it may change
   * on resume too.
   */
  workers?: number;
  /** Write `<out>/checkpoints/step-<global step>/` every this many updates (0: never); default 0, on resume the run's. */
  checkpointEvery?: number;
  /** Checkpoints kept (older ones are deleted); default 3, on resume the run's. */
  keep?: number;
  /** Continue the run in this folder, or from this checkpoint folder (see resolveCheckpoint). */
  resume?: string;
  /** Start over in an `out` that already holds a run, deleting it. */
  force?: boolean;
  /** On SIGINT/SIGTERM, stop after the update in progress, write a checkpoint and return (default: the signal's usual effect). */
  handleSignals?: boolean;
  /** Receives notes (backend, resume, signals) and, without `onProgress`, the progress lines; default: none. */
  log?: (line: string) => void;
  /** Called after every update (e.g. to draw a progress bar); replaces the progress lines. */
  onProgress?: (progress: TrainProgress) => void;
  /** Seconds between progress lines (default 1; the last update always prints). */
  progressSeconds?: number;
  /**
   * Write a step log (with the agent's log-probabilities and values) into this directory. On
   * resume in the run's own folder, left out: the run's step log goes on, appended to.
   */
  replay?: string;
  /** EdgeSched envs: write the simulators' query log into this directory (with 'async', each worker thread writes its own files there). */
  events?: string;
}

export interface TrainProgress {
  /** Global env steps so far, and where this process started counting (non-zero on resume). */
  step: number;
  startStep: number;
  /** Global steps when the last update is done. */
  total: number;
  /** The learning numbers of `progressDetail`. */
  detail: string;
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
  /** Training wall time (env + updates + checkpoints), excluding backend start-up and the final save. */
  trainSeconds: number;
  stepsPerSecond: number;
  out: string | null;
  /** The folder the policy was saved to (`<out>/policy` when the run finished), or null. */
  policy: string | null;
  /** The newest checkpoint written, or null. */
  checkpoint: string | null;
  /** Checkpoints written, and the time each took from snapshot to rename, summed (written in the background, beside training). */
  checkpoints: number;
  checkpointSeconds: number;
  /** The checkpoint the run resumed from, and how its env continued. */
  resumedFrom: string | null;
  envStart: Trainer['envStart'];
  /** The signal that stopped the run early, or null. */
  interrupted: NodeJS.Signals | null;
  config: object;
}

/** Runs one training job (or continues one: `resume`). */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const log = options.log ?? ((): void => {});
  const resumed = options.resume === undefined ? null : openResume(options);
  const policy = resumed?.policy;
  const envId = policy?.envId ?? options.env ?? 'CartPole-v1';
  spec(envId); // an unknown id fails here, before a folder is made or a backend loaded
  const algo: Algo = policy?.algo ?? options.algo ?? 'ppo';
  const kwargs = (policy?.envKwargs as Kwargs | undefined) ?? options.kwargs;
  const vectorizationMode = policy?.vectorizationMode ?? options.vectorizationMode;
  const out = options.out === null ? null : options.out !== undefined ? path.resolve(options.out) : resumed !== null ? runFolderOf(resumed.dir) : null;
  // Resuming continues the run's own folder; another --out is a new run folder like any other.
  const sameRun = resumed !== null && out === runFolderOf(resumed.dir);
  // A resumed run keeps its cadence and, in its own folder, its step log; a flag given again wins.
  const recorded = resumed === null ? {} : readRunSettings(runFolderOf(resumed.dir));
  const settings: RunSettings = {
    checkpointEvery: options.checkpointEvery ?? recorded.checkpointEvery ?? 0,
    keep: options.keep ?? recorded.keep ?? 3,
    replay: options.replay ?? (sameRun ? (recorded.replay ?? null) : null),
  };
  const appendLog = sameRun && settings.replay !== null && typeof recorded.replay === 'string' && path.resolve(settings.replay) === recorded.replay;
  if (settings.replay !== null && !appendLog && holdsStepLog(settings.replay)) {
    throw new TrainOptionsError(`--replay ${settings.replay} already holds a step log; choose another directory (only a resumed run appends to its own log)`);
  }
  if (out !== null) prepareRunFolder(out, { resuming: sameRun, force: options.force ?? false });
  if (out !== null && sameRun && resumed !== null) dropAfter(out, resumed.state.collector.globalStep, stepOf);

  const backend = await selectBackend(options.backend, { log });
  if (policy !== undefined && policy.backend !== backend.name) log(`resume: the run was trained on ${policy.backend}, this one runs on ${backend.name}: it continues, but not bit for bit`);
  const preset = algo === 'ppo' && resumed === null ? presetNamed(options.preset) : {};
  const { numEnvs: presetEnvs, ...presetHyper } = preset;
  const numEnvs = policy?.numEnvs ?? options.numEnvs ?? presetEnvs ?? DEFAULT_NUM_ENVS[algo];
  const steps = options.steps ?? (resumed?.state.config.totalTimesteps ?? 100_000);
  const seed = policy?.seed ?? options.seed ?? 1;
  const hyper = { ...presetHyper, ...(options.hyper ?? {}), totalTimesteps: steps, seed };
  if (options.workers !== undefined && vectorizationMode !== 'async') throw new TrainOptionsError(`--workers sets the worker threads of --vectorization async; this run's vectorization is ${vectorizationMode ?? 'the default (in this thread)'}`);
  // The vector closes the query logs with its sub-envs.
  const events = options.events === undefined ? undefined : queryLogSetup(options.events, { writer: algo, metadata: { 'edgegym.env_id': envId, 'edgegym.seed': String(seed) } });
  let env = makeVec(envId, { numEnvs, kwargs, vectorizationMode, numWorkers: options.workers, setup: events });
  if (settings.replay !== null) {
    try {
      env = new RecordReplayVector(env, { dir: settings.replay, envId, kwargs: kwargs ?? {}, seed, writer: algo, policyOutputs: true, append: appendLog });
    } catch (err) {
      env.close();
      throw err;
    }
  }
  // Recorded once the env is made (a kwarg it refuses leaves no run behind), before any update.
  if (out !== null) writeRunSettings(out, settings);

  const state = resumed?.state;
  const continued = sameRun && state !== undefined ? state : undefined;
  const metrics = out === null ? null : new CsvWriter(path.join(out, 'metrics.csv'), METRIC_COLUMNS, continued === undefined ? undefined : (row) => row[0] <= continued.iteration);
  const episodesCsv = out === null ? null : new CsvWriter(path.join(out, 'episodes.csv'), ['global_step', 'return', 'length', 'seconds'], continued === undefined ? undefined : (row) => row[0] <= continued.collector.globalStep);
  // TensorBoard reads the run folder as CleanRL's and SB3's runs: `tensorboard --logdir runs`.
  const board = out === null ? null : new EventFileWriter(out, continued === undefined ? {} : { resumeAtStep: continued.collector.globalStep });
  const recent: EpisodeStatistics[] = [];
  let episodes = state?.collector.episodeCount ?? 0;
  let lastPrint = 0;
  const start = performance.now();
  const hooks: TrainHooks = {
    onEpisode(episode: EpisodeStatistics, globalStep: number): void {
      episodes += 1;
      recent.push(episode);
      if (recent.length > 20) recent.shift();
      episodesCsv?.row([globalStep, episode.r, episode.l, episode.t]);
      board?.scalars(globalStep, { 'charts/episodic_return': episode.r, 'charts/episodic_length': episode.l });
    },
    onUpdate(stats: UpdateStats): void {
      const ret = mean(recent.map((e) => e.r));
      const len = mean(recent.map((e) => e.l));
      metrics?.row(metricRow(stats, (performance.now() - start) / 1000, ret, len));
      board?.scalars(stats.globalStep, boardScalars(stats));
      if (options.onProgress !== undefined) {
        const perUpdate = stats.globalStep / stats.iteration;
        options.onProgress({ step: stats.globalStep, startStep: state?.collector.globalStep ?? 0, total: stats.iterations * perUpdate, detail: progressDetail(algo, stats, ret, len) });
        return;
      }
      const now = performance.now();
      if (now - lastPrint >= (options.progressSeconds ?? 1) * 1000 || stats.iteration === stats.iterations) {
        lastPrint = now;
        log(progressLine(algo, stats, ret, len));
      }
    },
  };

  const stop = options.handleSignals === true ? new StopOnSignal() : null;
  const meta: CheckpointMeta = { envId, envKwargs: kwargs ?? {}, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs, vectorizationMode: vectorizationMode ?? null, backend: backend.name };
  const every = settings.checkpointEvery;
  // One checkpoint is written in the background at a time; the next waits for it (and so does the end).
  const saved = { dir: null as string | null, step: -1, count: 0, seconds: 0, pending: Promise.resolve() };
  const writeCheckpoint = async (trainer: Trainer): Promise<void> => {
    if (out === null) return;
    await saved.pending;
    const t0 = performance.now();
    const snapshot = trainer.state();
    const dir = checkpointDir(out, snapshot.collector.globalStep);
    saved.step = snapshot.collector.globalStep;
    const files = checkpointFiles(snapshot, meta);
    saved.pending = writeFolderAtomicallyAsync(dir, files).then(() => {
      pruneCheckpoints(out, settings.keep);
      saved.dir = dir;
      saved.count += 1;
      saved.seconds += (performance.now() - t0) / 1000;
    });
  };

  let trainer: Trainer;
  try {
    const resume = { resume: state };
    trainer = algo === 'ppo' ? new PPOTrainer(env, hyper as Partial<PPOConfig>, hooks, resume) : new A2CTrainer(env, hyper as Partial<A2CConfig>, hooks, resume);
    if (resumed !== null) log(`resume: from ${resumed.dir} at update ${trainer.iteration} of ${trainer.iterations}, step ${state?.collector.globalStep}; ${trainer.envStart === 'restored' ? 'the env continues its episodes' : 'the env state could not be restored: fresh reset, the episodes in flight were dropped'}`);
    while (!trainer.done && stop?.signal == null) {
      const s = trainer.update();
      if (every > 0 && s.iteration % every === 0 && !trainer.done) await writeCheckpoint(trainer);
      // Let a pending SIGINT/SIGTERM handler and the background save run between updates.
      if (stop !== null || every > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (stop?.signal != null) {
      log(`${stop.signal}: stopping after update ${trainer.iteration} of ${trainer.iterations}`);
      if (saved.step !== trainer.result().globalStep) await writeCheckpoint(trainer);
    }
    await saved.pending;
  } finally {
    stop?.dispose();
    metrics?.close();
    episodesCsv?.close();
    board?.close();
    env.close();
  }
  const trainSeconds = (performance.now() - start) / 1000;
  const result = trainer.result();
  const interrupted = stop?.signal ?? null;
  let policyDir: string | null = null;
  if (out !== null && interrupted === null) {
    policyDir = path.join(out, 'policy');
    saveCheckpoint(policyDir, result.state, meta);
  }
  const startStep = state?.collector.globalStep ?? 0;
  const summary: TrainSummary = {
    env: envId,
    algo,
    backend: backend.name,
    seed,
    numEnvs,
    steps: result.globalStep,
    episodes,
    meanReturnLast20: mean(recent.map((e) => e.r)),
    trainSeconds,
    stepsPerSecond: (result.globalStep - startStep) / trainSeconds,
    out,
    policy: policyDir,
    checkpoint: saved.dir,
    checkpoints: saved.count,
    checkpointSeconds: saved.seconds,
    resumedFrom: resumed?.dir ?? null,
    envStart: trainer.envStart,
    interrupted,
    config: result.config,
  };
  if (out !== null) writeRunSettings(out, settings, { ...summary, kwargs: kwargs ?? {}, ...(resumed === null ? { preset: options.preset ?? null } : {}) });
  return summary;
}

/** The checkpoint a run resumes from, checked, and the options that may not change with it. */
function openResume(options: TrainOptions): { dir: string; policy: PolicyFile; state: TrainingState } {
  const target = options.resume as string;
  const dir = resolveCheckpoint(target, stepOf);
  if (dir === null) throw new TrainOptionsError(`--resume ${target}: no checkpoint there (no policy.json, checkpoints/step-*/ or policy/)`);
  const checkpoint = loadCheckpoint(dir, { training: true, envId: options.env });
  const { policy } = checkpoint;
  const given = { algo: options.algo, seed: options.seed, numEnvs: options.numEnvs, preset: options.preset, kwargs: options.kwargs, vectorizationMode: options.vectorizationMode };
  const clash = Object.entries(given).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (options.algo !== undefined && options.algo === policy.algo) clash.splice(clash.indexOf('algo'), 1);
  if (clash.length > 0 || Object.keys(options.hyper ?? {}).length > 0) {
    throw new TrainOptionsError(`--resume continues the run as it was configured in ${path.join(dir, 'policy.json')}; drop ${[...clash, ...Object.keys(options.hyper ?? {})].join(', ')} (only --steps, --out, --checkpoint-every, --keep, --replay and --workers may change)`);
  }
  const state = checkpoint.state as TrainingState;
  // A run cannot go back, and a total that adds less than one update would do nothing.
  const done = state.collector.globalStep;
  const batch = policy.numEnvs * state.config.numSteps;
  const steps = options.steps ?? state.config.totalTimesteps;
  if (Math.floor(steps / batch) <= state.iteration) {
    const more = `give --steps ${done + batch} or more to extend it (one update is ${batch} steps)`;
    throw new TrainOptionsError(options.steps === undefined ? `--resume ${target}: the run has done all its ${done} steps; ${more}` : `--steps ${steps} does not go past the ${done} steps the run in ${target} has done; ${more}`);
  }
  return { dir, policy, state };
}

/** True when `dir` already holds step-log segments. */
function holdsStepLog(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() && fs.readdirSync(dir).some((f) => f.startsWith(`${STEP_LOG_PREFIX}-`) && f.endsWith('.arrows'));
}

/** Records the first SIGINT or SIGTERM instead of dying; a second one has its usual effect. */
class StopOnSignal {
  signal: NodeJS.Signals | null = null;
  private readonly handler = (signal: NodeJS.Signals): void => {
    this.signal = signal;
    this.dispose();
  };

  constructor() {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}

/** The algorithm defaults a CLI should show, by algo. */
export function trainDefaults(algo: Algo): Readonly<PPOConfig> | Readonly<A2CConfig> {
  return algo === 'ppo' ? PPO_DEFAULTS : A2C_DEFAULTS;
}

/** One line per update: the numbers CleanRL logs, in the order a practitioner scans them. */
export function progressLine(algo: Algo, s: UpdateStats, ret: number, len: number): string {
  const pct = ((100 * s.iteration) / s.iterations).toFixed(0).padStart(3);
  return [`${pct}% step ${s.globalStep}`, `${Math.round(s.stepsPerSecond)} steps/s`, progressDetail(algo, s, ret, len)].join(' | ');
}

/** The learning numbers of an update; approx-KL and clip fraction only for PPO, where they mean something (A2C has no ratio to clip). */
export function progressDetail(algo: Algo, s: UpdateStats, ret: number, len: number): string {
  const ppoOnly = algo === 'ppo' ? `kl ${fmt(s.approxKl, 5)} clip ${fmt(s.clipFraction, 3)} ` : '';
  return [
    `return ${fmt(ret, 1)} length ${fmt(len, 1)} (last ${Math.min(20, s.episodes)} of ${s.episodes} episodes)`,
    `pg ${fmt(s.policyLoss, 4)} vf ${fmt(s.valueLoss, 3)} ent ${fmt(s.entropy, 3)}`,
    `${ppoOnly}ev ${fmt(s.explainedVariance, 2)} lr ${s.learningRate.toExponential(2)}`,
  ].join(' | ');
}

const METRIC_COLUMNS = [
  'iteration', 'global_step', 'wall_seconds', 'steps_per_second', 'episodes', 'episodic_return_last20', 'episodic_length_last20', 'learning_rate',
  'loss', 'policy_loss', 'value_loss', 'entropy', 'old_approx_kl', 'approx_kl', 'clip_fraction', 'explained_variance', 'grad_norm',
];

/** An update's numbers under CleanRL's TensorBoard tags (NaN, a statistic the algorithm does not compute, is left out). */
function boardScalars(s: UpdateStats): Record<string, number> {
  return {
    'charts/learning_rate': s.learningRate, 'charts/SPS': s.stepsPerSecond,
    'losses/loss': s.loss, 'losses/policy_loss': s.policyLoss, 'losses/value_loss': s.valueLoss, 'losses/entropy': s.entropy,
    'losses/old_approx_kl': s.oldApproxKl, 'losses/approx_kl': s.approxKl, 'losses/clipfrac': s.clipFraction,
    'losses/explained_variance': s.explainedVariance, 'losses/grad_norm': s.gradNorm,
  };
}

function metricRow(s: UpdateStats, wall: number, ret: number, len: number): number[] {
  return [s.iteration, s.globalStep, wall, s.stepsPerSecond, s.episodes, ret, len, s.learningRate, s.loss, s.policyLoss, s.valueLoss, s.entropy, s.oldApproxKl, s.approxKl, s.clipFraction, s.explainedVariance, s.gradNorm];
}

function presetNamed(name: string | undefined): Partial<PPOConfig> & { numEnvs?: number } {
  if (name === undefined) return {};
  const preset = PPO_PRESETS[name];
  if (preset === undefined) throw new RangeError(`unknown preset ${JSON.stringify(name)}; known presets: ${Object.keys(PPO_PRESETS).join(', ')}`);
  return preset;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}
