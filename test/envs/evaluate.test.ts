// Evaluation: summary statistics checked by hand, seeded evaluations that repeat exactly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import { evaluate } from '../../envs/evaluate.js';
import { baselineByName } from '../../envs/baselines.js';
import { pairedDifference, summarize, tQuantile975 } from '../../src/stats.js';
import { make } from '../../src/registry.js';

test('summarize: mean, sample std and Student-t 95 % half-width by hand', () => {
  const s = summarize([1, 2, 3, 4]);
  // mean 2.5; sample variance (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3; t(3) = 3.182
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.std - Math.sqrt(5 / 3)) < 1e-12);
  assert.ok(Math.abs(s.ci95 - (3.182 * Math.sqrt(5 / 3)) / 2) < 1e-12);
  assert.deepEqual([s.min, s.max, s.n], [1, 4, 4]);
  assert.ok(Number.isNaN(summarize([7]).ci95), 'one value has no interval');
});

test('pairedDifference: the CI of the per-episode differences, with wins and losses, by hand', () => {
  // Differences 2, −1, 3, 0: mean 1; sample variance (1 + 4 + 4 + 1) / 3 = 10/3; t(3) = 3.182.
  const d = pairedDifference([12, 9, 13, 10], [10, 10, 10, 10]);
  assert.equal(d.mean, 1);
  assert.ok(Math.abs(d.ci95 - (3.182 * Math.sqrt(10 / 3)) / 2) < 1e-12);
  assert.deepEqual([d.wins, d.losses, d.ties, d.n], [2, 1, 1, 4]);
  // Pairing removes what both share: a constant offset over noisy episodes has no spread at all.
  const b = [3, 17, 8, 25, 11];
  const p = pairedDifference(b.map((x) => x + 0.5), b);
  assert.equal(p.mean, 0.5);
  assert.equal(p.ci95, 0);
  assert.throws(() => pairedDifference([1, 2], [1]), /2 values against 1; pair the same episodes/);
});

test('tQuantile975 agrees with tables beyond the exact range', () => {
  // Published values: t(0.975; 20) = 2.086, t(30) = 2.042, t(120) = 1.980.
  assert.ok(Math.abs(tQuantile975(20) - 2.086) < 1e-3);
  assert.ok(Math.abs(tQuantile975(30) - 2.042) < 1e-3);
  assert.ok(Math.abs(tQuantile975(120) - 1.98) < 1e-3);
});

test('evaluate: episode i is seeded with seed + i, so runs repeat and episodes differ', () => {
  const a = evaluate({ env: 'CartPole-v1', policy: 'random', episodes: 6, seed: 3 });
  const b = evaluate({ env: 'CartPole-v1', policy: 'random', episodes: 6, seed: 3 });
  assert.deepEqual(a.returns, b.returns);
  assert.deepEqual(a.returns, a.lengths, 'CartPole pays 1 per step');
  assert.ok(new Set(a.returns).size > 1);
  assert.equal(a.return.mean, a.returns.reduce((x, y) => x + y, 0) / 6);
  assert.throws(() => evaluate({ env: 'CartPole-v1', policy: 'random', episodes: 0, seed: 0 }), /episodes must be a positive integer/);
});

test('an unknown policy name lists the known ones', () => {
  assert.throws(() => baselineByName('clever', make('CartPole-v1'), 0), /unknown policy "clever"; known policies: random/);
});
