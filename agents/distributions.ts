// Action distributions over the actor's outputs, in plain JS: sampling for rollouts, log-prob
// and entropy for the loss, and their gradients back to the outputs. Discrete and MultiDiscrete
// are categoricals with masked logits; Box is a diagonal Gaussian with a state-independent log-std.

import type { Rng } from '../src/rng.js';
import { Box } from '../src/spaces/box.js';
import { Discrete } from '../src/spaces/discrete.js';
import { MultiDiscrete } from '../src/spaces/multi-discrete.js';
import type { DType, Space } from '../src/spaces/space.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * A distribution family for one action space. Batched calls work on `n` rows: `outputs` is the
 * actor's [n × outputs] output, `actions` [n × actionWidth] (categorical: 0-based indices),
 * `masks` [n × maskSize] (1 = allowed) or null. `params` is the flat parameter vector, for
 * families with free parameters (the Gaussian's log-std at `paramOffset`).
 */
export interface ActionDistribution {
  /** Actor outputs per sample: logits, or Gaussian means. */
  readonly outputs: number;
  /** Numbers per sample in the action arrays. */
  readonly actionWidth: number;
  /** Length of one action mask (`info.actionMask`); 0 where masks do not apply. */
  readonly maskSize: number;
  /** Free parameters this family owns in the flat vector. */
  readonly freeParams: number;
  /** Where those live; set when the network lays out its parameters. */
  paramOffset: number;
  /** Writes the free parameters' initial values. */
  initialise(params: Float32Array): void;
  /** Draws row `row`'s action into `actions` at `row·actionWidth`; returns its log-prob. */
  sample(outputs: Float32Array, row: number, masks: Uint8Array | null, params: Float32Array, rng: Rng, actions: Float32Array): number;
  /** The most likely action of row `row` (for evaluation), written like `sample`. */
  mode(outputs: Float32Array, row: number, masks: Uint8Array | null, actions: Float32Array): void;
  /** Log-prob of the given actions and entropy, per row. */
  evaluate(outputs: Float32Array, n: number, actions: Float32Array, masks: Uint8Array | null, params: Float32Array, logp: Float64Array, entropy: Float64Array): void;
  /**
   * Given dLoss/dLogp and dLoss/dEntropy per row, writes dLoss/dOutputs ([n × outputs]) and
   * adds the free parameters' gradients into `grads`.
   */
  backward(outputs: Float32Array, n: number, actions: Float32Array, masks: Uint8Array | null, params: Float32Array, dLogp: Float64Array, dEntropy: Float64Array, dOutputs: Float32Array, grads: Float32Array): void;
  /** Turns sampled actions (row `row`) into what the env takes, at `row·actionWidth` of `envActions`. */
  toEnv(actions: Float32Array, row: number, envActions: Float64Array): void;
}

/** The distribution family for an action space; other spaces are refused with a hint. */
export function distributionFor(space: Space<unknown>): ActionDistribution {
  if (space instanceof Discrete) return new Categorical([space.n], [space.start]);
  if (space instanceof MultiDiscrete) return new Categorical(Array.from(space.nvec), Array.from(space.start));
  if (space instanceof Box) return new DiagonalGaussian(space as Box<DType>);
  throw new TypeError(`agents act in Discrete, MultiDiscrete or Box spaces, got ${space}; wrap the env to expose one of those`);
}

/**
 * Independent categoricals, one per group of logits (Discrete: one group). Masked logits count
 * as −∞: a masked action has probability exactly 0, is never drawn, adds nothing to the entropy
 * and gets no gradient. The mask layout is the logits layout (per-dimension masks concatenated).
 */
export class Categorical implements ActionDistribution {
  readonly outputs: number;
  readonly actionWidth: number;
  readonly maskSize: number;
  readonly freeParams = 0;
  paramOffset = 0;
  readonly sizes: readonly number[];
  readonly starts: readonly number[];
  /** Offset of each group's logits within a row. */
  private readonly offsets: readonly number[];
  /** Per-row probabilities, reused by `backward`. */
  private probs: Float64Array;

  constructor(sizes: readonly number[], starts: readonly number[]) {
    this.sizes = sizes;
    this.starts = starts;
    const offsets: number[] = [];
    let total = 0;
    for (const n of sizes) {
      offsets.push(total);
      total += n;
    }
    this.offsets = offsets;
    this.outputs = total;
    this.maskSize = total;
    this.actionWidth = sizes.length;
    this.probs = new Float64Array(total);
  }

  initialise(): void {}

  sample(outputs: Float32Array, row: number, masks: Uint8Array | null, _params: Float32Array, rng: Rng, actions: Float32Array): number {
    const base = row * this.outputs;
    let logp = 0;
    for (let g = 0; g < this.sizes.length; g++) {
      const o = base + this.offsets[g];
      const n = this.sizes[g];
      const max = this.maxLogit(outputs, o, n, masks, row, g);
      let sum = 0;
      for (let j = 0; j < n; j++) if (masks === null || masks[o + j] === 1) sum += Math.exp(outputs[o + j] - max);
      // Inverse-CDF draw over the allowed actions.
      let u = rng.random() * sum;
      let chosen = -1;
      for (let j = 0; j < n; j++) {
        if (masks !== null && masks[o + j] !== 1) continue;
        chosen = j;
        u -= Math.exp(outputs[o + j] - max);
        if (u < 0) break;
      }
      actions[row * this.actionWidth + g] = chosen;
      logp += outputs[o + chosen] - max - Math.log(sum);
    }
    return logp;
  }

  mode(outputs: Float32Array, row: number, masks: Uint8Array | null, actions: Float32Array): void {
    const base = row * this.outputs;
    for (let g = 0; g < this.sizes.length; g++) {
      const o = base + this.offsets[g];
      let best = -1;
      for (let j = 0; j < this.sizes[g]; j++) {
        if (masks !== null && masks[o + j] !== 1) continue;
        if (best < 0 || outputs[o + j] > outputs[o + best]) best = j;
      }
      if (best < 0) throw noAllowedAction(row, g);
      actions[row * this.actionWidth + g] = best;
    }
  }

  evaluate(outputs: Float32Array, n: number, actions: Float32Array, masks: Uint8Array | null, _params: Float32Array, logp: Float64Array, entropy: Float64Array): void {
    for (let r = 0; r < n; r++) {
      let lp = 0;
      let h = 0;
      for (let g = 0; g < this.sizes.length; g++) {
        const o = r * this.outputs + this.offsets[g];
        const size = this.sizes[g];
        const max = this.maxLogit(outputs, o, size, masks, r, g);
        let sum = 0;
        for (let j = 0; j < size; j++) if (masks === null || masks[o + j] === 1) sum += Math.exp(outputs[o + j] - max);
        const logSum = max + Math.log(sum);
        for (let j = 0; j < size; j++) {
          if (masks !== null && masks[o + j] !== 1) continue;
          const lpj = outputs[o + j] - logSum;
          h -= Math.exp(lpj) * lpj;
        }
        lp += outputs[o + actions[r * this.actionWidth + g]] - logSum;
      }
      logp[r] = lp;
      entropy[r] = h;
    }
  }

  backward(outputs: Float32Array, n: number, actions: Float32Array, masks: Uint8Array | null, _params: Float32Array, dLogp: Float64Array, dEntropy: Float64Array, dOutputs: Float32Array): void {
    const p = this.probs;
    for (let r = 0; r < n; r++) {
      for (let g = 0; g < this.sizes.length; g++) {
        const o = r * this.outputs + this.offsets[g];
        const q = this.offsets[g];
        const size = this.sizes[g];
        const max = this.maxLogit(outputs, o, size, masks, r, g);
        let sum = 0;
        for (let j = 0; j < size; j++) {
          p[q + j] = masks === null || masks[o + j] === 1 ? Math.exp(outputs[o + j] - max) : 0;
          sum += p[q + j];
        }
        const logSum = max + Math.log(sum);
        let h = 0;
        for (let j = 0; j < size; j++) {
          p[q + j] /= sum;
          if (p[q + j] > 0) h -= p[q + j] * (outputs[o + j] - logSum);
        }
        const a = actions[r * this.actionWidth + g];
        // d log p(a)/d logit_j = 1[j = a] − p_j;  d H/d logit_j = −p_j (log p_j + H).
        for (let j = 0; j < size; j++) {
          const pj = p[q + j];
          const dH = pj > 0 ? -pj * (outputs[o + j] - logSum + h) : 0;
          dOutputs[o + j] = dLogp[r] * ((j === a ? 1 : 0) - pj) + dEntropy[r] * dH;
        }
      }
    }
  }

  toEnv(actions: Float32Array, row: number, envActions: Float64Array): void {
    for (let g = 0; g < this.actionWidth; g++) envActions[row * this.actionWidth + g] = this.starts[g] + actions[row * this.actionWidth + g];
  }

  private maxLogit(outputs: Float32Array, o: number, n: number, masks: Uint8Array | null, row: number, group: number): number {
    let max = -Infinity;
    for (let j = 0; j < n; j++) if ((masks === null || masks[o + j] === 1) && outputs[o + j] > max) max = outputs[o + j];
    if (max === -Infinity) throw noAllowedAction(row, group);
    return max;
  }
}

function noAllowedAction(row: number, group: number): Error {
  return new RangeError(`action mask of sample ${row} allows no action${group > 0 ? ` in dimension ${group}` : ''}; an env must leave at least one action allowed`);
}

/**
 * Diagonal Gaussian with a learned, state-independent log-std (CleanRL's continuous PPO),
 * initialised to 0 (std 1). Sampled actions are stored unclipped, so their log-probs are exact;
 * `toEnv` clips them into the Box, as Gymnasium's ClipAction wrapper would.
 */
export class DiagonalGaussian implements ActionDistribution {
  readonly outputs: number;
  readonly actionWidth: number;
  readonly maskSize = 0;
  readonly freeParams: number;
  paramOffset = 0;
  private readonly low: Float64Array;
  private readonly high: Float64Array;

  constructor(space: Box<DType>) {
    this.outputs = space.size;
    this.actionWidth = space.size;
    this.freeParams = space.size;
    this.low = space.low;
    this.high = space.high;
  }

  initialise(params: Float32Array): void {
    params.fill(0, this.paramOffset, this.paramOffset + this.freeParams);
  }

  sample(outputs: Float32Array, row: number, _masks: Uint8Array | null, params: Float32Array, rng: Rng, actions: Float32Array): number {
    let logp = 0;
    for (let k = 0; k < this.outputs; k++) {
      const logStd = params[this.paramOffset + k];
      const eps = rng.normal();
      actions[row * this.actionWidth + k] = outputs[row * this.outputs + k] + Math.exp(logStd) * eps;
      logp += -0.5 * eps * eps - logStd - HALF_LOG_2PI;
    }
    return logp;
  }

  mode(outputs: Float32Array, row: number, _masks: Uint8Array | null, actions: Float32Array): void {
    for (let k = 0; k < this.outputs; k++) actions[row * this.actionWidth + k] = outputs[row * this.outputs + k];
  }

  evaluate(outputs: Float32Array, n: number, actions: Float32Array, _masks: Uint8Array | null, params: Float32Array, logp: Float64Array, entropy: Float64Array): void {
    for (let r = 0; r < n; r++) {
      let lp = 0;
      let h = 0;
      for (let k = 0; k < this.outputs; k++) {
        const logStd = params[this.paramOffset + k];
        const z = (actions[r * this.actionWidth + k] - outputs[r * this.outputs + k]) / Math.exp(logStd);
        lp += -0.5 * z * z - logStd - HALF_LOG_2PI;
        h += 0.5 + HALF_LOG_2PI + logStd;
      }
      logp[r] = lp;
      entropy[r] = h;
    }
  }

  backward(outputs: Float32Array, n: number, actions: Float32Array, _masks: Uint8Array | null, params: Float32Array, dLogp: Float64Array, dEntropy: Float64Array, dOutputs: Float32Array, grads: Float32Array): void {
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < this.outputs; k++) {
        const logStd = params[this.paramOffset + k];
        const std = Math.exp(logStd);
        const z = (actions[r * this.actionWidth + k] - outputs[r * this.outputs + k]) / std;
        // d log p/d μ = z/σ;  d log p/d log σ = z² − 1;  d H/d log σ = 1.
        dOutputs[r * this.outputs + k] = (dLogp[r] * z) / std;
        grads[this.paramOffset + k] += dLogp[r] * (z * z - 1) + dEntropy[r];
      }
    }
  }

  toEnv(actions: Float32Array, row: number, envActions: Float64Array): void {
    for (let k = 0; k < this.actionWidth; k++) {
      const a = actions[row * this.actionWidth + k];
      envActions[row * this.actionWidth + k] = Math.min(this.high[k], Math.max(this.low[k], a));
    }
  }
}
