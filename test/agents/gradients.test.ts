// The hand-written backward pass (network, distributions, PPO loss) against tfjs autodiff of the
// same loss written with tensor ops: every parameter's gradient must agree.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ActorCritic } from '../../agents/actor-critic.js';
import { selectBackend } from '../../agents/backend.js';
import type { DenseLayer } from '../../agents/network.js';
import { ppoLoss, type PPOSamples } from '../../agents/ppo.js';
import { Rng } from '../../src/rng.js';
import { Box } from '../../src/spaces/box.js';
import { Discrete } from '../../src/spaces/discrete.js';
import { MultiDiscrete } from '../../src/spaces/multi-discrete.js';
import type { Space } from '../../src/spaces/space.js';

before(async () => {
  await selectBackend('wasm');
});

const N = 12;
const D = 3;
const f32 = (a: Float64Array): tf.Tensor1D => tf.tensor1d(Float32Array.from(a));
const config = { normAdv: true, clipCoef: 0.2, clipVloss: true, entCoef: 0.01, vfCoef: 0.5 };

/** Autodiff reference: the same network and loss as tensor ops over one flat parameter tensor. */
function referenceGradients(agent: ActorCritic, obs: Float32Array, actions: Float32Array, masks: Uint8Array | null, samples: PPOSamples, space: Space<unknown>): Float32Array {
  const flat = tf.tensor1d(agent.params);
  const grad = tf.grad((p: tf.Tensor) => {
    const w = (l: DenseLayer): [tf.Tensor2D, tf.Tensor1D] => [tf.reshape(tf.slice(p, l.weight, l.inputs * l.outputs), [l.inputs, l.outputs]), tf.slice(p, l.bias, l.outputs) as tf.Tensor1D];
    const run = (layers: readonly DenseLayer[], x: tf.Tensor2D): tf.Tensor2D =>
      layers.reduce<tf.Tensor2D>((h, l) => {
        const [W, b] = w(l);
        const z = tf.add(tf.matMul(h, W), b);
        return (l.activation === 'tanh' ? tf.tanh(z) : z) as tf.Tensor2D;
      }, x);
    const x = tf.tensor2d(obs, [N, D]);
    const out = run(agent.actorLayers, x);
    const value = tf.reshape(run(agent.criticLayers, x), [N]);
    let logp: tf.Tensor1D;
    let entropy: tf.Tensor1D;
    if (space instanceof Box) {
      const logStd = tf.slice(p, agent.dist.paramOffset, space.size);
      const a = tf.tensor2d(actions, [N, space.size]);
      const z = tf.div(tf.sub(a, out), tf.exp(logStd));
      logp = tf.sum(tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logStd), 0.5 * Math.log(2 * Math.PI)), 1);
      entropy = tf.mul(tf.ones([N]), tf.sum(tf.add(logStd, 0.5 + 0.5 * Math.log(2 * Math.PI))));
    } else {
      const sizes = space instanceof Discrete ? [space.n] : Array.from((space as MultiDiscrete).nvec);
      let offset = 0;
      logp = tf.zeros([N]);
      entropy = tf.zeros([N]);
      sizes.forEach((size, g) => {
        let logits = tf.slice(out, [0, offset], [N, size]);
        if (masks !== null) {
          const m = tf.tensor2d(Float32Array.from({ length: N * size }, (_, k) => masks[Math.floor(k / size) * agent.dist.maskSize + offset + (k % size)]), [N, size]);
          logits = tf.add(logits, tf.mul(tf.sub(1, m), -1e9));
        }
        const lp = tf.logSoftmax(logits);
        const onehot = tf.oneHot(tf.tensor1d(Int32Array.from({ length: N }, (_, i) => actions[i * sizes.length + g]), 'int32'), size);
        logp = tf.add(logp, tf.sum(tf.mul(lp, onehot), 1));
        entropy = tf.sub(entropy, tf.sum(tf.mul(tf.exp(lp), tf.where(tf.isFinite(lp), lp, tf.zerosLike(lp))), 1));
        offset += size;
      });
    }
    const adv0 = f32(samples.advantages);
    const { mean, variance } = tf.moments(adv0);
    const adv = tf.div(tf.sub(adv0, mean), tf.add(tf.sqrt(tf.mul(variance, N / (N - 1))), 1e-8));
    const ratio = tf.exp(tf.sub(logp, f32(samples.oldLogp)));
    const pg = tf.mean(tf.maximum(tf.mul(tf.neg(adv), ratio), tf.mul(tf.neg(adv), tf.clipByValue(ratio, 0.8, 1.2))));
    const ret = f32(samples.returns);
    const oldV = f32(samples.oldValues);
    const vClipped = tf.add(oldV, tf.clipByValue(tf.sub(value, oldV), -0.2, 0.2));
    const vLoss = tf.mul(0.5, tf.mean(tf.maximum(tf.square(tf.sub(value, ret)), tf.square(tf.sub(vClipped, ret)))));
    return tf.add(tf.sub(pg, tf.mul(0.01, tf.mean(entropy))), tf.mul(0.5, vLoss)) as tf.Scalar;
  })(flat);
  return grad.dataSync() as Float32Array;
}

function check(space: Space<unknown>, shared: boolean, masked: boolean): void {
  const rng = new Rng(3);
  const agent = new ActorCritic(D, space, { hidden: [8, 5], sharedNetwork: shared }, N, rng);
  // Larger head weights than PPO's init, so the policy is far from uniform and ratios get clipped.
  for (const l of [agent.actorHead, agent.criticHead]) for (let k = 0; k < l.inputs * l.outputs; k++) agent.params[l.weight + k] = rng.normal(0, 0.7);
  if (agent.dist.freeParams > 0) for (let k = 0; k < agent.dist.freeParams; k++) agent.params[agent.dist.paramOffset + k] = rng.normal(0, 0.3);
  agent.paramsChanged();
  const obs = Float32Array.from({ length: N * D }, () => rng.normal());
  const masks = masked ? Uint8Array.from({ length: N * agent.dist.maskSize }, (_, k) => (k % 3 === 1 ? 0 : 1)) : null;
  const actions = new Float32Array(N * agent.dist.actionWidth);
  const outputs = new Float32Array(N * agent.dist.outputs);
  agent.actorForward(obs, N, outputs);
  const oldLogp = new Float64Array(N);
  for (let i = 0; i < N; i++) oldLogp[i] = agent.dist.sample(outputs, i, masks, agent.params, rng, actions) + rng.normal(0, 0.3);
  const samples: PPOSamples = {
    oldLogp,
    advantages: Float64Array.from({ length: N }, () => rng.normal()),
    returns: Float64Array.from({ length: N }, () => rng.normal()),
    oldValues: Float64Array.from({ length: N }, () => rng.normal(0, 0.5)),
  };
  agent.computeGradients({ n: N, obs, actions, masks }, (inputs) => {
    ppoLoss(inputs, samples, config);
  });
  const expected = referenceGradients(agent, obs, actions, masks, samples, space);
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(agent.grads[i] - expected[i]) <= 1e-4 * maxAbs + 1e-6, `parameter ${i}: hand ${agent.grads[i]} vs autodiff ${expected[i]}`);
  }
}

test('Discrete, separate networks: hand gradients equal autodiff', () => check(new Discrete(3), false, false));
test('Discrete with masks, shared body: hand gradients equal autodiff', () => check(new Discrete(4), true, true));
test('MultiDiscrete with masks: hand gradients equal autodiff', () => check(new MultiDiscrete([3, 2]), false, true));
test('Box (diagonal Gaussian): hand gradients equal autodiff', () => check(new Box(-1, 1, [2]), false, false));
