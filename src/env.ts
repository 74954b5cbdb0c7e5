// The environment contract (Gymnasium 1.x semantics in TypeScript) and the Wrapper base.

import { Rng, type Seed, checkSeed } from './rng.js';
import type { Space } from './spaces/space.js';
import type { EnvSpec } from './registry.js';

/** Auxiliary diagnostics an env returns beside observations. Values are plain data. */
export type Info = Record<string, unknown>;

/** Arguments of `reset`. */
export interface ResetArgs {
  /** Re-seeds the env's generator; without it the generator's stream simply continues. */
  seed?: Seed;
  /** Env-specific options, e.g. CartPole's `{ state: [x, ẋ, θ, θ̇] }`. */
  options?: Record<string, unknown>;
}

/** What `reset` returns. */
export interface ResetResult<Obs> {
  observation: Obs;
  info: Info;
}

/** What `step` returns. */
export interface StepResult<Obs> {
  observation: Obs;
  reward: number;
  /** The episode reached a terminal state of the MDP: do not bootstrap past it. */
  terminated: boolean;
  /** The episode was cut short from outside the MDP (a time limit): bootstrap past it. */
  truncated: boolean;
  info: Info;
}

/** Static facts about an env. */
export interface EnvMetadata {
  renderModes: string[];
  renderFps?: number;
  /**
   * For an env whose every step closes a time window of fixed length: the numeric `info` keys
   * that describe the window just finished, and that length. Tools chart them over time.
   */
  windowMetrics?: WindowMetrics;
  [key: string]: unknown;
}

/** What an env's steps say about each time window (see `EnvMetadata.windowMetrics`). */
export interface WindowMetrics {
  /** Keys of every step's `info` holding a number for the window that step closed. */
  readonly keys: readonly string[];
  /** The window's length in simulated milliseconds. */
  readonly windowMs: number;
}

/**
 * An environment: a partially observed MDP with Gymnasium's interface.
 *
 * - `reset({ seed, options })` starts an episode and returns `{ observation, info }`. With a seed
 *   the env's generator is re-seeded; without one it continues, so consecutive episodes differ
 *   while the whole run stays reproducible from the first seed.
 * - `step(action)` advances one step and returns `{ observation, reward, terminated, truncated,
 *   info }`. After `terminated` or `truncated`, call `reset` before stepping again.
 * - `observation` always lies in `observationSpace`; `action` must lie in `actionSpace`.
 * - When some actions are invalid in a state, `info.actionMask` is a Uint8Array with 1 for each
 *   allowed action (Discrete: length n; MultiDiscrete: the per-dimension masks concatenated).
 * - The same seed and the same actions give the same trajectory, bit for bit.
 *
 * Subclasses call `this.seedRng(args.seed)` at the top of `reset` and draw every random number
 * from `this.rng`.
 */
export abstract class Env<Obs = unknown, Act = unknown> {
  abstract readonly observationSpace: Space<Obs>;
  abstract readonly actionSpace: Space<Act>;
  metadata: EnvMetadata = { renderModes: [] };
  /** The registry entry this env was made from (set by `make`), or null. */
  spec: EnvSpec | null = null;

  private generator: Rng | null = null;

  abstract reset(args?: ResetArgs): ResetResult<Obs>;
  abstract step(action: Act): StepResult<Obs>;

  /** Releases resources. Calling it twice is harmless. */
  close(): void {}

  /** The env's generator, seeded from OS entropy if `reset` has not been given a seed. */
  get rng(): Rng {
    if (this.generator === null) this.generator = Rng.fromEntropy();
    return this.generator;
  }

  /** The innermost env, beneath every wrapper. */
  get unwrapped(): Env<unknown, unknown> {
    return this;
  }

  /** Re-seeds the generator when `seed` is given; call at the top of `reset`. */
  protected seedRng(seed: Seed | undefined): void {
    if (seed === undefined) return;
    checkSeed(seed, `${this.constructor.name}.reset: seed`);
    this.generator = new Rng(seed);
  }

  toString(): string {
    return this.spec === null ? `<${this.constructor.name}>` : `<${this.constructor.name}<${this.spec.id}>>`;
  }
}

/**
 * Wraps an env to change one thing about it. By default every call passes straight through;
 * subclasses override what they change and say so in their header.
 */
export class Wrapper<WObs = unknown, WAct = unknown, Obs = WObs, Act = WAct> extends Env<WObs, WAct> {
  readonly env: Env<Obs, Act>;

  constructor(env: Env<Obs, Act>) {
    super();
    if (!(env instanceof Env)) throw new TypeError(`${new.target.name}: expected an Env to wrap, got ${String(env)}`);
    this.env = env;
    this.metadata = env.metadata;
    this.spec = env.spec;
  }

  get observationSpace(): Space<WObs> {
    return this.env.observationSpace as unknown as Space<WObs>;
  }

  get actionSpace(): Space<WAct> {
    return this.env.actionSpace as unknown as Space<WAct>;
  }

  override get rng(): Rng {
    return this.env.rng;
  }

  override get unwrapped(): Env<unknown, unknown> {
    return this.env.unwrapped;
  }

  reset(args?: ResetArgs): ResetResult<WObs> {
    return this.env.reset(args) as unknown as ResetResult<WObs>;
  }

  step(action: WAct): StepResult<WObs> {
    return this.env.step(action as unknown as Act) as unknown as StepResult<WObs>;
  }

  override close(): void {
    this.env.close();
  }

  /** The first wrapper of the given class in the stack (this one included), or null. */
  findWrapper<W>(cls: abstract new (...args: never[]) => W): W | null {
    let e: Env<unknown, unknown> = this as Env<unknown, unknown>;
    for (;;) {
      if (e instanceof cls) return e;
      if (!(e instanceof Wrapper)) return null;
      e = e.env;
    }
  }

  override toString(): string {
    return `<${this.constructor.name}${this.env.toString()}>`;
  }
}
