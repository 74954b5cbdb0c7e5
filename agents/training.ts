// What PPO and A2C share around the update: the statistics each update reports, the hooks a
// training job listens on, the trained agent they hand back, and the state a resumed run restores.

import { Rng, type RngState } from '../src/rng.js';
import type { EpisodeStatistics } from '../src/wrappers/record-episode-statistics.js';
import type { ActorCritic, NetworkConfig } from './actor-critic.js';
import { ObsNormalizer, type ObsNormState } from './obs-norm.js';
import type { PPOLossStats } from './ppo.js';
import type { Optimizer, OptimizerState } from './optim.js';
import type { CollectorState } from './rollout.js';

/**
 * One update's numbers, as CleanRL logs them (losses averaged over the update's minibatches). A
 * statistic the algorithm does not compute is NaN (A2C's KL and clip fraction), never 0, so the
 * CSVs leave it empty and the charts leave it out.
 */
export interface UpdateStats extends PPOLossStats {
  /** 1-based update index, and how many the run has. */
  iteration: number;
  iterations: number;
  /** Env steps so far, all sub-envs counted. */
  globalStep: number;
  /** Episodes finished so far. */
  episodes: number;
  learningRate: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** 1 − Var(returns − values)/Var(returns) over the batch: how much the critic explains. */
  explainedVariance: number;
  /** Env steps per second since training started, updates included. */
  stepsPerSecond: number;
}

/** Callbacks of a training run. */
export interface TrainHooks {
  /** After each finished episode, with the global step it ended at. */
  onEpisode?(episode: EpisodeStatistics, globalStep: number): void;
  /** After each update. */
  onUpdate?(stats: UpdateStats): void;
}

/** What training returns: everything a saved policy (and a resumed run) needs. */
export interface TrainedAgent {
  algo: 'ppo' | 'a2c';
  /** The hyper-parameters the run used (PPOConfig or A2CConfig), as plain data. */
  config: object;
  network: ActorCritic;
  normalizer: ObsNormalizer | null;
  optimizer: Optimizer;
  globalStep: number;
  /** Everything needed to continue training, as at the end of the run. */
  state: TrainingState;
}

/** The hyper-parameters every algorithm has and a checkpoint checks on resume. */
export interface CommonConfig extends NetworkConfig {
  totalTimesteps: number;
  seed: number;
  numSteps: number;
  normObs: boolean;
  obsClip: number;
}

/**
 * A run between two updates: enough to continue it as if it had never stopped. The learning-rate
 * schedule's position is `iteration` of `iterations` (annealing uses both).
 */
export interface TrainingState {
  algo: 'ppo' | 'a2c';
  config: CommonConfig;
  /** Updates done so far. */
  iteration: number;
  /** Updates the run has in all. */
  iterations: number;
  params: Float32Array;
  optimizer: OptimizerState;
  normalizer: ObsNormState | null;
  /** Every random stream the run draws from after start-up, by name. */
  rngs: Record<string, RngState>;
  collector: CollectorState;
}

/** A training run taken one update at a time, so a caller can checkpoint or stop between updates. */
export interface Trainer {
  readonly algo: 'ppo' | 'a2c';
  /** Updates done so far, and in all. */
  readonly iteration: number;
  readonly iterations: number;
  readonly done: boolean;
  /** How the env started: fresh, restored mid-episode from a checkpoint, or reset on resume. */
  readonly envStart: 'reset' | 'restored' | 'resumed-with-reset';
  /** One rollout and one update. */
  update(): UpdateStats;
  /** A copy of everything needed to continue from here. */
  state(): TrainingState;
  /** The agent as it is now. */
  result(): TrainedAgent;
}

/** Options of a trainer, past the config. */
export interface TrainerOptions {
  /** Continue this run (from `loadCheckpoint(dir).state`): its config is the base `options` override. */
  resume?: TrainingState;
}

/** Runs a trainer to its end, synchronously. */
export function runToEnd(trainer: Trainer): TrainedAgent {
  while (!trainer.done) trainer.update();
  return trainer.result();
}

/**
 * The config of a run, from the algorithm's defaults, the resumed run's config and the caller's
 * options, in that order. A resumed run must keep the network's shape and its normalisation.
 */
export function mergeConfig<C extends CommonConfig>(defaults: Readonly<C>, options: Partial<C>, resume: TrainingState | undefined, algo: 'ppo' | 'a2c'): C {
  if (resume !== undefined && resume.algo !== algo) throw new TypeError(`cannot resume a ${resume.algo} run with ${algo}`);
  const base = { ...defaults, ...((resume?.config ?? {}) as Partial<C>), ...options };
  const config = { ...base, hidden: [...base.hidden] };
  if (resume !== undefined) {
    const was = resume.config;
    for (const key of ['hidden', 'sharedNetwork', 'normObs', 'numSteps'] as const) {
      if (JSON.stringify(config[key]) !== JSON.stringify(was[key])) throw new RangeError(`cannot resume with ${key} ${JSON.stringify(config[key])}: the run was trained with ${JSON.stringify(was[key])}`);
    }
  }
  return config;
}

/** Puts a resumed run's parameters, optimiser moments and normalisation back. */
export function restoreAgent(resume: TrainingState, network: ActorCritic, optimizer: Optimizer, normalizer: ObsNormalizer | null): void {
  if (resume.params.length !== network.params.length) throw new RangeError(`the saved run has ${resume.params.length} parameters, this network ${network.params.length}: different observation or action sizes?`);
  network.params.set(resume.params);
  network.paramsChanged();
  optimizer.setState(resume.optimizer);
  if (normalizer !== null && resume.normalizer !== null) {
    const saved = ObsNormalizer.fromJSON(resume.normalizer);
    if (saved.rms.mean.length !== normalizer.rms.mean.length) throw new RangeError(`the saved normalisation has ${saved.rms.mean.length} values, the env ${normalizer.rms.mean.length}`);
    normalizer.rms.mean.set(saved.rms.mean);
    normalizer.rms.var.set(saved.rms.var);
    normalizer.rms.count = saved.rms.count;
  }
}

/** A named stream, continued from the resumed run where it had one. */
export function streamOf(resume: TrainingState | undefined, name: string, fresh: () => Rng): Rng {
  const saved = resume?.rngs[name];
  return saved === undefined ? fresh() : Rng.fromState(saved);
}

/**
 * The seed an env is reset with when a run resumes without the env's state: drawn from the run's
 * seed and the update it resumes at, so the resumed run sees new episodes, the same each time.
 */
export function resumeResetSeed(seed: number, iteration: number): number {
  return new Rng(seed, `resume/${iteration}`).deriveSeed();
}

/** 1 − Var(y − ŷ)/Var(y), NaN when y is constant (as CleanRL computes it). */
export function explainedVariance(predicted: ArrayLike<number>, target: ArrayLike<number>): number {
  const n = target.length;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += target[i];
    md += target[i] - predicted[i];
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (target[i] - my) ** 2;
    vd += (target[i] - predicted[i] - md) ** 2;
  }
  return vy === 0 ? Number.NaN : 1 - vd / vy;
}
