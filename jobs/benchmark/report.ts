// The benchmark's Markdown table (mean ± 95 % CI per metric, the best in bold, each policy's
// paired difference to the reference on the return), its per-episode CSV lines and, where the env
// declares window metrics, the per-window means over time.

import { formatSummary, type Summary } from '../../src/stats.js';
import { type BenchmarkResult, valueOf } from './run.js';

// The envs do not declare which way their metrics point, so the names do: these fall as a policy
// improves, these rise, and the rest (counts such as `requests`) get no bold at all.
const LOWER = /violation|reject|energy|degradation|invalid|objective|latency|cost|late|drop|miss|fail|error|delay/i;
const HIGHER = /return|success|hosted|reward|accuracy|throughput|utili/i;

/** +1 when larger is better, −1 when smaller is, 0 when the name does not say. */
export function metricDirection(key: string): 1 | -1 | 0 {
  if (LOWER.test(key)) return -1;
  return HIGHER.test(key) ? 1 : 0;
}

/** Digits as `edgegym eval` shows them: ratios need four, counts and returns fewer. */
function digitsFor(key: string, s: Summary): number {
  if (key === 'return') return 2;
  return Math.abs(s.mean) < 10 ? 4 : 1;
}

function signed(s: Summary, digits: number): string {
  const text = formatSummary(s, digits);
  return s.mean > 0 ? `+${text}` : text;
}

/** The Markdown report: a caption, the table, and one line per failed policy. */
export function benchmarkTable(result: BenchmarkResult): string {
  const finished = result.policies.filter((p) => p.failure === null);
  const best = new Map<string, number>();
  for (const key of result.metrics) {
    const dir = metricDirection(key);
    const means = finished.map((p) => p.summaries[key].mean).filter((m) => !Number.isNaN(m));
    // Where every policy scored the same there is no best to point at.
    if (dir !== 0 && means.length > 1 && Math.min(...means) !== Math.max(...means)) best.set(key, dir > 0 ? Math.max(...means) : Math.min(...means));
  }
  const ref = result.reference;
  const header = ['policy', ...result.metrics, ref === null ? null : `return − ${ref} (paired)`, ref === null ? null : 'wins / losses / ties'].filter((h): h is string => h !== null);
  const rows = result.policies.map((p) => {
    const name = p.baseline ? `${p.name} (baseline)` : p.name;
    if (p.failure !== null) {
      const f = p.failure;
      return [name, `failed at episode ${f.episode} (seed ${f.seed}), step ${f.step}`, ...result.metrics.slice(1).map(() => '—'), ...(ref === null ? [] : ['—', '—'])];
    }
    const cells = result.metrics.map((key) => {
      const s = p.summaries[key];
      const text = formatSummary(s, digitsFor(key, s));
      return best.get(key) === s.mean ? `**${text}**` : text;
    });
    if (ref !== null) {
      const d = p.paired;
      if (p.name === ref || d === null) cells.push('reference', '');
      else cells.push(signed(d, 2), `${d.wins} / ${d.losses} / ${d.ties}`);
    }
    return [name, ...cells];
  });
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const refNote = ref === null ? '' : ` Paired differences are per seed (common random numbers) against ${ref}, the best ${result.policies.some((p) => p.baseline && p.failure === null) ? 'baseline' : 'policy'} by mean return.`;
  const out = [
    `# ${result.env}: ${result.policies.length} policies on seeds ${result.seed}…${result.seed + result.seeds - 1}`,
    '',
    `Mean ± 95 % CI over ${result.seeds} episodes; the best in bold.${refNote}`,
    '',
    line(header),
    line(header.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map(line),
  ];
  const failures = result.policies.filter((p) => p.failure !== null);
  if (failures.length > 0) {
    out.push('', '## Failed policies', '');
    for (const p of failures) {
      const f = p.failure!;
      out.push(`- ${p.name} (${p.spec}): episode ${f.episode} (seed ${f.seed}), step ${f.step}: ${f.message}; ${p.episodes.length} episodes finished before`);
    }
  }
  return `${out.join('\n')}\n`;
}

function quote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Per-episode results, one line per (policy, episode), every metric a column (empty where missing). */
export function benchmarkCsv(result: BenchmarkResult): string {
  const keys = result.metrics.slice(1);
  const lines = [['policy', 'episode', 'seed', 'return', 'length', ...keys].map(quote).join(',')];
  for (const p of result.policies) {
    for (const e of p.episodes) {
      const values = keys.map((k) => valueOf(e, k)).map((v) => (Number.isNaN(v) ? '' : String(v)));
      lines.push([quote(e.policy), e.episode, e.seed, e.return, e.length, ...values].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One row per finished policy and window index, as `windows.csv` holds them. */
export function windowRows(result: BenchmarkResult): { policy: string; window: number; timeS: number; episodes: number; values: Record<string, number> }[] {
  const windowMs = result.windows?.windowMs ?? NaN;
  return result.policies.flatMap((p) => {
    const series = p.windows;
    if (series === null) return [];
    return series.episodes.map((episodes, w) => ({
      policy: p.name,
      window: w,
      timeS: ((w + 1) * windowMs) / 1000,
      episodes,
      values: Object.fromEntries(Object.entries(series.means).map(([k, means]) => [k, means[w]])),
    }));
  });
}

/** Per (finished policy, window index): the window's end time and each window metric's mean over the episodes that reached it. */
export function windowsCsv(result: BenchmarkResult): string {
  const keys = result.windows?.keys ?? [];
  const lines = [['policy', 'window', 'time_s', 'episodes', ...keys].join(',')];
  for (const row of windowRows(result)) lines.push([quote(row.policy), row.window, row.timeS, row.episodes, ...keys.map((k) => (Number.isNaN(row.values[k]) ? '' : String(row.values[k])))].join(','));
  return `${lines.join('\n')}\n`;
}
