// Multi-layer perceptrons whose parameters live in one flat Float32Array, in plain JS: the layout,
// orthogonal initialisation and the forward pass rollouts and saved policies run (no tfjs here).

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
