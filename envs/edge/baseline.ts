// How an env ships its papers' static policies as baselines: a name, a line of description,
// and a factory that builds the policy for one env instance (it may read the unwrapped env's
// simulator, which is what makes it a static scheduler rather than a learned one).

import type { Env } from '../../src/env.js';
import type { Policy } from '../../src/policy.js';

export interface Baseline {
  /** One line for `edgegym eval --help` and the README. */
  readonly description: string;
  /** Builds the policy for `env` (possibly wrapped); throws if `env` is not the env it is for. */
  create(env: Env<unknown, unknown>, seed: number): Policy;
}

/** The unwrapped env as `ctor`, or a clear error naming the baseline and what it needs. */
export function unwrapAs<T>(env: Env<unknown, unknown>, ctor: abstract new (...args: never[]) => T, baseline: string): T {
  const inner = env.unwrapped;
  if (!(inner instanceof ctor)) throw new TypeError(`baseline ${JSON.stringify(baseline)} needs a ${ctor.name}, got ${inner.constructor.name}`);
  return inner;
}
