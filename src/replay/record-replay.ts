// RecordReplay (a wrapper: the env behaves exactly as before, each step is also logged) and
// RecordReplayVector (the same for any vector env: sync, async or a native one like CartPole's).

import { type Env, type ResetArgs, type ResetResult, type StepResult, Wrapper, type Info } from '../env.js';
import type { Seed } from '../rng.js';
import { type VectorResetArgs, type VectorResetResult, type VectorStepBuffers, type VectorStepResult, VectorEnv } from '../vector/vector-env.js';
import path from 'node:path';
import type { Space } from '../spaces/space.js';
import { checkLogDirectory } from './segments.js';
import { maskSizeOf, numericInfoKeys, ReplayLogger, type ReplayLoggerOptions, STEP_LOG_PREFIX } from './step-log.js';

/**
 * Where and how to log when the wrapper opens the logger itself, at the first step: the spaces
 * come from the env, and unless given, `infoKeys` from the numeric keys of the first reset's and
 * step's infos and `maskSize` from the first `info.actionMask`. The directory is checked at once.
 */
export type ReplayTarget = { dir: string } & Partial<ReplayLoggerOptions>;

/** A logger, or the target to open one for, once the first infos are known. */
class LazyLogger {
  private logger: ReplayLogger | null;
  private readonly target: ReplayTarget | null;

  constructor(target: ReplayLogger | ReplayTarget) {
    if (target instanceof ReplayLogger) {
      this.logger = target;
      this.target = null;
    } else {
      checkLogDirectory(path.resolve(target.dir), STEP_LOG_PREFIX, target.append === true);
      this.logger = null;
      this.target = target;
    }
  }

  get opened(): ReplayLogger | null {
    return this.logger;
  }

  open(envId: string | undefined, observationSpace: Space<unknown>, actionSpace: Space<unknown>, numEnvs: number, resetInfo: Info | null | undefined, stepInfo: Info | null | undefined): ReplayLogger {
    if (this.logger !== null) return this.logger;
    const t = this.target!;
    this.logger = new ReplayLogger(t.dir, {
      ...t,
      envId: t.envId ?? envId ?? 'unknown',
      observationSpace, actionSpace, numEnvs,
      infoKeys: t.infoKeys ?? numericInfoKeys(resetInfo, stepInfo),
      maskSize: t.maskSize ?? maskSizeOf(resetInfo),
    });
    return this.logger;
  }
}

/** Logs every step of `env` into a step log; closing the wrapper closes the log too. */
export class RecordReplay<Obs, Act> extends Wrapper<Obs, Act> {
  private readonly lazy: LazyLogger;
  private readonly obs: Float32Array;
  private info: Info | null = null;
  private episode = -1;
  private stepIndex = 0;
  private seed: number | null = null;

  constructor(env: Env<Obs, Act>, target: ReplayLogger | ReplayTarget) {
    super(env);
    this.lazy = new LazyLogger(target);
    this.obs = new Float32Array(env.observationSpace.flatDim);
  }

  override reset(args?: ResetArgs): ResetResult<Obs> {
    const result = this.env.reset(args);
    this.abandon();
    this.episode = this.lazy.opened?.newEpisode() ?? LAZY;
    this.stepIndex = 0;
    this.seed = typeof args?.seed === 'number' ? args.seed : null;
    this.observe(result.observation, result.info);
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    if (this.episode === -1) return result; // stepping before reset: the inner env has complained already, or it is not ours to judge
    const a = typeof action === 'number' ? action : (action as ArrayLike<number>);
    const logger = this.lazy.open(this.env.spec?.id, this.env.observationSpace, this.env.actionSpace, 1, this.info, result.info);
    if (this.episode === LAZY) this.episode = logger.newEpisode();
    logger.addStep(this.episode, this.stepIndex, this.obs, 0, a, 0, result.reward, result.terminated, result.truncated, this.info, this.seed);
    this.stepIndex++;
    this.observe(result.observation, result.info);
    if (result.terminated || result.truncated) {
      logger.addFinal(this.episode, this.stepIndex, this.obs, 0, this.info);
      this.episode = -1;
    }
    return result;
  }

  /** The logger, once the first step has opened it (or the one given). */
  get logger(): ReplayLogger | null {
    return this.lazy.opened;
  }

  override close(): void {
    try {
      this.abandon();
      this.lazy.opened?.close();
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
    if (this.episode >= 0) this.lazy.opened!.addFinal(this.episode, this.stepIndex, this.obs, 0, this.info);
    this.episode = -1;
  }
}

/** Episode id of an episode that began before the logger was opened (it gets one at its first step). */
const LAZY = -2;

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
  private readonly lazy: LazyLogger;
  private readonly obs: Float32Array;
  private infos: readonly Info[] = [];
  private readonly episode: Float64Array;
  private readonly stepIndex: Int32Array;
  private readonly seeds: (number | null)[];
  private readonly logprobs: Float64Array;
  private readonly values: Float64Array;
  private started = false;
  private hasPolicyOutputs = false;

  constructor(env: VectorEnv, target: ReplayLogger | ReplayTarget) {
    super(env.numEnvs, env.singleObservationSpace, env.singleActionSpace);
    this.env = env;
    this.lazy = new LazyLogger(target);
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
      this.episode[i] = this.lazy.opened?.newEpisode() ?? LAZY;
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
    const { numEnvs: n, obsDim: d } = this;
    const logger = this.lazy.open(this.env.spec?.id, this.singleObservationSpace, this.singleActionSpace, n, this.infos[0], result.infos[0]);
    if (this.episode[0] === LAZY) for (let i = 0; i < n; i++) this.episode[i] = logger.newEpisode();
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
      this.lazy.opened?.close();
    } finally {
      this.env.close();
    }
  }

  /** The logger, once the first step has opened it (or the one given). */
  get logger(): ReplayLogger | null {
    return this.lazy.opened;
  }

  private abandon(): void {
    const logger = this.lazy.opened;
    if (!this.started || logger === null) return;
    const d = this.obsDim;
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.episode[i] >= 0) logger.addFinal(this.episode[i], this.stepIndex[i], this.obs, i * d, this.infos[i] ?? null);
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
