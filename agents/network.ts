// Multi-layer perceptrons whose parameters live in one flat Float32Array: plain-JS forward passes
// for rollouts (a batch of a few observations), tfjs forward and backward passes for updates.
//
// Why by hand rather than tfjs-layers and autodiff: per env step a tfjs forward pass costs more
// than the env (≈0.2 ms for batch 4), and in an update tfjs autodiff spends most of its time in
// per-op overhead and in transposed matmuls, which the wasm backend runs on a slow path (≈10×
// an explicit transpose + matmul). Each layer's backward here is four tensor ops.

import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/rng.js';

/** Hidden-layer non-linearity (CleanRL uses tanh for PPO's MLPs). */
export type Activation = 'tanh' | 'linear';

/** One fully connected layer: `y = act(x · W + b)`, W stored row-major as [inputs × outputs]. */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly activation: Activation;
  /** Offset of W in the flat parameter vector. */
  readonly weight: number;
  /** Offset of b in the flat parameter vector. */
  readonly bias: number;
  /** Orthogonal-init gain: √2 hidden, 0.01 policy head, 1 value head (PPO detail 2). */
  readonly gain: number;
}

/** Hands out consecutive ranges of the flat parameter vector. */
export class ParameterLayout {
  size = 0;

  /** A dense layer's W and b, placed next in the vector. */
  dense(inputs: number, outputs: number, activation: Activation, gain: number): DenseLayer {
    const weight = this.take(inputs * outputs);
    const bias = this.take(outputs);
    return { inputs, outputs, activation, weight, bias, gain };
  }

  /** `n` free parameters (e.g. a Gaussian policy's log-std); returns their offset. */
  take(n: number): number {
    const offset = this.size;
    this.size += n;
    return offset;
  }
}

/** A stack of dense layers: `sizes = [in, h1, h2]` with tanh after each. */
export function denseStack(layout: ParameterLayout, sizes: readonly number[], activation: Activation, gain: number): DenseLayer[] {
  const layers: DenseLayer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) layers.push(layout.dense(sizes[i], sizes[i + 1], activation, gain));
  return layers;
}

/**
 * Orthogonal initialisation (Saxe et al.; PyTorch's `orthogonal_`) of every layer, biases 0.
 * The weight is Q of a QR decomposition of a standard-normal matrix, so its rows or columns
 * (whichever are fewer) are orthonormal, times the layer's gain.
 */
export function initialiseLayers(params: Float32Array, layers: readonly DenseLayer[], rng: Rng): void {
  for (const layer of layers) {
    orthogonal(params, layer.weight, layer.inputs, layer.outputs, layer.gain, rng);
    params.fill(0, layer.bias, layer.bias + layer.outputs);
  }
}

/** Writes a gain-scaled orthogonal [rows × cols] matrix at `offset`. */
export function orthogonal(out: Float32Array, offset: number, rows: number, cols: number, gain: number, rng: Rng): void {
  // Gram–Schmidt on the k = min(rows, cols) columns of a tall [m × k] normal matrix gives the Q
  // of its QR with R's diagonal positive: the sign convention PyTorch applies to its QR.
  const m = Math.max(rows, cols);
  const k = Math.min(rows, cols);
  const q = new Float64Array(m * k); // column-major: column c at c·m
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[c * m + i] * q[p * m + i];
      for (let i = 0; i < m; i++) q[c * m + i] -= dot * q[p * m + i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[c * m + i] * q[c * m + i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[c * m + i] /= norm;
  }
  // Tall (rows ≥ cols): W[r][c] = Q[r][c]. Wide: W = Qᵀ, so W's rows are orthonormal.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[offset + r * cols + c] = gain * (rows >= cols ? q[c * m + r] : q[r * m + c]);
  }
}

/**
 * The rollout copy of the parameters: each layer's W transposed (so a unit's weights are
 * contiguous and its output is one dot product) and widened to float64, at the same offsets
 * as in `params`. Rebuilt after each update, read at every env step.
 */
export function rolloutWeights(params: Float32Array, layers: readonly DenseLayer[], out: Float64Array): void {
  for (const { inputs, outputs, weight, bias } of layers) {
    for (let k = 0; k < inputs; k++) for (let j = 0; j < outputs; j++) out[weight + j * inputs + k] = params[weight + k * outputs + j];
    for (let j = 0; j < outputs; j++) out[bias + j] = params[bias + j];
  }
}

/**
 * Plain-JS forward pass of `layers` on `n` rows of `input` (row-major [n × inputs]) into `out`
 * ([n × outputs of the last layer]), from `rolloutWeights`. `scratch` holds the activations;
 * size it with `scratchSize`. Allocates nothing.
 */
export function forwardJs(weights: Float64Array, layers: readonly DenseLayer[], input: Float32Array, n: number, out: Float32Array, scratch: Float64Array): void {
  // Activations ping-pong between the two halves of scratch, all float64 so every load in the
  // inner loop has one type (mixed typed arrays there cost V8 about 3×).
  const half = n * scratchWidth(layers);
  let src = 0;
  let dst = half;
  for (let i = 0; i < n * layers[0].inputs; i++) scratch[i] = input[i];
  for (const { inputs, outputs, weight, bias, activation } of layers) {
    const tanh = activation === 'tanh';
    let b = 0;
    // Four rows at a time: each weight is loaded once for four independent accumulators.
    for (; b + 4 <= n; b += 4) {
      const x0 = src + b * inputs;
      const x1 = x0 + inputs;
      const x2 = x1 + inputs;
      const x3 = x2 + inputs;
      for (let j = 0; j < outputs; j++) {
        const w = weight + j * inputs;
        let a0 = weights[bias + j];
        let a1 = a0;
        let a2 = a0;
        let a3 = a0;
        for (let k = 0; k < inputs; k++) {
          const wk = weights[w + k];
          a0 += scratch[x0 + k] * wk;
          a1 += scratch[x1 + k] * wk;
          a2 += scratch[x2 + k] * wk;
          a3 += scratch[x3 + k] * wk;
        }
        const y = dst + b * outputs + j;
        scratch[y] = tanh ? Math.tanh(a0) : a0;
        scratch[y + outputs] = tanh ? Math.tanh(a1) : a1;
        scratch[y + 2 * outputs] = tanh ? Math.tanh(a2) : a2;
        scratch[y + 3 * outputs] = tanh ? Math.tanh(a3) : a3;
      }
    }
    for (; b < n; b++) {
      const x = src + b * inputs;
      for (let j = 0; j < outputs; j++) {
        const w = weight + j * inputs;
        let a = weights[bias + j];
        for (let k = 0; k < inputs; k++) a += scratch[x + k] * weights[w + k];
        scratch[dst + b * outputs + j] = tanh ? Math.tanh(a) : a;
      }
    }
    const t = src;
    src = dst;
    dst = t;
  }
  const last = layers[layers.length - 1].outputs;
  for (let i = 0; i < n * last; i++) out[i] = scratch[src + i];
}

/** Length of the `scratch` array `forwardJs` needs for `n` rows. */
export function scratchSize(layers: readonly DenseLayer[], n: number): number {
  return 2 * n * scratchWidth(layers);
}

function scratchWidth(layers: readonly DenseLayer[]): number {
  return Math.max(layers[0].inputs, ...layers.map((l) => l.outputs));
}

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
