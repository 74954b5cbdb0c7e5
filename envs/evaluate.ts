// Evaluates a policy on a registered env for N seeded episodes: per-episode returns, lengths and
// the env's outcome metrics (the edge envs' `info.episodeMetrics` on the last step), each with
// its mean and a 95 % confidence interval.

import type { Env, Info } from '../src/env.js';
import type { Policy } from '../src/policy.js';
import { make, type Kwargs } from '../src/registry.js';
import { RecordReplay } from '../src/replay/record-replay.js';
import { RecordEpisodeStatistics } from '../src/wrappers/record-episode-statistics.js';
import { logQueries } from './edge/sim/query-log.js';
import { baselineByName } from './baselines.js';
import { formatSummary, type Summary, summarize } from '../src/stats.js';

/** Makes the policy called `name` for `env` (registered as `envId`), seeded with `seed`. */
export type PolicyResolver = (name: string, env: Env<unknown, unknown>, seed: number, envId: string) => Policy;

export interface EvaluateOptions {
  env: string;
  /** A policy object, or a name that `resolvePolicy` turns into one. */
  policy: Policy | string;
  /** How a policy given by name is made (default: the env's baselines by name, e.g. 'random'). */
  resolvePolicy?: PolicyResolver;
  episodes: number;
  seed: number;
  kwargs?: Kwargs;
  /** Called after each episode, e.g. to print progress. */
  onEpisode?: (episode: number, ret: number, length: number, metrics: Readonly<Record<string, number>>) => void;
  /** Write a step log of every episode into this directory. */
  replay?: string;
  /** EdgeSched envs: write the simulator's query log into this directory. */
  events?: string;
}

export interface EvaluateResult {
  env: string;
  policy: string;
  seed: number;
  returns: number[];
  lengths: number[];
  return: Summary;
  length: Summary;
  /** Each key of the env's `info.episodeMetrics`, per episode and summarised (empty if it has none). */
  metrics: Record<string, { values: number[]; summary: Summary }>;
}

/** Episode i starts from seed + i, so results are reproducible and episodes independent. */
export function evaluate(options: EvaluateOptions): EvaluateResult {
  const { episodes, seed } = options;
  if (!Number.isInteger(episodes) || episodes < 1) throw new RangeError(`evaluate: episodes must be a positive integer, got ${episodes}`);
  const writer = typeof options.policy === 'string' ? options.policy : options.policy.name;
  const base = make(options.env, options.kwargs ?? {});
  let events;
  try {
    events = options.events === undefined ? null : logQueries(base, options.events, { writer, metadata: { 'edgegym.env_id': options.env, 'edgegym.seed': String(seed) } });
  } catch (err) {
    base.close();
    throw err;
  }
  const logged = options.replay === undefined ? base : new RecordReplay(base, { dir: options.replay, envId: options.env, kwargs: options.kwargs ?? {}, seed, writer });
  const env = new RecordEpisodeStatistics(logged);
  const policy = typeof options.policy === 'string' ? (options.resolvePolicy ?? baselineByName)(options.policy, env, seed, options.env) : options.policy;
  const returns: number[] = [];
  const lengths: number[] = [];
  const metricValues = new Map<string, number[]>();
  try {
    for (let e = 0; e < episodes; e++) {
      const { ret, length, metrics } = runEpisode(env, policy, seed + e);
      returns.push(ret);
      lengths.push(length);
      for (const [key, value] of Object.entries(metrics)) {
        if (!metricValues.has(key)) metricValues.set(key, []);
        metricValues.get(key)!.push(value);
      }
      options.onEpisode?.(e, ret, length, metrics);
    }
  } finally {
    try {
      env.close();
    } finally {
      events?.close();
    }
  }
  const metrics = Object.fromEntries([...metricValues].map(([key, values]) => [key, { values, summary: summarize(values) }]));
  return { env: options.env, policy: policy.name, seed, returns, lengths, return: summarize(returns), length: summarize(lengths), metrics };
}

function runEpisode(env: Env<unknown, unknown>, policy: Policy, seed: number): { ret: number; length: number; metrics: Record<string, number> } {
  let { observation, info } = env.reset({ seed });
  for (;;) {
    const result = env.step(policy.act(observation, info));
    if (result.terminated || result.truncated) {
      const { episode, episodeMetrics } = result.info as Info & { episode: { r: number; l: number }; episodeMetrics?: Record<string, number> };
      return { ret: episode.r, length: episode.l, metrics: episodeMetrics ?? {} };
    }
    ({ observation, info } = result);
  }
}

/** One episode's numbers for a progress line: its return, length and the env's outcome metrics. */
export function episodeDetail(ret: number, length: number, metrics: Readonly<Record<string, number>>): string {
  const extra = Object.entries(metrics).map(([k, v]) => ` ${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`);
  return `return ${ret.toFixed(2)} length ${length}${extra.join('')}`;
}

/** The summary table: return, length and each outcome metric as mean ± 95 % CI. */
export function formatEvaluation(result: EvaluateResult): string {
  const rows: [string, Summary, number][] = [
    ['return', result.return, 2],
    ['length', result.length, 1],
    ...Object.entries(result.metrics).map(([k, m]): [string, Summary, number] => [k, m.summary, Math.abs(m.summary.mean) < 10 ? 4 : 1]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, s, digits]) => `  ${k.padEnd(width)}  ${formatSummary(s, digits)}`);
  return `${result.env}, policy ${result.policy}, ${result.returns.length} episodes from seed ${result.seed} (mean ± 95 % CI):\n${lines.join('\n')}`;
}
