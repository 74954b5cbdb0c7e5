// Fixed-capacity column buffers that a log fills row by row and hands to Arrow as one batch's
// Data without copying: typed arrays sized once at the batch capacity and reused after each flush.

import { Bool, type Data, type DataType, Dictionary, Field, FixedSizeList, Float32, Float64, Int8, Int16, Int32, Int64, makeData, Utf8, type Vector, vectorFromArray } from 'apache-arrow';

/** One column of a batch under construction. Rows are written by index; unset rows are null. */
export abstract class ColumnBuffer {
  readonly name: string;
  readonly capacity: number;
  /** Validity bits (1 = a value), or null for a column that is never null. */
  readonly validity: Uint8Array | null;

  constructor(name: string, capacity: number, nullable: boolean, validity: Uint8Array | null = null) {
    this.name = name;
    this.capacity = capacity;
    this.validity = nullable ? (validity ?? new Uint8Array(Math.ceil(capacity / 8))) : null;
  }

  abstract readonly type: DataType;

  get field(): Field {
    return new Field(this.name, this.type, this.validity !== null);
  }

  /** Marks `row` as holding a value (nullable columns only). */
  setValid(row: number): void {
    this.validity![row >> 3] |= 1 << (row & 7);
  }

  /** The first `length` rows as Arrow Data (views on this buffer: serialise before `clear`). */
  abstract data(length: number): Data;

  /** Forgets every row, ready for the next batch. */
  clear(): void {
    this.validity?.fill(0);
  }

  /** Validity bitmap and null count for the first `length` rows, in makeData's terms. */
  protected nulls(length: number): Nulls {
    if (this.validity === null) return { nullCount: 0 };
    const bytes = Math.ceil(length / 8);
    let valid = 0;
    for (let b = 0; b < bytes; b++) valid += POPCOUNT[this.validity[b]];
    // Bits past `length` are never set (rows are written in order), so the count is exact.
    const nullCount = length - valid;
    return nullCount === 0 ? { nullCount: 0 } : { nullBitmap: this.validity.subarray(0, bytes), nullCount };
  }
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x > 0; x >>= 1) n += x & 1;
  return n;
});

type NumericKind = 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
const NUMERIC = {
  int8: { array: Int8Array, type: () => new Int8() },
  int16: { array: Int16Array, type: () => new Int16() },
  int32: { array: Int32Array, type: () => new Int32() },
  float32: { array: Float32Array, type: () => new Float32() },
  float64: { array: Float64Array, type: () => new Float64() },
} as const;

/** int8 … float64 values, one per row: `values[row] = x`. */
export class NumberColumn extends ColumnBuffer {
  readonly type: DataType;
  readonly values: Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

  constructor(name: string, kind: NumericKind, capacity: number, nullable = false, validity: Uint8Array | null = null) {
    super(name, capacity, nullable, validity);
    this.type = NUMERIC[kind].type();
    this.values = new NUMERIC[kind].array(capacity);
  }

  data(length: number): Data {
    return makeData({ type: this.type as Float64, length, ...this.nulls(length), data: this.values.subarray(0, length) as Float64Array });
  }
}

/**
 * int64 values kept as two int32 words per row, so writing one costs no BigInt: exact for every
 * safe integer (|x| < 2^53), which ids, steps and seeds are.
 */
export class Int64Column extends ColumnBuffer {
  readonly type = new Int64();
  readonly words: Int32Array;

  constructor(name: string, capacity: number, nullable = false, validity: Uint8Array | null = null) {
    super(name, capacity, nullable, validity);
    this.words = new Int32Array(2 * capacity);
  }

  set(row: number, x: number): void {
    setInt64(this.words, row, x);
  }

  data(length: number): Data {
    return makeData({ type: this.type, length, ...this.nulls(length), data: new BigInt64Array(this.words.buffer, 0, length) });
  }
}

/** Writes safe integer `x` as int64 number `i` of `words` (two int32 words, little-endian). */
export function setInt64(words: Int32Array, i: number, x: number): void {
  if (x === (x | 0)) {
    words[2 * i] = x;
    words[2 * i + 1] = x < 0 ? -1 : 0;
  } else {
    const lo = x >>> 0;
    words[2 * i] = lo;
    words[2 * i + 1] = (x - lo) / 4294967296;
  }
}

/** Sets bits first … first+count−1 of a bitmap. */
export function setBits(bits: Uint8Array, first: number, count: number): void {
  for (let r = first; r < first + count; r++) bits[r >> 3] |= 1 << (r & 7);
}

/** Booleans as bits. */
export class BoolColumn extends ColumnBuffer {
  readonly type = new Bool();
  readonly bits: Uint8Array;

  constructor(name: string, capacity: number, nullable = false, validity: Uint8Array | null = null) {
    super(name, capacity, nullable, validity);
    this.bits = new Uint8Array(Math.ceil(capacity / 8));
  }

  set(row: number, x: boolean | number): void {
    if (x) this.bits[row >> 3] |= 1 << (row & 7);
  }

  override clear(): void {
    super.clear();
    this.bits.fill(0);
  }

  data(length: number): Data {
    return makeData({ type: this.type, length, ...this.nulls(length), data: this.bits.subarray(0, Math.ceil(length / 8)) });
  }
}

/** `width` float32 values per row (flattened observations): row r at `values[r·width …]`. */
export class Float32ListColumn extends ColumnBuffer {
  readonly type: FixedSizeList<Float32>;
  readonly width: number;
  readonly values: Float32Array;

  constructor(name: string, width: number, capacity: number, nullable = false) {
    super(name, capacity, nullable);
    this.width = width;
    this.type = new FixedSizeList(width, new Field('item', new Float32(), false));
    this.values = new Float32Array(capacity * width);
  }

  data(length: number): Data {
    const child = makeData({ type: new Float32(), length: length * this.width, data: this.values.subarray(0, length * this.width) });
    return makeData({ type: this.type, length, ...this.nulls(length), child });
  }
}

/** `width` booleans per row as bits (action masks). */
export class BoolListColumn extends ColumnBuffer {
  readonly type: FixedSizeList<Bool>;
  readonly width: number;
  readonly bits: Uint8Array;

  constructor(name: string, width: number, capacity: number, nullable = false) {
    super(name, capacity, nullable);
    this.width = width;
    this.type = new FixedSizeList(width, new Field('item', new Bool(), false));
    this.bits = new Uint8Array(Math.ceil((capacity * width) / 8));
  }

  /** Sets row `row` from `mask` (non-zero = true). */
  set(row: number, mask: ArrayLike<number>): void {
    const base = row * this.width;
    for (let k = 0; k < this.width; k++) {
      if (mask[k] !== 0) {
        const bit = base + k;
        this.bits[bit >> 3] |= 1 << (bit & 7);
      }
    }
  }

  override clear(): void {
    super.clear();
    this.bits.fill(0);
  }

  data(length: number): Data {
    const child = makeData({ type: new Bool(), length: length * this.width, data: this.bits.subarray(0, Math.ceil((length * this.width) / 8)) });
    return makeData({ type: this.type, length, ...this.nulls(length), child });
  }
}

/**
 * Strings from a set known up front (application, device, outcome names), stored as int32 codes
 * into a dictionary written with each batch: the hot path writes one integer per row.
 */
export class DictionaryColumn extends ColumnBuffer {
  readonly type: Dictionary<Utf8, Int8 | Int16 | Int32>;
  /** Codes, in the narrowest integer type that holds every word's index. */
  readonly codes: Int8Array | Int16Array | Int32Array;
  readonly dictionary: Vector<Utf8>;

  constructor(name: string, words: readonly string[], id: number, capacity: number, nullable = false) {
    super(name, capacity, nullable);
    const narrow = words.length <= 128 ? ([new Int8(), Int8Array] as const) : words.length <= 32768 ? ([new Int16(), Int16Array] as const) : ([new Int32(), Int32Array] as const);
    this.type = new Dictionary(new Utf8(), narrow[0], id, false);
    this.codes = new narrow[1](capacity);
    this.dictionary = vectorFromArray([...words], new Utf8());
  }

  data(length: number): Data {
    return makeData({ type: this.type as Dictionary<Utf8, Int32>, length, ...this.nulls(length), data: this.codes.subarray(0, length) as Int32Array, dictionary: this.dictionary });
  }
}

/** Validity of a batch's rows in makeData's terms. */
export interface Nulls {
  nullBitmap?: Uint8Array;
  nullCount: number;
}

/** Arrow Data built at flush time from a row buffer (actions, encoded per space kind). */
export class EncodedColumn extends ColumnBuffer {
  readonly type: DataType;
  /** Numbers per row in `values`. */
  readonly width: number;
  readonly values: Float64Array;
  private readonly encode: (values: Float64Array, length: number, nulls: Nulls) => Data;

  constructor(name: string, type: DataType, width: number, capacity: number, encode: (values: Float64Array, length: number, nulls: Nulls) => Data, validity: Uint8Array | null = null) {
    super(name, capacity, true, validity);
    this.type = type;
    this.width = width;
    this.values = new Float64Array(capacity * width);
    this.encode = encode;
  }

  data(length: number): Data {
    return this.encode(this.values.subarray(0, length * this.width), length, this.nulls(length));
  }
}
