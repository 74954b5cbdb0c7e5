// The policy contract: anything that maps an observation (and the env's info, for action masks)
// to an action. Baselines, learned agents and users' own schedulers all implement it.

import type { Info } from './env.js';
import type { Seed } from './rng.js';

export interface Policy<Obs = unknown, Act = unknown> {
  /** A short name for tables and logs. */
  readonly name: string;
  /** The action to take; must honour `info.actionMask` when the env gives one. */
  act(observation: Obs, info: Info): Act;
  /** Re-seeds any randomness the policy has. */
  seed?(seed: Seed): void;
}
