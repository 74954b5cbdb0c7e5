// PPO's clipped surrogate and clipped value loss, and A2C's loss, against numbers worked by hand.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { a2cLoss } from '../../agents/a2c.js';
import type { LossInputs } from '../../agents/actor-critic.js';
import { ppoLoss } from '../../agents/ppo.js';

function inputs(logp: number[], entropy: number[], value: number[]): LossInputs {
  const n = logp.length;
  return { n, logp: Float64Array.from(logp), entropy: Float64Array.from(entropy), value: Float64Array.from(value), dLogp: new Float64Array(n), dEntropy: new Float64Array(n), dValue: new Float64Array(n) };
}

const near = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`);

test('PPO: clipped surrogate, clipped value loss, KL and clip fraction by hand', () => {
  // Ratios 1.4 (A = 1: clipped at 1.2), 0.9 (A = −2: inside the clip range), 0.5 (A = −1: clipped at 0.8).
  const x = inputs([Math.log(0.7), Math.log(0.45), Math.log(0.25)], [0.6, 0.5, 0.4], [1.5, 0.9, 3.0]);
  const samples = {
    oldLogp: Float64Array.from([Math.log(0.5), Math.log(0.5), Math.log(0.5)]),
    advantages: Float64Array.from([1, -2, -1]),
    returns: Float64Array.from([2.0, 0.0, 3.5]),
    oldValues: Float64Array.from([1.0, 1.0, 2.0]),
  };
  const s = ppoLoss(x, samples, { normAdv: false, clipCoef: 0.2, clipVloss: true, entCoef: 0.01, vfCoef: 0.5 });
  // max(−A·r, −A·clip(r)): max(−1.4, −1.2) = −1.2; max(1.8, 1.8) = 1.8; max(0.5, 0.8) = 0.8
  near(s.policyLoss, (-1.2 + 1.8 + 0.8) / 3, 'policy loss');
  // V_clip = V_old + clip(V − V_old, ±0.2): 1.2, 0.9, 2.2 → max of squared errors 0.64, 0.81, 1.69
  near(s.valueLoss, (0.5 * (0.64 + 0.81 + 1.69)) / 3, 'value loss');
  near(s.entropy, 0.5, 'entropy');
  near(s.loss, (-1.2 + 1.8 + 0.8) / 3 - 0.01 * 0.5 + 0.5 * ((0.5 * 3.14) / 3), 'loss');
  near(s.clipFraction, 2 / 3, 'clip fraction');
  near(s.approxKl, (0.4 - Math.log(1.4) + (-0.1 - Math.log(0.9)) + (-0.5 - Math.log(0.5))) / 3, 'approx KL');
  near(s.oldApproxKl, -(Math.log(1.4) + Math.log(0.9) + Math.log(0.5)) / 3, 'old approx KL');
  // Gradients: only the unclipped sample moves the policy (−A·r/n) and the value (vf·(V − R)/n).
  near(x.dLogp[0], 0, 'dlogp 0 (clipped)');
  near(x.dLogp[1], (2 * 0.9) / 3, 'dlogp 1');
  near(x.dLogp[2], 0, 'dlogp 2 (clipped)');
  near(x.dValue[0], 0, 'dV 0 (clipped)');
  near(x.dValue[1], (0.5 * 0.9) / 3, 'dV 1');
  near(x.dValue[2], 0, 'dV 2 (clipped)');
  near(x.dEntropy[0], -0.01 / 3, 'dH');
});

test('PPO: advantages are normalised per minibatch, with the unbiased std', () => {
  // A = [1, 2, 3] → [−1, 0, 1]; at ratio 1 the surrogate is −mean(Â) = 0 and dlogp = −Â/n.
  const x = inputs([0, 0, 0], [0, 0, 0], [0, 0, 0]);
  const zeros = new Float64Array(3);
  const s = ppoLoss(x, { oldLogp: zeros, advantages: Float64Array.from([1, 2, 3]), returns: zeros, oldValues: zeros }, { normAdv: true, clipCoef: 0.2, clipVloss: false, entCoef: 0, vfCoef: 0.5 });
  near(s.policyLoss, 0, 'policy loss');
  near(x.dLogp[0], 1 / 3 / (1 + 1e-8), 'dlogp 0');
  near(x.dLogp[2], -1 / 3 / (1 + 1e-8), 'dlogp 2');
});

test('PPO without value clipping: ½·mean((V − R)²)', () => {
  const x = inputs([0, 0], [0, 0], [1, 3]);
  const zeros = new Float64Array(2);
  const s = ppoLoss(x, { oldLogp: zeros, advantages: zeros, returns: Float64Array.from([0, 1]), oldValues: zeros }, { normAdv: false, clipCoef: 0.2, clipVloss: false, entCoef: 0, vfCoef: 0.5 });
  near(s.valueLoss, 0.5 * ((1 + 4) / 2), 'value loss');
  near(x.dValue[1], (0.5 * 2) / 2, 'dV 1');
});

test('A2C: −mean(A·log π) − c_H·mean(H) + c_V·mean((R − V)²)', () => {
  const x = inputs([Math.log(0.5), Math.log(0.25)], [0.7, 0.3], [1, 2]);
  const s = a2cLoss(x, Float64Array.from([2, -1]), Float64Array.from([1.5, 1]), { normAdv: false, entCoef: 0.1, vfCoef: 0.5 });
  near(s.policyLoss, -(2 * Math.log(0.5) - Math.log(0.25)) / 2, 'policy loss');
  near(s.valueLoss, (0.25 + 1) / 2, 'value loss');
  near(s.loss, s.policyLoss - 0.1 * 0.5 + 0.5 * s.valueLoss, 'loss');
  near(x.dLogp[0], -1, 'dlogp 0');
  near(x.dValue[1], (2 * 0.5 * 1) / 2, 'dV 1');
});
