// FlattenObservation: turns any observation into its flat Float32Array encoding
// (one-hot for discrete parts), with the matching flat Box as observation space.

import { type Env, type ResetArgs, type ResetResult, type StepResult, Wrapper } from '../env.js';
import type { Box } from '../spaces/box.js';
import { flattenSpace } from '../spaces/flatten.js';

export class FlattenObservation<Obs, Act> extends Wrapper<Float32Array, Act, Obs, Act> {
  private readonly space: Box<'float32'>;

  constructor(env: Env<Obs, Act>) {
    super(env);
    this.space = flattenSpace(env.observationSpace);
  }

  override get observationSpace(): Box<'float32'> {
    return this.space;
  }

  override reset(args?: ResetArgs): ResetResult<Float32Array> {
    const { observation, info } = this.env.reset(args);
    return { observation: this.env.observationSpace.flatten(observation), info };
  }

  override step(action: Act): StepResult<Float32Array> {
    const result = this.env.step(action);
    return { ...result, observation: this.env.observationSpace.flatten(result.observation) };
  }
}
