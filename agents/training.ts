// What PPO and A2C share around the update: the statistics each update reports, the hooks a
// training job listens on, and the trained agent they hand back.

import type { EpisodeStatistics } from '../src/wrappers/record-episode-statistics.js';
import type { ActorCritic } from './actor-critic.js';
import type { ObsNormalizer } from './obs-norm.js';
import type { PPOLossStats } from './ppo.js';
import type { Optimizer } from './optim.js';

/** One update's numbers, as CleanRL logs them (losses averaged over the update's minibatches). */
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
