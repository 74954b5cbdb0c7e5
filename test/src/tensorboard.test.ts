// TensorBoard event files read back by a reader written from the TFRecord and Event specs: the
// file version first, every finite scalar at its step as a float32, CRCs that hold, and a resumed
// run that keeps the events its checkpoint covers and appends after them.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { EVENT_FILE_PREFIX, EventFileWriter, maskedCrc32c } from '../../src/tensorboard/event-file.js';
import { readEvents } from '../fixtures/tfevents.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-tb-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('CRC-32C and its mask match the published check values', () => {
  // CRC-32C of "123456789" is 0xE3069283 (RFC 3720, appendix B.4); masked: rotate right 15, add 0xA282EAD8.
  const crc = 0xe3069283;
  assert.equal(maskedCrc32c(new TextEncoder().encode('123456789')), ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0);
  // 32 bytes of zeros: CRC-32C 0x8A9136AA (RFC 3720, B.4).
  const zeros = 0x8a9136aa;
  assert.equal(maskedCrc32c(new Uint8Array(32)), ((((zeros >>> 15) | (zeros << 17)) >>> 0) + 0xa282ead8) >>> 0);
});

test('scalars read back at their steps, as float32, NaN left out; a flipped byte fails the CRC', (t) => {
  const dir = tempDir(t);
  const w = new EventFileWriter(dir);
  w.scalars(0, { 'losses/value_loss': 0.125, 'losses/clipfrac': 0, 'charts/episodic_return': NaN });
  w.scalars(512, { 'losses/value_loss': 0.1, 'charts/episodic_return': 21.5 });
  w.close();
  const files = fs.readdirSync(dir);
  assert.equal(files.length, 1);
  assert.ok(files[0].startsWith(EVENT_FILE_PREFIX));
  const bytes = fs.readFileSync(path.join(dir, files[0]));
  const events = readEvents(bytes);
  assert.equal(events[0].fileVersion, 'brain.Event:2');
  assert.deepEqual(events.slice(1).map((e) => [e.step, e.scalars]), [
    [0, { 'losses/value_loss': 0.125, 'losses/clipfrac': 0 }],
    [512, { 'losses/value_loss': Math.fround(0.1), 'charts/episodic_return': 21.5 }],
  ]);
  assert.ok(events.every((e) => Math.abs(e.wallTime - Date.now() / 1000) < 600), 'wall times are seconds since the epoch');
  bytes[bytes.length - 3] ^= 0xff;
  assert.throws(() => readEvents(bytes), /bad data CRC/);
});

test('a resumed run keeps the events up to its checkpoint, drops a torn tail, and appends to the same file', (t) => {
  const dir = tempDir(t);
  const first = new EventFileWriter(dir);
  for (const step of [100, 200, 300, 400]) first.scalars(step, { x: step });
  first.close();
  const [file] = fs.readdirSync(dir);
  fs.appendFileSync(path.join(dir, file), Buffer.from([1, 2, 3, 4, 5, 6, 7])); // a record cut by a kill
  const resumed = new EventFileWriter(dir, { resumeAtStep: 200 });
  resumed.scalars(300, { x: -300 });
  resumed.close();
  assert.deepEqual(fs.readdirSync(dir), [file], 'one file per run');
  const events = readEvents(fs.readFileSync(path.join(dir, file)));
  assert.deepEqual(events.map((e) => e.fileVersion ?? e.scalars.x), ['brain.Event:2', 100, 200, -300]);
});
