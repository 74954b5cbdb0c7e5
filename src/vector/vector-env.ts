// The vector env contract: N copies of an env stepped together, with batched observations as one
// Float32Array and actions as one typed array. All vector envs share the autoreset rule below.

import type { Info } from '../env.js';
import type { EnvSpec } from '../registry.js';
import type { Seed } from '../rng.js';
import { Box } from '../spaces/box.js';
import { flattenSpace, batchBox } from '../spaces/flatten.js';
import type { Space } from '../spaces/space.js';
import { actionWidth, batchActionSpace } from './batching.js';

/**
 * Autoreset rule, the same for every vector env here: **same-step**. When sub-env i terminates
 * or truncates in `step`, it is reset within that same call. The returned row i of
 * `observations` is then the first observation of the new episode, row i of
 * `finalObservations` is the last observation of the finished one, `finalInfos[i]` its last
 * info, and `infos[i]` the reset's info (so an `actionMask` there is valid for the next action).
 *
 * Why same-step rather than Gymnasium 1.x's default next-step: every transition a rollout
 * stores is a real (s, a, r, s′) with the action used, so buffers need no "dead step" masking,
 * and a truncated episode's final observation is at hand for bootstrapping the value, which
 * PPO and A2C need. It is Gymnasium's `AutoresetMode.SAME_STEP` with `final_obs`/`final_info`.
 */
export const AUTORESET_MODE = 'same-step';

/** Arguments of a vector env's `reset`. */
export interface VectorResetArgs {
  /** One seed (sub-env i gets seed + i, as Gymnasium) or one per sub-env. */
  seed?: Seed | readonly (Seed | undefined)[];
  /** Passed to every sub-env's reset. */
  options?: Record<string, unknown>;
}

/** What a vector env's `reset` returns. */
export interface VectorResetResult {
  /** numEnvs × obsDim, row i the flat observation of sub-env i. */
  observations: Float32Array;
  infos: Info[];
}

/**
 * Arrays a vector env's `step` may write into instead of allocating (make them with
 * `createStepBuffers()`): for rollout loops that copy results out anyway and want no garbage.
 */
export interface VectorStepBuffers {
  observations: Float32Array;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
  /** Rows are written only for sub-envs that finished; other rows keep older contents. */
  finalObservations: Float32Array;
}

/**
 * What a vector env's `step` returns. Without `out` every array is fresh, so later steps never
 * overwrite it; with `out` the arrays are `out`'s, overwritten by the next step into `out`.
 */
export interface VectorStepResult {
  /** numEnvs × obsDim; rows of finished sub-envs hold the new episode's first observation. */
  observations: Float32Array;
  rewards: Float64Array;
  /** 1 where sub-env i reached a terminal state. */
  terminations: Uint8Array;
  /** 1 where sub-env i was truncated (time limit). */
  truncations: Uint8Array;
  /** Per sub-env info (for finished ones: the reset's info). */
  infos: Info[];
  /** numEnvs × obsDim, rows valid where terminations[i] or truncations[i]; null if none finished. */
  finalObservations: Float32Array | null;
  /** The finished episodes' last infos (null elsewhere); null if none finished. */
  finalInfos: (Info | null)[] | null;
}

/**
 * The whole state of a vector env as JSON-safe data (sub-env states, their random generators,
 * step counters), tagged with the class that wrote it. Checkpoints carry it so that a resumed
 * training run continues the very episodes it was in.
 */
export interface VectorEnvState {
  kind: string;
  data: unknown;
}

/**
 * A vector env that can hand out its state and continue from one: after `setState(getState())`
 * on an env built with the same arguments, every later step equals the original's, bit for bit.
 * Envs whose state holds closures or pending events (the edge simulator) do not offer this.
 */
export interface RestorableVectorEnv {
  getState(): VectorEnvState;
  /** Throws, naming what differs, when the state came from another kind or size of env. */
  setState(state: VectorEnvState): void;
}

/** Whether `env` can save and restore its state (see RestorableVectorEnv). */
export function isRestorable(env: VectorEnv): env is VectorEnv & RestorableVectorEnv {
  const e = env as Partial<RestorableVectorEnv>;
  return typeof e.getState === 'function' && typeof e.setState === 'function';
}

/** N copies of an env stepped in lockstep. See AUTORESET_MODE for what happens at episode ends. */
export abstract class VectorEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<unknown>;
  readonly singleActionSpace: Space<unknown>;
  /** Box of shape [numEnvs, obsDim]: the flat encodings of the sub-envs' observations. */
  readonly observationSpace: Box<'float32'>;
  /** The batched action space; its samples have the layout `step` takes. */
  readonly actionSpace: Space<ArrayLike<number>>;
  /** Length of one flat observation. */
  readonly obsDim: number;
  /** Numbers per sub-env in the action array. */
  readonly actionWidth: number;
  readonly metadata: { autoresetMode: typeof AUTORESET_MODE; [key: string]: unknown };
  spec: EnvSpec | null = null;

  constructor(numEnvs: number, singleObservationSpace: Space<unknown>, singleActionSpace: Space<unknown>) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RangeError(`${new.target.name}: numEnvs must be a positive integer, got ${numEnvs}`);
    this.numEnvs = numEnvs;
    this.singleObservationSpace = singleObservationSpace;
    this.singleActionSpace = singleActionSpace;
    this.obsDim = singleObservationSpace.flatDim;
    this.observationSpace = batchBox(flattenSpace(singleObservationSpace), numEnvs);
    this.actionWidth = actionWidth(singleActionSpace);
    this.actionSpace = batchActionSpace(singleActionSpace, numEnvs);
    this.metadata = { autoresetMode: AUTORESET_MODE };
  }

  abstract reset(args?: VectorResetArgs): VectorResetResult;
  /**
   * `actions` holds `actionWidth` numbers per sub-env, sub-env 0 first. With `out`, results are
   * written into its arrays rather than new ones.
   */
  abstract step(actions: ArrayLike<number>, out?: VectorStepBuffers): VectorStepResult;
  /** Releases sub-envs and workers. Calling it twice is harmless. */
  abstract close(): void;

  /** Fresh arrays sized for this env, for `step(actions, out)`. */
  createStepBuffers(): VectorStepBuffers {
    // One backing buffer, five views: allocating a typed array is costly in V8 (twice the cost
    // of a view), and a 64-wide CartPole step costs about as much as four allocations.
    const n = this.numEnvs;
    const rows = n * this.obsDim;
    const buffer = new ArrayBuffer(8 * n + 8 * rows + 2 * n);
    return {
      rewards: new Float64Array(buffer, 0, n),
      observations: new Float32Array(buffer, 8 * n, rows),
      finalObservations: new Float32Array(buffer, 8 * n + 4 * rows, rows),
      terminations: new Uint8Array(buffer, 8 * n + 8 * rows, n),
      truncations: new Uint8Array(buffer, 8 * n + 8 * rows + n, n),
    };
  }

  /** Throws unless `out` was made for this env (by `createStepBuffers` or to the same sizes). */
  protected checkStepBuffers(out: VectorStepBuffers): void {
    const n = this.numEnvs;
    const size = n * this.obsDim;
    if (out.observations?.length !== size || out.finalObservations?.length !== size || out.rewards?.length !== n || out.terminations?.length !== n || out.truncations?.length !== n) {
      throw new RangeError(`${this.constructor.name}.step: the out buffers do not fit ${n} envs × ${this.obsDim} observation values; make them with createStepBuffers()`);
    }
  }

  /** Throws unless `actions` has one entry per sub-env and action dimension. */
  protected checkActions(actions: ArrayLike<number>): void {
    if (actions === null || typeof actions !== 'object' || typeof actions.length !== 'number') {
      throw new TypeError(`${this.constructor.name}.step: actions must be an array or typed array, got ${String(actions)}`);
    }
    if (actions.length !== this.numEnvs * this.actionWidth) {
      throw new RangeError(`${this.constructor.name}.step: got ${actions.length} action values, expected ${this.numEnvs} envs × ${this.actionWidth} = ${this.numEnvs * this.actionWidth}`);
    }
  }

  /** The seed for each sub-env from a vector reset's `seed` argument. */
  protected seedsFor(seed: VectorResetArgs['seed']): (Seed | undefined)[] {
    if (seed === undefined) return new Array<Seed | undefined>(this.numEnvs).fill(undefined);
    if (typeof seed === 'number') return Array.from({ length: this.numEnvs }, (_, i) => seed + i);
    if (seed.length !== this.numEnvs) throw new RangeError(`${this.constructor.name}.reset: got ${seed.length} seeds for ${this.numEnvs} envs`);
    return [...seed];
  }
}
