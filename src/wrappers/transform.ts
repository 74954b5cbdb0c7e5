// TransformReward and TransformObservation: apply a user function to each reward or observation.

import { type Env, type ResetArgs, type ResetResult, type StepResult, Wrapper } from '../env.js';
import type { Space } from '../spaces/space.js';

/** Replaces each reward `r` with `fn(r)`. */
export class TransformReward<Obs, Act> extends Wrapper<Obs, Act> {
  private readonly fn: (reward: number) => number;

  constructor(env: Env<Obs, Act>, fn: (reward: number) => number) {
    super(env);
    this.fn = fn;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    result.reward = this.fn(result.reward);
    return result;
  }
}

/** Replaces each observation `o` with `fn(o)`; `space` is the space the results lie in. */
export class TransformObservation<WObs, Obs, Act> extends Wrapper<WObs, Act, Obs, Act> {
  private readonly fn: (observation: Obs) => WObs;
  private readonly space: Space<WObs>;

  constructor(env: Env<Obs, Act>, fn: (observation: Obs) => WObs, space: Space<WObs>) {
    super(env);
    this.fn = fn;
    this.space = space;
  }

  override get observationSpace(): Space<WObs> {
    return this.space;
  }

  override reset(args?: ResetArgs): ResetResult<WObs> {
    const { observation, info } = this.env.reset(args);
    return { observation: this.fn(observation), info };
  }

  override step(action: Act): StepResult<WObs> {
    const result = this.env.step(action);
    return { ...result, observation: this.fn(result.observation) };
  }
}
