// CartPole-v1 with Gymnasium's dynamics exactly: the same constants, explicit Euler in float64,
// thresholds, reward and Uniform(−0.05, 0.05) start; observations are float32 as Gymnasium's.

import { Box } from '../../src/spaces/box.js';
import { Discrete } from '../../src/spaces/discrete.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../../src/env.js';
import { checkKwargs, type KwargSpecs } from '../../src/kwargs.js';

/** Physical constants (Barto, Sutton & Anderson 1983, as in Gymnasium). */
export const CARTPOLE = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  totalMass: 1.1,
  /** Half the pole's length. */
  length: 0.5,
  poleMassLength: 0.05,
  forceMag: 10.0,
  /** Seconds between state updates. */
  tau: 0.02,
  /** 12 degrees. */
  thetaThresholdRadians: (12 * 2 * Math.PI) / 360,
  xThreshold: 2.4,
} as const;

/** What CartPole's kwargs accept (the scalar and the native vector env share them). */
export const CARTPOLE_KWARGS: KwargSpecs = { suttonBartoReward: { type: 'boolean' } };

/** CartPole's kwargs. */
export interface CartPoleKwargs {
  /** Sutton & Barto's reward: 0 per step, −1 on failure (Gymnasium's `sutton_barto_reward`). */
  suttonBartoReward?: boolean;
}

const FLT_MAX = 3.4028234663852886e38;

/** Box(4) float32 with high = [4.8, FLT_MAX, 24°, FLT_MAX] and low = −high, as Gymnasium. */
export function cartPoleObservationSpace(): Box<'float32'> {
  const high = [CARTPOLE.xThreshold * 2, FLT_MAX, CARTPOLE.thetaThresholdRadians * 2, FLT_MAX];
  return new Box(high.map((v) => -v), high, [4], 'float32');
}

/** Reward of a step: +1 each step (Sutton & Barto's variant: 0, and −1 on failure). */
export function cartPoleReward(failed: boolean, suttonBarto: boolean): number {
  if (suttonBarto) return failed ? -1 : 0;
  return 1;
}

/** One Euler step of the cart-pole ODE, in place on a float64 state [x, ẋ, θ, θ̇]. */
export function cartPoleDynamics(state: Float64Array, offset: number, action: number): void {
  const { gravity, massPole, totalMass, length, poleMassLength, forceMag, tau } = CARTPOLE;
  const x = state[offset];
  const xDot = state[offset + 1];
  const theta = state[offset + 2];
  const thetaDot = state[offset + 3];
  const force = action === 1 ? forceMag : -forceMag;
  const cosTheta = Math.cos(theta);
  const sinTheta = Math.sin(theta);
  const temp = (force + poleMassLength * thetaDot * thetaDot * sinTheta) / totalMass;
  const thetaAcc = (gravity * sinTheta - cosTheta * temp) / (length * (4.0 / 3.0 - (massPole * cosTheta * cosTheta) / totalMass));
  const xAcc = temp - (poleMassLength * thetaAcc * cosTheta) / totalMass;
  state[offset] = x + tau * xDot;
  state[offset + 1] = xDot + tau * xAcc;
  state[offset + 2] = theta + tau * thetaDot;
  state[offset + 3] = thetaDot + tau * thetaAcc;
}

/** True when the cart left the track or the pole fell past 12°. */
export function cartPoleFailed(state: Float64Array, offset: number): boolean {
  const x = state[offset];
  const theta = state[offset + 2];
  return x < -CARTPOLE.xThreshold || x > CARTPOLE.xThreshold || theta < -CARTPOLE.thetaThresholdRadians || theta > CARTPOLE.thetaThresholdRadians;
}

/** The start-state bounds from `reset` options: `{ low, high }` (default ±0.05). */
export function resetBounds(options: Record<string, unknown> | undefined, where: string): [number, number] {
  const low = options?.low ?? -0.05;
  const high = options?.high ?? 0.05;
  if (typeof low !== 'number' || typeof high !== 'number' || !(low <= high)) {
    throw new RangeError(`${where}: options.low and options.high must be numbers with low ≤ high, got ${String(low)} and ${String(high)}`);
  }
  return [low, high];
}

/** The start state from `options.state`, checked. */
export function givenState(state: unknown, where: string): number[] {
  if (!Array.isArray(state) && !ArrayBuffer.isView(state)) throw new TypeError(`${where}: options.state must be [x, x_dot, theta, theta_dot]`);
  const s = Array.from(state as ArrayLike<unknown>);
  if (s.length !== 4 || s.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new TypeError(`${where}: options.state must be 4 finite numbers [x, x_dot, theta, theta_dot], got ${JSON.stringify(s)}`);
  }
  return s as number[];
}

/**
 * `CartPole-v1`, Gymnasium's classic control task with the same dynamics, there to validate the
 * agents: a pole on a cart, kept upright by pushing the cart left or right.
 *
 * **Observation**: `Box(4)` float32 [cart position, cart velocity, pole angle, pole angular
 * velocity], bounds ±[4.8, FLT_MAX, 24°, FLT_MAX] as Gymnasium's.
 *
 * **Action**: `Discrete(2)`: 0 pushes left, 1 pushes right.
 *
 * **Reward**: +1 per step, including the failing one (with `suttonBartoReward`: 0 per step and
 * −1 on failure). Stepping on after termination pays 0 (−1), as Gymnasium.
 *
 * **Episode**: terminated when |x| > 2.4 or |θ| > 12°; `make` truncates at 500 steps (the
 * registration's `maxEpisodeSteps`).
 *
 * **info**: empty.
 *
 * **kwargs** (defaults): `suttonBartoReward` false (Gymnasium's `sutton_barto_reward`).
 *
 * **Reset options**: `{ state: [x, ẋ, θ, θ̇] }` starts there; `{ low, high }` change the
 * uniform start range (default ±0.05).
 *
 * **Vector env**: `makeVec('CartPole-v1', …)` uses `CartPoleVectorEnv`, the same dynamics on
 * flat arrays, whose whole state a checkpoint can capture (so resuming is exact).
 *
 * **Baselines**: only `random`, which every env has.
 */
export class CartPoleEnv extends Env<Float32Array, number> {
  readonly observationSpace = cartPoleObservationSpace();
  readonly actionSpace = new Discrete(2);
  override metadata = { renderModes: [], renderFps: 50 };
  readonly suttonBartoReward: boolean;
  /** The float64 state; null before the first reset. */
  state: Float64Array | null = null;
  private stepsBeyondTerminated: number | null = null;

  constructor(kwargs: CartPoleKwargs = {}) {
    super();
    checkKwargs('CartPole', kwargs, CARTPOLE_KWARGS);
    this.suttonBartoReward = kwargs.suttonBartoReward ?? false;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    const state = new Float64Array(4);
    if (args.options?.state !== undefined) {
      state.set(givenState(args.options.state, 'CartPole.reset'));
    } else {
      const [low, high] = resetBounds(args.options, 'CartPole.reset');
      for (let i = 0; i < 4; i++) state[i] = this.rng.uniform(low, high);
    }
    this.state = state;
    this.stepsBeyondTerminated = null;
    return { observation: Float32Array.from(state), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) throw new RangeError(`CartPole.step: action ${String(action)} is not in ${this.actionSpace}`);
    const state = this.state;
    if (state === null) throw new Error('CartPole.step: call reset() before step()');
    cartPoleDynamics(state, 0, action);
    const terminated = cartPoleFailed(state, 0);
    let reward = cartPoleReward(terminated, this.suttonBartoReward);
    if (terminated && this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0;
    } else if (terminated) {
      // Stepping a finished episode is undefined behaviour; as Gymnasium, it pays 0 (−1) from here on.
      this.stepsBeyondTerminated = (this.stepsBeyondTerminated ?? 0) + 1;
      reward = this.suttonBartoReward ? -1 : 0;
    }
    return { observation: Float32Array.from(state), reward, terminated, truncated: false, info: {} };
  }
}
