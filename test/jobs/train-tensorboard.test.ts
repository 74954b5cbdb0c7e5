// Every training run writes one TensorBoard event file into its run folder, read back here with
// the spec reader: CleanRL's tags at the metrics.csv's steps and values, episode returns at their
// steps, nothing for a statistic the algorithm does not compute, and a resume that continues the
// same file after its checkpoint with no step twice.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../envs/index.js';
import { train } from '../../jobs/train.js';
import { EVENT_FILE_PREFIX } from '../../src/tensorboard/event-file.js';
import { type ReadEvent, readEvents } from '../fixtures/tfevents.js';

function eventsIn(dir: string): ReadEvent[] {
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(EVENT_FILE_PREFIX));
  assert.equal(files.length, 1, `one event file in ${dir}: ${files.join(', ')}`);
  return readEvents(fs.readFileSync(path.join(dir, files[0])));
}

/** The (step, value) series of `tag`. */
function series(events: readonly ReadEvent[], tag: string): [number, number][] {
  return events.filter((e) => tag in e.scalars).map((e) => [e.step, e.scalars[tag]]);
}

function csvColumn(file: string, column: string): [number, number][] {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));
  const step = header.indexOf('global_step');
  const k = header.indexOf(column);
  return rows.filter((r) => r[k] !== '').map((r) => [Number(r[step]), Number(r[k])]);
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

test('PPO: losses at every update as metrics.csv has them, returns at every episode; a resume appends after its checkpoint', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-tb-train-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const out = path.join(root, 'run');
  const options = { env: 'CartPole-v1', algo: 'ppo' as const, seed: 3, numEnvs: 4, backend: 'cpu' as const, log: () => {}, hyper: { numSteps: 64 } };
  await train({ ...options, steps: 1024, out, checkpointEvery: 2 });
  const first = eventsIn(out);
  assert.equal(first[0].fileVersion, 'brain.Event:2');
  assert.deepEqual(series(first, 'losses/value_loss').map(([s]) => s), [256, 512, 768, 1024]);

  // Resumed from the checkpoint at 512: the events of 768 and 1024 are played again, not kept twice.
  await train({ env: 'CartPole-v1', backend: 'cpu', log: () => {}, steps: 2048, resume: path.join(out, 'checkpoints', 'step-512'), out });
  const events = eventsIn(out);
  const loss = series(events, 'losses/value_loss');
  assert.deepEqual(loss.map(([s]) => s), [256, 512, 768, 1024, 1280, 1536, 1792, 2048], 'each update once, in order');
  for (const tag of ['losses/value_loss', 'losses/approx_kl', 'losses/clipfrac', 'charts/learning_rate']) {
    const csvName = { 'losses/value_loss': 'value_loss', 'losses/approx_kl': 'approx_kl', 'losses/clipfrac': 'clip_fraction', 'charts/learning_rate': 'learning_rate' }[tag]!;
    const csv = csvColumn(path.join(out, 'metrics.csv'), csvName);
    const board = series(events, tag);
    assert.equal(board.length, csv.length, tag);
    board.forEach(([step, v], i) => {
      assert.equal(step, csv[i][0]);
      assert.ok(close(v, Math.fround(csv[i][1])), `${tag} at ${step}: ${v} against ${csv[i][1]}`);
    });
  }
  const returns = series(events, 'charts/episodic_return');
  const episodes = fs.readFileSync(path.join(out, 'episodes.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  assert.deepEqual(returns.map(([s, r]) => [s, r]), episodes.map((e) => [e[0], e[1]]), 'one return per episode, at its step');
});

test('A2C: no KL or clip fraction in TensorBoard, and empty in metrics.csv, instead of zeros', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-tb-a2c-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const out = path.join(root, 'run');
  await train({ env: 'CartPole-v1', algo: 'a2c', steps: 400, seed: 3, backend: 'cpu', out, log: () => {} });
  const events = eventsIn(out);
  assert.ok(series(events, 'losses/policy_loss').length > 0);
  assert.deepEqual(series(events, 'losses/approx_kl'), []);
  assert.deepEqual(series(events, 'losses/clipfrac'), []);
  assert.deepEqual(csvColumn(path.join(out, 'metrics.csv'), 'clip_fraction'), []);
});
