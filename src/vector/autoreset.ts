// The one implementation of the same-step autoreset rule, used by SyncVectorEnv in-process and
// by AsyncVectorEnv's workers on their slice of sub-envs.

import type { Env, Info, ResetArgs } from '../env.js';
import { decodeAction } from './batching.js';

/** Where a slice of sub-envs writes its step results (rows indexed by global sub-env index). */
export interface StepBuffers {
  observations: Float32Array;
  finalObservations: Float32Array;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
}

/** What a slice's step produced beyond the buffers. */
export interface SliceStepInfos {
  infos: Info[];
  /** Same length as `infos`; null entries for sub-envs that did not finish. */
  finalInfos: (Info | null)[];
  finished: number;
}

/**
 * Steps `envs` (global indices first … first+envs.length−1) with their actions, resetting each
 * finished one at once (same-step autoreset) and writing everything into `buffers`.
 */
export function stepSlice(
  envs: readonly Env<unknown, unknown>[],
  first: number,
  actions: ArrayLike<number>,
  actionWidth: number,
  buffers: StepBuffers,
): SliceStepInfos {
  const infos: Info[] = new Array<Info>(envs.length);
  const finalInfos: (Info | null)[] = new Array<Info | null>(envs.length).fill(null);
  let finished = 0;
  for (let k = 0; k < envs.length; k++) {
    const env = envs[k];
    const i = first + k;
    const space = env.observationSpace;
    const dim = space.flatDim;
    let result;
    try {
      result = env.step(decodeAction(env.actionSpace, actions, i, actionWidth));
    } catch (err) {
      throw withEnvIndex(err, i, 'step');
    }
    buffers.rewards[i] = result.reward;
    buffers.terminations[i] = result.terminated ? 1 : 0;
    buffers.truncations[i] = result.truncated ? 1 : 0;
    if (result.terminated || result.truncated) {
      finished += 1;
      space.flattenInto(result.observation, buffers.finalObservations, i * dim);
      finalInfos[k] = result.info;
      let reset;
      try {
        reset = env.reset();
      } catch (err) {
        throw withEnvIndex(err, i, 'reset');
      }
      space.flattenInto(reset.observation, buffers.observations, i * dim);
      infos[k] = reset.info;
    } else {
      space.flattenInto(result.observation, buffers.observations, i * dim);
      infos[k] = result.info;
    }
  }
  return { infos, finalInfos, finished };
}

/** Resets a slice of sub-envs with their seeds, writing observation rows into `observations`. */
export function resetSlice(
  envs: readonly Env<unknown, unknown>[],
  first: number,
  seeds: readonly (number | undefined)[],
  options: ResetArgs['options'],
  observations: Float32Array,
): Info[] {
  return envs.map((env, k) => {
    const i = first + k;
    let reset;
    try {
      reset = env.reset({ seed: seeds[k], options });
    } catch (err) {
      throw withEnvIndex(err, i, 'reset');
    }
    env.observationSpace.flattenInto(reset.observation, observations, i * env.observationSpace.flatDim);
    return reset.info;
  });
}

function withEnvIndex(err: unknown, i: number, call: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  e.message = `sub-env ${i} ${call}: ${e.message}`;
  return e;
}
