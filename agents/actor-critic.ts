// The actor-critic network PPO and A2C train: PolicyNetwork's layout and plain-JS forward passes,
// plus `computeGradients`, one forward and one backward pass in tfjs for a minibatch.

import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/rng.js';
import type { Space } from '../src/spaces/space.js';
import { type Optimizer, clipGradNorm } from './optim.js';
import { type DenseLayer, type LayerTensors, backwardTf, forwardTf, layerTensors } from './network.js';
import { type NetworkConfig, PolicyNetwork } from './policy-network.js';

export type { NetworkConfig } from './policy-network.js';

/** What a loss sees for each sample of a minibatch, and where it writes its gradients. */
export interface LossInputs {
  /** Samples in the minibatch. */
  n: number;
  /** log π(a|s) under the current parameters. */
  logp: Float64Array;
  entropy: Float64Array;
  /** V(s) under the current parameters. */
  value: Float64Array;
  /** dLoss/dlogp, dLoss/dentropy, dLoss/dV per sample: the loss fills these. */
  dLogp: Float64Array;
  dEntropy: Float64Array;
  dValue: Float64Array;
}

/** A minibatch's observations, actions and masks, row-major. */
export interface Minibatch {
  n: number;
  obs: Float32Array;
  actions: Float32Array;
  masks: Uint8Array | null;
}

export class ActorCritic extends PolicyNetwork {
  /** dLoss/dparams of the last `computeGradients`. */
  readonly grads: Float32Array;
  private readonly transposeScratch: Float32Array;
  private readonly buffers: { logp: Float64Array; entropy: Float64Array; value: Float64Array; dLogp: Float64Array; dEntropy: Float64Array; dValue: Float64Array; dActor: Float32Array; dCritic: Float32Array; actorOut: Float32Array; criticOut: Float32Array };

  /**
   * @param maxBatch the largest minibatch `computeGradients` and `act` will see
   * @param rng draws the orthogonal initial weights (PPO detail 2)
   */
  constructor(obsDim: number, actionSpace: Space<unknown>, config: NetworkConfig, maxBatch: number, rng: Rng | null) {
    super(obsDim, actionSpace, config, maxBatch, rng);
    this.grads = new Float32Array(this.params.length);
    const widest = Math.max(...this.layers.map((l) => l.inputs * l.outputs));
    this.transposeScratch = new Float32Array(widest);
    const f64 = (): Float64Array => new Float64Array(maxBatch);
    this.buffers = {
      logp: f64(), entropy: f64(), value: f64(), dLogp: f64(), dEntropy: f64(), dValue: f64(),
      dActor: new Float32Array(maxBatch * this.dist.outputs), dCritic: new Float32Array(maxBatch),
      actorOut: new Float32Array(maxBatch * this.dist.outputs), criticOut: new Float32Array(maxBatch),
    };
  }

  /**
   * Clips the gradients of the last `computeGradients` to a global norm of `maxGradNorm`
   * (PPO detail 11) and takes one optimiser step. Returns the norm before clipping.
   */
  applyGradients(optimizer: Optimizer, lr: number, maxGradNorm: number): number {
    const norm = clipGradNorm(this.grads, maxGradNorm);
    optimizer.step(this.params, this.grads, lr);
    this.paramsChanged();
    return norm;
  }

  /**
   * One forward and backward pass over a minibatch: the network's outputs come back to JS, the
   * loss (a plain function of log-probs, entropies and values) writes its gradients per sample,
   * the distribution turns them into gradients of the outputs, and tfjs backpropagates those
   * through the layers into `this.grads`. Every tensor is disposed before it returns.
   */
  computeGradients(batch: Minibatch, loss: (inputs: LossInputs) => void): void {
    const { n } = batch;
    this.checkBatch(n);
    const b = this.buffers;
    this.grads.fill(0);
    tf.tidy(() => {
      const tensors = new Map<DenseLayer, LayerTensors>();
      for (const layer of this.layers) tensors.set(layer, layerTensors(this.params, layer, this.transposeScratch));
      const of = (layers: readonly DenseLayer[]): LayerTensors[] => layers.map((l) => tensors.get(l) as LayerTensors);
      const x = tf.tensor2d(batch.obs.slice(0, n * this.obsDim), [n, this.obsDim]);
      const bodyTapes = this.bodies.map((body) => forwardTf(body, of(body), x));
      const actorBody = bodyTapes[0];
      const criticBody = bodyTapes[bodyTapes.length - 1];
      const actorTape = forwardTf([this.actorHead], of([this.actorHead]), actorBody.output);
      const criticTape = forwardTf([this.criticHead], of([this.criticHead]), criticBody.output);
      // The one device→JS read of the step: the outputs the loss needs.
      b.actorOut.set(actorTape.output.dataSync());
      b.criticOut.set(criticTape.output.dataSync());
      for (let i = 0; i < n; i++) b.value[i] = b.criticOut[i];
      this.dist.evaluate(b.actorOut, n, batch.actions, batch.masks, this.params, b.logp, b.entropy);
      b.dLogp.fill(0);
      b.dEntropy.fill(0);
      b.dValue.fill(0);
      loss({ n, logp: b.logp, entropy: b.entropy, value: b.value, dLogp: b.dLogp, dEntropy: b.dEntropy, dValue: b.dValue });
      this.dist.backward(b.actorOut, n, batch.actions, batch.masks, this.params, b.dLogp, b.dEntropy, b.dActor, this.grads);
      for (let i = 0; i < n; i++) b.dCritic[i] = b.dValue[i];
      const dActorOut = tf.tensor2d(b.dActor.slice(0, n * this.dist.outputs), [n, this.dist.outputs]);
      const dCriticOut = tf.tensor2d(b.dCritic.slice(0, n), [n, 1]);
      const dActorBody = backwardTf(actorTape, of([this.actorHead]), dActorOut, this.grads, true) as tf.Tensor2D;
      const dCriticBody = backwardTf(criticTape, of([this.criticHead]), dCriticOut, this.grads, true) as tf.Tensor2D;
      if (this.bodies.length === 1) {
        // Shared body: both heads' gradients flow into it.
        backwardTf(actorBody, of(this.bodies[0]), tf.add(dActorBody, dCriticBody), this.grads, false);
      } else {
        backwardTf(actorBody, of(this.bodies[0]), dActorBody, this.grads, false);
        backwardTf(criticBody, of(this.bodies[1]), dCriticBody, this.grads, false);
      }
    });
  }
}
