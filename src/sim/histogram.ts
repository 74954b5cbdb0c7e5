// Latency percentiles in constant memory: a log-bucketed histogram with 1 % relative bucket
// width (HDR-histogram style), so a one-hour run costs the same memory as a one-minute run.

const RELATIVE_WIDTH = 0.01;
const MIN_VALUE = 1e-3; // ms
const MAX_VALUE = 1e7; // ms
const LOG_BASE = Math.log1p(RELATIVE_WIDTH);
const BUCKETS = Math.ceil(Math.log(MAX_VALUE / MIN_VALUE) / LOG_BASE) + 2;

/** The bucket `value` is counted in, by its definition: 1 + ⌊log(value / MIN) / log(1.01)⌋ (NaN for NaN). */
function bucketByLog(value: number): number {
  return value <= MIN_VALUE ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(value / MIN_VALUE) / LOG_BASE));
}

// The same bucket without a logarithm, for the values a simulator records by the million. The
// top 20 bits of a double (sign, exponent, 8 mantissa bits) name a cell 2⁻⁸ of an octave wide,
// narrower than a bucket (1 %), so a cell holds at most one bucket boundary: a table gives the
// cell's first bucket and one comparison the rest. The boundaries are MIN · 1.01^(b−1) as
// computed here, which can sit an ulp or two from where the logarithm above flips (its rounding
// moves the crossing by about 1e-14 relative), so within 1e-12 of a boundary the logarithm
// decides: the answer is always bucketByLog's.
const FAST_MAX = 1e6; // ms: above this, the logarithm (a latency past 1000 s is rare)
const GUARD = 1e-12;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the word with the exponent
function cellOf(value: number): number {
  bits[0] = value;
  return words[HIGH] >>> 12;
}
const CELL_BASE = cellOf(MIN_VALUE);
const CELLS = cellOf(FAST_MAX) - CELL_BASE + 1;
// Per bucket b: [lower bound + guard, next bound − guard, next bound].
const bounds = new Float64Array(3 * BUCKETS);
const cellBucket = new Int32Array(CELLS);
{
  const edge = (b: number): number => (b <= 1 ? MIN_VALUE : MIN_VALUE * Math.exp((b - 1) * LOG_BASE));
  for (let b = 0; b < BUCKETS; b++) {
    bounds[3 * b] = edge(b) * (1 + GUARD);
    bounds[3 * b + 1] = b === BUCKETS - 1 ? -Infinity : edge(b + 1) * (1 - GUARD);
    bounds[3 * b + 2] = b === BUCKETS - 1 ? Infinity : edge(b + 1);
  }
  // Each cell's first bucket: the last b whose bound is at or below the cell's smallest value.
  let b = 1;
  for (let c = 0; c < CELLS; c++) {
    words[HIGH] = (CELL_BASE + c) << 12;
    words[1 - HIGH] = 0;
    const low = bits[0];
    while (bounds[3 * b + 2] <= low) b++;
    cellBucket[c] = b;
  }
}

/** The histogram bucket of `value` (0 at or below 1 µs, the last past 10⁷ ms). */
export function bucketIndex(value: number): number {
  if (!(value > MIN_VALUE && value < FAST_MAX)) return bucketByLog(value);
  let b = cellBucket[cellOf(value) - CELL_BASE];
  if (value >= bounds[3 * b + 2]) b++;
  const k = 3 * b;
  return value >= bounds[k] && value < bounds[k + 1] ? b : bucketByLog(value);
}

export class LogHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  add(value: number): void {
    const i = bucketIndex(value);
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
