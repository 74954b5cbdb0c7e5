// Proximal Policy Optimization (Schulman et al. 2017) with the 13 core implementation details of
// "The 37 Implementation Details of PPO" (Huang et al. 2022), read top to bottom as CleanRL's
// ppo.py: config, network, rollout, GAE, the clipped update, the debug statistics.

import { Rng } from '../src/rng.js';
import type { VectorEnv } from '../src/vector/vector-env.js';
import type { EpisodeStatistics } from '../src/wrappers/record-episode-statistics.js';
import { ActorCritic, type LossInputs, type Minibatch } from './actor-critic.js';
import { ObsNormalizer } from './obs-norm.js';
import { Adam } from './optim.js';
import { RolloutBuffer, RolloutCollector, computeGae } from './rollout.js';
import {
  type TrainedAgent, type Trainer, type TrainerOptions, type TrainHooks, type TrainingState, type UpdateStats, explainedVariance, mergeConfig, restoreAgent, resumeResetSeed, runToEnd, streamOf,
} from './training.js';

/** PPO's hyper-parameters. Defaults are CleanRL's `ppo.py` for CartPole. */
export interface PPOConfig {
  /** Env steps to train for, all sub-envs counted. */
  totalTimesteps: number;
  /** Seeds weights, action sampling, minibatch order and the envs' first reset. */
  seed: number;
  /** Adam's learning rate (at the start, when annealed). */
  learningRate: number;
  /** Steps each sub-env takes per rollout; the batch is numEnvs × numSteps (detail 1). */
  numSteps: number;
  /** Linearly anneal the learning rate to 0 over training (detail 4). */
  annealLr: boolean;
  /** Discount factor γ. */
  gamma: number;
  /** GAE's λ (detail 5). */
  gaeLambda: number;
  /** Minibatches per epoch (detail 6). */
  numMinibatches: number;
  /** Passes over the batch per update (detail 6). */
  updateEpochs: number;
  /** Normalise advantages within each minibatch (detail 7). */
  normAdv: boolean;
  /** The surrogate clipping ε (detail 8). */
  clipCoef: number;
  /** Anneal ε linearly to 0 with the learning rate (Stable-Baselines3's `lin_0.2`); CleanRL keeps it fixed. */
  annealClip: boolean;
  /** Clip the value loss around the old values, as PPO2 does (detail 9). */
  clipVloss: boolean;
  /** Entropy bonus coefficient (detail 10). */
  entCoef: number;
  /** Value loss coefficient (detail 10). */
  vfCoef: number;
  /** Global gradient-norm clipping threshold (detail 11). */
  maxGradNorm: number;
  /** Stop an update's epochs early once approx-KL exceeds this; null: never. */
  targetKl: number | null;
  /** Adam's ε (detail 3: 1e-5, not PyTorch's default 1e-8). */
  adamEps: number;
  /** Hidden layer widths of the actor and critic MLPs. */
  hidden: number[];
  /** One body for actor and critic with two heads, instead of two MLPs (detail 13). */
  sharedNetwork: boolean;
  /** Normalise observations with running statistics, saved with the policy. */
  normObs: boolean;
  /** Clip normalised observations to ±this. */
  obsClip: number;
}

export const PPO_DEFAULTS: Readonly<PPOConfig> = Object.freeze({
  totalTimesteps: 500_000,
  seed: 1,
  learningRate: 2.5e-4,
  numSteps: 128,
  annealLr: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  normAdv: true,
  clipCoef: 0.2,
  annealClip: false,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: null,
  adamEps: 1e-5,
  hidden: [64, 64],
  sharedNetwork: false,
  normObs: false,
  obsClip: 10,
});

/** The rollout's numbers for the samples of one minibatch, in minibatch order. */
export interface PPOSamples {
  oldLogp: Float64Array;
  advantages: Float64Array;
  returns: Float64Array;
  oldValues: Float64Array;
}

/** One minibatch's loss terms and debug statistics (detail 12). */
export interface PPOLossStats {
  loss: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  /** mean(−log r): the naive KL estimate. */
  oldApproxKl: number;
  /** mean((r − 1) − log r): Schulman's unbiased, low-variance KL estimate. */
  approxKl: number;
  /** Fraction of samples whose ratio left [1 − ε, 1 + ε]. */
  clipFraction: number;
}

type LossConfig = Pick<PPOConfig, 'normAdv' | 'clipCoef' | 'clipVloss' | 'entCoef' | 'vfCoef'>;

/**
 * PPO's loss on one minibatch, with its gradient per sample written into `inputs`:
 *
 *   loss = mean(max(−A·r, −A·clip(r, 1 − ε, 1 + ε)))            clipped surrogate (detail 8)
 *        − entCoef · mean(H)                                      entropy bonus (detail 10)
 *        + vfCoef · ½ · mean(max((V − R)², (V_clip − R)²))         clipped value loss (detail 9)
 *
 * with r = exp(log π − log π_old), V_clip = V_old + clip(V − V_old, −ε, ε), A normalised over
 * the minibatch (detail 7). Where max ties, both branches have the same gradient.
 */
export function ppoLoss(inputs: LossInputs, samples: PPOSamples, config: LossConfig, advScratch: Float64Array = new Float64Array(inputs.n)): PPOLossStats {
  const { n, logp, entropy, value, dLogp, dEntropy, dValue } = inputs;
  const { clipCoef: eps, entCoef, vfCoef } = config;
  const adv = advScratch;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples.advantages[i];
  mean /= n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (samples.advantages[i] - mean) ** 2;
  const std = Math.sqrt(sq / Math.max(1, n - 1)); // unbiased, as torch.std
  for (let i = 0; i < n; i++) adv[i] = config.normAdv ? (samples.advantages[i] - mean) / (std + 1e-8) : samples.advantages[i];

  let pgLoss = 0;
  let vLoss = 0;
  let entropyMean = 0;
  let oldApproxKl = 0;
  let approxKl = 0;
  let clipped = 0;
  for (let i = 0; i < n; i++) {
    const logratio = logp[i] - samples.oldLogp[i];
    const ratio = Math.exp(logratio);
    oldApproxKl += -logratio;
    approxKl += ratio - 1 - logratio;
    if (Math.abs(ratio - 1) > eps) clipped += 1;

    const pg1 = -adv[i] * ratio;
    const pg2 = -adv[i] * Math.min(1 + eps, Math.max(1 - eps, ratio));
    pgLoss += Math.max(pg1, pg2);
    // d/dlogπ of max(pg1, pg2): pg1's −A·r when it is the max; else pg2 is clipped and flat.
    dLogp[i] = pg1 >= pg2 ? (-adv[i] * ratio) / n : 0;

    entropyMean += entropy[i];
    dEntropy[i] = -entCoef / n;

    const vError = value[i] - samples.returns[i];
    if (config.clipVloss) {
      const delta = value[i] - samples.oldValues[i];
      const vClipped = samples.oldValues[i] + Math.min(eps, Math.max(-eps, delta));
      const cError = vClipped - samples.returns[i];
      vLoss += Math.max(vError * vError, cError * cError);
      dValue[i] = (vfCoef * (vError * vError >= cError * cError ? vError : Math.abs(delta) <= eps ? cError : 0)) / n;
    } else {
      vLoss += vError * vError;
      dValue[i] = (vfCoef * vError) / n;
    }
  }
  pgLoss /= n;
  vLoss = (0.5 * vLoss) / n;
  entropyMean /= n;
  return {
    loss: pgLoss - entCoef * entropyMean + vfCoef * vLoss,
    policyLoss: pgLoss,
    valueLoss: vLoss,
    entropy: entropyMean,
    oldApproxKl: oldApproxKl / n,
    approxKl: approxKl / n,
    clipFraction: clipped / n,
  };
}

/**
 * Trains a PPO agent on `env` (a vector env: detail 1) and returns it. Synchronous: one update
 * is a rollout of numSteps × numEnvs env steps followed by updateEpochs × numMinibatches
 * gradient steps. Select a tensor backend (`selectBackend`) first. With `resume`, continues a
 * saved run (see `loadCheckpoint`) at its next update.
 */
export function trainPPO(env: VectorEnv, options: Partial<PPOConfig> = {}, hooks: TrainHooks = {}, trainer: TrainerOptions = {}): TrainedAgent {
  return runToEnd(new PPOTrainer(env, options, hooks, trainer));
}

/** PPO one update at a time (what `trainPPO` loops over), for runs that checkpoint or stop. */
export class PPOTrainer implements Trainer {
  readonly algo = 'ppo';
  readonly config: PPOConfig;
  readonly iterations: number;
  iteration: number;
  readonly envStart: Trainer['envStart'];
  private readonly hooks: TrainHooks;
  private readonly agent: ActorCritic;
  private readonly optimizer: Adam;
  private readonly normalizer: ObsNormalizer | null;
  private readonly shuffleRng: Rng;
  private readonly actionRng: Rng;
  private readonly buffer: RolloutBuffer;
  private readonly collector: RolloutCollector;
  private readonly batchSize: number;
  private readonly minibatchSize: number;
  // Minibatch staging arrays, filled by gathering shuffled rows of the buffer.
  private readonly mb: Minibatch;
  private readonly samples: PPOSamples;
  private readonly advScratch: Float64Array;
  private readonly inds: Int32Array;
  private readonly startStep: number;
  private readonly startTime = performance.now();

  constructor(env: VectorEnv, options: Partial<PPOConfig> = {}, hooks: TrainHooks = {}, { resume }: TrainerOptions = {}) {
    const config = mergeConfig(PPO_DEFAULTS, options, resume, 'ppo');
    this.config = config;
    this.hooks = hooks;
    const numEnvs = env.numEnvs;
    this.batchSize = numEnvs * config.numSteps;
    this.minibatchSize = Math.floor(this.batchSize / config.numMinibatches);
    this.iterations = Math.floor(config.totalTimesteps / this.batchSize);
    this.iteration = resume?.iteration ?? 0;
    if (this.minibatchSize < 1) throw new RangeError(`PPO: ${config.numMinibatches} minibatches do not fit a batch of ${this.batchSize} (numEnvs × numSteps)`);
    if (this.iterations < 1) throw new RangeError(`PPO: totalTimesteps ${config.totalTimesteps} is less than one batch of ${this.batchSize} (numEnvs × numSteps)`);

    // Independent random streams, so changing one (say, the minibatch order) shifts no other.
    const seedRng = (stream: string): Rng => new Rng(config.seed, `ppo/${stream}`);
    this.agent = new ActorCritic(env.obsDim, env.singleActionSpace, config, Math.max(this.minibatchSize, numEnvs), seedRng('init'));
    this.optimizer = new Adam(this.agent.params.length, { eps: config.adamEps });
    this.normalizer = config.normObs ? new ObsNormalizer(env.obsDim, config.obsClip) : null;
    if (resume !== undefined) restoreAgent(resume, this.agent, this.optimizer, this.normalizer);
    this.shuffleRng = streamOf(resume, 'minibatches', () => seedRng('minibatches'));
    this.actionRng = streamOf(resume, 'actions', () => seedRng('actions'));
    this.buffer = new RolloutBuffer(config.numSteps, numEnvs, env.obsDim, this.agent.dist.actionWidth, this.agent.dist.maskSize);
    const seed = resume === undefined ? config.seed : resumeResetSeed(config.seed, this.iteration);
    this.collector = new RolloutCollector(env, this.agent, { seed, rng: this.actionRng, normalizer: this.normalizer, resume: resume?.collector });
    this.envStart = this.collector.start;
    this.startStep = this.collector.globalStep;

    const D = env.obsDim;
    const W = this.agent.dist.actionWidth;
    const M = this.agent.dist.maskSize;
    const n = this.minibatchSize;
    this.mb = { n, obs: new Float32Array(n * D), actions: new Float32Array(n * W), masks: M > 0 ? new Uint8Array(n * M) : null };
    this.samples = { oldLogp: new Float64Array(n), advantages: new Float64Array(n), returns: new Float64Array(n), oldValues: new Float64Array(n) };
    this.advScratch = new Float64Array(n);
    this.inds = new Int32Array(this.batchSize);
  }

  get done(): boolean {
    return this.iteration >= this.iterations;
  }

  update(): UpdateStats {
    if (this.done) throw new Error(`PPO: the run has done its ${this.iterations} updates`);
    const { config, agent, buffer, collector, mb, samples, inds, batchSize, minibatchSize, hooks } = this;
    const iteration = ++this.iteration;
    const numIterations = this.iterations;
    // Detail 4: linear annealing from learningRate to 0 (the last update uses lr / numIterations).
    const frac = config.annealLr ? 1 - (iteration - 1) / numIterations : 1;
    const lr = frac * config.learningRate;
    const lossConfig = { ...config, clipCoef: config.annealClip ? frac * config.clipCoef : config.clipCoef };

    collector.collect(buffer, hooks.onEpisode === undefined ? undefined : (episode: EpisodeStatistics) => hooks.onEpisode?.(episode, collector.globalStep));
    computeGae(buffer, config.gamma, config.gaeLambda);

    const D = agent.obsDim;
    const W = agent.dist.actionWidth;
    const M = agent.dist.maskSize;
    // Detail 6: updateEpochs passes over the batch in shuffled minibatches.
    for (let i = 0; i < batchSize; i++) inds[i] = i;
    const sums = { loss: 0, policyLoss: 0, valueLoss: 0, entropy: 0, oldApproxKl: 0, approxKl: 0, clipFraction: 0, gradNorm: 0, count: 0 };
    let stop = false;
    for (let epoch = 0; epoch < config.updateEpochs && !stop; epoch++) {
      shuffle(inds, this.shuffleRng);
      let lastKl = 0;
      for (let first = 0; first + minibatchSize <= batchSize; first += minibatchSize) {
        for (let j = 0; j < minibatchSize; j++) {
          const k = inds[first + j];
          for (let d = 0; d < D; d++) mb.obs[j * D + d] = buffer.obs[k * D + d];
          for (let w = 0; w < W; w++) mb.actions[j * W + w] = buffer.actions[k * W + w];
          if (mb.masks !== null && buffer.masks !== null) for (let m = 0; m < M; m++) mb.masks[j * M + m] = buffer.masks[k * M + m];
          samples.oldLogp[j] = buffer.logprobs[k];
          samples.advantages[j] = buffer.advantages[k];
          samples.returns[j] = buffer.returns[k];
          samples.oldValues[j] = buffer.values[k];
        }
        let stats: PPOLossStats | null = null;
        agent.computeGradients(mb, (inputs) => {
          stats = ppoLoss(inputs, samples, lossConfig, this.advScratch);
        });
        const s = stats as unknown as PPOLossStats;
        const gradNorm = agent.applyGradients(this.optimizer, lr, config.maxGradNorm);
        sums.loss += s.loss;
        sums.policyLoss += s.policyLoss;
        sums.valueLoss += s.valueLoss;
        sums.entropy += s.entropy;
        sums.oldApproxKl += s.oldApproxKl;
        sums.approxKl += s.approxKl;
        sums.clipFraction += s.clipFraction;
        sums.gradNorm += gradNorm;
        sums.count += 1;
        lastKl = s.approxKl;
      }
      if (config.targetKl !== null && lastKl > config.targetKl) stop = true;
    }

    const c = sums.count;
    const stats: UpdateStats = {
      iteration,
      iterations: numIterations,
      globalStep: collector.globalStep,
      episodes: collector.episodeCount,
      learningRate: lr,
      loss: sums.loss / c,
      policyLoss: sums.policyLoss / c,
      valueLoss: sums.valueLoss / c,
      entropy: sums.entropy / c,
      oldApproxKl: sums.oldApproxKl / c,
      approxKl: sums.approxKl / c,
      clipFraction: sums.clipFraction / c,
      gradNorm: sums.gradNorm / c,
      explainedVariance: explainedVariance(buffer.values, buffer.returns),
      stepsPerSecond: (collector.globalStep - this.startStep) / ((performance.now() - this.startTime) / 1000),
    };
    hooks.onUpdate?.(stats);
    return stats;
  }

  state(): TrainingState {
    return {
      algo: 'ppo',
      config: { ...this.config, hidden: [...this.config.hidden] },
      iteration: this.iteration,
      iterations: this.iterations,
      params: this.agent.params.slice(),
      optimizer: this.optimizer.getState(),
      normalizer: this.normalizer?.toJSON() ?? null,
      rngs: { minibatches: this.shuffleRng.getState(), actions: this.actionRng.getState() },
      collector: this.collector.getState(),
    };
  }

  result(): TrainedAgent {
    return { algo: 'ppo', config: { ...this.config }, network: this.agent, normalizer: this.normalizer, optimizer: this.optimizer, globalStep: this.collector.globalStep, state: this.state() };
  }
}

/** Fisher–Yates shuffle from the seeded generator. */
function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
