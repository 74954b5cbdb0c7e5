// Latency percentiles in constant memory: a log-bucketed histogram with 1 % relative bucket
// width (HDR-histogram style), so a one-hour run costs the same memory as a one-minute run.

const RELATIVE_WIDTH = 0.01;
const MIN_VALUE = 1e-3; // ms
const MAX_VALUE = 1e7; // ms
const LOG_BASE = Math.log1p(RELATIVE_WIDTH);
const BUCKETS = Math.ceil(Math.log(MAX_VALUE / MIN_VALUE) / LOG_BASE) + 2;

export class LogHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  add(value: number): void {
    const i = value <= MIN_VALUE ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(value / MIN_VALUE) / LOG_BASE));
    this.counts[i]++;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /** The q-quantile (0 < q ≤ 1), accurate to the 1 % bucket width; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) {
        if (i === 0) return MIN_VALUE;
        // The bucket's geometric midpoint, capped by the largest value seen.
        const lo = MIN_VALUE * Math.exp((i - 1) * LOG_BASE);
        return Math.min(this.max, lo * Math.sqrt(1 + RELATIVE_WIDTH));
      }
    }
    return this.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }
}
