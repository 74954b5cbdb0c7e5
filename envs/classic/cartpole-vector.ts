// CartPole-v1 vectorised on flat float64 arrays: N carts stepped in one loop with no object per
// cart, the 500-step limit and same-step autoreset built in. Sub-env i seeded with s + i follows
// exactly the trajectory of a single CartPole-v1 seeded with s + i.

import type { Info } from '../../src/env.js';
import { Rng, type RngState, checkSeed } from '../../src/rng.js';
import { Discrete } from '../../src/spaces/discrete.js';
import { type RestorableVectorEnv, type VectorEnvState, type VectorResetArgs, type VectorResetResult, type VectorStepBuffers, type VectorStepResult, VectorEnv } from '../../src/vector/vector-env.js';
import { checkKwargs } from '../../src/kwargs.js';
import { CARTPOLE_KWARGS, type CartPoleKwargs, cartPoleDynamics, cartPoleFailed, cartPoleObservationSpace, cartPoleReward, givenState, resetBounds } from './cartpole.js';

const EMPTY_INFO: Info = Object.freeze({});

/** What `getState` captures: every cart, its step count and its generator. */
interface CartPoleVectorState {
  numEnvs: number;
  state: number[];
  elapsed: number[];
  rngs: RngState[];
  low: number;
  high: number;
  hasReset: boolean;
}

export class CartPoleVectorEnv extends VectorEnv implements RestorableVectorEnv {
  readonly maxEpisodeSteps: number;
  readonly suttonBartoReward: boolean;
  /** numEnvs × 4 float64 states, sub-env 0 first. */
  readonly state: Float64Array;
  private readonly elapsed: Int32Array;
  private readonly rngs: Rng[];
  private readonly emptyInfos: Info[];
  private low = -0.05;
  private high = 0.05;
  private hasReset = false;

  constructor(numEnvs: number, kwargs: CartPoleKwargs = {}, maxEpisodeSteps: number | null = 500) {
    super(numEnvs, cartPoleObservationSpace(), new Discrete(2));
    this.maxEpisodeSteps = maxEpisodeSteps ?? Infinity;
    checkKwargs('CartPole', kwargs, CARTPOLE_KWARGS);
    this.suttonBartoReward = kwargs.suttonBartoReward ?? false;
    this.state = new Float64Array(numEnvs * 4);
    this.elapsed = new Int32Array(numEnvs);
    this.rngs = Array.from({ length: numEnvs }, () => Rng.fromEntropy());
    this.emptyInfos = Object.freeze(new Array<Info>(numEnvs).fill(EMPTY_INFO)) as Info[];
  }

  reset(args: VectorResetArgs = {}): VectorResetResult {
    const seeds = this.seedsFor(args.seed);
    [this.low, this.high] = resetBounds(args.options, 'CartPoleVectorEnv.reset');
    const given = args.options?.state === undefined ? null : givenState(args.options.state, 'CartPoleVectorEnv.reset');
    for (let i = 0; i < this.numEnvs; i++) {
      const seed = seeds[i];
      if (seed !== undefined) {
        checkSeed(seed, `CartPoleVectorEnv.reset: seed of sub-env ${i}`);
        this.rngs[i] = new Rng(seed);
      }
      if (given !== null) this.state.set(given, i * 4);
      else this.drawStart(i);
      this.elapsed[i] = 0;
    }
    this.hasReset = true;
    return { observations: Float32Array.from(this.state), infos: this.emptyInfos };
  }

  step(actions: ArrayLike<number>, out?: VectorStepBuffers): VectorStepResult {
    if (!this.hasReset) throw new Error('CartPoleVectorEnv.step: call reset() before step()');
    this.checkActions(actions);
    if (out !== undefined) this.checkStepBuffers(out);
    const n = this.numEnvs;
    const state = this.state;
    const { observations, rewards, terminations, truncations, finalObservations: finalBuffer } = out ?? this.createStepBuffers();
    let finalObservations: Float32Array | null = null;
    let finalInfos: (Info | null)[] | null = null;
    for (let i = 0; i < n; i++) {
      const action = actions[i];
      if (action !== 0 && action !== 1) throw new RangeError(`CartPoleVectorEnv.step: action ${action} of sub-env ${i} is not in Discrete(2)`);
      const o = i * 4;
      cartPoleDynamics(state, o, action);
      const failed = cartPoleFailed(state, o);
      const truncated = ++this.elapsed[i] >= this.maxEpisodeSteps;
      rewards[i] = cartPoleReward(failed, this.suttonBartoReward);
      terminations[i] = failed ? 1 : 0;
      truncations[i] = truncated ? 1 : 0;
      if (failed || truncated) {
        finalObservations = finalBuffer;
        finalInfos ??= new Array<Info | null>(n).fill(null);
        for (let k = 0; k < 4; k++) finalObservations[o + k] = state[o + k];
        finalInfos[i] = EMPTY_INFO;
        this.drawStart(i);
        this.elapsed[i] = 0;
      }
      observations[o] = state[o];
      observations[o + 1] = state[o + 1];
      observations[o + 2] = state[o + 2];
      observations[o + 3] = state[o + 3];
    }
    return { observations, rewards, terminations, truncations, infos: this.emptyInfos, finalObservations, finalInfos };
  }

  close(): void {}

  getState(): VectorEnvState {
    const data: CartPoleVectorState = {
      numEnvs: this.numEnvs, state: Array.from(this.state), elapsed: Array.from(this.elapsed), rngs: this.rngs.map((r) => r.getState()),
      low: this.low, high: this.high, hasReset: this.hasReset,
    };
    return { kind: 'CartPoleVectorEnv', data };
  }

  setState(saved: VectorEnvState): void {
    const data = saved.data as CartPoleVectorState;
    if (saved.kind !== 'CartPoleVectorEnv') throw new TypeError(`CartPoleVectorEnv.setState: the state is of a ${saved.kind}`);
    if (data.numEnvs !== this.numEnvs) throw new RangeError(`CartPoleVectorEnv.setState: the state holds ${data.numEnvs} sub-envs, this env has ${this.numEnvs}`);
    this.state.set(data.state);
    this.elapsed.set(data.elapsed);
    data.rngs.forEach((r, i) => (this.rngs[i] = Rng.fromState(r)));
    this.low = data.low;
    this.high = data.high;
    this.hasReset = data.hasReset;
  }

  private drawStart(i: number): void {
    const rng = this.rngs[i];
    for (let k = 0; k < 4; k++) this.state[i * 4 + k] = rng.uniform(this.low, this.high);
  }
}
