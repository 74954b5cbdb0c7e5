// MultiBinary(n): n independent bits, as a Uint8Array of 0s and 1s (shape may be n-dimensional).

import { Space, type SpaceJSON, checkShape, shapeSize } from './space.js';

export class MultiBinary extends Space<Uint8Array> {
  readonly shape: readonly number[];
  readonly dtype = 'uint8' as const;
  readonly n: number;

  /** @param n number of bits, or a shape whose elements are bits */
  constructor(n: number | readonly number[]) {
    super();
    const shape = typeof n === 'number' ? [n] : [...n];
    checkShape(shape, 'MultiBinary');
    this.shape = shape;
    this.n = shapeSize(shape);
  }

  get flatDim(): number {
    return this.n;
  }

  sample(): Uint8Array {
    const out = new Uint8Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.rng.random() < 0.5 ? 1 : 0;
    return out;
  }

  contains(x: unknown): x is Uint8Array {
    if (!(x instanceof Uint8Array || Array.isArray(x)) || x.length !== this.n) return false;
    for (let i = 0; i < this.n; i++) if (x[i] !== 0 && x[i] !== 1) return false;
    return true;
  }

  flattenInto(x: Uint8Array, out: Float32Array, offset: number): void {
    for (let i = 0; i < this.n; i++) out[offset + i] = x[i];
  }

  unflatten(flat: ArrayLike<number>, offset = 0): Uint8Array {
    const out = new Uint8Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = flat[offset + i];
    return out;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiBinary', shape: [...this.shape] };
  }

  toString(): string {
    return `MultiBinary(${this.shape.length === 1 ? this.n : `[${this.shape.join(', ')}]`})`;
  }
}
