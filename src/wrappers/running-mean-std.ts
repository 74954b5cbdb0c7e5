// Running mean and variance over batches (Chan et al.'s parallel update), as Gymnasium's
// RunningMeanStd: it starts from mean 0, variance 1 and a pseudo-count of 1e-4.

/** A plain-data snapshot, carried into saved policies so normalisation survives a reload. */
export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count: number;

  constructor(size: number, epsilon = 1e-4) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = epsilon;
  }

  /** Folds in one sample of `size` values. */
  update(x: ArrayLike<number>): void {
    const total = this.count + 1;
    for (let i = 0; i < this.mean.length; i++) {
      const delta = x[i] - this.mean[i];
      this.mean[i] += delta / total;
      // M2 = var·count + 0 (a single sample has no spread) + δ²·count·1/total
      this.var[i] = (this.var[i] * this.count + (delta * delta * this.count) / total) / total;
    }
    this.count = total;
  }

  toJSON(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  static fromJSON(state: RunningMeanStdState): RunningMeanStd {
    const rms = new RunningMeanStd(state.mean.length);
    rms.mean.set(state.mean);
    rms.var.set(state.var);
    rms.count = state.count;
    return rms;
  }
}
