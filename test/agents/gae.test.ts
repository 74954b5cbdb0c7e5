// GAE against a rollout worked by hand: a termination is not bootstrapped, a truncation is
// bootstrapped from the value of its final observation, and neither leaks into the next episode.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RolloutBuffer, computeGae } from '../../agents/rollout.js';

/** 3 steps × 2 envs, stored at k = t·2 + i. */
function rollout(): RolloutBuffer {
  const b = new RolloutBuffer(3, 2, 1, 1, 0);
  // env 0: terminates at t = 1; a new episode runs at t = 2, bootstrapped from lastValues[0] = 2.
  // env 1: truncated at t = 0 with V(final observation) = 10; t = 1, 2 continue, lastValues[1] = 3.
  const rewards = [[1, 2, 3], [1, 1, 1]];
  const values = [[0.5, 1.0, 1.5], [2, 2, 2]];
  for (let t = 0; t < 3; t++) {
    for (let i = 0; i < 2; i++) {
      b.rewards[t * 2 + i] = rewards[i][t];
      b.values[t * 2 + i] = values[i][t];
    }
  }
  b.terminated[1 * 2 + 0] = 1;
  b.truncated[0 * 2 + 1] = 1;
  b.bootstrapValues[0 * 2 + 1] = 10;
  b.lastValues[0] = 2;
  b.lastValues[1] = 3;
  return b;
}

const close = (actual: ArrayLike<number>, expected: number[], what: string): void => {
  expected.forEach((e, k) => assert.ok(Math.abs(actual[k] - e) < 1e-12, `${what}[${k}] = ${actual[k]}, expected ${e}`));
};

test('GAE(γ = 0.9, λ = 0.8) matches the hand computation', () => {
  const b = rollout();
  computeGae(b, 0.9, 0.8);
  // env 0: A2 = 3 + 0.9·2 − 1.5 = 3.3 · A1 = 2 − 1 = 1 (terminal: no V(next), no A2) ·
  //        A0 = (1 + 0.9·1 − 0.5) + 0.9·0.8·1 = 2.12
  // env 1: A2 = 1 + 0.9·3 − 2 = 1.7 · A1 = 0.8 + 0.72·1.7 = 2.024 ·
  //        A0 = 1 + 0.9·10 − 2 = 8 (truncated: bootstrapped, and A1 belongs to the next episode)
  const adv = [2.12, 8, 1, 2.024, 3.3, 1.7];
  close(b.advantages, adv, 'advantages');
  close(b.returns, adv.map((a, k) => a + b.values[k]), 'returns');
});

test('a truncation is not a termination: only the bootstrap value differs', () => {
  const b = rollout();
  b.truncated[1] = 0;
  b.terminated[1] = 1; // env 1 terminated at t = 0 instead
  computeGae(b, 0.9, 0.8);
  assert.ok(Math.abs(b.advantages[1] - (1 - 2)) < 1e-12, 'terminated: δ = r − V(s)');
});

test('λ = 1 gives the n-step discounted returns A2C uses', () => {
  const b = rollout();
  computeGae(b, 0.9, 1);
  // env 1, t = 1: R = 1 + 0.9·1 + 0.81·3 (bootstrapped from lastValues[1])
  assert.ok(Math.abs(b.returns[1 * 2 + 1] - (1 + 0.9 + 0.81 * 3)) < 1e-12);
  // env 0, t = 0: R = 1 + 0.9·2, the episode ends at t = 1
  assert.ok(Math.abs(b.returns[0] - (1 + 0.9 * 2)) < 1e-12);
});
