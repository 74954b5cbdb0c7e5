// Runs every policy of a benchmark on the same seeds (episode i of each from seed + i, as
// `evaluate` does), checking each action against the space and the mask before the env sees it.

import type { Env, Info } from '../../src/env.js';
import { make, type Kwargs } from '../../src/registry.js';
import { Discrete } from '../../src/spaces/discrete.js';
import { MultiDiscrete } from '../../src/spaces/multi-discrete.js';
import type { Space } from '../../src/spaces/space.js';
import { RecordEpisodeStatistics } from '../../src/wrappers/record-episode-statistics.js';
import { type PairedDifference, pairedDifference, type Summary, summarize } from '../stats.js';
import { type BenchmarkPolicy, loadBenchmarkPolicy } from './policies.js';

export interface BenchmarkOptions {
  env: string;
  /** Module paths, baseline names, trained folders or .onnx files (see `policyKind`). */
  policies: readonly string[];
  /** Episodes per policy. */
  seeds: number;
  /** Episode i is reset with seed + i, for every policy. */
  seed: number;
  kwargs?: Kwargs;
  /** Called after each finished episode, e.g. to print progress. */
  onEpisode?: (episode: EpisodeRecord) => void;
}

/** One episode of one policy. */
export interface EpisodeRecord {
  policy: string;
  episode: number;
  seed: number;
  return: number;
  length: number;
  /** The env's `info.episodeMetrics` on the last step (empty if it has none). */
  metrics: Record<string, number>;
}

/** Where and why a policy stopped: it threw, or returned an action outside the space or the mask. */
export interface PolicyFailure {
  policy: string;
  episode: number;
  seed: number;
  /** 0-based step within the episode at which the bad action (or the throw) came. */
  step: number;
  message: string;
}

export interface PolicyResult {
  name: string;
  /** What the user passed on the command line. */
  spec: string;
  baseline: boolean;
  /** The episodes it finished (all of them unless it failed). */
  episodes: EpisodeRecord[];
  failure: PolicyFailure | null;
  /** Over its episodes; the table shows them only for a policy that finished every one. */
  summaries: Record<string, Summary>;
  /** Its return minus the reference's, seed by seed (null for a failed policy or when there is no reference). */
  paired: PairedDifference | null;
}

export interface BenchmarkResult {
  env: string;
  seed: number;
  seeds: number;
  kwargs: Kwargs;
  /** 'return' then each `info.episodeMetrics` key, in the order first seen. */
  metrics: string[];
  policies: PolicyResult[];
  /** The name of the policy others are paired against: the best baseline by mean return (else the best policy), or null. */
  reference: string | null;
}

/** Runs the benchmark; a failing policy is recorded and the others go on. */
export async function benchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { seeds, seed } = options;
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`benchmark: seeds must be a positive integer, got ${seeds}`);
  const kwargs = options.kwargs ?? {};
  const loaded = await loadAll(options, kwargs);
  const runs: PolicyRun[] = [];
  for (const { spec, env, policy } of loaded) runs.push(await runPolicy(spec, env, policy, options));
  return benchmarkResult({ env: options.env, seed, seeds, kwargs }, runs);
}

/** What a policy did in a benchmark, before it is summarised. */
export type PolicyRun = Pick<PolicyResult, 'name' | 'spec' | 'baseline' | 'episodes' | 'failure'>;

/**
 * The result of episodes already run (by `benchmark`, or by an experiment that steps the env
 * itself): each metric summarised, and every policy's return paired against the reference.
 */
export function benchmarkResult(setup: Pick<BenchmarkResult, 'env' | 'seed' | 'seeds' | 'kwargs'>, runs: readonly PolicyRun[]): BenchmarkResult {
  const metrics = ['return'];
  for (const run of runs) for (const e of run.episodes) for (const key of Object.keys(e.metrics)) if (!metrics.includes(key)) metrics.push(key);
  const policies: PolicyResult[] = runs.map((run) => ({
    ...run,
    summaries: Object.fromEntries(metrics.map((key) => [key, summarize(run.episodes.map((e) => valueOf(e, key)))])),
    paired: null,
  }));
  const finished = policies.filter((p) => p.failure === null);
  const pool = finished.some((p) => p.baseline) ? finished.filter((p) => p.baseline) : finished;
  const reference = pool.reduce<PolicyResult | null>((best, p) => (best === null || p.summaries.return.mean > best.summaries.return.mean ? p : best), null);
  if (reference !== null) {
    const against = reference.episodes.map((e) => e.return);
    for (const p of finished) p.paired = pairedDifference(p.episodes.map((e) => e.return), against);
  }
  return { ...setup, metrics, policies, reference: reference?.name ?? null };
}

/** `key` of an episode: its return, or one of its metrics (NaN where the env gave none). */
export function valueOf(episode: EpisodeRecord, key: string): number {
  return key === 'return' ? episode.return : (episode.metrics[key] ?? NaN);
}

interface Loaded {
  spec: string;
  env: Env<unknown, unknown>;
  policy: BenchmarkPolicy;
}

/** Every policy loaded before any runs, so a module that fails to import costs no finished work. */
async function loadAll(options: BenchmarkOptions, kwargs: Kwargs): Promise<Loaded[]> {
  const loaded: Loaded[] = [];
  const names = new Map<string, number>();
  try {
    for (const spec of options.policies) {
      // A fresh env per policy, wrapped as `evaluate` wraps it, so the numbers are the same as eval's.
      const env = new RecordEpisodeStatistics(make(options.env, kwargs));
      loaded.push({ spec, env, policy: { name: spec, baseline: false, act: () => null } });
      const policy = await loadBenchmarkPolicy(spec, env, options.env, options.seed);
      // Table rows, CSV lines and chart bars are keyed by name: the same policy twice gets "#2".
      const seen = (names.get(policy.name) ?? 0) + 1;
      names.set(policy.name, seen);
      loaded[loaded.length - 1].policy = seen === 1 ? policy : { ...policy, name: `${policy.name}#${seen}` };
    }
  } catch (err) {
    for (const l of loaded) l.env.close();
    throw err;
  }
  return loaded;
}

async function runPolicy(spec: string, env: Env<unknown, unknown>, policy: BenchmarkPolicy, options: BenchmarkOptions): Promise<PolicyRun> {
  const result: PolicyRun = { name: policy.name, spec, baseline: policy.baseline, episodes: [], failure: null };
  try {
    for (let e = 0; e < options.seeds && result.failure === null; e++) {
      const outcome = await runEpisode(env, policy, options.seed + e);
      if ('message' in outcome) {
        result.failure = { policy: policy.name, episode: e, seed: options.seed + e, step: outcome.step, message: outcome.message };
      } else {
        const record: EpisodeRecord = { policy: policy.name, episode: e, seed: options.seed + e, ...outcome };
        result.episodes.push(record);
        options.onEpisode?.(record);
      }
    }
  } finally {
    try {
      await policy.close?.();
    } finally {
      env.close();
    }
  }
  return result;
}

type EpisodeOutcome = { return: number; length: number; metrics: Record<string, number> } | { step: number; message: string };

async function runEpisode(env: Env<unknown, unknown>, policy: BenchmarkPolicy, seed: number): Promise<EpisodeOutcome> {
  let step = 0;
  try {
    await policy.reset?.(seed);
    let { observation, info } = env.reset({ seed });
    for (;; step++) {
      const action = await policy.act(observation, info);
      const problem = actionProblem(env.actionSpace, action, info);
      if (problem !== null) return { step, message: problem };
      const result = env.step(action);
      if (result.terminated || result.truncated) {
        const { episode, episodeMetrics } = result.info as Info & { episode: { r: number; l: number }; episodeMetrics?: Record<string, number> };
        return { return: episode.r, length: episode.l, metrics: episodeMetrics ?? {} };
      }
      ({ observation, info } = result);
    }
  } catch (err) {
    return { step, message: `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
  }
}

/** Why `action` may not be taken (outside the space, or forbidden by `info.actionMask`), or null. */
export function actionProblem(space: Space<unknown>, action: unknown, info: Info): string | null {
  const shown = ArrayBuffer.isView(action) ? `[${Array.from(action as unknown as ArrayLike<number>).join(', ')}]` : JSON.stringify(action) ?? String(action);
  if (!space.contains(action)) return `returned action ${shown}, which is not in ${space}`;
  const mask = info.actionMask;
  if (!(mask instanceof Uint8Array)) return null;
  if (space instanceof Discrete && mask[(action as number) - space.start] === 0) return `returned action ${shown}, which info.actionMask forbids`;
  if (space instanceof MultiDiscrete) {
    let offset = 0;
    const a = action as Int32Array;
    for (let d = 0; d < space.nvec.length; offset += space.nvec[d], d++) {
      if (mask[offset + a[d] - space.start[d]] === 0) return `returned action ${shown}, whose dimension ${d} info.actionMask forbids`;
    }
  }
  return null;
}
