// Multi-layer perceptrons whose parameters live in one flat Float32Array: plain-JS forward passes
// for rollouts (a batch of a few observations), tfjs forward and backward passes for updates.
//
// Why by hand rather than tfjs-layers and autodiff: per env step a tfjs forward pass costs more
// than the env (≈0.2 ms for batch 4), and in an update tfjs autodiff spends most of its time in
// per-op overhead and in transposed matmuls, which the wasm backend runs on a slow path (≈10×
// an explicit transpose + matmul). Each layer's backward here is four tensor ops.

import * as tf from '@tensorflow/tfjs';
import type { DenseLayer } from './mlp.js';

// The plain-JS half lives in mlp.ts, so that acting with a saved policy never loads tfjs.
export * from './mlp.js';

/** The tensors one layer's backward pass needs, kept from its forward pass. */
interface LayerTape {
  layer: DenseLayer;
  input: tf.Tensor2D;
  /** The activation's output (tanh layers), or null (linear). */
  output: tf.Tensor2D | null;
}

/** A tfjs forward pass of a stack, with what its backward pass needs. */
export interface StackTape {
  output: tf.Tensor2D;
  tapes: LayerTape[];
}

/** Tensors of a layer's parameters, made from the flat vector once per gradient step. */
export interface LayerTensors {
  /** W; for a tanh layer on wasm 2W (see `sigmoidTanh`). */
  weight: tf.Tensor2D;
  /** Wᵀ, transposed in JS: cheaper than a transpose kernel when backpropagating to the input. */
  weightT: tf.Tensor2D;
  /** b; for a tanh layer on wasm 2b. */
  bias: tf.Tensor1D;
  /** The forward pass computes tanh as 2σ(2z) − 1 with σ fused into the matmul. */
  sigmoidTanh: boolean;
}

/**
 * Uploads a layer's parameters from `params`. Call inside `tf.tidy`.
 *
 * Why tanh as 2σ(2z) − 1 on wasm: that backend's Tanh kernel is scalar libm (≈17 ns an element)
 * and cannot be fused into a matmul, while Sigmoid is XNNPACK SIMD (≈2 ns) and fuses. With W and
 * b uploaded doubled, one fused matmul gives σ(2z) and two cheap ops give tanh(z).
 */
export function layerTensors(params: Float32Array, layer: DenseLayer, transposeScratch: Float32Array): LayerTensors {
  const { inputs, outputs, weight, bias } = layer;
  const sigmoidTanh = layer.activation === 'tanh' && tf.getBackend() === 'wasm';
  const scale = sigmoidTanh ? 2 : 1;
  const w = params.slice(weight, weight + inputs * outputs);
  const wt = transposeScratch.subarray(0, inputs * outputs);
  for (let k = 0; k < inputs; k++) for (let j = 0; j < outputs; j++) wt[j * inputs + k] = w[k * outputs + j];
  const b = params.slice(bias, bias + outputs);
  if (scale !== 1) {
    for (let i = 0; i < w.length; i++) w[i] *= scale;
    for (let i = 0; i < b.length; i++) b[i] *= scale;
  }
  // Fresh arrays: a backend may keep a reference to the array it is given.
  return { weight: tf.tensor2d(w, [inputs, outputs]), weightT: tf.tensor2d(wt.slice(), [outputs, inputs]), bias: tf.tensor1d(b), sigmoidTanh };
}

/** Forward pass on tensors, recording the inputs and activations backward needs. Call inside `tf.tidy`. */
export function forwardTf(layers: readonly DenseLayer[], tensors: readonly LayerTensors[], input: tf.Tensor2D): StackTape {
  const tapes: LayerTape[] = [];
  let x = input;
  for (let l = 0; l < layers.length; l++) {
    const t = tensors[l];
    let y: tf.Tensor2D;
    if (t.sigmoidTanh) y = tf.sub(tf.mul(tf.fused.matMul({ a: x, b: t.weight, bias: t.bias, activation: 'sigmoid' }), 2), 1);
    else if (layers[l].activation === 'tanh') y = tf.tanh(tf.fused.matMul({ a: x, b: t.weight, bias: t.bias })) as tf.Tensor2D;
    else y = tf.fused.matMul({ a: x, b: t.weight, bias: t.bias }) as tf.Tensor2D;
    tapes.push({ layer: layers[l], input: x, output: layers[l].activation === 'tanh' ? y : null });
    x = y;
  }
  return { output: x, tapes };
}

/**
 * Backward pass: given dLoss/dOutput of a stack, writes dLoss/dW and dLoss/db of every layer
 * into `grads` (adding to what is there, so two heads can share a body) and returns
 * dLoss/dInput when `inputGradient` is set. Call inside `tf.tidy`.
 */
export function backwardTf(tape: StackTape, tensors: readonly LayerTensors[], dOutput: tf.Tensor2D, grads: Float32Array, inputGradient: boolean): tf.Tensor2D | null {
  let dy = dOutput;
  for (let l = tape.tapes.length - 1; l >= 0; l--) {
    const { layer, input, output } = tape.tapes[l];
    // tanh′(z) = 1 − tanh(z)², from the stored output.
    const dz = output === null ? dy : tf.sub(dy, tf.mul(dy, tf.mul(output, output)));
    const dW = tf.matMul(tf.transpose(input), dz);
    const db = tf.sum(dz, 0);
    addInto(grads, layer.weight, dW.dataSync());
    addInto(grads, layer.bias, db.dataSync());
    if (l > 0 || inputGradient) dy = tf.matMul(dz, tensors[l].weightT);
  }
  return inputGradient ? dy : null;
}

function addInto(out: Float32Array, offset: number, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) out[offset + i] += values[i];
}
