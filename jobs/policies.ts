// Policies a user names on the command line: a baseline of the env (envs/baselines.ts) or the
// folder of a trained agent (`edgegym train --out`), which acts greedily in plain JS.

import { existsSync } from 'node:fs';
import { loadPolicy } from '../agents/policy-io.js';
import { baselineByName } from '../envs/baselines.js';
import type { Env } from '../src/env.js';
import type { Policy } from '../src/policy.js';

/** The named baseline, or the trained agent in the folder so named, for `env`, made from `envId`; an unknown name lists the known ones. */
export function policyByName(name: string, env: Env<unknown, unknown>, seed: number, envId?: string): Policy {
  if (existsSync(name)) {
    const saved = loadPolicy(name);
    if (envId !== undefined && saved.file.envId !== null && saved.file.envId !== envId) {
      throw new Error(`the policy in ${name} was trained on ${saved.file.envId}, not ${envId}`);
    }
    return saved;
  }
  return baselineByName(name, env, seed, envId);
}
