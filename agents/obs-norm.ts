// Running observation normalisation, as Gymnasium's NormalizeObservation plus CleanRL's clip:
// (obs − mean) / √(var + ε), clipped to ±clip. Its statistics travel with the saved policy, so the
// policy sees at evaluation exactly the scaling it was trained with.

import { RunningMeanStd, type RunningMeanStdState } from '../src/wrappers/running-mean-std.js';

/** The saved form: running statistics plus the constants applied with them. */
export interface ObsNormState extends RunningMeanStdState {
  epsilon: number;
  clip: number;
}

export class ObsNormalizer {
  readonly rms: RunningMeanStd;
  readonly epsilon: number;
  readonly clip: number;

  constructor(size: number, clip = 10, epsilon = 1e-8) {
    this.rms = new RunningMeanStd(size);
    this.clip = clip;
    this.epsilon = epsilon;
  }

  /**
   * Normalises `n` rows of `input` into `out` (they may be the same array). With `update`, each
   * row first joins the running statistics, as the wrapper does on every observation it sees.
   */
  normalize(input: Float32Array, n: number, out: Float32Array, update: boolean): void {
    const d = this.rms.mean.length;
    for (let r = 0; r < n; r++) {
      if (update) this.rms.update(input.subarray(r * d, (r + 1) * d));
      for (let k = 0; k < d; k++) {
        const z = (input[r * d + k] - this.rms.mean[k]) / Math.sqrt(this.rms.var[k] + this.epsilon);
        out[r * d + k] = Math.max(-this.clip, Math.min(this.clip, z));
      }
    }
  }

  toJSON(): ObsNormState {
    return { ...this.rms.toJSON(), epsilon: this.epsilon, clip: this.clip };
  }

  static fromJSON(state: ObsNormState): ObsNormalizer {
    const norm = new ObsNormalizer(state.mean.length, state.clip, state.epsilon);
    const rms = RunningMeanStd.fromJSON(state);
    norm.rms.mean.set(rms.mean);
    norm.rms.var.set(rms.var);
    norm.rms.count = rms.count;
    return norm;
  }
}
