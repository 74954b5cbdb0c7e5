// A log's columns gathered into record batches of bounded size and appended to segment files:
// the memory a log holds is one batch, however many rows it writes.

import { Bool, type DataType, Dictionary, Field, FixedSizeList, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import type { ColumnBuffer } from './columns.js';
import { SegmentWriter, type SegmentWriterOptions } from './segments.js';

/** How a log cuts its rows into batches and files. */
export interface BatchOptions extends SegmentWriterOptions {
  /** Rows per record batch at most (default 65 536). */
  batchRows?: number;
  /** Bytes per record batch at most (default 8 MiB); whichever limit is reached first. */
  batchBytes?: number;
  /**
   * Seconds a gathered row waits for disk at most while rows keep coming (default 1), so a
   * process killed mid-run loses about this much of its log even when batches fill slowly.
   */
  flushSeconds?: number;
}

/** Rows per batch for rows of `rowBytes` bytes under `options`' limits (at least 1). */
export function batchCapacity(rowBytes: number, options: BatchOptions): number {
  const rows = options.batchRows ?? 65_536;
  const bytes = options.batchBytes ?? 8 * 2 ** 20;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`batchRows must be a positive integer, got ${rows}`);
  if (!(bytes > 0)) throw new RangeError(`batchBytes must be positive, got ${bytes}`);
  return Math.max(1, Math.min(rows, Math.floor(bytes / Math.max(1, rowBytes))));
}

/** Bytes one row of these fields takes in a batch (validity bits included). */
export function rowBytes(fields: readonly Field[]): number {
  return fields.reduce((sum, f) => sum + typeBytes(f.type) + (f.nullable ? 1 / 8 : 0), 0);
}

function typeBytes(type: DataType): number {
  if (type instanceof Bool) return 1 / 8;
  if (type instanceof FixedSizeList) return type.listSize * typeBytes(type.children[0].type);
  if (type instanceof Dictionary) return typeBytes(type.indices);
  if (type instanceof Struct) return type.children.reduce((s, f) => s + typeBytes(f.type), 0);
  const bits = (type as { bitWidth?: number }).bitWidth;
  if (bits !== undefined) return bits / 8;
  const precision = (type as { precision?: number }).precision; // floats: 0 half, 1 single, 2 double
  return precision === undefined ? 8 : [2, 4, 8][precision];
}

/**
 * Rows are claimed with `row()`, filled column by column, and flushed a batch at a time: when the
 * batch is full, or when its oldest row has waited `flushSeconds`.
 */
export class BatchLog {
  readonly columns: readonly ColumnBuffer[];
  readonly schema: Schema;
  readonly capacity: number;
  readonly segments: SegmentWriter;
  /** Rows in the batch under construction. */
  rows = 0;
  /** Rows flushed to disk so far. */
  flushedRows = 0;
  private closed = false;
  private readonly structType: Struct;
  private readonly flushMs: number;
  /** When the oldest row of the batch under construction was claimed (performance.now()). */
  private oldest = 0;
  // The clock is read every `stride` rows, a stride that adapts so that reads come about once a
  // millisecond at any row rate: per-row reads would cost fast logs more than the logging itself.
  private stride = 1;
  private untilClockRead = 1;
  private lastClockRead = 0;

  constructor(dir: string, prefix: string, columns: readonly ColumnBuffer[], metadata: Map<string, string>, options: BatchOptions) {
    const flushSeconds = options.flushSeconds ?? 1;
    if (!(flushSeconds > 0 && Number.isFinite(flushSeconds))) throw new RangeError(`flushSeconds must be a positive number, got ${flushSeconds}`);
    this.flushMs = flushSeconds * 1000;
    this.columns = columns;
    this.capacity = columns[0].capacity;
    const fields = columns.map((c) => c.field);
    this.schema = new Schema(fields, metadata);
    this.structType = new Struct(fields as Field[]);
    this.segments = new SegmentWriter(dir, prefix, this.schema, options);
  }

  /** The index of a fresh row in the current batch (flushing the batch first when it is full). */
  row(): number {
    if (this.rows > 0 && (this.rows === this.capacity || this.waitedTooLong())) this.flush();
    if (this.rows === 0) this.oldest = performance.now();
    return this.rows++;
  }

  /** The first of `count` ≤ capacity consecutive fresh rows, all in the current batch. */
  claim(count: number): number {
    if (this.rows > 0 && (this.rows + count > this.capacity || this.waitedTooLong())) this.flush();
    if (this.rows === 0) this.oldest = performance.now();
    const first = this.rows;
    this.rows += count;
    return first;
  }

  /** Whether the batch's oldest row has waited `flushSeconds` (reading the clock only every `stride` calls). */
  private waitedTooLong(): boolean {
    if (--this.untilClockRead > 0) return false;
    const now = performance.now();
    this.stride = now - this.lastClockRead < 1 ? Math.min(this.stride * 2, 4096) : Math.max(1, this.stride >> 1);
    this.untilClockRead = this.stride;
    this.lastClockRead = now;
    return now - this.oldest >= this.flushMs;
  }

  /** Writes the rows gathered so far as one record batch. */
  flush(): void {
    if (this.closed) throw new Error(`the log in ${this.segments.dir} is closed`);
    const length = this.rows;
    if (length === 0) return;
    const children = this.columns.map((c) => c.data(length));
    const batch = new RecordBatch(this.schema, makeData({ type: this.structType, length, nullCount: 0, children }));
    this.segments.write(batch);
    for (const c of this.columns) c.clear();
    this.flushedRows += length;
    this.rows = 0;
  }

  /** Flushes what is left and closes the file. Calling it twice is harmless. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.segments.close();
    }
  }
}
