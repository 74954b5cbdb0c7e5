// Policies a user can name on the command line: `random` for any env, each edge env's
// baselines (the papers' static policies) for that env, and a trained policy's folder.

import { existsSync } from 'node:fs';
import { loadPolicy } from './policy-io.js';
import { RandomPolicy } from './random-policy.js';
import type { Baseline } from '../envs/edge/baseline.js';
import { DISPATCH_BASELINES } from '../envs/edge/ecsrl/dispatch-baselines.js';
import { PLACEMENT_BASELINES } from '../envs/edge/model-driven/placement-baselines.js';
import { POLICY_SELECT_BASELINES } from '../envs/edge/aset/policy-select-baselines.js';
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

/** Names accepted by `policyByName` for `envId` (without an id: those valid for every env). */
export function policyNames(envId?: string): string[] {
  return Object.keys(table(envId)).sort();
}

/** Every env's baselines with descriptions, for help text and docs. */
export function baselineCatalogue(): { env: string; name: string; description: string }[] {
  return Object.entries({ '*': ANY_ENV, ...BASELINES }).flatMap(([env, t]) => Object.entries(t).map(([name, b]) => ({ env, name, description: b.description })));
}

/** The named policy (or trained policy folder) for `env`, made from `envId`; an unknown name lists the known ones. */
export function policyByName(name: string, env: Env<unknown, unknown>, seed: number, envId?: string): Policy {
  const entry = table(envId)[name];
  if (entry === undefined && existsSync(name)) {
    // A folder written by `edgegym train --out`: act greedily with the trained network.
    const saved = loadPolicy(name);
    if (envId !== undefined && saved.file.envId !== null && saved.file.envId !== envId) {
      throw new Error(`the policy in ${name} was trained on ${saved.file.envId}, not ${envId}`);
    }
    return saved;
  }
  if (entry === undefined) {
    const where = envId === undefined ? '' : ` for ${envId}`;
    throw new Error(`unknown policy ${JSON.stringify(name)}${where}; known policies: ${policyNames(envId).join(', ')}`);
  }
  return entry.create(env, seed);
}
