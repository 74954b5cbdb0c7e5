// One policy's episodes on one env, the same code in the caller's thread and in a worker thread:
// each action checked against the space and the mask, every call into the policy watched.

import type { Env, Info, WindowMetrics } from '../../src/env.js';
import type { Kwargs } from '../../src/registry.js';
import { RecordReplay } from '../../src/replay/record-replay.js';
import { Discrete } from '../../src/spaces/discrete.js';
import { MultiDiscrete } from '../../src/spaces/multi-discrete.js';
import type { Space } from '../../src/spaces/space.js';
import { RecordEpisodeStatistics } from '../../src/wrappers/record-episode-statistics.js';
import type { BenchmarkPolicy } from './policies.js';

// What the policy is doing, as a worker thread publishes it in shared memory: the slot holds the
// phase, a count of calls begun (so the watchdog tells one long call from many short ones), and
// where in the run the call came.
export const IDLE = 0;
export const LOADING = 1;
export const RESETTING = 2;
export const ACTING = 3;
export const CLOSING = 4;
export const PHASE = 0;
export const CALLS = 1;
export const EPISODE = 2;
export const STEP = 3;
export const PROGRESS_WORDS = 4;

/** Sees every call into a policy: where it begins, what it returned, when it is over. */
export interface Watch {
  enter(phase: number, episode: number, step: number): void;
  /** The call's result, to be awaited; the in-process watch rejects a Promise that outlives the limit. */
  settle(value: unknown, phase: number): unknown;
  leave(): void;
}

/** A call into the policy ran past the step timeout. */
export class StepTimeout extends Error {
  override name = 'StepTimeout';
}

/** "did not return an action within 10 s", and the like for the other phases. */
export function timeoutMessage(phase: number, ms: number): string {
  const limit = ms >= 1000 ? `${Number((ms / 1000).toPrecision(6))} s` : `${ms} ms`;
  switch (phase) {
    case LOADING:
      return `did not finish loading within ${limit}`;
    case RESETTING:
      return `reset(seed) did not return within ${limit}`;
    case CLOSING:
      return `close() did not return within ${limit}`;
    default:
      return `did not return an action within ${limit}`;
  }
}

/**
 * The watch of the in-process path. A synchronous loop cannot be interrupted in the thread it
 * runs in, so all this watch can stop is a Promise that does not settle within `timeoutMs` (0: none).
 */
export function inProcessWatch(timeoutMs: number): Watch {
  return {
    enter() {},
    leave() {},
    settle(value, phase) {
      if (timeoutMs === 0 || typeof (value as PromiseLike<unknown> | null)?.then !== 'function') return value;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new StepTimeout(timeoutMessage(phase, timeoutMs))), timeoutMs);
        (value as PromiseLike<unknown>).then(
          (v) => (clearTimeout(timer), resolve(v)),
          (err: unknown) => (clearTimeout(timer), reject(err)),
        );
      });
    },
  };
}

/** The watch of a worker thread: it only publishes; the main thread's watchdog does the timing. */
export function publishingWatch(progress: Int32Array): Watch {
  return {
    enter(phase, episode, step) {
      Atomics.store(progress, EPISODE, episode);
      Atomics.store(progress, STEP, step);
      Atomics.add(progress, CALLS, 1);
      Atomics.store(progress, PHASE, phase);
    },
    leave() {
      Atomics.store(progress, PHASE, IDLE);
    },
    settle: (value) => value,
  };
}

/** One finished episode, as a worker posts it back. */
export interface EpisodeOutcome {
  episode: number;
  seed: number;
  return: number;
  length: number;
  /** The env's `info.episodeMetrics` on the last step (empty if it has none). */
  metrics: Record<string, number>;
  /** Per declared window metric, its value at every step (null when the env declares none). */
  windows: Record<string, number[]> | null;
}

/** Where and why a policy stopped. */
export interface FailureOutcome {
  episode: number;
  seed: number;
  step: number;
  message: string;
}

export interface PlayOptions {
  envId: string;
  kwargs: Kwargs;
  /** Episode i is reset with seed + i. */
  seed: number;
  seeds: number;
  windows: WindowMetrics | null;
  /** Write this policy's step log into `replay.dir`, under the writer name `replay.writer`. */
  replay: { dir: string; writer: string } | null;
}

/**
 * Plays `policy`'s episodes in order on `base` until one fails, then closes the policy and the
 * env. The env is wrapped as `evaluate` wraps it, so every number is the one eval gives.
 */
export async function playPolicy(base: Env<unknown, unknown>, policy: BenchmarkPolicy, options: PlayOptions, watch: Watch, onEpisode: (episode: EpisodeOutcome) => void): Promise<FailureOutcome | null> {
  const { seed, seeds, replay } = options;
  let env: Env<unknown, unknown>;
  try {
    env = new RecordEpisodeStatistics(replay === null ? base : new RecordReplay(base, { dir: replay.dir, envId: options.envId, kwargs: options.kwargs, seed, writer: replay.writer }));
  } catch (err) {
    base.close();
    throw err;
  }
  let failure: FailureOutcome | null = null;
  let last = { episode: 0, length: 0 };
  try {
    for (let e = 0; e < seeds && failure === null; e++) {
      const outcome = await runEpisode(env, policy, seed + e, e, watch, options.windows);
      if ('message' in outcome) {
        failure = { episode: e, seed: seed + e, step: outcome.step, message: outcome.message };
      } else {
        last = { episode: e, length: outcome.length };
        onEpisode({ episode: e, seed: seed + e, ...outcome });
      }
    }
  } finally {
    try {
      watch.enter(CLOSING, last.episode, last.length);
      await watch.settle(policy.close?.(), CLOSING);
    } catch (err) {
      // The episodes were played, but a policy that cannot be shut down has failed all the same.
      failure ??= { episode: last.episode, seed: seed + last.episode, step: last.length, message: err instanceof StepTimeout ? err.message : `close() ${threw(err)}` };
    } finally {
      watch.leave();
      env.close();
    }
  }
  return failure;
}

type Outcome = Omit<EpisodeOutcome, 'episode' | 'seed'> | { step: number; message: string };

async function runEpisode(env: Env<unknown, unknown>, policy: BenchmarkPolicy, seed: number, episode: number, watch: Watch, windowMetrics: WindowMetrics | null): Promise<Outcome> {
  const keys = windowMetrics?.keys ?? [];
  const windows = windowMetrics === null ? null : Object.fromEntries(keys.map((k): [string, number[]] => [k, []]));
  let step = 0;
  try {
    watch.enter(RESETTING, episode, 0);
    await watch.settle(policy.reset?.(seed), RESETTING);
    watch.leave();
    let { observation, info } = env.reset({ seed });
    for (;; step++) {
      watch.enter(ACTING, episode, step);
      const action = await watch.settle(policy.act(observation, info), ACTING);
      watch.leave();
      const problem = actionProblem(env.actionSpace, action, info);
      if (problem !== null) return { step, message: problem };
      const result = env.step(action);
      if (windows !== null) for (const k of keys) windows[k].push(typeof result.info[k] === 'number' ? (result.info[k] as number) : NaN);
      if (result.terminated || result.truncated) {
        const { episode: stats, episodeMetrics } = result.info as Info & { episode: { r: number; l: number }; episodeMetrics?: Record<string, number> };
        return { return: stats.r, length: stats.l, metrics: episodeMetrics ?? {}, windows };
      }
      ({ observation, info } = result);
    }
  } catch (err) {
    return { step, message: err instanceof StepTimeout ? err.message : threw(err) };
  } finally {
    watch.leave();
  }
}

function threw(err: unknown): string {
  return `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
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
