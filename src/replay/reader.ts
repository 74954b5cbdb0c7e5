// Reads log directories back: each segment checked frame by frame, then its record batches, whole
// columns as typed arrays, or a step log's steps and episodes in order.

import fs from 'node:fs';
import path from 'node:path';
import { type Data, type RecordBatch, RecordBatchReader, type Schema, type Vector } from 'apache-arrow';
import { listSegments, streamExtent } from './segments.js';
import { decodeSpace, ReplayFormatError, type StepLogSpec, stepFields, stepSpecFromMetadata } from './schema.js';

/** One segment file of a log, checked. */
export interface SegmentInfo {
  file: string;
  bytes: number;
  batches: number;
  rows: number;
}

/** The segments of one kind of log in a directory, each read and checked in turn. */
export class LogFiles {
  readonly dir: string;
  readonly prefix: string;
  readonly files: string[];
  /** The first segment's schema (every segment has the same one), or null when there is none. */
  readonly schema: Schema | null;

  constructor(dir: string, prefix: string) {
    this.dir = path.resolve(dir);
    this.prefix = prefix;
    if (!fs.existsSync(this.dir)) throw new ReplayFormatError(`replay log directory ${this.dir} does not exist`);
    if (!fs.statSync(this.dir).isDirectory()) throw new ReplayFormatError(`${this.dir} is a file; a replay log is a directory of ${prefix}-*.arrows files`);
    this.files = listSegments(this.dir, prefix);
    this.schema = this.files.length === 0 ? null : readSchema(this.files[0]);
  }

  /** Every record batch, file after file, in the order they were written. */
  *batches(): IterableIterator<RecordBatch> {
    for (const file of this.files) yield* readSegment(file).batches;
  }

  /** Size, batches and rows of each segment. */
  segments(): SegmentInfo[] {
    return this.files.map((file) => {
      const s = readSegment(file);
      return { file, bytes: s.bytes, batches: s.batches.length, rows: s.batches.reduce((n, b) => n + b.numRows, 0) };
    });
  }
}

/** The schema message at the head of a segment, read without the rest of the file. */
function readSchema(file: string): Schema {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const prefix = Buffer.alloc(8);
      const got = fs.readSync(fd, prefix, 0, 8, 0);
      const metaLength = got === 8 && prefix.readInt32LE(0) === -1 ? prefix.readInt32LE(4) : -1;
      if (metaLength <= 0 || metaLength > 64 * 2 ** 20) return readSegment(file).schema; // let the full check say what is wrong
      head = Buffer.alloc(8 + metaLength + 8);
      fs.readSync(fd, head, 0, 8 + metaLength, 0);
      head.writeInt32LE(-1, 8 + metaLength); // end-of-stream after the schema
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if (err instanceof ReplayFormatError) throw err;
    throw new ReplayFormatError(`cannot read replay log file ${file}: ${(err as Error).message}`);
  }
  try {
    return RecordBatchReader.from(head).open().schema;
  } catch (err) {
    throw new ReplayFormatError(`${file} is not an Arrow IPC stream: its first message does not decode as a schema (${(err as Error).message})`);
  }
}

function readSegment(file: string): { schema: Schema; batches: RecordBatch[]; bytes: number } {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new ReplayFormatError(`cannot read replay log file ${file}: ${(err as Error).message}`);
  }
  const extent = streamExtent(bytes, file);
  try {
    const reader = RecordBatchReader.from(bytes.subarray(0, extent.end)).open();
    const schema = reader.schema;
    const batches = [...reader];
    return { schema, batches, bytes: bytes.length };
  } catch (err) {
    throw new ReplayFormatError(`${file}: Arrow could not decode the stream: ${(err as Error).message}`);
  }
}

/** A column of every batch as float64 numbers, NaN where null (ints up to 2^53 exact). */
export function numberColumn(batches: readonly RecordBatch[], name: string): Float64Array {
  const total = batches.reduce((n, b) => n + b.numRows, 0);
  const out = new Float64Array(total);
  let o = 0;
  for (const b of batches) {
    const vector = column(b, name);
    for (const data of vector.data) {
      const values = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < data.length; i++) out[o + i] = isValid(data, i) ? Number(values[data.offset + i]) : NaN;
      o += data.length;
    }
  }
  return out;
}

/** A boolean column as 0/1 bytes (null as 0), and which rows are valid. */
export function boolColumn(batches: readonly RecordBatch[], name: string): { values: Uint8Array; valid: Uint8Array } {
  const total = batches.reduce((n, b) => n + b.numRows, 0);
  const values = new Uint8Array(total);
  const valid = new Uint8Array(total);
  let o = 0;
  for (const b of batches) {
    for (const data of column(b, name).data) {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < data.length; i++) {
        const j = data.offset + i;
        valid[o + i] = isValid(data, i) ? 1 : 0;
        values[o + i] = valid[o + i] & ((bits[j >> 3] >> (j & 7)) & 1);
      }
      o += data.length;
    }
  }
  return { values, valid };
}

/** A FixedSizeList<float32> column's values, row-major (`width` per row). */
export function float32ListColumn(batches: readonly RecordBatch[], name: string, width: number): Float32Array {
  const total = batches.reduce((n, b) => n + b.numRows, 0);
  const out = new Float32Array(total * width);
  let o = 0;
  for (const b of batches) {
    for (const data of column(b, name).data) {
      const child = data.children[0];
      const start = (child.offset + data.offset * width);
      out.set((child.values as Float32Array).subarray(start, start + data.length * width), o);
      o += data.length * width;
    }
  }
  return out;
}

function column(batch: RecordBatch, name: string): Vector {
  const v = batch.getChild(name);
  if (v === null) throw new ReplayFormatError(`the log has no column ${JSON.stringify(name)}; it has ${batch.schema.fields.map((f) => f.name).join(', ')}`);
  return v;
}

function isValid(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return true;
  const j = data.offset + i;
  return ((bitmap[j >> 3] >> (j & 7)) & 1) === 1;
}

// ---- step logs ------------------------------------------------------------------------------

/** How `readStepLog` checks what it opens. */
export interface ReadStepLogOptions {
  /** Refuse a log written by another env. */
  envId?: string;
  /** Accept a directory with no step log yet (spec is then null). */
  allowEmpty?: boolean;
}

/** One row of a step log. `final` rows hold an episode's last observation and no action. */
export interface StepRow {
  episodeId: number;
  step: number;
  /** The flat observation (a view into the batch: copy it to keep it). */
  observation: Float32Array;
  /** The action as a value of the action space; null on final rows. */
  action: unknown;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  seed: number | null;
  final: boolean;
  /** The logged `info.<key>` values of this row (NaN where the info had none). */
  info: Record<string, number>;
}

/** One episode gathered from a step log. */
export interface EpisodeRecord {
  id: number;
  seed: number | null;
  /** (steps + 1) × obsDim when complete: the final observation is the last row. */
  observations: Float32Array;
  /** The actions, each a value of the action space. */
  actions: unknown[];
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
  /** Each logged info key's values, one per observation row (NaN where absent). */
  infos: Record<string, Float64Array>;
  /** False when the log ends before the episode's final row (the run stopped mid-episode). */
  complete: boolean;
}

/** Opens the step log in `dir`: every segment is checked and its metadata decoded. */
export function readStepLog(dir: string, options: ReadStepLogOptions = {}): StepLogReader {
  return new StepLogReader(dir, options);
}

export class StepLogReader {
  readonly files: LogFiles;
  readonly spec: StepLogSpec | null;

  constructor(dir: string, options: ReadStepLogOptions = {}) {
    this.files = new LogFiles(dir, 'steps');
    const schema = this.files.schema;
    if (schema === null) {
      if (options.allowEmpty === true) {
        this.spec = null;
        return;
      }
      throw new ReplayFormatError(`${this.files.dir} holds no step log (no steps-*.arrows files)`);
    }
    const first = this.files.files[0];
    const spec = stepSpecFromMetadata(schema.metadata, first);
    if (options.envId !== undefined && spec.envId !== options.envId) {
      throw new ReplayFormatError(`${first} is a log of ${spec.envId}, not of ${options.envId}`);
    }
    const expected = stepFields(spec).map((f) => `${f.name}: ${String(f.type)}`);
    const actual = schema.fields.map((f) => `${f.name}: ${String(f.type)}`);
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      throw new ReplayFormatError(`${first}: columns [${actual.join(', ')}] do not match what its metadata describes [${expected.join(', ')}]`);
    }
    this.spec = spec;
  }

  /** All record batches in write order. */
  batches(): IterableIterator<RecordBatch> {
    return this.files.batches();
  }

  /** The largest episode id in the log (−1 when empty). */
  maxEpisodeId(): number {
    let max = -1;
    for (const b of this.batches()) {
      const ids = numberColumn([b], 'episode_id');
      for (let i = 0; i < ids.length; i++) if (ids[i] > max) max = ids[i];
    }
    return max;
  }

  /** Every row in order. */
  *steps(): IterableIterator<StepRow> {
    const spec = this.requireSpec();
    const d = spec.observationSpace.flatDim;
    for (const b of this.batches()) {
      const ids = numberColumn([b], 'episode_id');
      const steps = numberColumn([b], 'step');
      const obs = float32ListColumn([b], 'observations', d);
      const rewards = numberColumn([b], 'rewards');
      const term = boolColumn([b], 'terminations');
      const trunc = boolColumn([b], 'truncations');
      const seeds = numberColumn([b], 'seed');
      const actions = column(b, 'actions');
      const infos = spec.infoKeys.map((k) => numberColumn([b], `info.${k}`));
      for (let r = 0; r < b.numRows; r++) {
        const info: Record<string, number> = {};
        spec.infoKeys.forEach((k, j) => (info[k] = infos[j][r]));
        const final = term.valid[r] === 0;
        yield {
          episodeId: ids[r], step: steps[r], observation: obs.subarray(r * d, (r + 1) * d),
          action: final ? null : decodeSpace(spec.actionSpace, actions, r),
          reward: rewards[r], terminated: term.values[r] === 1, truncated: trunc.values[r] === 1,
          seed: Number.isNaN(seeds[r]) ? null : seeds[r], final, info,
        };
      }
    }
  }

  /**
   * Episodes in the order they finished (sub-envs interleave their rows, so an episode's rows are
   * gathered across batches), then those the log ends inside of, with `complete` false.
   */
  *episodes(): IterableIterator<EpisodeRecord> {
    const spec = this.requireSpec();
    const d = spec.observationSpace.flatDim;
    const open = new Map<number, { seed: number | null; obs: number[]; actions: unknown[]; rewards: number[]; term: number[]; trunc: number[]; infos: number[][] }>();
    const finish = (id: number, complete: boolean): EpisodeRecord => {
      const e = open.get(id)!;
      open.delete(id);
      const infos = Object.fromEntries(spec.infoKeys.map((k, j) => [k, Float64Array.from(e.infos[j])]));
      return { id, seed: e.seed, observations: Float32Array.from(e.obs), actions: e.actions, rewards: Float64Array.from(e.rewards), terminations: Uint8Array.from(e.term), truncations: Uint8Array.from(e.trunc), infos, complete };
    };
    for (const row of this.steps()) {
      let e = open.get(row.episodeId);
      if (e === undefined) {
        e = { seed: row.seed, obs: [], actions: [], rewards: [], term: [], trunc: [], infos: spec.infoKeys.map(() => []) };
        open.set(row.episodeId, e);
      }
      for (let k = 0; k < d; k++) e.obs.push(row.observation[k]);
      spec.infoKeys.forEach((key, j) => e.infos[j].push(row.info[key]));
      if (row.final) {
        yield finish(row.episodeId, true);
        continue;
      }
      e.actions.push(row.action);
      e.rewards.push(row.reward);
      e.term.push(row.terminated ? 1 : 0);
      e.trunc.push(row.truncated ? 1 : 0);
    }
    for (const id of [...open.keys()]) yield finish(id, false);
  }

  private requireSpec(): StepLogSpec {
    if (this.spec === null) throw new ReplayFormatError(`${this.files.dir} holds no step log`);
    return this.spec;
  }
}
