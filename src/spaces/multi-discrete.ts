// MultiDiscrete(nvec): several independent Discrete choices, value i in start[i]…start[i]+nvec[i]−1.
// Values are Int32Arrays; flattened as the concatenation of each choice's one-hot vector.

import { Space, type SpaceJSON } from './space.js';

/** Options for a MultiDiscrete draw. */
export interface MultiDiscreteSampleOptions {
  /**
   * Either one mask per dimension (`mask[d][i] === 1` allows value i of dimension d), or all
   * of them concatenated in one array of length sum(nvec), the layout of `info.actionMask`.
   */
  mask?: ArrayLike<number> | readonly ArrayLike<number>[];
}

export class MultiDiscrete extends Space<Int32Array> {
  readonly shape: readonly number[];
  readonly dtype = 'int32' as const;
  readonly nvec: Int32Array;
  readonly start: Int32Array;
  readonly flatDim: number;

  constructor(nvec: ArrayLike<number>, start?: ArrayLike<number>) {
    super();
    if (nvec.length < 1) throw new RangeError('MultiDiscrete: nvec must not be empty');
    for (let i = 0; i < nvec.length; i++) {
      if (!Number.isInteger(nvec[i]) || nvec[i] < 1) throw new RangeError(`MultiDiscrete: nvec[${i}] must be a positive integer, got ${nvec[i]}`);
    }
    if (start !== undefined && start.length !== nvec.length) throw new RangeError(`MultiDiscrete: start has ${start.length} elements, nvec has ${nvec.length}`);
    this.nvec = Int32Array.from(nvec);
    this.start = start === undefined ? new Int32Array(nvec.length) : Int32Array.from(start);
    this.shape = [nvec.length];
    this.flatDim = this.nvec.reduce((a, b) => a + b, 0);
  }

  sample(options: MultiDiscreteSampleOptions = {}): Int32Array {
    const out = new Int32Array(this.nvec.length);
    const masks = options.mask === undefined ? null : this.splitMask(options.mask);
    for (let d = 0; d < this.nvec.length; d++) {
      const n = this.nvec[d];
      if (masks === null) {
        out[d] = this.start[d] + this.rng.int(n);
        continue;
      }
      const mask = masks[d];
      let valid = 0;
      for (let i = 0; i < n; i++) valid += mask[i];
      let k = valid === 0 ? -1 : this.rng.int(valid);
      out[d] = this.start[d];
      for (let i = 0; i < n && k >= 0; i++) if (mask[i] === 1 && k-- === 0) out[d] = this.start[d] + i;
    }
    return out;
  }

  private splitMask(mask: ArrayLike<number> | readonly ArrayLike<number>[]): ArrayLike<number>[] {
    const perDim: ArrayLike<number>[] = [];
    if (isMaskList(mask)) {
      if (mask.length !== this.nvec.length) throw new RangeError(`${this}: got ${mask.length} masks, expected ${this.nvec.length}`);
      perDim.push(...mask);
    } else {
      if (mask.length !== this.flatDim) throw new RangeError(`${this}: flat mask has length ${mask.length}, expected ${this.flatDim}`);
      let offset = 0;
      for (const n of this.nvec) {
        perDim.push(Array.prototype.slice.call(mask, offset, offset + n) as number[]);
        offset += n;
      }
    }
    perDim.forEach((m, d) => {
      if (m.length !== this.nvec[d]) throw new RangeError(`${this}: mask ${d} has length ${m.length}, expected ${this.nvec[d]}`);
      for (let i = 0; i < m.length; i++) {
        if (m[i] !== 0 && m[i] !== 1) throw new RangeError(`${this}: mask values must be 0 or 1, got ${m[i]} in mask ${d} at ${i}`);
      }
    });
    return perDim;
  }

  contains(x: unknown): x is Int32Array {
    if (!(x instanceof Int32Array || Array.isArray(x)) || x.length !== this.nvec.length) return false;
    for (let d = 0; d < this.nvec.length; d++) {
      const v = x[d];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < this.start[d] || v >= this.start[d] + this.nvec[d]) return false;
    }
    return true;
  }

  flattenInto(x: Int32Array, out: Float32Array, offset: number): void {
    out.fill(0, offset, offset + this.flatDim);
    let o = offset;
    for (let d = 0; d < this.nvec.length; d++) {
      out[o + x[d] - this.start[d]] = 1;
      o += this.nvec[d];
    }
  }

  unflatten(flat: ArrayLike<number>, offset = 0): Int32Array {
    const out = new Int32Array(this.nvec.length);
    let o = offset;
    for (let d = 0; d < this.nvec.length; d++) {
      let found = -1;
      for (let i = 0; i < this.nvec[d]; i++) if (flat[o + i] === 1) found = i;
      if (found < 0) throw new RangeError(`${this}: flat value of dimension ${d} is not one-hot`);
      out[d] = this.start[d] + found;
      o += this.nvec[d];
    }
    return out;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: Array.from(this.nvec), start: Array.from(this.start) };
  }

  toString(): string {
    return `MultiDiscrete([${Array.from(this.nvec).join(', ')}])`;
  }
}

function isMaskList(mask: ArrayLike<number> | readonly ArrayLike<number>[]): mask is readonly ArrayLike<number>[] {
  return mask.length > 0 && typeof mask[0] === 'object';
}
