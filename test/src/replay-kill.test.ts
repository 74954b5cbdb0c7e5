// Crash safety: a child logging at full speed is killed with SIGKILL; everything it flushed
// reads back, with our reader and with polars, and is exactly what it wrote, in order.

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

async function killWhenLogged(dir: string, minBytes: number): Promise<void> {
  const child = spawn(process.execPath, [CHILD, '--child', dir], { stdio: 'ignore' });
  const file = path.join(dir, 'steps-00000.arrows');
  const started = Date.now();
  try {
    while (!(fs.existsSync(file) && fs.statSync(file).size >= minBytes)) {
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
    await killWhenLogged(dir, minBytes);
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
