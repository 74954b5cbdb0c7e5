// Gradient clipping and the two optimisers the agents use, on the flat parameter vector in plain
// JS: with ~10k parameters this is a few microseconds, where tfjs would spend ~10 ops a tensor.

/**
 * Scales `grads` in place so their global L2 norm is at most `maxNorm` (PyTorch's
 * `clip_grad_norm_`, which PPO detail 11 uses over actor and critic together). Returns the norm
 * before clipping.
 */
export function clipGradNorm(grads: Float32Array, maxNorm: number): number {
  let sq = 0;
  for (let i = 0; i < grads.length; i++) sq += grads[i] * grads[i];
  const norm = Math.sqrt(sq);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (let i = 0; i < grads.length; i++) grads[i] *= coef;
  return norm;
}

/** A first-order optimiser over the flat parameter vector. */
export interface Optimizer {
  /** One update of `params` from `grads` with learning rate `lr`. */
  step(params: Float32Array, grads: Float32Array, lr: number): void;
  /** A copy of the state, for checkpoints. */
  getState(): OptimizerState;
  /** Continues from a saved state; throws unless it is this optimiser's kind and size. */
  setState(state: OptimizerState): void;
}

/** An optimiser's saved state: checkpoints store the moments as raw float64, not JSON. */
export interface OptimizerState {
  type: 'adam' | 'rmsprop';
  /** Steps taken (Adam's bias correction depends on it). */
  step: number;
  /** Moment estimates, one array per moment (Adam: m, v; RMSprop: v). */
  moments: Float64Array[];
}

function restoreMoments(state: OptimizerState, type: OptimizerState['type'], into: readonly Float64Array[]): number {
  if (state.type !== type) throw new TypeError(`optimizer state is ${state.type}, expected ${type}`);
  if (state.moments.length !== into.length || state.moments.some((m, i) => m.length !== into[i].length)) {
    throw new RangeError(`${type} state has ${state.moments.length} moment arrays of ${state.moments.map((m) => m.length).join(', ')} values, expected ${into.length} of ${into[0].length}`);
  }
  state.moments.forEach((m, i) => into[i].set(m));
  return state.step;
}

/**
 * Adam exactly as PyTorch computes it (PPO detail 3 sets ε = 1e-5 instead of 1e-8):
 * p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
 */
export class Adam implements Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private t = 0;
  private readonly m: Float64Array;
  private readonly v: Float64Array;

  constructor(size: number, options: { beta1?: number; beta2?: number; eps?: number } = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  step(params: Float32Array, grads: Float32Array, lr: number): void {
    this.t += 1;
    const { beta1, beta2, eps, m, v } = this;
    const stepSize = lr / (1 - beta1 ** this.t);
    const sqrtBias2 = Math.sqrt(1 - beta2 ** this.t);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      params[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / sqrtBias2 + eps);
    }
  }

  getState(): OptimizerState {
    return { type: 'adam', step: this.t, moments: [this.m.slice(), this.v.slice()] };
  }

  setState(state: OptimizerState): void {
    this.t = restoreMoments(state, 'adam', [this.m, this.v]);
  }
}

/**
 * RMSprop as PyTorch computes it (Stable-Baselines3's A2C uses α = 0.99, ε = 1e-5):
 * v ← α v + (1 − α) g²;  p ← p − lr · g / (√v + ε).
 */
export class RMSprop implements Optimizer {
  readonly alpha: number;
  readonly eps: number;
  private t = 0;
  private readonly v: Float64Array;

  constructor(size: number, options: { alpha?: number; eps?: number } = {}) {
    this.alpha = options.alpha ?? 0.99;
    this.eps = options.eps ?? 1e-8;
    this.v = new Float64Array(size);
  }

  step(params: Float32Array, grads: Float32Array, lr: number): void {
    this.t += 1;
    const { alpha, eps, v } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      params[i] -= (lr * g) / (Math.sqrt(v[i]) + eps);
    }
  }

  getState(): OptimizerState {
    return { type: 'rmsprop', step: this.t, moments: [this.v.slice()] };
  }

  setState(state: OptimizerState): void {
    this.t = restoreMoments(state, 'rmsprop', [this.v]);
  }
}
