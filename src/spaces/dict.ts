// Dict: named subspaces; a value is an object with one entry per key. Keys are kept sorted,
// as Gymnasium does, so the flat encoding does not depend on construction order.

import type { Seed } from '../rng.js';
import { Space, type SpaceJSON, type SpaceValue } from './space.js';

type SpaceMap = Record<string, Space<unknown>>;

/** The value type of a Dict over the given subspaces. */
export type DictValue<S extends SpaceMap> = { [K in keyof S]: SpaceValue<S[K]> };

export class Dict<S extends SpaceMap = SpaceMap> extends Space<DictValue<S>> {
  readonly shape = null;
  readonly dtype = null;
  readonly spaces: Readonly<S>;
  readonly keys: readonly string[];
  readonly flatDim: number;

  constructor(spaces: S) {
    super();
    this.keys = Object.keys(spaces).sort();
    if (this.keys.length === 0) throw new RangeError('Dict: needs at least one subspace');
    for (const k of this.keys) {
      if (!(spaces[k] instanceof Space)) throw new TypeError(`Dict: entry ${JSON.stringify(k)} is not a space`);
    }
    const sorted = {} as S;
    for (const k of this.keys) (sorted as SpaceMap)[k] = spaces[k];
    this.spaces = sorted;
    this.flatDim = this.keys.reduce((n, k) => n + spaces[k].flatDim, 0);
  }

  override seed(seed?: Seed): Seed[] {
    const seeds = super.seed(seed);
    for (const k of this.keys) seeds.push(...this.spaces[k].seed(this.rng.deriveSeed()));
    return seeds;
  }

  sample(): DictValue<S> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys) out[k] = this.spaces[k].sample();
    return out as DictValue<S>;
  }

  contains(x: unknown): x is DictValue<S> {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
    const obj = x as Record<string, unknown>;
    if (Object.keys(obj).length !== this.keys.length) return false;
    return this.keys.every((k) => k in obj && this.spaces[k].contains(obj[k]));
  }

  flattenInto(x: DictValue<S>, out: Float32Array, offset: number): void {
    let o = offset;
    for (const k of this.keys) {
      this.spaces[k].flattenInto((x as Record<string, unknown>)[k], out, o);
      o += this.spaces[k].flatDim;
    }
  }

  unflatten(flat: ArrayLike<number>, offset = 0): DictValue<S> {
    const out: Record<string, unknown> = {};
    let o = offset;
    for (const k of this.keys) {
      out[k] = this.spaces[k].unflatten(flat, o);
      o += this.spaces[k].flatDim;
    }
    return out as DictValue<S>;
  }

  toJSON(): SpaceJSON {
    const spaces: Record<string, SpaceJSON> = {};
    for (const k of this.keys) spaces[k] = this.spaces[k].toJSON();
    return { type: 'Dict', spaces };
  }

  toString(): string {
    return `Dict(${this.keys.map((k) => `${JSON.stringify(k)}: ${this.spaces[k]}`).join(', ')})`;
  }
}
