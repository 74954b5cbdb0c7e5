// Policies a user can name on the command line. Later baselines join this table.

import { RandomPolicy } from '../agents/random-policy.js';
import type { Env } from '../src/env.js';
import type { Policy } from '../src/policy.js';

type PolicyFactory = (env: Env<unknown, unknown>, seed: number) => Policy;

const POLICIES: Record<string, PolicyFactory> = {
  random: (env, seed) => new RandomPolicy(env, seed),
};

/** Names accepted by `policyByName`. */
export function policyNames(): string[] {
  return Object.keys(POLICIES).sort();
}

/** The named policy for `env`; an unknown name lists the known ones. */
export function policyByName(name: string, env: Env<unknown, unknown>, seed: number): Policy {
  const factory = POLICIES[name];
  if (factory === undefined) throw new Error(`unknown policy ${JSON.stringify(name)}; known policies: ${policyNames().join(', ')}`);
  return factory(env, seed);
}
