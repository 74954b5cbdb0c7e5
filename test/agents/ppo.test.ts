// PPO end to end on CartPole-v1: it learns within a few thousand steps, holds tensor memory flat
// across updates, and repeats itself exactly from the same seed.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../agents/backend.js';
import { trainPPO } from '../../agents/ppo.js';
import type { UpdateStats } from '../../agents/training.js';
import '../../envs/index.js';
import { makeVec } from '../../src/vector/make-vec.js';

before(async () => {
  await selectBackend('wasm');
});

function run(seed: number, totalTimesteps: number): { returns: number[]; updates: UpdateStats[]; tensors: number[] } {
  const env = makeVec('CartPole-v1', { numEnvs: 4 });
  const returns: number[] = [];
  const updates: UpdateStats[] = [];
  const tensors: number[] = [];
  trainPPO(env, { totalTimesteps, seed }, {
    onEpisode: (e) => returns.push(e.r),
    onUpdate: (s) => {
      updates.push(s);
      tensors.push(tf.memory().numTensors);
    },
  });
  env.close();
  return { returns, updates, tensors };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

test('PPO improves CartPole’s mean return within 8k steps (CleanRL settings, seed 1)', () => {
  const { returns, updates } = run(1, 8192);
  assert.equal(updates.length, 16);
  const first = mean(returns.slice(0, 20));
  const last = mean(returns.slice(-20));
  assert.ok(first < 30, `a fresh policy is near random (≈22), got ${first}`);
  assert.ok(last > 1.8 * first, `mean return of the last 20 episodes (${last}) should be well above the first 20 (${first})`);
  for (const s of updates) {
    for (const [k, v] of Object.entries(s)) assert.ok(Number.isFinite(v), `${k} is ${v} at update ${s.iteration}`);
  }
});

test('tensor memory stays flat across updates', () => {
  const before = tf.memory().numTensors;
  const { tensors } = run(2, 4096);
  assert.deepEqual(tensors, new Array(tensors.length).fill(before), 'every update disposes every tensor it made');
});

test('the same seed gives the same losses; another seed does not', () => {
  const losses = (seed: number): number[][] => run(seed, 2048).updates.map((s) => [s.loss, s.policyLoss, s.valueLoss, s.entropy, s.approxKl, s.clipFraction]);
  const a = losses(7);
  assert.deepEqual(losses(7), a);
  assert.notDeepEqual(losses(8), a);
});
