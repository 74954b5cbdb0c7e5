// Synchronous advantage actor-critic (A2C; Mnih et al. 2016, synchronous as in OpenAI Baselines
// and Stable-Baselines3): short n-step rollouts from a vector env, one gradient step per rollout
// on the whole batch. Shares the network, masking and rollout code with PPO.

import { Rng } from '../src/rng.js';
import type { VectorEnv } from '../src/vector/vector-env.js';
import type { EpisodeStatistics } from '../src/wrappers/record-episode-statistics.js';
import { ActorCritic, type LossInputs } from './actor-critic.js';
import { ObsNormalizer } from './obs-norm.js';
import { Adam, type Optimizer, RMSprop } from './optim.js';
import { RolloutBuffer, RolloutCollector, computeGae } from './rollout.js';
import {
  type TrainedAgent, type Trainer, type TrainerOptions, type TrainHooks, type TrainingState, type UpdateStats, explainedVariance, mergeConfig, restoreAgent, resumeResetSeed, runToEnd, streamOf,
} from './training.js';

/** A2C's hyper-parameters. Defaults are Stable-Baselines3's A2C. */
export interface A2CConfig {
  /** Env steps to train for, all sub-envs counted. */
  totalTimesteps: number;
  /** Seeds weights, action sampling and the envs' first reset. */
  seed: number;
  /** The optimiser's learning rate (at the start, when annealed). */
  learningRate: number;
  /** Steps each sub-env takes per update: the n of the n-step returns. */
  numSteps: number;
  /** Linearly anneal the learning rate to 0 over training. */
  annealLr: boolean;
  /** Discount factor γ. */
  gamma: number;
  /** GAE's λ; 1 gives plain n-step returns, as the original A2C. */
  gaeLambda: number;
  /** Normalise advantages over the batch (off in A2C as published). */
  normAdv: boolean;
  /** Entropy bonus coefficient. */
  entCoef: number;
  /** Value loss coefficient. */
  vfCoef: number;
  /** Global gradient-norm clipping threshold. */
  maxGradNorm: number;
  /** RMSprop (A2C's original optimiser) or Adam. */
  optimizer: 'rmsprop' | 'adam';
  /** RMSprop's decay α. */
  rmspropAlpha: number;
  /** The optimiser's ε. */
  optimizerEps: number;
  /** Hidden layer widths of the actor and critic MLPs. */
  hidden: number[];
  /** One body for actor and critic with two heads, instead of two MLPs. */
  sharedNetwork: boolean;
  /** Normalise observations with running statistics, saved with the policy. */
  normObs: boolean;
  /** Clip normalised observations to ±this. */
  obsClip: number;
}

export const A2C_DEFAULTS: Readonly<A2CConfig> = Object.freeze({
  totalTimesteps: 500_000,
  seed: 1,
  learningRate: 7e-4,
  numSteps: 5,
  annealLr: false,
  gamma: 0.99,
  gaeLambda: 1.0,
  normAdv: false,
  entCoef: 0.0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  optimizer: 'rmsprop',
  rmspropAlpha: 0.99,
  optimizerEps: 1e-5,
  hidden: [64, 64],
  sharedNetwork: false,
  normObs: false,
  obsClip: 10,
});

/** One update's loss terms. */
export interface A2CLossStats {
  loss: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
}

/**
 * A2C's loss on the batch, with its gradient per sample written into `inputs`:
 *
 *   loss = −mean(A · log π(a|s)) − entCoef · mean(H) + vfCoef · mean((R − V)²)
 *
 * where A are the (fixed) advantages and R the n-step returns.
 */
export function a2cLoss(inputs: LossInputs, advantages: Float64Array, returns: Float64Array, config: Pick<A2CConfig, 'normAdv' | 'entCoef' | 'vfCoef'>): A2CLossStats {
  const { n, logp, entropy, value, dLogp, dEntropy, dValue } = inputs;
  let mean = 0;
  let std = 1;
  if (config.normAdv) {
    for (let i = 0; i < n; i++) mean += advantages[i];
    mean /= n;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (advantages[i] - mean) ** 2;
    std = Math.sqrt(sq / Math.max(1, n - 1)) + 1e-8;
  }
  let pgLoss = 0;
  let vLoss = 0;
  let entropyMean = 0;
  for (let i = 0; i < n; i++) {
    const adv = (advantages[i] - mean) / std;
    pgLoss += -adv * logp[i];
    dLogp[i] = -adv / n;
    entropyMean += entropy[i];
    dEntropy[i] = -config.entCoef / n;
    const error = value[i] - returns[i];
    vLoss += error * error;
    dValue[i] = (2 * config.vfCoef * error) / n;
  }
  pgLoss /= n;
  vLoss /= n;
  entropyMean /= n;
  return { loss: pgLoss - config.entCoef * entropyMean + config.vfCoef * vLoss, policyLoss: pgLoss, valueLoss: vLoss, entropy: entropyMean };
}

/** Trains an A2C agent on `env` and returns it. Select a tensor backend first. With `resume`, continues a saved run. */
export function trainA2C(env: VectorEnv, options: Partial<A2CConfig> = {}, hooks: TrainHooks = {}, trainer: TrainerOptions = {}): TrainedAgent {
  return runToEnd(new A2CTrainer(env, options, hooks, trainer));
}

/** A2C one update at a time (what `trainA2C` loops over), for runs that checkpoint or stop. */
export class A2CTrainer implements Trainer {
  readonly algo = 'a2c';
  readonly config: A2CConfig;
  readonly iterations: number;
  iteration: number;
  readonly envStart: Trainer['envStart'];
  private readonly hooks: TrainHooks;
  private readonly agent: ActorCritic;
  private readonly optimizer: Optimizer;
  private readonly normalizer: ObsNormalizer | null;
  private readonly actionRng: Rng;
  private readonly buffer: RolloutBuffer;
  private readonly collector: RolloutCollector;
  private readonly batchSize: number;
  private readonly startStep: number;
  private readonly startTime = performance.now();

  constructor(env: VectorEnv, options: Partial<A2CConfig> = {}, hooks: TrainHooks = {}, { resume }: TrainerOptions = {}) {
    const config = mergeConfig(A2C_DEFAULTS, options, resume, 'a2c');
    this.config = config;
    this.hooks = hooks;
    this.batchSize = env.numEnvs * config.numSteps;
    this.iterations = Math.floor(config.totalTimesteps / this.batchSize);
    this.iteration = resume?.iteration ?? 0;
    if (this.iterations < 1) throw new RangeError(`A2C: totalTimesteps ${config.totalTimesteps} is less than one batch of ${this.batchSize} (numEnvs × numSteps)`);

    const seedRng = (stream: string): Rng => new Rng(config.seed, `a2c/${stream}`);
    this.agent = new ActorCritic(env.obsDim, env.singleActionSpace, config, this.batchSize, seedRng('init'));
    this.optimizer =
      config.optimizer === 'adam' ? new Adam(this.agent.params.length, { eps: config.optimizerEps }) : new RMSprop(this.agent.params.length, { alpha: config.rmspropAlpha, eps: config.optimizerEps });
    this.normalizer = config.normObs ? new ObsNormalizer(env.obsDim, config.obsClip) : null;
    if (resume !== undefined) restoreAgent(resume, this.agent, this.optimizer, this.normalizer);
    this.actionRng = streamOf(resume, 'actions', () => seedRng('actions'));
    this.buffer = new RolloutBuffer(config.numSteps, env.numEnvs, env.obsDim, this.agent.dist.actionWidth, this.agent.dist.maskSize);
    const seed = resume === undefined ? config.seed : resumeResetSeed(config.seed, this.iteration);
    this.collector = new RolloutCollector(env, this.agent, { seed, rng: this.actionRng, normalizer: this.normalizer, resume: resume?.collector });
    this.envStart = this.collector.start;
    this.startStep = this.collector.globalStep;
  }

  get done(): boolean {
    return this.iteration >= this.iterations;
  }

  update(): UpdateStats {
    if (this.done) throw new Error(`A2C: the run has done its ${this.iterations} updates`);
    const { config, agent, buffer, collector, hooks, batchSize } = this;
    const iteration = ++this.iteration;
    const frac = config.annealLr ? 1 - (iteration - 1) / this.iterations : 1;
    const lr = frac * config.learningRate;
    collector.collect(buffer, hooks.onEpisode === undefined ? undefined : (episode: EpisodeStatistics) => hooks.onEpisode?.(episode, collector.globalStep));
    computeGae(buffer, config.gamma, config.gaeLambda);

    // One gradient step on the whole batch, in rollout order (no shuffling: each sample is used once).
    let stats: A2CLossStats | null = null;
    agent.computeGradients({ n: batchSize, obs: buffer.obs, actions: buffer.actions, masks: buffer.masks }, (inputs) => {
      stats = a2cLoss(inputs, buffer.advantages, buffer.returns, config);
    });
    const s = stats as unknown as A2CLossStats;
    const gradNorm = agent.applyGradients(this.optimizer, lr, config.maxGradNorm);

    const update: UpdateStats = {
      iteration,
      iterations: this.iterations,
      globalStep: collector.globalStep,
      episodes: collector.episodeCount,
      learningRate: lr,
      loss: s.loss,
      policyLoss: s.policyLoss,
      valueLoss: s.valueLoss,
      entropy: s.entropy,
      // One step on fresh data, unclipped: the policy the batch came from is the one the loss
      // sees, so there is no KL between them to estimate and nothing to clip.
      oldApproxKl: NaN,
      approxKl: NaN,
      clipFraction: NaN,
      gradNorm,
      explainedVariance: explainedVariance(buffer.values, buffer.returns),
      stepsPerSecond: (collector.globalStep - this.startStep) / ((performance.now() - this.startTime) / 1000),
    };
    hooks.onUpdate?.(update);
    return update;
  }

  state(): TrainingState {
    return {
      algo: 'a2c',
      config: { ...this.config, hidden: [...this.config.hidden] },
      iteration: this.iteration,
      iterations: this.iterations,
      params: this.agent.params.slice(),
      optimizer: this.optimizer.getState(),
      normalizer: this.normalizer?.toJSON() ?? null,
      rngs: { actions: this.actionRng.getState() },
      collector: this.collector.getState(),
    };
  }

  result(): TrainedAgent {
    return { algo: 'a2c', config: { ...this.config }, network: this.agent, normalizer: this.normalizer, optimizer: this.optimizer, globalStep: this.collector.globalStep, state: this.state() };
  }
}
