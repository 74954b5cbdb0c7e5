// Is there anything for a switcher to learn on PolicySelect-v0? A rollout oracle answers it
// before any training: at each window it tries every static policy for that window, followed by
// a base policy (least-impedance unless told) for `lookahead` more windows, and keeps the one
// that serves the most queries over them. Ties keep the base policy, so the oracle deviates only
// where a deviation measurably pays.
//
// The comparison is exact, not sampled: the simulator draws arrivals from their own stream, so
// every candidate sees the same streams, and a candidate's state is reached by replaying the
// episode from its seed with the actions chosen so far (the env is deterministic). That costs a
// replay per candidate and window, quadratic in the episode's length: short horizons only.
//
// If the oracle, which sees the future, cannot beat the base policy, no switcher that sees only
// the past can; if it can, its choices show in which states switching pays.
//
// Run it as `edgegym oracle` (see its --help).

import fs from 'node:fs';
import path from 'node:path';
import { STATIC_POLICIES } from '../envs/edge/aset/policies.js';
import { PolicySelectEnv, type PolicySelectKwargs } from '../envs/edge/aset/policy-select-env.js';
import type { Kwargs } from '../src/registry.js';
import { makeDirs } from '../src/make-dirs.js';
import { type PairedDifference, pairedDifference } from '../src/stats.js';

export interface OracleOptions {
  /** PolicySelect-v0 kwargs (a condition plus any shared ones, e.g. horizon). */
  kwargs: Kwargs;
  seed: number;
  /** Windows of the base policy after the tried one (0: the window alone). */
  lookahead: number;
  /** The policy the oracle improves on, and that fills the lookahead (default least-impedance). */
  base?: string;
}

export interface OracleEpisode {
  /** The policy index chosen for each window (the env's order: every static policy). */
  actions: number[];
  /** The episode's success ratio under the oracle's choices, and under the base policy throughout. */
  successRatio: number;
  baseSuccessRatio: number;
}

/** Plays `prefix`, then `next` for `extra` windows (fewer at the horizon); returns the successes after the prefix and the episode's success ratio if it ended. */
function play(env: PolicySelectEnv, seed: number, prefix: readonly number[], next: readonly number[]): { successes: number; successRatio: number | null } {
  env.reset({ seed });
  for (const a of prefix) env.step(a);
  let successes = 0;
  for (const a of next) {
    const r = env.step(a);
    successes += r.info.successes as number;
    if (r.truncated) return { successes, successRatio: (r.info.episodeMetrics as Record<string, number>).successRatio };
  }
  return { successes, successRatio: null };
}

/** One episode of the rollout oracle, with the base policy's episode on the same seed. */
export function oracleEpisode(options: OracleOptions): OracleEpisode {
  const env = new PolicySelectEnv(options.kwargs as PolicySelectKwargs);
  try {
    const names = env.policies.map((p) => p.name);
    const base = names.indexOf(options.base ?? 'least-impedance');
    if (base < 0) throw new RangeError(`oracle: base policy ${JSON.stringify(options.base)} is not among the env's policies (${names.join(', ')})`);
    const windows = Math.ceil(env.horizonMs / env.windowMs);
    const actions: number[] = [];
    for (let t = 0; t < windows; t++) {
      const span = Math.min(options.lookahead, windows - t - 1);
      const fill = new Array<number>(span).fill(base);
      let best = base;
      let bestSuccesses = play(env, options.seed, actions, [base, ...fill]).successes;
      for (let a = 0; a < names.length; a++) {
        if (a === base) continue;
        const s = play(env, options.seed, actions, [a, ...fill]).successes;
        if (s > bestSuccesses) {
          best = a;
          bestSuccesses = s;
        }
      }
      actions.push(best);
    }
    const successRatio = play(env, options.seed, [], actions).successRatio!;
    const baseSuccessRatio = play(env, options.seed, [], new Array<number>(windows).fill(base)).successRatio!;
    return { actions, successRatio, baseSuccessRatio };
  } finally {
    env.close();
  }
}

export interface OracleRow {
  condition: string;
  episodes: OracleEpisode[];
  /** Oracle − base, in episode success ratio, over the seeds. */
  difference: PairedDifference;
  /** How often the oracle chose each policy, by name. */
  choices: Record<string, number>;
}

/** The oracle against the base policy under each condition, on `seeds` seeds from `seed`. */
export function oracleStudy(conditions: Readonly<Record<string, Kwargs>>, options: { seeds: number; seed: number; lookahead: number; base?: string; shared?: Kwargs; log?: (line: string) => void }): OracleRow[] {
  const names = Object.keys(STATIC_POLICIES);
  return Object.entries(conditions).map(([condition, kwargs]) => {
    const episodes: OracleEpisode[] = [];
    for (let k = 0; k < options.seeds; k++) {
      const e = oracleEpisode({ kwargs: { ...(options.shared ?? {}), ...kwargs }, seed: options.seed + k, lookahead: options.lookahead, ...(options.base === undefined ? {} : { base: options.base }) });
      episodes.push(e);
      options.log?.(`${condition}  seed ${options.seed + k}  oracle ${(100 * e.successRatio).toFixed(2)} %  base ${(100 * e.baseSuccessRatio).toFixed(2)} %`);
    }
    const choices: Record<string, number> = {};
    for (const e of episodes) for (const a of e.actions) choices[names[a]] = (choices[names[a]] ?? 0) + 1;
    const difference = pairedDifference(episodes.map((e) => e.successRatio), episodes.map((e) => e.baseSuccessRatio));
    return { condition, episodes, difference, choices };
  });
}

/** The study as Markdown: success ratios in %, the paired difference in points, and the choices. */
export function formatOracle(rows: readonly OracleRow[], base: string, lookahead: number): string {
  const pct = (x: number): string => (100 * x).toFixed(2);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lines = [
    `| condition | oracle success % | ${base} success % | oracle − ${base}, pp (95 % CI) | windows chosen (of all) |`,
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const total = Object.values(r.choices).reduce((a, b) => a + b, 0);
    const chosen = Object.entries(r.choices).sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${((100 * c) / total).toFixed(0)} %`).join(', ');
    lines.push(`| ${r.condition} | ${pct(mean(r.episodes.map((e) => e.successRatio)))} | ${pct(mean(r.episodes.map((e) => e.baseSuccessRatio)))} | ${pct(r.difference.mean)} ± ${Number.isNaN(r.difference.ci95) ? '–' : pct(r.difference.ci95)} | ${chosen} |`);
  }
  lines.push('', `Lookahead: ${lookahead} windows of ${base} after each tried window; ${rows[0]?.episodes.length ?? 0} seeds per condition.`);
  return lines.join('\n');
}

/** Writes the study into `out`: oracle.md (the table) and oracle.json (every episode's choices). */
export function writeOracle(out: string, rows: readonly OracleRow[], base: string, lookahead: number): { table: string; json: string } {
  makeDirs(out);
  const files = { table: path.join(out, 'oracle.md'), json: path.join(out, 'oracle.json') };
  fs.writeFileSync(files.table, `${formatOracle(rows, base, lookahead)}\n`);
  fs.writeFileSync(files.json, JSON.stringify(rows, null, 1));
  return files;
}
