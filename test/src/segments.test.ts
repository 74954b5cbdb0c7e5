// Log parts: several writers fill one log directory side by side (one per worker thread), each
// checking only its own files, and readers list every part as one log, in a stable order.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Field, Int32, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { LogFiles, numberColumn } from '../../src/replay/reader.js';
import { listSegments, ReplayWriteError, SegmentWriter } from '../../src/replay/segments.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-segments-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const field = new Field('x', new Int32(), false);
const schema = new Schema([field]);

/** A batch of one int32 column holding `values`. */
function batch(values: number[]): RecordBatch {
  const x = makeData({ type: new Int32(), length: values.length, data: Int32Array.from(values) });
  return new RecordBatch(schema, makeData({ type: new Struct([field]), length: values.length, nullCount: 0, children: [x] }));
}

/** Writes one batch per entry of `batches` as `part`, a segment each. */
function write(dir: string, part: string | undefined, batches: number[][], append = false): void {
  const writer = new SegmentWriter(dir, 'log', schema, { part, append, maxFileBytes: 1 });
  for (const b of batches) writer.write(batch(b));
  writer.close();
}

test('parts side by side: each writer numbers its own files, and readers read the unparted files, then each part in natural order', (t) => {
  const dir = tempDir(t);
  write(dir, undefined, [[1], [2]]);
  // Parts added to an unparted log: only by appending (see the next test).
  write(dir, 'w10', [[100]], true);
  write(dir, 'w2', [[20], [21]], true);
  write(dir, 'w1', [[10]], true);
  const names = (files: string[]): string[] => files.map((f) => path.basename(f));
  assert.deepEqual(names(listSegments(dir, 'log')), ['log-00000.arrows', 'log-00001.arrows', 'log-w1-00000.arrows', 'log-w2-00000.arrows', 'log-w2-00001.arrows', 'log-w10-00000.arrows']);
  assert.deepEqual(names(listSegments(dir, 'log', 'w2')), ['log-w2-00000.arrows', 'log-w2-00001.arrows']);
  assert.deepEqual(names(listSegments(dir, 'log', null)), ['log-00000.arrows', 'log-00001.arrows']);
  assert.deepEqual(Array.from(numberColumn([...new LogFiles(dir, 'log').batches()], 'x')), [1, 2, 10, 20, 21, 100], 'every part, read as one log');
});

test('a part writer ignores its siblings but not its own files nor an unparted log; an unparted writer refuses any part', (t) => {
  const dir = tempDir(t);
  write(dir, 'w0', [[1]]);
  write(dir, 'w1', [[2]]); // beside w0: no complaint
  assert.throws(() => write(dir, 'w0', [[3]]), (err: Error) => err instanceof ReplayWriteError && err.message.includes('already holds a log log'));
  assert.throws(() => write(dir, undefined, [[3]]), ReplayWriteError, 'an unparted writer sees the parts');
  write(dir, 'w0', [[3]], true);
  assert.deepEqual(listSegments(dir, 'log', 'w0').map((f) => path.basename(f)), ['log-w0-00000.arrows', 'log-w0-00001.arrows'], 'appending continues the part');

  const other = tempDir(t);
  write(other, undefined, [[1]]);
  assert.throws(() => write(other, 'w0', [[2]]), ReplayWriteError, 'a part writer sees an unparted log');
});

test('a part name must be a letter followed by letters and digits', (t) => {
  const dir = tempDir(t);
  for (const part of ['', '0w', 'w-1', '../x']) {
    assert.throws(() => new SegmentWriter(dir, 'log', schema, { part }), (err: Error) => err instanceof RangeError && err.message.includes(JSON.stringify(part)), part);
  }
  assert.deepEqual(fs.readdirSync(dir), []);
});
