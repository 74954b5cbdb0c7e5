// Box: a (possibly unbounded) n-dimensional box of numbers, with a dtype. Values are typed
// arrays in row-major order; `sample()` draws by boundedness exactly as Gymnasium's Box does.

import {
  Space, type DType, type SpaceJSON, type TypedArrayOf, DTYPES, checkShape, dtypeRange, isIntegerDType,
  isNumberArray, numberFromJSON, numberToJSON, shapeSize, typedArray,
} from './space.js';

export class Box<D extends DType = 'float32'> extends Space<TypedArrayOf<D>> {
  readonly shape: readonly number[];
  readonly dtype: D;
  /** Lower bounds, one per element (float64 so integer dtypes keep exact bounds). */
  readonly low: Float64Array;
  /** Upper bounds, one per element. */
  readonly high: Float64Array;
  readonly size: number;

  /**
   * @param low lower bound: one number for every element, or one per element
   * @param high upper bound, likewise; ±Infinity makes the side unbounded
   * @param shape defaults to the length of `low` or `high` when either is an array
   * @param dtype element type, `float32` by default
   */
  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], dtype: D = 'float32' as D) {
    super();
    if (!DTYPES.includes(dtype)) throw new TypeError(`Box: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
    const inferred = shape ?? (typeof low !== 'number' ? [low.length] : typeof high !== 'number' ? [high.length] : undefined);
    if (inferred === undefined) throw new TypeError('Box: give a shape when low and high are both scalars');
    checkShape(inferred, 'Box');
    this.shape = [...inferred];
    this.dtype = dtype;
    this.size = shapeSize(this.shape);
    this.low = broadcast(low, this.size, 'low');
    this.high = broadcast(high, this.size, 'high');
    const [dmin, dmax] = dtypeRange(dtype);
    for (let i = 0; i < this.size; i++) {
      if (Number.isNaN(this.low[i]) || Number.isNaN(this.high[i])) throw new RangeError(`Box: bound ${i} is NaN`);
      if (this.low[i] > this.high[i]) throw new RangeError(`Box: low[${i}] = ${this.low[i]} is above high[${i}] = ${this.high[i]}`);
      // Integer boxes cannot be unbounded: clamp to what the dtype can hold, as Gymnasium does,
      // and keep only the integers inside, so every draw is a value `contains` accepts.
      if (isIntegerDType(dtype)) {
        const lo = Math.ceil(Math.max(this.low[i], dmin));
        const hi = Math.floor(Math.min(this.high[i], dmax));
        if (lo > hi) throw new RangeError(`Box: no ${dtype} value lies in [low[${i}], high[${i}]] = [${this.low[i]}, ${this.high[i]}]`);
        this.low[i] = lo;
        this.high[i] = hi;
      }
      if (dtype === 'float32') {
        this.low[i] = Math.fround(this.low[i]);
        this.high[i] = Math.fround(this.high[i]);
      }
    }
  }

  get flatDim(): number {
    return this.size;
  }

  /** True where both bounds are finite. */
  isBounded(manner: 'both' | 'below' | 'above' = 'both'): boolean {
    for (let i = 0; i < this.size; i++) {
      const below = Number.isFinite(this.low[i]);
      const above = Number.isFinite(this.high[i]);
      if (manner === 'both' && !(below && above)) return false;
      if (manner === 'below' && !below) return false;
      if (manner === 'above' && !above) return false;
    }
    return true;
  }

  /**
   * Bounded elements: uniform on [low, high] (integers: on low…high); unbounded: standard
   * normal; bounded below only: low + Exp(1); above only: high − Exp(1).
   */
  sample(): TypedArrayOf<D> {
    const out = typedArray(this.dtype, this.size);
    const integer = isIntegerDType(this.dtype);
    const rng = this.rng;
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      const below = Number.isFinite(lo);
      const above = Number.isFinite(hi);
      let v: number;
      if (below && above) v = integer ? lo + Math.floor(rng.random() * (hi - lo + 1)) : rng.uniform(lo, hi);
      else if (below) v = lo + rng.exponential();
      else if (above) v = hi - rng.exponential();
      else v = rng.normal();
      if (integer) v = Math.floor(v);
      out[i] = v;
      // float32 rounding can step just past a bound; keep the draw inside the box.
      if (out[i] > hi) out[i] = hi;
      if (out[i] < lo) out[i] = lo;
    }
    return out;
  }

  contains(x: unknown): x is TypedArrayOf<D> {
    if (!isNumberArray(x) || x.length !== this.size) return false;
    const integer = isIntegerDType(this.dtype);
    for (let i = 0; i < this.size; i++) {
      const v = x[i];
      if (!(v >= this.low[i] && v <= this.high[i])) return false; // also rejects NaN
      if (integer && !Number.isInteger(v)) return false;
    }
    return true;
  }

  flattenInto(x: TypedArrayOf<D>, out: Float32Array, offset: number): void {
    for (let i = 0; i < this.size; i++) out[offset + i] = x[i];
  }

  unflatten(flat: ArrayLike<number>, offset = 0): TypedArrayOf<D> {
    const out = typedArray(this.dtype, this.size);
    for (let i = 0; i < this.size; i++) out[i] = flat[offset + i];
    return out;
  }

  toJSON(): SpaceJSON {
    return {
      type: 'Box',
      low: Array.from(this.low, numberToJSON),
      high: Array.from(this.high, numberToJSON),
      shape: [...this.shape],
      dtype: this.dtype,
    };
  }

  static fromJSON(json: SpaceJSON, where = 'Box'): Box<DType> {
    const low = json.low;
    const high = json.high;
    if (!Array.isArray(low) || !Array.isArray(high)) throw new TypeError(`${where}: low and high must be arrays`);
    return new Box(
      low.map((v, i) => numberFromJSON(v, `${where}.low[${i}]`)),
      high.map((v, i) => numberFromJSON(v, `${where}.high[${i}]`)),
      json.shape as number[],
      json.dtype as DType,
    );
  }

  toString(): string {
    const lo = uniformValue(this.low);
    const hi = uniformValue(this.high);
    const bounds = lo !== null && hi !== null ? `${lo}, ${hi}` : `low=[${Array.from(this.low).join(', ')}], high=[${Array.from(this.high).join(', ')}]`;
    return `Box(${bounds}, (${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), ${this.dtype})`;
  }
}

function broadcast(bound: number | ArrayLike<number>, size: number, name: string): Float64Array {
  if (typeof bound === 'number') return new Float64Array(size).fill(bound);
  if (bound.length !== size) throw new RangeError(`Box: ${name} has ${bound.length} elements, the shape needs ${size}`);
  return Float64Array.from(bound);
}

function uniformValue(a: Float64Array): number | null {
  for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return null;
  return a[0];
}
