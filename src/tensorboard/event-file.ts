// TensorBoard event files: scalar summaries as `Event` protos in TFRecord framing, the files
// `tensorboard --logdir` reads. One file per run; a resumed run keeps the events up to the step it
// resumes from and appends after them.
//
// Formats (field numbers are upstream's): a TFRecord is uint64 length, uint32 masked CRC-32C of
// the length bytes, the data, uint32 masked CRC-32C of the data (all little-endian). An Event is
// tensorflow/core/util/event.proto: wall_time = 1 (double), step = 2 (int64), file_version = 3,
// summary = 5; a Summary holds repeated Value = 1, each with tag = 1 and simple_value = 2 (float),
// as PyTorch's and tensorboardX's SummaryWriter write scalars.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';

const EVENT_PROTO = `
syntax = "proto3";
package tensorflow;
message Event {
  double wall_time = 1;
  int64 step = 2;
  string file_version = 3;
  Summary summary = 5;
}
message Summary {
  message Value {
    string tag = 1;
    // In a oneof, as upstream has it: a value of 0 is still written, and readers see which kind it is.
    oneof value {
      float simple_value = 2;
    }
  }
  repeated Value value = 1;
}
`;

const root = protobuf.parse(EVENT_PROTO, { keepCase: true }).root;
const EventType = root.lookupType('tensorflow.Event');

/** The prefix TensorBoard looks for in a log folder. */
export const EVENT_FILE_PREFIX = 'events.out.tfevents.';

/** CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, by table. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant, so CRCs of CRCs stay strong. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord around `data`. */
function frame(data: Uint8Array): Buffer {
  const out = Buffer.alloc(16 + data.length);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

/** The records of a TFRecord file whose framing and CRCs hold, stopping at the first that does not (a torn tail). */
function* records(bytes: Buffer): Generator<{ data: Buffer; end: number }> {
  let at = 0;
  while (at + 12 <= bytes.length) {
    const length = Number(bytes.readBigUInt64LE(at));
    if (bytes.readUInt32LE(at + 8) !== maskedCrc32c(bytes.subarray(at, at + 8)) || at + 16 + length > bytes.length) return;
    const data = bytes.subarray(at + 12, at + 12 + length);
    if (bytes.readUInt32LE(at + 12 + length) !== maskedCrc32c(data)) return;
    at += 16 + length;
    yield { data, end: at };
  }
}

export interface EventFileOptions {
  /** Resume the run's file: keep its events up to this step (those a checkpoint covers) and append. */
  resumeAtStep?: number;
  /** Seconds a written event waits for disk at most (default 1). */
  flushSeconds?: number;
}

/** Writes scalar summaries into the run's one event file in `dir`. */
export class EventFileWriter {
  readonly file: string;
  private readonly fd: number;
  private pending: Buffer[] = [];
  private oldest = 0;
  private readonly flushMs: number;
  private closed = false;

  constructor(dir: string, options: EventFileOptions = {}) {
    fs.mkdirSync(dir, { recursive: true });
    this.flushMs = (options.flushSeconds ?? 1) * 1000;
    const existing = fs.readdirSync(dir).filter((f) => f.startsWith(EVENT_FILE_PREFIX)).sort();
    if (options.resumeAtStep !== undefined && existing.length > 0) {
      this.file = path.join(dir, existing[existing.length - 1]);
      keepUpTo(this.file, options.resumeAtStep);
      this.fd = fs.openSync(this.file, 'a');
    } else {
      // The name TensorBoard's own writers use: seconds since the epoch and the host.
      this.file = path.join(dir, `${EVENT_FILE_PREFIX}${Math.floor(Date.now() / 1000)}.${os.hostname()}.${process.pid}`);
      this.fd = fs.openSync(this.file, 'w');
      this.write({ wall_time: Date.now() / 1000, file_version: 'brain.Event:2' });
      this.flush();
    }
  }

  /** One event at `step` holding every finite value of `scalars` under its tag (NaN means "none this time"). */
  scalars(step: number, scalars: Readonly<Record<string, number>>): void {
    const value = Object.entries(scalars).filter(([, v]) => Number.isFinite(v)).map(([tag, v]) => ({ tag, simple_value: v }));
    if (value.length === 0) return;
    this.write({ wall_time: Date.now() / 1000, step, summary: { value } });
    if (performance.now() - this.oldest >= this.flushMs) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    fs.writeSync(this.fd, Buffer.concat(this.pending));
    this.pending = [];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }

  private write(event: Record<string, unknown>): void {
    if (this.closed) throw new Error(`the event file ${this.file} is closed`);
    if (this.pending.length === 0) this.oldest = performance.now();
    this.pending.push(frame(EventType.encode(EventType.fromObject(event)).finish()));
  }
}

/** Cuts `file` after its last event at or before `step` (and after any torn record), so a resumed run appends where its checkpoint was. */
function keepUpTo(file: string, step: number): void {
  const bytes = fs.readFileSync(file);
  let keep = 0;
  for (const { data, end } of records(bytes)) {
    const event = EventType.toObject(EventType.decode(data), { longs: Number }) as { step?: number };
    if ((event.step ?? 0) > step) break;
    keep = end;
  }
  if (keep < bytes.length) fs.truncateSync(file, keep);
}
