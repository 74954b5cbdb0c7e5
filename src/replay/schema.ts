// The one place a log's Arrow schema comes from: per space kind a pair of functions, encode
// (values → Arrow Data) and decode (Arrow row → value), plus Gymnasium's JSON form of each space.

import { readFileSync } from 'node:fs';
import { Bool, type Data, type DataType, Field, FixedSizeList, Float32, Float64, Int8, Int16, Int32, Int64, Struct, Uint8, Uint16, Uint32, makeData, type Vector } from 'apache-arrow';
import { Box } from '../spaces/box.js';
import { Dict } from '../spaces/dict.js';
import { spaceFromJSON } from '../spaces/json.js';
import { Discrete } from '../spaces/discrete.js';
import { MultiBinary } from '../spaces/multi-binary.js';
import { MultiDiscrete } from '../spaces/multi-discrete.js';
import type { DType, Space } from '../spaces/space.js';
import { Tuple } from '../spaces/tuple.js';
import { type Nulls, setInt64 } from './columns.js';

/** A space's values as Arrow sees them: the type, how to build a column, how to read a row. */
interface SpaceKind<S extends Space<unknown>> {
  is(space: Space<unknown>): space is S;
  type(space: S): DataType;
  /** Numbers per value in the row-major layout vector envs use for actions; null for Dict/Tuple. */
  width(space: S): number | null;
  /** `length` values: row-major numbers (flat kinds) or an array of values. */
  encode(space: S, values: ArrayLike<number> | readonly unknown[], length: number, nulls: Nulls): Data;
  /** Row `row` of a column `encode` made, as the space's value. */
  decode(space: S, column: Vector, row: number): unknown;
  /** Gymnasium's (and Minari's `serialize_space`) JSON form. */
  gymnasium(space: S): Record<string, unknown>;
}

const ARROW_DTYPES: Record<DType, () => DataType> = {
  float32: () => new Float32(),
  float64: () => new Float64(),
  int8: () => new Int8(),
  int16: () => new Int16(),
  int32: () => new Int32(),
  uint8: () => new Uint8(),
  uint16: () => new Uint16(),
  uint32: () => new Uint32(),
};

const ARRAYS = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array,
} as const;

/** Row-major numbers from either layout `encode` takes. */
function rowMajor(values: ArrayLike<number> | readonly unknown[], width: number, length: number): ArrayLike<number> {
  if (ArrayBuffer.isView(values)) return values as unknown as ArrayLike<number>;
  const list = values as readonly unknown[];
  if (list.length === length * width && (length === 0 || typeof list[0] === 'number')) return list as ArrayLike<number>;
  const out = new Float64Array(length * width);
  for (let r = 0; r < length; r++) {
    const v = list[r];
    if (typeof v === 'number') out[r * width] = v;
    else for (let k = 0; k < width; k++) out[r * width + k] = (v as ArrayLike<number>)[k];
  }
  return out;
}

function int64Data(numbers: ArrayLike<number>, count: number): Data<Int64> {
  const words = new Int32Array(2 * count);
  for (let i = 0; i < count; i++) setInt64(words, i, numbers[i]);
  return makeData({ type: new Int64(), length: count, data: new BigInt64Array(words.buffer) });
}

function listType(child: DataType, width: number): FixedSizeList {
  return new FixedSizeList(width, new Field('item', child, false));
}

function listData(type: FixedSizeList, child: Data, length: number, nulls: Nulls): Data {
  return makeData({ type, length, ...nulls, child });
}

function listRow(column: Vector, row: number): ArrayLike<number> {
  const value = column.get(row) as Vector | null;
  if (value === null) throw new RangeError(`row ${row} of the column is null`);
  return value.toArray() as ArrayLike<number>;
}

const discrete: SpaceKind<Discrete> = {
  is: (s): s is Discrete => s instanceof Discrete,
  type: () => new Int64(),
  width: () => 1,
  encode: (_s, values, length, nulls) => {
    const data = int64Data(rowMajor(values, 1, length), length);
    return makeData({ type: data.type, length, ...nulls, data: data.values });
  },
  decode: (_s, column, row) => Number(column.get(row)),
  gymnasium: (s) => ({ type: 'Discrete', dtype: 'int64', start: s.start, n: s.n }),
};

const multiDiscrete: SpaceKind<MultiDiscrete> = {
  is: (s): s is MultiDiscrete => s instanceof MultiDiscrete,
  type: (s) => listType(new Int64(), s.nvec.length),
  width: (s) => s.nvec.length,
  encode: (s, values, length, nulls) => {
    const w = s.nvec.length;
    return listData(listType(new Int64(), w), int64Data(rowMajor(values, w, length), length * w), length, nulls);
  },
  decode: (_s, column, row) => Int32Array.from(listRow(column, row) as unknown as ArrayLike<bigint>, Number),
  gymnasium: (s) => ({ type: 'MultiDiscrete', dtype: 'int64', nvec: Array.from(s.nvec), start: Array.from(s.start) }),
};

const multiBinary: SpaceKind<MultiBinary> = {
  is: (s): s is MultiBinary => s instanceof MultiBinary,
  type: (s) => listType(new Int8(), s.n),
  width: (s) => s.n,
  encode: (s, values, length, nulls) => {
    const child = makeData({ type: new Int8(), length: length * s.n, data: Int8Array.from(rowMajor(values, s.n, length)) });
    return listData(listType(new Int8(), s.n), child, length, nulls);
  },
  decode: (_s, column, row) => Uint8Array.from(listRow(column, row)),
  gymnasium: (s) => ({ type: 'MultiBinary', n: s.shape.length === 1 ? s.n : [...s.shape] }),
};

const box: SpaceKind<Box<DType>> = {
  is: (s): s is Box<DType> => s instanceof Box,
  type: (s) => listType(ARROW_DTYPES[s.dtype](), s.size),
  width: (s) => s.size,
  encode: (s, values, length, nulls) => {
    const numbers = rowMajor(values, s.size, length);
    const typed = numbers instanceof ARRAYS[s.dtype] ? numbers : ARRAYS[s.dtype].from(numbers);
    const child = makeData({ type: ARROW_DTYPES[s.dtype]() as Float32, length: length * s.size, data: typed as Float32Array });
    return listData(listType(ARROW_DTYPES[s.dtype](), s.size), child, length, nulls);
  },
  decode: (s, column, row) => ARRAYS[s.dtype].from(listRow(column, row)),
  gymnasium: (s) => ({ type: 'Box', dtype: s.dtype, shape: [...s.shape], low: nest(s.low, s.shape), high: nest(s.high, s.shape) }),
};

// Dict and Tuple become structs, with Tuple's fields named "0", "1", … as Minari names them.
const dict: SpaceKind<Dict> = {
  is: (s): s is Dict => s instanceof Dict,
  type: (s) => new Struct(s.keys.map((k) => new Field(k, spaceType(s.spaces[k]), false))),
  width: () => null,
  encode: (s, values, length, nulls) => {
    const list = values as readonly Record<string, unknown>[];
    const children = s.keys.map((k) => encodeSpace(s.spaces[k], list.map((v) => v[k]), length));
    return makeData({ type: dict.type(s) as Struct, length, ...nulls, children });
  },
  decode: (s, column, row) => Object.fromEntries(s.keys.map((k, i) => [k, decodeSpace(s.spaces[k], column.getChildAt(i)!, row)])),
  gymnasium: (s) => ({ type: 'Dict', subspaces: Object.fromEntries(s.keys.map((k) => [k, gymnasiumSpace(s.spaces[k])])) }),
};

const tuple: SpaceKind<Tuple> = {
  is: (s): s is Tuple => s instanceof Tuple,
  type: (s) => new Struct(s.spaces.map((sub, i) => new Field(String(i), spaceType(sub), false))),
  width: () => null,
  encode: (s, values, length, nulls) => {
    const list = values as readonly unknown[][];
    const children = s.spaces.map((sub, i) => encodeSpace(sub, list.map((v) => v[i]), length));
    return makeData({ type: tuple.type(s) as Struct, length, ...nulls, children });
  },
  decode: (s, column, row) => s.spaces.map((sub, i) => decodeSpace(sub, column.getChildAt(i)!, row)),
  gymnasium: (s) => ({ type: 'Tuple', subspaces: s.spaces.map(gymnasiumSpace) }),
};

const KINDS: readonly SpaceKind<Space<unknown>>[] = [discrete, multiDiscrete, multiBinary, box, dict, tuple] as unknown as SpaceKind<Space<unknown>>[];

function kindOf(space: Space<unknown>): SpaceKind<Space<unknown>> {
  const kind = KINDS.find((k) => k.is(space));
  if (kind === undefined) throw new TypeError(`replay logs store Discrete, MultiDiscrete, MultiBinary, Box, Dict and Tuple spaces, got ${String(space)}`);
  return kind;
}

/** The Arrow type of one value of `space`. */
export function spaceType(space: Space<unknown>): DataType {
  return kindOf(space).type(space);
}

/** Numbers per value in the vector-env action layout (null for Dict and Tuple). */
export function spaceWidth(space: Space<unknown>): number | null {
  return kindOf(space).width(space);
}

/** A column of `length` values of `space`: row-major numbers (flat kinds) or the values themselves. */
export function encodeSpace(space: Space<unknown>, values: ArrayLike<number> | readonly unknown[], length: number, nulls: Nulls = { nullCount: 0 }): Data {
  return kindOf(space).encode(space, values, length, nulls);
}

/** Row `row` of a column `encodeSpace` made, as a value of `space`. */
export function decodeSpace(space: Space<unknown>, column: Vector, row: number): unknown {
  return kindOf(space).decode(space, column, row);
}

/** Gymnasium's JSON form of a space (as Minari's `serialize_space` writes it). */
export function gymnasiumSpace(space: Space<unknown>): Record<string, unknown> {
  return kindOf(space).gymnasium(space);
}

/**
 * JSON as Python's `json` module writes it: ±Infinity and NaN as bare words, which JSON.stringify
 * cannot emit (it writes null, and a Box bound of null would not load).
 */
export function pythonJSON(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v !== 'number' || Number.isFinite(v)) return v;
    return Number.isNaN(v) ? '\u0000NaN' : v > 0 ? '\u0000Infinity' : '\u0000-Infinity';
  });
  return text.replace(/"\\u0000(-?Infinity|NaN)"/g, '$1');
}

function nest(flat: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length <= 1) return Array.from(flat);
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, i) => nest(Array.prototype.slice.call(flat, i * inner, (i + 1) * inner) as number[], shape.slice(1)));
}

// ---- the step log's columns and metadata ---------------------------------------------------

/** Schema metadata `edgegym.format` of a step log; a reader refuses other formats. */
export const STEP_LOG_FORMAT = 'edgegym.steps/1';

/** The package version written into every log (read once from package.json). */
export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What a step log records about its source; stored as schema metadata. */
export interface StepLogSpec {
  envId: string;
  kwargs: Record<string, unknown>;
  observationSpace: Space<unknown>;
  actionSpace: Space<unknown>;
  /** Seed of the first reset, or null when unseeded. */
  seed: number | null;
  /** The agent or policy that chose the actions. */
  writer: string;
  numEnvs: number;
  /** Length of `info.actionMask` (0: the env gives none, no `masks` column). */
  maskSize: number;
  /** Numeric info keys logged as `info.<key>` columns. */
  infoKeys: readonly string[];
  /** Whether `logprobs` and `values` columns exist. */
  policyOutputs: boolean;
  /** ISO time the log was opened. */
  startTime: string;
  version: string;
}

/** Fixed columns of a step log, Minari's names where Minari has them. */
export const STEP_COLUMNS = ['episode_id', 'step', 'observations', 'actions', 'rewards', 'terminations', 'truncations', 'seed'] as const;

/** The Arrow fields of a step log written under `spec`, in column order. */
export function stepFields(spec: StepLogSpec): Field[] {
  const width = spaceWidth(spec.actionSpace);
  if (width === null) throw new TypeError(`replay logs take Discrete, MultiDiscrete, MultiBinary or Box actions, got ${String(spec.actionSpace)}`);
  const fields = [
    new Field('episode_id', new Int64(), false),
    new Field('step', new Int32(), false),
    new Field('observations', listType(new Float32(), spec.observationSpace.flatDim), false),
    new Field('actions', spaceType(spec.actionSpace), true),
    new Field('rewards', new Float64(), true),
    new Field('terminations', new Bool(), true),
    new Field('truncations', new Bool(), true),
    new Field('seed', new Int64(), true),
  ];
  if (spec.policyOutputs) fields.push(new Field('logprobs', new Float32(), true), new Field('values', new Float32(), true));
  if (spec.maskSize > 0) fields.push(new Field('masks', listType(new Bool(), spec.maskSize), true));
  for (const key of spec.infoKeys) fields.push(new Field(`info.${key}`, new Float64(), true));
  return fields;
}

/** `spec` as Arrow schema metadata (strings only). */
export function stepMetadata(spec: StepLogSpec): Map<string, string> {
  return new Map([
    ['edgegym.format', STEP_LOG_FORMAT],
    ['edgegym.version', spec.version],
    ['edgegym.env_id', spec.envId],
    ['edgegym.env_kwargs', JSON.stringify(spec.kwargs)],
    ['edgegym.observation_space', JSON.stringify(spec.observationSpace.toJSON())],
    ['edgegym.action_space', JSON.stringify(spec.actionSpace.toJSON())],
    ['gymnasium.observation_space', pythonJSON(gymnasiumSpace(spec.observationSpace))],
    ['gymnasium.action_space', pythonJSON(gymnasiumSpace(spec.actionSpace))],
    ['edgegym.seed', spec.seed === null ? '' : String(spec.seed)],
    ['edgegym.writer', spec.writer],
    ['edgegym.num_envs', String(spec.numEnvs)],
    ['edgegym.mask_size', String(spec.maskSize)],
    ['edgegym.info_keys', JSON.stringify(spec.infoKeys)],
    ['edgegym.policy_outputs', String(spec.policyOutputs)],
    ['edgegym.start_time', spec.startTime],
  ]);
}

/** The spec a step log's metadata describes; `file` names the log in errors. */
export function stepSpecFromMetadata(metadata: ReadonlyMap<string, string>, file: string): StepLogSpec {
  const format = metadata.get('edgegym.format');
  if (format !== STEP_LOG_FORMAT) {
    const what = format === undefined ? 'has no edgegym.format metadata, so it is not an edgegym step log' : `is in format ${format} (written by edgegym ${metadata.get('edgegym.version') ?? '?'})`;
    throw new ReplayFormatError(`${file} ${what}; this edgegym ${PACKAGE_VERSION} reads ${STEP_LOG_FORMAT}`);
  }
  const need = (key: string): string => {
    const v = metadata.get(key);
    if (v === undefined) throw new ReplayFormatError(`${file}: schema metadata lacks ${key}`);
    return v;
  };
  const json = (key: string): unknown => {
    try {
      return JSON.parse(need(key));
    } catch (err) {
      if (err instanceof ReplayFormatError) throw err;
      throw new ReplayFormatError(`${file}: schema metadata ${key} is not valid JSON (${(err as Error).message})`);
    }
  };
  const seed = need('edgegym.seed');
  return {
    envId: need('edgegym.env_id'),
    kwargs: json('edgegym.env_kwargs') as Record<string, unknown>,
    observationSpace: spaceFromJSON(json('edgegym.observation_space'), `${file}: edgegym.observation_space`),
    actionSpace: spaceFromJSON(json('edgegym.action_space'), `${file}: edgegym.action_space`),
    seed: seed === '' ? null : Number(seed),
    writer: need('edgegym.writer'),
    numEnvs: Number(need('edgegym.num_envs')),
    maskSize: Number(need('edgegym.mask_size')),
    infoKeys: json('edgegym.info_keys') as string[],
    policyOutputs: need('edgegym.policy_outputs') === 'true',
    startTime: need('edgegym.start_time'),
    version: need('edgegym.version'),
  };
}

/** A file that is not the log a reader expected: another format, env or version, or damaged. */
export class ReplayFormatError extends Error {
  override name = 'ReplayFormatError';
}
