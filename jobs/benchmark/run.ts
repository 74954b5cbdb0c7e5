// Runs every policy of a benchmark on the same seeds (episode i of each from seed + i, as
// `evaluate` does), in this thread or on worker threads, then summarises and pairs the results.
//
// What runs in parallel is policies, never the episodes of one policy. A policy may carry state
// from one episode into the next, and nothing outside it can tell whether it does: the `random`
// baseline draws from one generator seeded once (as `evaluate` seeds it), so its episode e depends
// on episodes 0 … e−1, and a user's module may count its episodes. Playing each policy's episodes
// in order in one thread, on its own instance of the policy, is what keeps every number equal to
// the sequential run's and to eval's, wherever and alongside whatever it runs.

import path from 'node:path';
import type { Env, WindowMetrics } from '../../src/env.js';
import { make, type Kwargs, spec as envSpec } from '../../src/registry.js';
import { checkLogDirectory } from '../../src/replay/segments.js';
import { STEP_LOG_PREFIX } from '../../src/replay/step-log.js';
import { type PairedDifference, pairedDifference, type Summary, summarize } from '../../src/stats.js';
import { type EpisodeOutcome, type FailureOutcome, inProcessWatch, playPolicy } from './episode.js';
import { type BenchmarkPolicy, loadBenchmarkPolicy } from './policies.js';
import { EpisodePool } from './pool.js';

export { actionProblem } from './episode.js';

/** How long one call into a policy may run unless told otherwise: 10 s. */
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

export interface BenchmarkOptions {
  env: string;
  /** Module paths, baseline names, trained folders or .onnx files (see `policyKind`). */
  policies: readonly string[];
  /** Episodes per policy. */
  seeds: number;
  /** Episode i is reset with seed + i, for every policy. */
  seed: number;
  kwargs?: Kwargs;
  /** Called after each finished episode, e.g. to print progress (in the order they finish). */
  onEpisode?: (episode: EpisodeRecord) => void;
  /**
   * Worker threads playing policies side by side. 0 (the default) plays them one after another
   * in this thread, which also serves an env registered only in this process; only a worker
   * thread can stop a policy caught in a synchronous loop.
   */
  workers?: number;
  /**
   * The longest one call into a policy (`act`, `reset`, `close`, and on a worker its loading)
   * may run, in ms, before the policy is stopped and reported; 0: no limit. In this thread
   * (`workers: 0`) only a Promise that does not settle can be stopped. Default 10 s.
   */
  stepTimeoutMs?: number;
  /** Write each policy's step log (Arrow, as `evaluate --replay` does) into `<replay>/<policy>/`. */
  replay?: string;
  /** Modules a worker thread imports before making the env, beside the one that registered it. */
  modules?: readonly string[];
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

/**
 * Where and why a policy stopped: it threw, returned an action outside the space or the mask,
 * or did not return from one call within the step timeout.
 */
export interface PolicyFailure {
  policy: string;
  episode: number;
  seed: number;
  /** 0-based step within the episode at which the bad action (or the throw, or the hang) came. */
  step: number;
  message: string;
}

/** A policy's window metrics over time: at each window index, the mean over its episodes. */
export interface WindowSeries {
  /** Episodes that reached window w (all of them where every episode has the same length). */
  episodes: number[];
  /** Per metric key, the mean at each window index, summed in episode order. */
  means: Record<string, number[]>;
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
  /** Over time, where the env declares window metrics (null otherwise, and for a failed policy). */
  windows: WindowSeries | null;
  /** The folder of its step log, when one was asked for. */
  replay: string | null;
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
  /** The env's `metadata.windowMetrics`: which step infos each policy's `windows` follows, and the window's length. */
  windows: WindowMetrics | null;
}

/** What either path hands back for one policy. */
interface Played {
  spec: string;
  name: string;
  baseline: boolean;
  replay: string | null;
  episodes: EpisodeOutcome[];
  failure: FailureOutcome | null;
}

interface Run {
  envId: string;
  kwargs: Kwargs;
  seed: number;
  seeds: number;
  stepTimeoutMs: number;
}

/** Either path's result: every policy's, and the window metrics the env declares. */
interface Outcome {
  played: Played[];
  windows: WindowMetrics | null;
}

/** Runs the benchmark; a failing policy is recorded and the others go on. */
export async function benchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { seeds, seed } = options;
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`benchmark: seeds must be a positive integer, got ${seeds}`);
  const workers = options.workers ?? 0;
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`benchmark: workers must be an integer at least 0, got ${workers}`);
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  if (!Number.isFinite(stepTimeoutMs) || stepTimeoutMs < 0) throw new RangeError(`benchmark: stepTimeoutMs must be a number of ms at least 0, got ${stepTimeoutMs}`);
  const kwargs = options.kwargs ?? {};
  const run: Run = { envId: options.env, kwargs, seed, seeds, stepTimeoutMs };
  // No env is made here to look at before the run: the first make in a thread loads the scenario
  // (seconds for the edge envs), and the threads that play make their own.
  const { played, windows } = workers === 0 ? await inThisThread(options, run) : await onWorkers(options, run, workers);

  const runs = played.map((p): PolicyRun => ({
    name: p.name,
    spec: p.spec,
    baseline: p.baseline,
    episodes: p.episodes.map((e) => record(p.name, e)),
    failure: p.failure === null ? null : { policy: p.name, ...p.failure },
    windows: windows === null || p.failure !== null ? null : windowSeries(p.episodes, windows.keys),
    replay: p.replay,
  }));
  return benchmarkResult({ env: options.env, seed, seeds, kwargs, windows }, runs);
}

/** What a policy did in a benchmark, before it is summarised. */
export type PolicyRun = Pick<PolicyResult, 'name' | 'spec' | 'baseline' | 'episodes' | 'failure'> & Partial<Pick<PolicyResult, 'windows' | 'replay'>>;

/**
 * The result of episodes already run (by `benchmark`, or by an experiment that steps the env
 * itself): each metric summarised, and every policy's return paired against the reference.
 */
export function benchmarkResult(setup: Pick<BenchmarkResult, 'env' | 'seed' | 'seeds' | 'kwargs'> & Partial<Pick<BenchmarkResult, 'windows'>>, runs: readonly PolicyRun[]): BenchmarkResult {
  const metrics = ['return'];
  for (const run of runs) for (const e of run.episodes) for (const key of Object.keys(e.metrics)) if (!metrics.includes(key)) metrics.push(key);
  const policies = runs.map((run): PolicyResult => ({
    windows: null,
    replay: null,
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
  return { windows: null, ...setup, metrics, policies, reference: reference?.name ?? null };
}

/** `key` of an episode: its return, or one of its metrics (NaN where the env gave none). */
export function valueOf(episode: EpisodeRecord, key: string): number {
  return key === 'return' ? episode.return : (episode.metrics[key] ?? NaN);
}

function record(policy: string, e: EpisodeOutcome): EpisodeRecord {
  return { policy, episode: e.episode, seed: e.seed, return: e.return, length: e.length, metrics: e.metrics };
}

/** The mean of each window metric at each window index, over the episodes that reached it. */
function windowSeries(episodes: readonly EpisodeOutcome[], keys: readonly string[]): WindowSeries {
  const length = Math.max(0, ...episodes.map((e) => e.windows![keys[0]]?.length ?? 0));
  const counts = new Array<number>(length).fill(0);
  for (const e of episodes) for (let w = 0; w < (e.windows![keys[0]]?.length ?? 0); w++) counts[w]++;
  const means: Record<string, number[]> = {};
  for (const key of keys) {
    const sums = new Array<number>(length).fill(0);
    for (const e of episodes) e.windows![key].forEach((v, w) => (sums[w] += v));
    means[key] = sums.map((sum, w) => sum / counts[w]);
  }
  return { episodes: counts, means };
}

/** Table rows, CSV lines and chart lines are keyed by name: the same policy twice gets "#2". */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    return k === 1 ? name : `${name}#${k}`;
  });
}

/** Each policy's step log folder under `root`, checked (and made) before any episode runs. */
function replayTargets(root: string | undefined, names: readonly string[]): ({ dir: string; writer: string } | null)[] {
  if (root === undefined) return names.map(() => null);
  const used = new Set<string>();
  return names.map((name) => {
    const base = name.replace(/[^\w.-]+/g, '_');
    let dir = path.join(root, base);
    for (let k = 2; used.has(dir); k++) dir = path.join(root, `${base}-${k}`);
    used.add(dir);
    checkLogDirectory(path.resolve(dir), STEP_LOG_PREFIX, false);
    return { dir, writer: name };
  });
}

interface Loaded {
  spec: string;
  base: Env<unknown, unknown>;
  policy: BenchmarkPolicy;
}

/** Every policy loaded, then each played to the end before the next. */
async function inThisThread(options: BenchmarkOptions, run: Run): Promise<Outcome> {
  const loaded = await loadAll(options, run);
  const windows = loaded[0]?.base.metadata.windowMetrics ?? null;
  let next = 0;
  try {
    const names = uniqueNames(loaded.map((l) => l.policy.name));
    const targets = replayTargets(options.replay, names);
    const played: Played[] = [];
    for (; next < loaded.length; next++) {
      const { spec, base, policy } = loaded[next];
      const episodes: EpisodeOutcome[] = [];
      const name = names[next];
      const onEpisode = (e: EpisodeOutcome): void => {
        episodes.push(e);
        options.onEpisode?.(record(name, e));
      };
      const failure = await playPolicy(base, policy, { ...run, windows, replay: targets[next] }, inProcessWatch(run.stepTimeoutMs), onEpisode);
      played.push({ spec, name, baseline: policy.baseline, replay: targets[next]?.dir ?? null, episodes, failure });
    }
    return { played, windows };
  } finally {
    // playPolicy closes what it played; what it never reached is closed here.
    for (const l of loaded.slice(next + 1)) l.base.close();
  }
}

/** Every policy loaded before any runs, so a module that fails to import costs no finished work. */
async function loadAll(options: BenchmarkOptions, run: Run): Promise<Loaded[]> {
  const loaded: Loaded[] = [];
  try {
    for (const spec of options.policies) {
      const base = make(run.envId, run.kwargs);
      loaded.push({ spec, base, policy: { name: spec, baseline: false, act: () => null } });
      loaded[loaded.length - 1].policy = await loadBenchmarkPolicy(spec, base, run.envId, run.seed);
    }
  } catch (err) {
    for (const l of loaded) l.base.close();
    throw err;
  }
  return loaded;
}

/** The same on a pool of worker threads, each making the env from the registry. */
async function onWorkers(options: BenchmarkOptions, run: Run, workers: number): Promise<Outcome> {
  const registered = envSpec(run.envId).module;
  const modules = [...(registered === null ? [] : [registered]), ...(options.modules ?? [])];
  if (modules.length === 0) {
    throw new Error(`benchmark: env ${run.envId} was registered without \`module\`, so worker threads cannot make it; register it with \`module: import.meta.url\`, pass \`modules\`, or use workers: 0`);
  }
  const pool = new EpisodePool(options.policies, { ...run, modules, workers });
  try {
    const loaded = await pool.load();
    const names = uniqueNames(loaded.map((l) => l.name));
    const targets = replayTargets(options.replay, names);
    const played = await pool.play(
      targets.map((replay) => ({ replay })),
      (job, e) => options.onEpisode?.(record(names[job], e)),
    );
    return {
      played: played.map((p, job) => ({ spec: options.policies[job], name: names[job], baseline: loaded[job].baseline, replay: targets[job]?.dir ?? null, ...p })),
      windows: loaded[0]?.windows ?? null,
    };
  } finally {
    await pool.close();
  }
}
