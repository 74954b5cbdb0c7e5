// RecordReplay (a wrapper: the env behaves exactly as before, each step is also logged) and
// RecordReplayVector (the same for any vector env: sync, async or a native one like CartPole's).

import { type Env, type ResetArgs, type ResetResult, type StepResult, Wrapper, type Info } from '../env.js';
import type { Seed } from '../rng.js';
import { type VectorResetArgs, type VectorResetResult, type VectorStepBuffers, type VectorStepResult, VectorEnv } from '../vector/vector-env.js';
import type { ReplayLogger } from './step-log.js';

/** Logs every step of `env` into `logger`; closing the wrapper closes the logger too. */
export class RecordReplay<Obs, Act> extends Wrapper<Obs, Act> {
  readonly logger: ReplayLogger;
  private readonly obs: Float32Array;
  private info: Info | null = null;
  private episode = -1;
  private stepIndex = 0;
  private seed: number | null = null;

  constructor(env: Env<Obs, Act>, logger: ReplayLogger) {
    super(env);
    this.logger = logger;
    this.obs = new Float32Array(env.observationSpace.flatDim);
  }

  override reset(args?: ResetArgs): ResetResult<Obs> {
    const result = this.env.reset(args);
    this.abandon();
    this.episode = this.logger.newEpisode();
    this.stepIndex = 0;
    this.seed = typeof args?.seed === 'number' ? args.seed : null;
    this.observe(result.observation, result.info);
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    if (this.episode < 0) return result; // stepping before reset: the inner env has already complained, or not ours to judge
    const a = typeof action === 'number' ? action : (action as ArrayLike<number>);
    this.logger.addStep(this.episode, this.stepIndex, this.obs, 0, a, 0, result.reward, result.terminated, result.truncated, this.info, this.seed);
    this.stepIndex++;
    this.observe(result.observation, result.info);
    if (result.terminated || result.truncated) {
      this.logger.addFinal(this.episode, this.stepIndex, this.obs, 0, this.info);
      this.episode = -1;
    }
    return result;
  }

  override close(): void {
    try {
      this.abandon();
      this.logger.close();
    } finally {
      this.env.close();
    }
  }

  private observe(observation: Obs, info: Info): void {
    this.env.observationSpace.flattenInto(observation, this.obs, 0);
    this.info = info;
  }

  /** An episode left unfinished (reset or close mid-episode) still gets its final row. */
  private abandon(): void {
    if (this.episode >= 0) this.logger.addFinal(this.episode, this.stepIndex, this.obs, 0, this.info);
    this.episode = -1;
  }
}

/** A vector env that can be told the policy's log-probabilities and values before each step. */
export interface PolicyOutputSink {
  /** Sub-env i's log-probability and value for the coming step are `logprobs[offset + i]`, `values[offset + i]`. */
  recordPolicyOutputs(logprobs: ArrayLike<number>, values: ArrayLike<number>, offset: number): void;
}

/** True when `env` takes policy outputs (a RecordReplayVector does). */
export function isPolicyOutputSink(env: unknown): env is PolicyOutputSink {
  return typeof (env as Partial<PolicyOutputSink>).recordPolicyOutputs === 'function';
}

/**
 * Logs every sub-env's steps of a vector env into one log, each episode under its own id. The
 * inner env's results pass through unchanged, `out` buffers included.
 */
export class RecordReplayVector extends VectorEnv implements PolicyOutputSink {
  readonly env: VectorEnv;
  readonly logger: ReplayLogger;
  private readonly obs: Float32Array;
  private infos: readonly Info[] = [];
  private readonly episode: Float64Array;
  private readonly stepIndex: Int32Array;
  private readonly seeds: (number | null)[];
  private readonly logprobs: Float64Array;
  private readonly values: Float64Array;
  private started = false;
  private hasPolicyOutputs = false;

  constructor(env: VectorEnv, logger: ReplayLogger) {
    super(env.numEnvs, env.singleObservationSpace, env.singleActionSpace);
    this.env = env;
    this.logger = logger;
    this.spec = env.spec;
    Object.assign(this.metadata, env.metadata);
    const n = env.numEnvs;
    this.obs = new Float32Array(n * env.obsDim);
    this.episode = new Float64Array(n).fill(-1);
    this.stepIndex = new Int32Array(n);
    this.seeds = new Array<number | null>(n).fill(null);
    this.logprobs = new Float64Array(n).fill(NaN);
    this.values = new Float64Array(n).fill(NaN);
  }

  reset(args: VectorResetArgs = {}): VectorResetResult {
    const result = this.env.reset(args);
    this.abandon();
    const seeds = seedList(args.seed, this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) {
      this.episode[i] = this.logger.newEpisode();
      this.stepIndex[i] = 0;
      this.seeds[i] = seeds[i];
    }
    this.obs.set(result.observations);
    this.infos = result.infos;
    this.started = true;
    return result;
  }

  step(actions: ArrayLike<number>, out?: VectorStepBuffers): VectorStepResult {
    const result = this.env.step(actions, out);
    if (!this.started) return result;
    const { numEnvs: n, obsDim: d, logger } = this;
    const { rewards, terminations, truncations, finalObservations, finalInfos } = result;
    // All step rows first, then the final rows of the episodes that ended: still in time order
    // within every episode, and the step rows go in with bulk copies.
    logger.addSteps(n, this.episode, this.stepIndex, this.obs, actions, rewards, terminations, truncations, this.infos, this.seeds, this.logprobs, this.values);
    for (let i = 0; i < n; i++) {
      if (terminations[i] === 1 || truncations[i] === 1) {
        logger.addFinal(this.episode[i], this.stepIndex[i] + 1, finalObservations!, i * d, finalInfos?.[i] ?? null);
        this.episode[i] = logger.newEpisode();
        this.stepIndex[i] = 0;
        this.seeds[i] = null; // autoreset continues the sub-env's generator: no seed of its own
      } else {
        this.stepIndex[i]++;
      }
    }
    if (this.hasPolicyOutputs) {
      this.logprobs.fill(NaN);
      this.values.fill(NaN);
      this.hasPolicyOutputs = false;
    }
    this.obs.set(result.observations);
    this.infos = result.infos;
    return result;
  }

  recordPolicyOutputs(logprobs: ArrayLike<number>, values: ArrayLike<number>, offset: number): void {
    for (let i = 0; i < this.numEnvs; i++) {
      this.logprobs[i] = logprobs[offset + i];
      this.values[i] = values[offset + i];
    }
    this.hasPolicyOutputs = true;
  }

  close(): void {
    try {
      this.abandon();
      this.logger.close();
    } finally {
      this.env.close();
    }
  }

  private abandon(): void {
    if (!this.started) return;
    const d = this.obsDim;
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.episode[i] >= 0) this.logger.addFinal(this.episode[i], this.stepIndex[i], this.obs, i * d, this.infos[i] ?? null);
      this.episode[i] = -1;
    }
    this.started = false;
  }
}

/** The seed each sub-env's first episode starts from (the VectorEnv rule: seed + i). */
function seedList(seed: Seed | readonly (Seed | undefined)[] | undefined, n: number): (number | null)[] {
  if (seed === undefined) return new Array<number | null>(n).fill(null);
  if (typeof seed === 'number') return Array.from({ length: n }, (_, i) => seed + i);
  return Array.from({ length: n }, (_, i) => (typeof seed[i] === 'number' ? (seed[i] as number) : null));
}
