// Baselines by name: `random` for any env, and each edge env's baselines (the papers' static
// policies) for that env. A trained agent's folder is resolved above this, in jobs/policies.ts.

import { nearest } from '../src/edit-distance.js';
import { RandomPolicy } from '../src/random-policy.js';
import type { Baseline } from './edge/baseline.js';
import { DISPATCH_BASELINES } from './edge/ecsrl/dispatch-baselines.js';
import { PLACEMENT_BASELINES } from './edge/model-driven/placement-baselines.js';
import { POLICY_SELECT_BASELINES } from './edge/aset/policy-select-baselines.js';
import type { Env } from '../src/env.js';
import type { Policy } from '../src/policy.js';

const ANY_ENV: Readonly<Record<string, Baseline>> = {
  random: { description: 'uniform over the action space, honouring info.actionMask', create: (env, seed) => new RandomPolicy(env, seed) },
};

/** Baselines by env id; each env's names are unique within it. */
const BASELINES: Readonly<Record<string, Readonly<Record<string, Baseline>>>> = {
  'EdgeSched/PolicySelect-v0': POLICY_SELECT_BASELINES,
  'EdgeSched/Placement-v0': PLACEMENT_BASELINES,
  'EdgeSched/Dispatch-v0': DISPATCH_BASELINES,
};

function table(envId: string | undefined): Record<string, Baseline> {
  return { ...ANY_ENV, ...(envId === undefined ? {} : BASELINES[envId]) };
}

/** Names accepted by `baselineByName` for `envId` (without an id: those valid for every env). */
export function baselineNames(envId?: string): string[] {
  return Object.keys(table(envId)).sort();
}

/** Every env's baselines with descriptions, for help text and docs. */
export function baselineCatalogue(): { env: string; name: string; description: string }[] {
  return Object.entries({ '*': ANY_ENV, ...BASELINES }).flatMap(([env, t]) => Object.entries(t).map(([name, b]) => ({ env, name, description: b.description })));
}

/** A policy name that is no baseline of the env: the message suggests the nearest and lists them all. */
export class UnknownPolicyError extends Error {
  override name = 'UnknownPolicyError';

  constructor(
    readonly policy: string,
    readonly envId: string | undefined,
    readonly known: readonly string[],
  ) {
    const guess = nearest(policy, known);
    const where = envId === undefined ? '' : ` for ${envId}`;
    super(`unknown policy ${JSON.stringify(policy)}${where}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; known policies: ${known.join(', ')}`);
  }
}

/** The named baseline for `env`, made from `envId`; an unknown name is an UnknownPolicyError. */
export function baselineByName(name: string, env: Env<unknown, unknown>, seed: number, envId?: string): Policy {
  const entry = table(envId)[name];
  if (entry === undefined) throw new UnknownPolicyError(name, envId, baselineNames(envId));
  return entry.create(env, seed);
}
