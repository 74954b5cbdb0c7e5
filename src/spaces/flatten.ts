// The Box that holds a space's flat encodings (Gymnasium's flatten_space), and the batched
// Box a vector env's observations live in.

import { Box } from './box.js';
import { Dict } from './dict.js';
import { Discrete } from './discrete.js';
import { MultiBinary } from './multi-binary.js';
import { MultiDiscrete } from './multi-discrete.js';
import type { Space } from './space.js';
import { Tuple } from './tuple.js';

/** The float32 Box of length `space.flatDim` that `space.flatten` maps into. */
export function flattenSpace(space: Space<unknown>): Box<'float32'> {
  const low = new Float64Array(space.flatDim);
  const high = new Float64Array(space.flatDim);
  writeFlatBounds(space, low, high, 0);
  return new Box(low, high, [space.flatDim], 'float32');
}

function writeFlatBounds(space: Space<unknown>, low: Float64Array, high: Float64Array, offset: number): void {
  if (space instanceof Box) {
    low.set(space.low, offset);
    high.set(space.high, offset);
  } else if (space instanceof Discrete || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    high.fill(1, offset, offset + space.flatDim); // one-hot or bits
  } else if (space instanceof Dict) {
    let o = offset;
    for (const k of space.keys) {
      writeFlatBounds(space.spaces[k], low, high, o);
      o += space.spaces[k].flatDim;
    }
  } else if (space instanceof Tuple) {
    let o = offset;
    for (const s of space.spaces) {
      writeFlatBounds(s, low, high, o);
      o += s.flatDim;
    }
  } else {
    throw new TypeError(`flattenSpace: ${space} is not a built-in space`);
  }
}

/** `n` copies of a 1-D Box stacked into shape [n, dim]. */
export function batchBox(box: Box<'float32'>, n: number): Box<'float32'> {
  const low = new Float64Array(n * box.size);
  const high = new Float64Array(n * box.size);
  for (let i = 0; i < n; i++) {
    low.set(box.low, i * box.size);
    high.set(box.high, i * box.size);
  }
  return new Box(low, high, [n, box.size], 'float32');
}
