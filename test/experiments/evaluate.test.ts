// Evaluation: summary statistics checked by hand, seeded evaluations that repeat exactly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import { evaluate } from '../../experiments/evaluate.js';
import { policyByName } from '../../experiments/policies.js';
import { summarize, tQuantile975 } from '../../experiments/stats.js';
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
  assert.throws(() => policyByName('clever', make('CartPole-v1'), 0), /unknown policy "clever"; known policies: random/);
});
