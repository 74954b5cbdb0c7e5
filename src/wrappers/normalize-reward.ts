// NormalizeReward: divides each reward by the running standard deviation of the discounted
// return, so rewards keep a stable scale (Gymnasium 1.x's rule, terminations reset the return).

import { type Env, type StepResult, Wrapper } from '../env.js';
import { RunningMeanStd } from './running-mean-std.js';

export class NormalizeReward<Obs, Act> extends Wrapper<Obs, Act> {
  readonly returnRms = new RunningMeanStd(1);
  readonly gamma: number;
  readonly epsilon: number;
  /** Set false to keep the statistics fixed. */
  updateRunningMean = true;
  private discountedReturn = 0;
  private readonly sample = new Float64Array(1);

  constructor(env: Env<Obs, Act>, gamma = 0.99, epsilon = 1e-8) {
    super(env);
    if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`NormalizeReward: gamma must be in [0, 1], got ${gamma}`);
    this.gamma = gamma;
    this.epsilon = epsilon;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    this.discountedReturn = this.discountedReturn * this.gamma * (result.terminated ? 0 : 1) + result.reward;
    if (this.updateRunningMean) {
      this.sample[0] = this.discountedReturn;
      this.returnRms.update(this.sample);
    }
    result.reward = result.reward / Math.sqrt(this.returnRms.var[0] + this.epsilon);
    return result;
  }
}
