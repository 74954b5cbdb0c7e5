// A uniformly random policy that honours action masks: the baseline every agent must beat, and
// the policy of the default `npm start` run.

import type { Env, Info } from './env.js';
import type { Policy } from './policy.js';
import type { Seed } from './rng.js';
import { Discrete } from './spaces/discrete.js';
import { MultiDiscrete } from './spaces/multi-discrete.js';
import type { Space } from './spaces/space.js';
import { spaceFromJSON } from './spaces/json.js';

export class RandomPolicy<Obs = unknown, Act = unknown> implements Policy<Obs, Act> {
  readonly name = 'random';
  private readonly space: Space<Act>;

  /** Draws from `env.actionSpace` (a policy-owned copy, so the env's own space is not disturbed). */
  constructor(env: Env<Obs, Act>, seed?: Seed) {
    this.space = spaceFromJSON(env.actionSpace.toJSON()) as Space<Act>;
    if (seed !== undefined) this.seed(seed);
  }

  seed(seed: Seed): void {
    this.space.seed(seed);
  }

  act(_observation: Obs, info: Info): Act {
    const mask = info.actionMask;
    if (mask instanceof Uint8Array) {
      if (this.space instanceof Discrete) return this.space.sample({ mask }) as Act;
      if (this.space instanceof MultiDiscrete) return this.space.sample({ mask }) as Act;
    }
    return this.space.sample();
  }
}
