// Summary statistics for experiment tables: mean with a Student-t 95 % confidence interval.

/** Mean, sample standard deviation and 95 % CI half-width of a sample. */
export interface Summary {
  n: number;
  mean: number;
  std: number;
  /** Half-width of the 95 % confidence interval of the mean (NaN for n < 2). */
  ci95: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, std: NaN, ci95: NaN, min: NaN, max: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, std, ci95: n > 1 ? tQuantile975(n - 1) * (std / Math.sqrt(n)) : NaN, min: Math.min(...values), max: Math.max(...values) };
}

// Exact two-sided 95 % Student-t critical values for small samples, where approximations drift.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** The 0.975 quantile of Student's t with `df` degrees of freedom. */
export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= T975.length) return T975[df - 1];
  // Cornish–Fisher expansion around z = 1.959964; error < 1e-3 for df > 10.
  const z = 1.959963985;
  const z3 = z ** 3;
  const z5 = z ** 5;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

/** `mean ± ci95` with sensible rounding. */
export function formatSummary(s: Summary, digits = 2): string {
  if (Number.isNaN(s.ci95)) return s.mean.toFixed(digits);
  return `${s.mean.toFixed(digits)} ± ${s.ci95.toFixed(digits)}`;
}

/** Paired comparison of two policies on the same seeds: differences a − b, episode by episode. */
export interface PairedDifference extends Summary {
  /** Episodes where a − b > 0, < 0 and = 0. */
  wins: number;
  losses: number;
  ties: number;
}

/** What a paired difference says: the whole 95 % CI above 0, below 0, or holding 0 (a tie). */
export type PairedVerdict = 'beats' | 'loses' | 'ties';

/** The verdict every table and claim in the project reads off a paired difference (a NaN CI, one episode, is a tie). */
export function pairedVerdict(d: Pick<Summary, 'mean' | 'ci95'>): PairedVerdict {
  if (d.mean - d.ci95 > 0) return 'beats';
  if (d.mean + d.ci95 < 0) return 'loses';
  return 'ties';
}

/**
 * Summarises a[i] − b[i] over episodes run with the same seeds (common random numbers: both
 * policies met the same arrivals), so the CI is that of the paired difference, not of two means.
 */
export function pairedDifference(a: readonly number[], b: readonly number[]): PairedDifference {
  if (a.length !== b.length) throw new RangeError(`pairedDifference: ${a.length} values against ${b.length}; pair the same episodes`);
  const diffs = a.map((x, i) => x - b[i]);
  return { ...summarize(diffs), wins: diffs.filter((d) => d > 0).length, losses: diffs.filter((d) => d < 0).length, ties: diffs.filter((d) => d === 0).length };
}
