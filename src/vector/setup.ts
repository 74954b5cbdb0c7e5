// Set-up code that runs beside a vector's sub-envs where they live, once they are built: in this
// thread ('sync'), or in each worker thread ('async'). How a per-thread resource, such as a log
// that each worker writes its own files of, reaches sub-envs on other threads without globals.

import type { Env } from '../env.js';

/** Where a set-up call runs: the sub-envs it is given are `first`, `first + 1`, … of the vector. */
export interface SubEnvContext {
  first: number;
  /** The worker thread's number (0, 1, …), or null in the vector's own thread. */
  worker: number | null;
  /** `SubEnvSetup.options`, as given (a structured clone of them in a worker). */
  options: unknown;
}

/** What a set-up returns: closed after the sub-envs it was given, when the vector closes. */
export interface SubEnvResource {
  close(): void;
}

/** Runs once per thread on the sub-envs that thread holds. */
export type SubEnvSetupFn = (envs: readonly Env<unknown, unknown>[], context: SubEnvContext) => SubEnvResource | void;

/**
 * A set-up for `makeVec`'s sub-envs. `fn` runs in this thread ('sync'); worker threads ('async')
 * cannot receive a function, so they import `module` and call its export `name`, which must be
 * the same function.
 */
export interface SubEnvSetup {
  fn: SubEnvSetupFn;
  /** URL of the ES module exporting the function (its `import.meta.url`). */
  module: string;
  name: string;
  /** Passed on as `context.options`; must survive a structured clone. */
  options?: unknown;
}

/** Runs `fn` on `envs`; if it throws, closes the envs first. */
export function runSetup(fn: SubEnvSetupFn, envs: readonly Env<unknown, unknown>[], context: SubEnvContext): SubEnvResource | null {
  try {
    return fn(envs, context) ?? null;
  } catch (err) {
    for (const env of envs) env.close();
    throw err;
  }
}

/** Loads a set-up function by module URL and export name (in a worker thread). */
export async function importSetup(module: string, name: string): Promise<SubEnvSetupFn> {
  const exported = ((await import(module)) as Record<string, unknown>)[name];
  if (typeof exported !== 'function') throw new TypeError(`sub-env set-up: ${module} has no exported function ${JSON.stringify(name)}`);
  return exported as SubEnvSetupFn;
}
