// makeVec: a vector of a registered env, built natively, in-process or on worker threads.

import type { Env } from '../env.js';
import { type Kwargs, type MakeOptions, make, spec as specOf } from '../registry.js';
import { AsyncVectorEnv } from './async-vector-env.js';
import type { SubEnvSetup } from './setup.js';
import { SyncVectorEnv } from './sync-vector-env.js';
import type { VectorEnv } from './vector-env.js';

/** How to vectorise: the env's own vector implementation, one thread, or worker threads. */
export type VectorizationMode = 'vector-entry-point' | 'sync' | 'async';

/** Options of `makeVec`. */
export interface MakeVecOptions {
  numEnvs?: number;
  /** Default: 'vector-entry-point' when the env registered one, else 'sync'. */
  vectorizationMode?: VectorizationMode;
  kwargs?: Kwargs;
  makeOptions?: MakeOptions;
  /** Applied to each sub-env in 'sync' mode (functions cannot cross to worker threads). */
  wrappers?: ((env: Env<unknown, unknown>) => Env<unknown, unknown>)[];
  /** 'async' mode: worker threads and extra modules to import in them. */
  numWorkers?: number;
  modules?: string[];
  /**
   * 'sync' and 'async': runs on the sub-envs where they live once built (in each worker thread
   * for 'async'), and what it returns is closed with the vector; e.g. a query log per thread.
   */
  setup?: SubEnvSetup;
}

/** `numEnvs` copies of the env registered as `id`, stepped together. */
export function makeVec(id: string, options: MakeVecOptions = {}): VectorEnv {
  const s = specOf(id);
  const numEnvs = options.numEnvs ?? 1;
  const mode = options.vectorizationMode ?? (s.vectorEntryPoint !== null ? 'vector-entry-point' : 'sync');
  const kwargs = { ...s.kwargs, ...(options.kwargs ?? {}) };
  if ((options.wrappers?.length ?? 0) > 0 && mode !== 'sync') {
    throw new Error(`makeVec(${id}): wrappers apply only in 'sync' mode, not '${mode}'`);
  }
  if (options.setup !== undefined && mode === 'vector-entry-point') {
    throw new Error(`makeVec(${id}): a sub-env set-up needs sub-envs of their own: use vectorizationMode 'sync' or 'async', not '${mode}'`);
  }
  let env: VectorEnv;
  switch (mode) {
    case 'vector-entry-point':
      if (s.vectorEntryPoint === null) throw new Error(`makeVec(${id}): the env has no vector entry point; use vectorizationMode 'sync' or 'async'`);
      env = s.vectorEntryPoint(numEnvs, kwargs, stepLimit(options.makeOptions?.maxEpisodeSteps ?? s.maxEpisodeSteps));
      break;
    case 'sync': {
      const fn = (): Env<unknown, unknown> => (options.wrappers ?? []).reduce((e, w) => w(e), make(id, kwargs, options.makeOptions));
      env = new SyncVectorEnv(Array.from({ length: numEnvs }, () => fn), options.setup);
      break;
    }
    case 'async':
      env = new AsyncVectorEnv({ id, numEnvs, kwargs, makeOptions: options.makeOptions, numWorkers: options.numWorkers, modules: options.modules, setup: options.setup });
      break;
    default:
      throw new Error(`makeVec(${id}): unknown vectorizationMode ${JSON.stringify(mode)}; expected 'vector-entry-point', 'sync' or 'async'`);
  }
  env.spec ??= s;
  return env;
}

/** A step limit as the vector entry point takes it: 0 or null means none. */
function stepLimit(max: number | null): number | null {
  return max === null || max === 0 ? null : max;
}
