// What ASET's figures share: every static policy and the agent on aset-full-edge under one
// condition, on the same seeds, watched window by window; the windows as CSV and Arrow.
//
// An episode is watched for its first `horizon` of simulated time while the env keeps its own
// 10-minute horizon, so a shortened (--quick) run shows the agent the elapsed-time input it was
// trained with. Episode ratios are the watched windows' counts summed, as the env sums them.

import fs from 'node:fs';
import path from 'node:path';
import { Field, Float64, Int32, Schema, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { STATIC_POLICIES } from '../../envs/edge/aset/policies.js';
import { type Kwargs, make } from '../../src/registry.js';
import { parseQuantity } from '../../src/sim/units.js';
import { loadBenchmarkPolicy } from '../../jobs/benchmark/policies.js';
import { type BenchmarkResult, type EpisodeRecord, type PolicyRun, benchmarkResult } from '../../jobs/benchmark/run.js';
import { type PairedDifference, pairedDifference } from '../../src/stats.js';
import { formatPaired, type PairedRow } from '../policy-select-paired.js';
import type { AgentUsed } from './training.js';

export const ENV_ID = 'EdgeSched/PolicySelect-v0';

/** ASET's static policies, in the order of its paper (and of the env's actions). */
export const STATIC_NAMES: readonly string[] = Object.keys(STATIC_POLICIES);

/** The env's default window, which every condition here keeps. */
export const WINDOW_S = 5;

/** The agent's name in tables, CSVs and charts. */
export const AGENT = 'aset-ppo';

/** One test condition: a label for tables, a folder name, and the env kwargs that make it. */
export interface AsetCondition {
  label: string;
  folder: string;
  kwargs: Kwargs;
}

export interface AsetRunOptions {
  agent: AgentUsed;
  /** Paired episodes per policy: episode i of every policy is reset with seed + i. */
  seeds: number;
  seed: number;
  /** Simulated time watched per episode, e.g. '10 min'. */
  horizon: string;
  /** Receives one line per policy run. */
  log?: (line: string) => void;
}

/** One 5 s window of one episode of one policy. */
export interface WindowRecord {
  condition: string;
  policy: string;
  seed: number;
  /** 0-based window index; the window ends at (window + 1) × the window length. */
  window: number;
  endS: number;
  /** λ (clients/min per antenna) in force when the window began. */
  rate: number;
  /** The static policy that dispatched the window's new streams. */
  chosen: string;
  queries: number;
  successes: number;
  violations: number;
  rejections: number;
  successRatio: number;
  violationRatio: number;
  rejectionRatio: number;
  reward: number;
}

export interface ConditionRun {
  condition: AsetCondition;
  /** Per policy, its episodes with their ratios, as `benchmark` reports them. */
  result: BenchmarkResult;
  windows: WindowRecord[];
}

/** The ratios the figures plot, as they are named in the windows and episodes. */
export const RATIOS = ['successRatio', 'violationRatio', 'rejectionRatio'] as const;
export type Ratio = (typeof RATIOS)[number];

/** Runs the agent, then every static policy, for `seeds` episodes each under `condition`. */
export async function runCondition(condition: AsetCondition, options: AsetRunOptions): Promise<ConditionRun> {
  const windowMs = 1000 * WINDOW_S;
  if (condition.kwargs.window !== undefined) throw new RangeError(`${condition.label}: the figures keep the env's ${WINDOW_S} s windows`);
  const horizonMs = parseQuantity(options.horizon, 'time');
  const windows = Math.max(1, Math.round(horizonMs / windowMs));
  const stepMs = parseQuantity(condition.kwargs.scheduleStep ?? '150 s', 'time');
  const specs = [options.agent.path, ...STATIC_NAMES];
  const runs: PolicyRun[] = [];
  const records: WindowRecord[] = [];
  for (const [k, spec] of specs.entries()) {
    const env = make(ENV_ID, condition.kwargs);
    try {
      const loaded = await loadBenchmarkPolicy(spec, env, ENV_ID, options.seed);
      const name = k === 0 ? AGENT : loaded.name;
      const run: PolicyRun = { name, spec, baseline: k > 0, episodes: [], failure: null };
      for (let e = 0; e < options.seeds; e++) {
        const seed = options.seed + e;
        await loaded.reset?.(seed);
        let { observation, info } = env.reset({ seed });
        const schedule = (info.schedule as number[] | undefined) ?? null;
        const drawn = info.rate as number;
        const rateAt = (ms: number): number => (schedule === null ? drawn : schedule[Math.floor(ms / stepMs) % schedule.length]);
        const sum = { queries: 0, successes: 0, violations: 0, rejections: 0, energyJ: 0, reward: 0 };
        let length = 0;
        for (let w = 0; w < windows; w++) {
          const rate = rateAt(w * windowMs);
          const step = env.step((await loaded.act(observation, info)) as number);
          const i = step.info;
          const queries = i.queries as number;
          const record: WindowRecord = {
            condition: condition.label, policy: name, seed, window: w, endS: ((w + 1) * windowMs) / 1000, rate, chosen: i.policy as string,
            queries, successes: i.successes as number, violations: Math.round((i.violationRatio as number) * queries), rejections: Math.round((i.rejectionRatio as number) * queries),
            successRatio: i.successRatio as number, violationRatio: i.violationRatio as number, rejectionRatio: i.rejectionRatio as number, reward: step.reward,
          };
          records.push(record);
          sum.queries += queries;
          sum.successes += record.successes;
          sum.violations += record.violations;
          sum.rejections += record.rejections;
          sum.energyJ += i.energyJ as number;
          sum.reward += step.reward;
          ({ observation, info } = step);
          length = w + 1;
          if (step.terminated || step.truncated) break;
        }
        const ratio = (n: number): number => (sum.queries === 0 ? 0 : n / sum.queries);
        const metrics = { queries: sum.queries, successRatio: ratio(sum.successes), violationRatio: ratio(sum.violations), rejectionRatio: ratio(sum.rejections), energyJ: sum.energyJ };
        // Watched to the env's own end, the sums must be the env's episode metrics.
        const reported = info.episodeMetrics as Record<string, number> | undefined;
        if (reported !== undefined && Math.abs(reported.successRatio - metrics.successRatio) > 1e-9) {
          throw new Error(`${name}, seed ${seed}: the windows sum to success ratio ${metrics.successRatio}, the env reports ${reported.successRatio}`);
        }
        const episode: EpisodeRecord = { policy: name, episode: e, seed, return: sum.reward, length, metrics };
        run.episodes.push(episode);
      }
      await loaded.close?.();
      runs.push(run);
      const mean = run.episodes.reduce((a, ep) => a + ep.metrics.successRatio, 0) / run.episodes.length;
      options.log?.(`${condition.label}: ${name}, ${options.seeds} episodes of ${options.horizon}, mean success ${(100 * mean).toFixed(1)} % (${k + 1}/${specs.length})`);
    } finally {
      env.close();
    }
  }
  const result = benchmarkResult({ env: ENV_ID, seed: options.seed, seeds: options.seeds, kwargs: condition.kwargs }, runs);
  return { condition, result, windows: records };
}

/** One metric of a policy's episodes, in seed order. */
export function episodeValues(result: BenchmarkResult, policy: string, metric: string): number[] {
  const p = result.policies.find((q) => q.name === policy);
  if (p === undefined) throw new Error(`no policy ${policy} in the ${JSON.stringify(result.kwargs)} run`);
  return [...p.episodes].sort((a, b) => a.seed - b.seed).map((e) => (metric === 'return' ? e.return : e.metrics[metric]));
}

/** The static policy with the highest mean episode success ratio. */
export function bestStatic(result: BenchmarkResult): string {
  const success = (name: string): number => result.policies.find((p) => p.name === name)!.summaries.successRatio.mean;
  return STATIC_NAMES.reduce((best, name) => (success(name) > success(best) ? name : best));
}

/** The agent's metric minus each static policy's, episode by episode (same seeds), by static policy. */
export function agentVersusStatics(result: BenchmarkResult, metric: Ratio = 'successRatio'): Map<string, PairedDifference> {
  const mine = episodeValues(result, AGENT, metric);
  return new Map(STATIC_NAMES.map((name) => [name, pairedDifference(mine, episodeValues(result, name, metric))]));
}

/** A ratio as a percentage, e.g. `77.0 %`. */
export function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

/** The paired table of one or more conditions: the agent against every static policy. */
export function pairedTable(runs: readonly ConditionRun[]): string {
  const success = (result: BenchmarkResult, name: string): number => result.policies.find((p) => p.name === name)!.summaries.successRatio.mean;
  const rows = runs.flatMap(({ condition, result }) =>
    [...agentVersusStatics(result)].map(([name, difference]): PairedRow => ({ condition: condition.label, baseline: name, policyMean: success(result, AGENT), baselineMean: success(result, name), difference })),
  );
  return formatPaired(rows, AGENT);
}

const COLUMNS = ['condition', 'policy', 'seed', 'window', 'endS', 'rate', 'chosen', 'queries', 'successes', 'violations', 'rejections', 'successRatio', 'violationRatio', 'rejectionRatio', 'reward'] as const;
const TEXT: ReadonlySet<string> = new Set(['condition', 'policy', 'chosen']);
const INTEGER: ReadonlySet<string> = new Set(['seed', 'window']);

/** Every window of every run, one CSV line and one Arrow row each, as `windows.csv` and `windows.arrow` in `dir`. */
export function writeWindows(runs: readonly ConditionRun[], dir: string): string[] {
  const rows = runs.flatMap((r) => r.windows);
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const csv = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => (TEXT.has(c) ? quote(String(r[c])) : String(r[c]))).join(','))];
  const fields = COLUMNS.map((c) => new Field(c, TEXT.has(c) ? new Utf8() : INTEGER.has(c) ? new Int32() : new Float64()));
  const columns = fields.map((f) => vectorFromArray(rows.map((r) => r[f.name as (typeof COLUMNS)[number]]), f.type));
  const metadata = new Map([
    ['edgegym.env_id', ENV_ID],
    ['edgegym.conditions', JSON.stringify(Object.fromEntries(runs.map((r) => [r.condition.label, r.condition.kwargs])))],
  ]);
  const table = new Table(new Schema(fields, metadata), Object.fromEntries(fields.map((f, i) => [f.name, columns[i]])));
  fs.mkdirSync(dir, { recursive: true });
  const files = [path.join(dir, 'windows.csv'), path.join(dir, 'windows.arrow')];
  fs.writeFileSync(files[0], `${csv.join('\n')}\n`);
  fs.writeFileSync(files[1], tableToIPC(table, 'file'));
  return files;
}

/** Mean over seeds of one ratio in each window, per policy: what the figures over time plot. */
export function seriesOf(run: ConditionRun, ratio: Ratio): { policy: string; endS: number; rate: number; mean: number }[] {
  const cells = new Map<string, { policy: string; endS: number; rate: number; sum: number; n: number }>();
  for (const w of run.windows) {
    const key = `${w.policy}\u0000${w.window}`;
    const c = cells.get(key) ?? { policy: w.policy, endS: w.endS, rate: w.rate, sum: 0, n: 0 };
    c.sum += w[ratio];
    c.n += 1;
    cells.set(key, c);
  }
  return [...cells.values()].map((c) => ({ policy: c.policy, endS: c.endS, rate: c.rate, mean: c.sum / c.n }));
}

/** A policy's mean episode success ratio in a run. */
export function meanOf(run: ConditionRun, name: string): number {
  return run.result.policies.find((p) => p.name === name)!.summaries.successRatio.mean;
}

/** The options a caller set, without the undefined ones (so they do not hide the defaults). */
export function definedOf<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The setup's sentence on which episodes were watched, as both figures word it. */
export function watchedSentence(sizes: { seeds: number; seed: number; horizon: string }): string {
  return `${sizes.seeds} held-out seeds from ${sizes.seed}, the first ${sizes.horizon} of each episode watched (the env keeps its 10-minute horizon, so the agent's elapsed-time input is as in training); every static policy and the agent greedily on the same seeds.`;
}

/** How both figures decide a claim. */
export const CLAIM_RULE = 'A claim agrees when the 95 % CI of the paired difference (agent − static policy, seed by seed) in the episode ratio says so';
