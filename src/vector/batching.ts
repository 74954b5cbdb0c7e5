// How one sub-env's action sits in a vector env's action array, and the batched action space
// whose samples have that layout.

import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { MultiBinary } from '../spaces/multi-binary.js';
import { MultiDiscrete } from '../spaces/multi-discrete.js';
import { type DType, type Space, typedArray } from '../spaces/space.js';

type FlatActionSpace = Discrete | MultiDiscrete | MultiBinary | Box<DType>;

function asFlatActionSpace(space: Space<unknown>): FlatActionSpace {
  if (space instanceof Discrete || space instanceof MultiDiscrete || space instanceof MultiBinary || space instanceof Box) return space as FlatActionSpace;
  throw new TypeError(`vector envs take Discrete, MultiDiscrete, MultiBinary or Box actions, got ${space}; wrap the env to expose one of those`);
}

/** Numbers per sub-env in the action array: 1 for Discrete, else the action's length. */
export function actionWidth(space: Space<unknown>): number {
  const s = asFlatActionSpace(space);
  if (s instanceof Discrete) return 1;
  if (s instanceof MultiDiscrete) return s.nvec.length;
  if (s instanceof MultiBinary) return s.n;
  return s.size;
}

/** The space of `n` stacked actions, laid out as the vector env's action array. */
export function batchActionSpace(space: Space<unknown>, n: number): Space<ArrayLike<number>> {
  const s = asFlatActionSpace(space);
  if (s instanceof Discrete) return new MultiDiscrete(new Array<number>(n).fill(s.n), new Array<number>(n).fill(s.start));
  if (s instanceof MultiDiscrete) return new MultiDiscrete(repeat(s.nvec, n), repeat(s.start, n));
  if (s instanceof MultiBinary) return new MultiBinary([n, ...s.shape]);
  return new Box(repeat(s.low, n), repeat(s.high, n), [n, ...s.shape], s.dtype);
}

/** Sub-env i's action, decoded from the action array into the single action space's type. */
export function decodeAction(space: Space<unknown>, actions: ArrayLike<number>, i: number, width: number): unknown {
  if (space instanceof Discrete) return actions[i];
  const start = i * width;
  const out = space instanceof MultiDiscrete ? new Int32Array(width) : space instanceof MultiBinary ? new Uint8Array(width) : typedArray((space as Box<DType>).dtype, width);
  for (let k = 0; k < width; k++) out[k] = actions[start + k];
  return out;
}

function repeat(a: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < a.length; k++) out.push(a[k]);
  return out;
}
