// Tuple: an ordered list of subspaces; a value is an array with one element per subspace.

import type { Seed } from '../rng.js';
import { Space, type SpaceJSON, type SpaceValue } from './space.js';

/** The value type of a Tuple over the given subspaces. */
export type TupleValue<S extends readonly Space<unknown>[]> = { [K in keyof S]: SpaceValue<S[K]> };

export class Tuple<S extends readonly Space<unknown>[] = Space<unknown>[]> extends Space<TupleValue<S>> {
  readonly shape = null;
  readonly dtype = null;
  readonly spaces: S;
  readonly flatDim: number;

  constructor(spaces: S) {
    super();
    if (spaces.length === 0) throw new RangeError('Tuple: needs at least one subspace');
    spaces.forEach((s, i) => {
      if (!(s instanceof Space)) throw new TypeError(`Tuple: element ${i} is not a space`);
    });
    this.spaces = spaces;
    this.flatDim = spaces.reduce((n, s) => n + s.flatDim, 0);
  }

  override seed(seed?: Seed): Seed[] {
    const seeds = super.seed(seed);
    for (const s of this.spaces) seeds.push(...s.seed(this.rng.deriveSeed()));
    return seeds;
  }

  sample(): TupleValue<S> {
    return this.spaces.map((s) => s.sample()) as TupleValue<S>;
  }

  contains(x: unknown): x is TupleValue<S> {
    return Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((s, i) => s.contains(x[i]));
  }

  flattenInto(x: TupleValue<S>, out: Float32Array, offset: number): void {
    let o = offset;
    this.spaces.forEach((s, i) => {
      s.flattenInto((x as unknown[])[i], out, o);
      o += s.flatDim;
    });
  }

  unflatten(flat: ArrayLike<number>, offset = 0): TupleValue<S> {
    let o = offset;
    return this.spaces.map((s) => {
      const v = s.unflatten(flat, o);
      o += s.flatDim;
      return v;
    }) as TupleValue<S>;
  }

  toJSON(): SpaceJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  toString(): string {
    return `Tuple(${this.spaces.join(', ')})`;
  }
}
