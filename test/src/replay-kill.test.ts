// Crash safety: a child logging at full speed is killed with SIGKILL; everything it flushed
// reads back, with our reader and with polars, and is exactly what it wrote, in order. A child
// logging slowly into batches it never fills still leaves its rows: the log flushes on time.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readStepLog } from '../../src/replay/reader.js';
import { replayChildSteps } from '../fixtures/replay-child.js';
import { polars, polarsStream } from '../fixtures/polars.js';

const CHILD = fileURLToPath(new URL('../fixtures/replay-child.js', import.meta.url));

/** Starts the child in `mode` and kills it once `logged(bytes on disk)` holds. */
async function killWhen(dir: string, mode: '--child' | '--slow-child', logged: (bytes: number) => boolean): Promise<void> {
  const child = spawn(process.execPath, [CHILD, mode, dir], { stdio: 'ignore' });
  const file = path.join(dir, 'steps-00000.arrows');
  const started = Date.now();
  try {
    while (!(fs.existsSync(file) && logged(fs.statSync(file).size))) {
      if (child.exitCode !== null) throw new Error(`the child exited with ${child.exitCode} before logging`);
      if (Date.now() - started > 60_000) throw new Error('the child logged nothing within a minute');
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

test('SIGKILL mid-run loses at most the batch in flight; every row read is a row written, in order', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-replay-kill-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const [k, minBytes] of [[0, 40_000], [1, 200_000]] as const) {
    const dir = path.join(root, `killed-${k}`);
    await killWhen(dir, '--child', (bytes) => bytes >= minBytes);
    const read = [...readStepLog(dir).steps()].map((r) => ({ ...r, observation: [...r.observation] }));
    assert.ok(read.length > 0, 'the child flushed batches before it was killed');

    const reference = path.join(root, `reference-${k}`);
    replayChildSteps(reference, (rows) => rows >= read.length + 48);
    const expected = [...readStepLog(reference).steps()].slice(0, read.length).map((r) => ({ ...r, observation: [...r.observation] }));
    assert.deepEqual(read, expected, 'the rows the killed child left are the first rows it wrote');

    if (polars() !== null) {
      const frame = polarsStream(path.join(dir, 'steps-00000.arrows'));
      assert.equal(frame.height, read.length, 'polars reads the same complete batches');
      assert.deepEqual(frame.getColumn('rewards').toArray(), read.map((r) => (r.final ? null : r.reward)));
    }
  }
});

test('a slow log is flushed on time: a SIGKILL before the first batch fills still leaves the rows of the seconds before it', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-replay-slow-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // The file grows when the schema is written and then once per flush; wait for two flushes.
  const sizes = new Set<number>();
  await killWhen(dir, '--slow-child', (bytes) => sizes.add(bytes).size >= 3);
  const read = [...readStepLog(dir).steps()].map((r) => ({ ...r, observation: [...r.observation] }));
  assert.ok(read.length > 0, 'rows reached the disk');
  assert.ok(read.length < 65_536, `the default batch of 65,536 rows never filled (${read.length} rows read): they were flushed on time`);
  const reference = path.join(dir, 'reference');
  replayChildSteps(reference, (rows) => rows >= read.length + 4, {});
  const expected = [...readStepLog(reference).steps()].slice(0, read.length).map((r) => ({ ...r, observation: [...r.observation] }));
  assert.deepEqual(read, expected, 'the rows the killed child left are the first rows it wrote');
});
