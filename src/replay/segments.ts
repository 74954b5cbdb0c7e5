// Log directories of Arrow IPC stream files ("segments"), appended so that each file on disk is
// a complete stream after every batch: a process killed at any instant loses at most the batch
// it was writing, and every earlier batch reads back with any Arrow reader.

import fs from 'node:fs';
import path from 'node:path';
import { AsyncByteQueue, Message, type RecordBatch, RecordBatchStreamWriter, type Schema } from 'apache-arrow';
import { ReplayFormatError } from './schema.js';
import { makeDirs } from '../make-dirs.js';

/** A log that cannot be written: the message names the path and what went wrong. */
export class ReplayWriteError extends Error {
  override name = 'ReplayWriteError';
}

/** The IPC stream's end-of-stream marker: continuation word, then a zero metadata length. */
const EOS_BYTES = 8;
const FILE_EXTENSION = '.arrows';

export interface SegmentWriterOptions {
  /** A segment is closed and the next one begun once it reaches this size (default 256 MiB). */
  maxFileBytes?: number;
  /** Add segments to a directory that already holds this kind of log (default: refuse). */
  append?: boolean;
  /**
   * Names this writer's files `<prefix>-<part>-00000.arrows`, … instead of `<prefix>-00000.arrows`,
   * so that several writers (one per worker thread) fill one log directory side by side; readers
   * read every part as one log. A letter, then letters and digits (e.g. `w0`, `w1`).
   */
  part?: string;
}

const PART = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Segment files of kind `prefix` in `dir`: those of one `part` (null: the files written without
 * one), or, when `part` is omitted, every file of the log — the unparted ones, then each part's
 * (parts in natural order: w2 before w10) — each run of files in write order.
 */
export function listSegments(dir: string, prefix: string, part?: string | null): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new ReplayFormatError(`cannot read replay log directory ${dir}: ${(err as Error).message}`);
  }
  const pattern = new RegExp(`^${prefix}-(?:([A-Za-z][A-Za-z0-9]*)-)?(\\d{5,})\\${FILE_EXTENSION}$`);
  const found: { name: string; part: string; seq: string }[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (m === null) continue;
    if (part !== undefined && (m[1] ?? null) !== part) continue;
    found.push({ name, part: m[1] ?? '', seq: m[2] });
  }
  found.sort((a, b) => a.part.localeCompare(b.part, 'en', { numeric: true }) || a.seq.length - b.seq.length || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  return found.map((f) => path.join(dir, f.name));
}

/**
 * Writes record batches of one schema into `dir/<prefix>-00000.arrows`, `-00001`, … Each append
 * writes the new batch's bytes past the current end-of-stream marker first and only then
 * overwrites the 8-byte marker with the batch's first 8 bytes (one write within one page), so the
 * file is a valid stream before, during and after every append. No file is ever truncated or
 * overwritten: segments are created exclusively, and an existing log is refused unless `append`.
 */
export class SegmentWriter {
  readonly dir: string;
  readonly prefix: string;
  /** The part its files are named with, or null. */
  readonly part: string | null;
  readonly schema: Schema;
  /** Every segment this writer created, in order. */
  readonly files: string[] = [];
  private readonly maxFileBytes: number;
  private next: number;
  private fd = -1;
  private file = '';
  private eosAt = 0;
  private schemaBytes = 0;
  private closedBytes = 0;
  private writer: RecordBatchStreamWriter | null = null;
  private sink: ChunkSink | null = null;

  constructor(dir: string, prefix: string, schema: Schema, options: SegmentWriterOptions = {}) {
    this.dir = path.resolve(dir);
    this.prefix = prefix;
    this.part = options.part ?? null;
    if (this.part !== null && !PART.test(this.part)) throw new RangeError(`SegmentWriter: part ${JSON.stringify(this.part)} must be a letter followed by letters and digits`);
    this.schema = schema;
    this.maxFileBytes = options.maxFileBytes ?? 256 * 2 ** 20;
    checkLogDirectory(this.dir, prefix, options.append === true, this.part);
    const own = listSegments(this.dir, prefix, this.part);
    this.next = own.length === 0 ? 0 : Number(/(\d+)\.arrows$/.exec(own[own.length - 1])![1]) + 1;
    this.open();
  }

  /** Bytes in every segment so far. */
  get bytes(): number {
    return this.closedBytes + (this.fd >= 0 ? this.eosAt + EOS_BYTES : 0);
  }

  /** Appends one batch; the file is a complete stream again when this returns. */
  write(batch: RecordBatch): void {
    if (this.fd < 0) this.open();
    const sink = this.sink!;
    sink.chunks.length = 0;
    this.writer!.write(batch); // [dictionaries the segment has not seen][batch], as chunks
    const chunks = sink.chunks;
    let length = 0;
    for (const c of chunks) length += c.length;
    // The message starts with two 4-byte words (continuation, metadata length): they go last,
    // over the old end-of-stream marker, once everything after them is on disk.
    const head = chunks.splice(0, 2);
    if (head.length !== 2 || head[0].length + head[1].length !== 8) throw new Error('SegmentWriter: unexpected IPC message framing from apache-arrow');
    chunks.push(EOS);
    this.writeAt(chunks, length - 8 + EOS_BYTES, this.eosAt + 8);
    this.writeAt(head, 8, this.eosAt);
    this.eosAt += length;
    if (this.eosAt + EOS_BYTES >= this.maxFileBytes) this.closeSegment();
  }

  close(): void {
    if (this.fd >= 0) this.closeSegment();
  }

  private open(): void {
    // One stream writer per segment, writing into a sink that only collects chunks, so each
    // dictionary is written once per file and batch bytes are never joined into one buffer.
    this.sink = new ChunkSink();
    this.writer = new RecordBatchStreamWriter();
    this.writer.reset(this.sink as unknown as AsyncByteQueue, this.schema);
    const header = Buffer.concat([...this.sink.chunks, EOS]);
    this.sink.chunks.length = 0;
    this.schemaBytes = header.length - EOS_BYTES;
    this.file = path.join(this.dir, `${this.prefix}-${this.part === null ? '' : `${this.part}-`}${String(this.next++).padStart(5, '0')}${FILE_EXTENSION}`);
    // The header goes into a temporary file that is then linked into place: the segment appears
    // whole or not at all, and link (unlike rename) never replaces a file already there.
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, header, { flag: 'wx' });
      try {
        fs.linkSync(tmp, this.file);
      } finally {
        fs.unlinkSync(tmp);
      }
      this.fd = fs.openSync(this.file, 'r+');
    } catch (err) {
      throw new ReplayWriteError(`cannot create replay log file ${this.file}: ${describe(err)}`);
    }
    this.eosAt = this.schemaBytes;
    this.files.push(this.file);
  }

  private closeSegment(): void {
    this.writer = null;
    this.sink = null;
    try {
      fs.closeSync(this.fd);
    } catch (err) {
      throw new ReplayWriteError(`cannot close replay log file ${this.file}: ${describe(err)}`);
    } finally {
      this.fd = -1;
      this.closedBytes += this.eosAt + EOS_BYTES;
    }
  }

  private writeAt(chunks: Uint8Array[], length: number, position: number): void {
    let done = 0;
    try {
      done = fs.writevSync(this.fd, chunks, position);
      // A short write (rare: signals, quotas) is finished from the joined bytes.
      if (done < length) {
        const rest = Buffer.concat(chunks).subarray(done);
        for (let k = 0; k < rest.length; ) k += fs.writeSync(this.fd, rest, k, rest.length - k, position + done + k);
        done = length;
      }
    } catch (err) {
      throw new ReplayWriteError(`cannot write replay log file ${this.file} (at byte ${position + done}): ${describe(err)}; the batches written before are intact`);
    }
  }
}

const EOS = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/** Collects what a stream writer writes, synchronously, as views on its buffers. */
class ChunkSink extends AsyncByteQueue {
  readonly chunks: Uint8Array[] = [];

  override write(value: Uint8Array | ArrayBufferView): void {
    if (value.byteLength > 0) this.chunks.push(value instanceof Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }
}

/**
 * Makes sure a `prefix` log can be written into `dir` (creating it), before any row is: throws if
 * `dir` is a file, cannot be written, or already holds such a log and `append` is false. Returns
 * the segments already there. A writer of one `part` shares the directory with the other parts
 * (written beside it at the same time) and checks only its own files and the unparted ones.
 */
export function checkLogDirectory(dir: string, prefix: string, append: boolean, part: string | null = null): string[] {
  prepareDirectory(dir);
  const existing = part === null ? listSegments(dir, prefix) : [...listSegments(dir, prefix, null), ...listSegments(dir, prefix, part)];
  if (existing.length > 0 && !append) {
    throw new ReplayWriteError(`${dir} already holds a ${prefix} log (${existing.length} file${existing.length === 1 ? '' : 's'}, ${path.basename(existing[0])} …); pass append to add to it, or choose another directory`);
  }
  return existing;
}

function prepareDirectory(dir: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    stat = undefined;
  }
  if (stat !== undefined && !stat.isDirectory()) throw new ReplayWriteError(`${dir} is a file, not a directory: a replay log is a directory of .arrows files`);
  try {
    makeDirs(dir);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw new ReplayWriteError(`cannot write replay logs into ${dir}: ${describe(err)}`);
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const hints: Record<string, string> = { ENOSPC: 'the disk is full', EACCES: 'permission denied', EROFS: 'read-only file system', EEXIST: 'a file of that name already exists', ENOTDIR: 'a parent is a file, not a directory', EDQUOT: 'disk quota exceeded' };
  return e.code !== undefined && hints[e.code] !== undefined ? `${hints[e.code]} (${e.code})` : e.message ?? String(err);
}

/** Where a segment's stream ends, found by walking its message frames. */
export interface StreamExtent {
  /** Bytes up to and including the end-of-stream marker. */
  end: number;
  /** Record batch messages in the stream. */
  batches: number;
}

/**
 * Walks the IPC stream frames of `bytes` (a segment read from `file`) and returns where its
 * end-of-stream marker is. Bytes after the marker are an append cut short and are ignored;
 * a stream that stops without a marker was truncated or is not Arrow, and throws saying which.
 */
export function streamExtent(bytes: Uint8Array, file: string): StreamExtent {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  let batches = 0;
  let messages = 0;
  for (;;) {
    if (p + 8 > bytes.length) {
      if (messages === 0) throw new ReplayFormatError(`${file} is not an Arrow IPC stream (${bytes.length} bytes, no schema message)`);
      throw new ReplayFormatError(`${file} is truncated: it ends at byte ${bytes.length} after ${batches} complete batch${batches === 1 ? '' : 'es'}, without the end-of-stream marker`);
    }
    if (view.getInt32(p, true) !== -1) {
      if (messages === 0) throw new ReplayFormatError(`${file} is not an Arrow IPC stream: it does not start with the stream continuation marker (first bytes ${hex(bytes.subarray(0, 8))})`);
      throw new ReplayFormatError(`${file} is damaged: no message frame at byte ${p} after ${batches} batch${batches === 1 ? '' : 'es'}`);
    }
    const metaLength = view.getInt32(p + 4, true);
    if (metaLength === 0) return { end: p + 8, batches };
    let bodyLength: number;
    try {
      if (p + 8 + metaLength > bytes.length) throw new RangeError('metadata runs past the end');
      const message = Message.decode(bytes.subarray(p + 8, p + 8 + metaLength));
      bodyLength = Number(message.bodyLength);
      if (message.isRecordBatch()) batches++;
    } catch (err) {
      if (messages === 0) throw new ReplayFormatError(`${file} is not an Arrow IPC stream: its first message does not decode (${(err as Error).message})`);
      throw new ReplayFormatError(`${file} is truncated or damaged at byte ${p}, after ${batches} complete batch${batches === 1 ? '' : 'es'}: ${(err as Error).message}`);
    }
    const next = p + 8 + metaLength + bodyLength;
    if (next > bytes.length) throw new ReplayFormatError(`${file} is truncated: a message at byte ${p} needs ${next - p} bytes but the file ends at ${bytes.length}, after ${batches} complete batch${batches === 1 ? '' : 'es'}`);
    p = next;
    messages++;
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
