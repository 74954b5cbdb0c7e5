// NormalizeObservation: returns (obs − mean) / √(var + ε) with a running mean and variance
// updated from every observation (freeze with `updateRunningMean = false` for evaluation).

import { type Env, type ResetArgs, type ResetResult, type StepResult, Wrapper } from '../env.js';
import { Box } from '../spaces/box.js';
import type { DType, TypedArrayOf } from '../spaces/space.js';
import { RunningMeanStd } from './running-mean-std.js';

export class NormalizeObservation<Act> extends Wrapper<Float32Array, Act, TypedArrayOf<DType>, Act> {
  readonly obsRms: RunningMeanStd;
  readonly epsilon: number;
  /** Set false to keep the statistics fixed. */
  updateRunningMean = true;
  private readonly space: Box<'float32'>;

  constructor(env: Env<TypedArrayOf<DType>, Act>, epsilon = 1e-8) {
    super(env);
    const inner = env.observationSpace;
    if (!(inner instanceof Box)) throw new TypeError(`NormalizeObservation: needs a Box observation space, got ${inner}`);
    this.obsRms = new RunningMeanStd(inner.size);
    this.epsilon = epsilon;
    this.space = new Box(-Infinity, Infinity, inner.shape, 'float32');
  }

  override get observationSpace(): Box<'float32'> {
    return this.space;
  }

  override reset(args?: ResetArgs): ResetResult<Float32Array> {
    const { observation, info } = this.env.reset(args);
    return { observation: this.normalize(observation), info };
  }

  override step(action: Act): StepResult<Float32Array> {
    const result = this.env.step(action);
    return { ...result, observation: this.normalize(result.observation) };
  }

  private normalize(obs: ArrayLike<number>): Float32Array {
    if (this.updateRunningMean) this.obsRms.update(obs);
    const out = new Float32Array(obs.length);
    const { mean, var: variance } = this.obsRms;
    for (let i = 0; i < out.length; i++) out[i] = (obs[i] - mean[i]) / Math.sqrt(variance[i] + this.epsilon);
    return out;
  }
}
