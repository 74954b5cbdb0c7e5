// On-policy rollouts shared by PPO and A2C: the buffer of T steps × N envs, the collector that
// fills it from a vector env (actions sampled in plain JS, masks honoured, observations
// normalised, episode statistics tallied), and generalised advantage estimation.

import type { Info } from '../src/env.js';
import type { Rng } from '../src/rng.js';
import { isPolicyOutputSink } from '../src/replay/record-replay.js';
import { type VectorEnv, type VectorEnvState, type VectorStepBuffers, isRestorable } from '../src/vector/vector-env.js';
import type { EpisodeStatistics } from '../src/wrappers/record-episode-statistics.js';
import type { ActorCritic } from './actor-critic.js';
import type { ObsNormalizer } from './obs-norm.js';

/** T steps of N envs; index k = t·N + i for step t of env i. */
export class RolloutBuffer {
  readonly numSteps: number;
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionWidth: number;
  readonly maskSize: number;
  /** The (normalised) observations the actions were chosen from. */
  readonly obs: Float32Array;
  /** Sampled actions (categorical: 0-based indices; Gaussian: unclipped). */
  readonly actions: Float32Array;
  /** The action masks in force (1 = allowed), or null for spaces without masks. */
  readonly masks: Uint8Array | null;
  readonly logprobs: Float64Array;
  readonly rewards: Float64Array;
  readonly values: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** V(final observation) where the step was truncated: the bootstrap past a time limit. */
  readonly bootstrapValues: Float64Array;
  /** V(observation after the last step), per env. */
  readonly lastValues: Float64Array;
  readonly advantages: Float64Array;
  readonly returns: Float64Array;

  constructor(numSteps: number, numEnvs: number, obsDim: number, actionWidth: number, maskSize: number) {
    const size = numSteps * numEnvs;
    this.numSteps = numSteps;
    this.numEnvs = numEnvs;
    this.obsDim = obsDim;
    this.actionWidth = actionWidth;
    this.maskSize = maskSize;
    this.obs = new Float32Array(size * obsDim);
    this.actions = new Float32Array(size * actionWidth);
    this.masks = maskSize > 0 ? new Uint8Array(size * maskSize) : null;
    this.logprobs = new Float64Array(size);
    this.rewards = new Float64Array(size);
    this.values = new Float64Array(size);
    this.terminated = new Uint8Array(size);
    this.truncated = new Uint8Array(size);
    this.bootstrapValues = new Float64Array(size);
    this.lastValues = new Float64Array(numEnvs);
    this.advantages = new Float64Array(size);
    this.returns = new Float64Array(size);
  }

  get size(): number {
    return this.numSteps * this.numEnvs;
  }
}

/**
 * Generalised advantage estimation (Schulman et al. 2016), PPO detail 5, writing
 * `buffer.advantages` and `buffer.returns` (= advantages + values, the value targets).
 *
 *   δ_t = r_t + γ · V(next) − V(s_t),    A_t = δ_t + γλ · A_{t+1} (while the episode goes on)
 *
 * V(next) is 0 after a termination (the MDP ended), V(final observation) after a truncation (a
 * time limit cut it short: bootstrap, do not treat it as an ending), else V(s_{t+1}). Either way
 * the recursion stops at an episode's end: the next row is another episode. λ = 1 gives A2C's
 * n-step returns.
 */
export function computeGae(buffer: RolloutBuffer, gamma: number, lambda: number): void {
  const { numSteps: T, numEnvs: N, rewards, values, terminated, truncated, bootstrapValues, lastValues, advantages, returns } = buffer;
  for (let i = 0; i < N; i++) {
    let next = 0; // A_{t+1}
    for (let t = T - 1; t >= 0; t--) {
      const k = t * N + i;
      let nextValue: number;
      let goesOn: number;
      if (terminated[k] === 1) {
        nextValue = 0;
        goesOn = 0;
      } else if (truncated[k] === 1) {
        nextValue = bootstrapValues[k];
        goesOn = 0;
      } else {
        nextValue = t === T - 1 ? lastValues[i] : values[k + N];
        goesOn = 1;
      }
      const delta = rewards[k] + gamma * nextValue - values[k];
      next = delta + gamma * lambda * goesOn * next;
      advantages[k] = next;
      returns[k] = next + values[k];
    }
  }
}

/** Options of a RolloutCollector. */
export interface CollectorOptions {
  /** Seed of the first reset (sub-env i gets seed + i). */
  seed: number;
  /** Draws the sampled actions. */
  rng: Rng;
  /** Normalises observations (and learns their statistics as it goes), or null. */
  normalizer: ObsNormalizer | null;
  /**
   * Continue from a saved collector. Where the state holds the env's state and the env can take
   * it, the env continues mid-episode; otherwise the env is reset with `seed` (a fresh start:
   * the episodes in flight are cut, their partial returns dropped).
   */
  resume?: CollectorState;
}

/** A collector's saved state, between two rollouts. */
export interface CollectorState {
  globalStep: number;
  episodeCount: number;
  /** The (normalised) observations and masks the next actions are chosen from. */
  nextObs: number[];
  nextMasks: number[] | null;
  /** Return and length so far of each sub-env's episode in flight. */
  episodeReturn: number[];
  episodeLength: number[];
  /** The vector env's state, or null where it cannot be captured (see RestorableVectorEnv). */
  env: VectorEnvState | null;
}

/**
 * Steps a vector env with the agent's current policy. It keeps the env's state between calls,
 * so consecutive rollouts continue the same episodes, and tallies each sub-env's episode return
 * and length as RecordEpisodeStatistics does (native vector envs such as CartPole's cannot be
 * wrapped per sub-env).
 */
export class RolloutCollector {
  readonly env: VectorEnv;
  readonly agent: ActorCritic;
  /** Env steps taken so far (all sub-envs counted). */
  globalStep = 0;
  /** Finished episodes so far. */
  episodeCount = 0;
  /** How this collector started: a fresh reset, or a resumed env that continues its episodes. */
  readonly start: 'reset' | 'restored' | 'resumed-with-reset';
  private readonly rng: Rng;
  private readonly normalizer: ObsNormalizer | null;
  private readonly stepBuffers: VectorStepBuffers;
  private readonly nextObs: Float32Array;
  private readonly nextMasks: Uint8Array | null;
  private readonly outputs: Float32Array;
  private readonly values: Float32Array;
  private readonly sampled: Float32Array;
  private readonly envActions: Float64Array;
  private readonly finalRow: Float32Array;
  private readonly finalValue = new Float32Array(1);
  private readonly episodeReturn: Float64Array;
  private readonly episodeLength: Int32Array;
  private readonly episodeStart: Float64Array;

  constructor(env: VectorEnv, agent: ActorCritic, options: CollectorOptions) {
    const n = env.numEnvs;
    if (agent.obsDim !== env.obsDim) throw new RangeError(`RolloutCollector: the network takes ${agent.obsDim} observation values, the env gives ${env.obsDim}`);
    if (agent.dist.actionWidth !== env.actionWidth) throw new RangeError(`RolloutCollector: the policy gives ${agent.dist.actionWidth} action values, the env takes ${env.actionWidth}`);
    this.env = env;
    this.agent = agent;
    this.rng = options.rng;
    this.normalizer = options.normalizer;
    this.stepBuffers = env.createStepBuffers();
    this.nextObs = new Float32Array(n * env.obsDim);
    this.nextMasks = agent.dist.maskSize > 0 ? new Uint8Array(n * agent.dist.maskSize) : null;
    this.outputs = new Float32Array(n * agent.dist.outputs);
    this.values = new Float32Array(n);
    this.sampled = new Float32Array(n * agent.dist.actionWidth);
    this.envActions = new Float64Array(n * env.actionWidth);
    this.finalRow = new Float32Array(env.obsDim);
    this.episodeReturn = new Float64Array(n);
    this.episodeLength = new Int32Array(n);
    this.episodeStart = new Float64Array(n).fill(performance.now());
    const resume = options.resume;
    if (resume !== undefined) {
      this.globalStep = resume.globalStep;
      this.episodeCount = resume.episodeCount;
    }
    if (resume !== undefined && resume.env !== null && isRestorable(env)) {
      env.setState(resume.env);
      this.nextObs.set(resume.nextObs);
      if (this.nextMasks !== null && resume.nextMasks !== null) this.nextMasks.set(resume.nextMasks);
      this.episodeReturn.set(resume.episodeReturn);
      this.episodeLength.set(resume.episodeLength);
      this.start = 'restored';
      return;
    }
    const { observations, infos } = env.reset({ seed: options.seed });
    this.observe(observations, infos);
    this.start = resume === undefined ? 'reset' : 'resumed-with-reset';
  }

  /** A copy of the state, for a checkpoint between rollouts. */
  getState(): CollectorState {
    return {
      globalStep: this.globalStep,
      episodeCount: this.episodeCount,
      nextObs: Array.from(this.nextObs),
      nextMasks: this.nextMasks === null ? null : Array.from(this.nextMasks),
      episodeReturn: Array.from(this.episodeReturn),
      episodeLength: Array.from(this.episodeLength),
      env: isRestorable(this.env) ? this.env.getState() : null,
    };
  }

  /** Fills `buffer` with the next T steps of every sub-env; `onEpisode` hears each finished episode. */
  collect(buffer: RolloutBuffer, onEpisode?: (episode: EpisodeStatistics, env: number) => void): void {
    const { env, agent } = this;
    const { dist } = agent;
    const N = env.numEnvs;
    const D = env.obsDim;
    const W = dist.actionWidth;
    const M = dist.maskSize;
    for (let t = 0; t < buffer.numSteps; t++) {
      const row = t * N;
      buffer.obs.set(this.nextObs, row * D);
      if (buffer.masks !== null && this.nextMasks !== null) buffer.masks.set(this.nextMasks, row * M);
      agent.actorForward(this.nextObs, N, this.outputs);
      agent.value(this.nextObs, N, this.values);
      for (let i = 0; i < N; i++) {
        buffer.logprobs[row + i] = dist.sample(this.outputs, i, this.nextMasks, agent.params, this.rng, this.sampled);
        buffer.values[row + i] = this.values[i];
        dist.toEnv(this.sampled, i, this.envActions);
      }
      buffer.actions.set(this.sampled, row * W);
      if (isPolicyOutputSink(env)) env.recordPolicyOutputs(buffer.logprobs, buffer.values, row); // a replay log records them
      const result = env.step(this.envActions, this.stepBuffers);
      this.globalStep += N;
      for (let i = 0; i < N; i++) {
        const k = row + i;
        buffer.rewards[k] = result.rewards[i];
        buffer.terminated[k] = result.terminations[i];
        buffer.truncated[k] = result.truncations[i];
        this.episodeReturn[i] += result.rewards[i];
        this.episodeLength[i] += 1;
        if (result.terminations[i] === 0 && result.truncations[i] === 0) continue;
        if (result.truncations[i] === 1 && result.terminations[i] === 0 && result.finalObservations !== null) {
          // Value of where the time limit stopped us, normalised with the current statistics.
          this.finalRow.set(result.finalObservations.subarray(i * D, (i + 1) * D));
          this.normalizer?.normalize(this.finalRow, 1, this.finalRow, false);
          agent.value(this.finalRow, 1, this.finalValue);
          buffer.bootstrapValues[k] = this.finalValue[0];
        }
        const now = performance.now();
        this.episodeCount += 1;
        onEpisode?.({ r: this.episodeReturn[i], l: this.episodeLength[i], t: Math.round(now - this.episodeStart[i]) / 1000 }, i);
        this.episodeReturn[i] = 0;
        this.episodeLength[i] = 0;
        this.episodeStart[i] = now;
      }
      this.observe(result.observations, result.infos);
    }
    agent.value(this.nextObs, N, this.values);
    for (let i = 0; i < N; i++) buffer.lastValues[i] = this.values[i];
  }

  /** Takes in the observations and masks the next actions are chosen from. */
  private observe(observations: Float32Array, infos: readonly Info[]): void {
    if (this.normalizer === null) this.nextObs.set(observations);
    else this.normalizer.normalize(observations, this.env.numEnvs, this.nextObs, true);
    const masks = this.nextMasks;
    if (masks === null) return;
    const M = this.agent.dist.maskSize;
    for (let i = 0; i < this.env.numEnvs; i++) {
      const mask = infos[i]?.actionMask;
      if (mask === undefined) {
        masks.fill(1, i * M, (i + 1) * M);
      } else if (mask instanceof Uint8Array && mask.length === M) {
        masks.set(mask, i * M);
      } else {
        throw new TypeError(`sub-env ${i}: info.actionMask must be a Uint8Array of length ${M}, got ${describe(mask)}`);
      }
    }
  }
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of length ${(value as Uint8Array).length}`;
  return typeof value;
}
