// Discrete(n, start): the integers start, start+1, …, start+n−1. Flattened as a one-hot vector,
// as Gymnasium does, so agents see no false ordering between actions.

import { Space, type SpaceJSON } from './space.js';

/** Options for a Discrete draw. */
export interface DiscreteSampleOptions {
  /**
   * `mask[i] === 1` allows `start + i`. With no allowed value the draw returns `start`
   * (Gymnasium's rule), so callers that care should check the mask first.
   */
  mask?: ArrayLike<number>;
}

export class Discrete extends Space<number> {
  readonly shape: readonly number[] = [];
  readonly dtype = 'int32' as const;
  readonly n: number;
  readonly start: number;

  constructor(n: number, start = 0) {
    super();
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Discrete: n must be a positive integer, got ${n}`);
    if (!Number.isInteger(start)) throw new RangeError(`Discrete: start must be an integer, got ${start}`);
    this.n = n;
    this.start = start;
  }

  get flatDim(): number {
    return this.n;
  }

  sample(options: DiscreteSampleOptions = {}): number {
    const { mask } = options;
    if (mask === undefined) return this.start + this.rng.int(this.n);
    if (mask.length !== this.n) {
      throw new RangeError(`${this}: mask has length ${mask.length}, expected ${this.n}`);
    }
    let valid = 0;
    for (let i = 0; i < this.n; i++) {
      if (mask[i] !== 0 && mask[i] !== 1) throw new RangeError(`${this}: mask values must be 0 or 1, got ${mask[i]} at ${i}`);
      valid += mask[i];
    }
    if (valid === 0) return this.start;
    let k = this.rng.int(valid);
    for (let i = 0; i < this.n; i++) {
      if (mask[i] === 1 && k-- === 0) return this.start + i;
    }
    throw new Error('unreachable: masked draw fell off the end');
  }

  contains(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  flattenInto(x: number, out: Float32Array, offset: number): void {
    out.fill(0, offset, offset + this.n);
    out[offset + x - this.start] = 1;
  }

  unflatten(flat: ArrayLike<number>, offset = 0): number {
    for (let i = 0; i < this.n; i++) if (flat[offset + i] === 1) return this.start + i;
    throw new RangeError(`${this}: flat value is not one-hot`);
  }

  toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
