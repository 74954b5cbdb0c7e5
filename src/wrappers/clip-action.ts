// ClipAction: clips continuous actions into the inner env's Box before stepping, so the agent
// may emit any real vector (the advertised action space becomes unbounded).

import { type Env, type StepResult, Wrapper } from '../env.js';
import { Box } from '../spaces/box.js';
import { type DType, type TypedArrayOf, typedArray } from '../spaces/space.js';

export class ClipAction<Obs> extends Wrapper<Obs, ArrayLike<number>, Obs, TypedArrayOf<DType>> {
  private readonly inner: Box<DType>;
  private readonly space: Box<DType>;

  constructor(env: Env<Obs, TypedArrayOf<DType>>) {
    super(env);
    const inner = env.actionSpace;
    if (!(inner instanceof Box)) throw new TypeError(`ClipAction: needs a Box action space, got ${inner}`);
    this.inner = inner;
    this.space = new Box(-Infinity, Infinity, inner.shape, inner.dtype);
  }

  override get actionSpace(): Box<DType> {
    return this.space;
  }

  override step(action: ArrayLike<number>): StepResult<Obs> {
    const { low, high, size, dtype } = this.inner;
    if (action.length !== size) throw new RangeError(`ClipAction: action has ${action.length} elements, ${this.inner} needs ${size}`);
    const clipped = typedArray(dtype, size);
    for (let i = 0; i < size; i++) clipped[i] = Math.min(high[i], Math.max(low[i], action[i]));
    return this.env.step(clipped);
  }
}
