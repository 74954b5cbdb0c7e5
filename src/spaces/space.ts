// The contract every space keeps: seeded sampling, membership, JSON form and a flat
// Float32Array encoding (what vector envs batch and agents consume).

import { Rng, type Seed } from '../rng.js';

/** Element types a Box or a typed sample can hold. */
export type DType = 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16' | 'uint32';

/** The typed-array class behind each dtype. */
export type TypedArrayOf<D extends DType> = {
  float32: Float32Array;
  float64: Float64Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
}[D];

/** Any numeric typed array. */
export type NumericArray = TypedArrayOf<DType>;

/** The JSON form of a space: plain data that `spaceFromJSON` turns back into the space. */
export interface SpaceJSON {
  type: string;
  [key: string]: unknown;
}

/**
 * A set of values an observation or action may take.
 *
 * - `sample()` draws uniformly (or as documented per space) from the space's own seeded
 *   generator; `seed(n)` makes the draws repeatable.
 * - `contains(x)` is true when `x` has the right type, shape, and lies within the bounds.
 * - `flatten(x)` encodes a value as a Float32Array of length `flatDim`; `unflatten` inverts it.
 */
export abstract class Space<T> {
  /** Shape of a value, or null for composite spaces (Dict, Tuple). */
  abstract readonly shape: readonly number[] | null;
  /** Element type of a value, or null for composite spaces. */
  abstract readonly dtype: DType | null;
  /** Length of the flat Float32Array encoding. */
  abstract readonly flatDim: number;

  private generator: Rng | null = null;

  /** The space's generator, seeded from OS entropy on first use if `seed()` was never called. */
  protected get rng(): Rng {
    if (this.generator === null) this.generator = Rng.fromEntropy();
    return this.generator;
  }

  /**
   * Seeds the space's generator (and those of its subspaces). Returns the seeds used, the
   * first being this space's own; composite spaces derive their children's seeds from it.
   */
  seed(seed?: Seed): Seed[] {
    this.generator = seed === undefined ? Rng.fromEntropy() : new Rng(seed);
    return [this.generator.seed];
  }

  /** Draws a random value. */
  abstract sample(): T;

  /** True when `x` is a value of this space. */
  abstract contains(x: unknown): x is T;

  /** Writes the flat encoding of `x` into `out` starting at `offset`. */
  abstract flattenInto(x: T, out: Float32Array, offset: number): void;

  /** Reads a value back from its flat encoding starting at `offset`. */
  abstract unflatten(flat: ArrayLike<number>, offset?: number): T;

  /** Plain-data form of the space. */
  abstract toJSON(): SpaceJSON;

  /** A short readable form, e.g. `Discrete(2)`. */
  abstract toString(): string;

  /** The flat encoding of `x` as a new Float32Array of length `flatDim`. */
  flatten(x: T): Float32Array {
    const out = new Float32Array(this.flatDim);
    this.flattenInto(x, out, 0);
    return out;
  }

  /** True when both spaces describe the same set (same JSON form). */
  equals(other: Space<unknown>): boolean {
    return JSON.stringify(this.toJSON()) === JSON.stringify(other.toJSON());
  }
}

/** The value type of a space. */
export type SpaceValue<S> = S extends Space<infer T> ? T : never;

const TYPED_ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
} as const;

/** All dtypes, for validation messages. */
export const DTYPES = Object.keys(TYPED_ARRAYS) as DType[];

/** A zeroed typed array of the given dtype. */
export function typedArray<D extends DType>(dtype: D, length: number): TypedArrayOf<D> {
  return new TYPED_ARRAYS[dtype](length) as TypedArrayOf<D>;
}

/** True when `x` is the typed array class that backs `dtype`. */
export function isTypedArrayOf(x: unknown, dtype: DType): boolean {
  return x instanceof TYPED_ARRAYS[dtype];
}

/** True for dtypes that hold integers. */
export function isIntegerDType(dtype: DType): boolean {
  return dtype !== 'float32' && dtype !== 'float64';
}

/** Representable range of an integer dtype (floats: ±Infinity). */
export function dtypeRange(dtype: DType): [number, number] {
  switch (dtype) {
    case 'int8': return [-128, 127];
    case 'int16': return [-32768, 32767];
    case 'int32': return [-2147483648, 2147483647];
    case 'uint8': return [0, 255];
    case 'uint16': return [0, 65535];
    case 'uint32': return [0, 4294967295];
    default: return [-Infinity, Infinity];
  }
}

/** True for an array or typed array of numbers. */
export function isNumberArray(x: unknown): x is ArrayLike<number> {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return true;
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

/** Number of elements in a shape. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws unless `shape` is a list of positive integers. */
export function checkShape(shape: readonly number[], where: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(`${where}: shape must be a list of positive integers, got ${JSON.stringify(shape)}`);
  }
}

/** JSON cannot hold ±Infinity; spaces write them as strings. */
export function numberToJSON(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

/** Inverse of numberToJSON. */
export function numberFromJSON(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new TypeError(`${where}: expected a number, "Infinity" or "-Infinity", got ${JSON.stringify(v)}`);
}
