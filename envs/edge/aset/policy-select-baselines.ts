// PolicySelect-v0's baselines: ASET's static policies used alone, i.e. the agent that always
// picks the same action. The best of them is the bar a learned selector has to clear.

import type { Info } from '../../../src/env.js';
import type { Policy } from '../../../src/policy.js';
import { type Baseline, unwrapAs } from '../baseline.js';
import { STATIC_POLICIES } from './policies.js';
import { PolicySelectEnv } from './policy-select-env.js';

/** Always selects the static policy `name`. */
export class FixedPolicySelection implements Policy<Float32Array, number> {
  readonly name: string;
  private readonly action: number;

  constructor(env: PolicySelectEnv, name: string) {
    this.name = name;
    this.action = env.policies.findIndex((p) => p.name === name);
    if (this.action < 0) throw new Error(`baseline ${JSON.stringify(name)} is not in this env's policies (${env.policies.map((p) => p.name).join(', ')})`);
  }

  act(_observation: Float32Array, _info: Info): number {
    return this.action;
  }
}

const DESCRIPTIONS: Record<string, string> = {
  closest: 'lowest network latency with room',
  'load-balancing': 'lowest bound load (offered queries/s × service time) with the stream added, plus queue',
  'cloud-first': 'a cloud data centre whenever one has room',
  'random-proportional-latency': 'random, weighted by 1 / (network + service time)',
  'random-proportional-load': 'random, weighted by 1 / (bound load with the stream added + queue)',
  'least-impedance': 'lowest network + service + M/D/1 wait at the bound load with the stream added',
  'highest-accuracy-first': 'the most accurate variant, closest first',
  random: 'uniform among instances with room',
};

export const POLICY_SELECT_BASELINES: Readonly<Record<string, Baseline>> = Object.freeze(
  Object.fromEntries(
    Object.keys(STATIC_POLICIES).map((name): [string, Baseline] => [
      name,
      { description: `always ${name}: ${DESCRIPTIONS[name] ?? name}`, create: (env) => new FixedPolicySelection(unwrapAs(env, PolicySelectEnv, name), name) },
    ]),
  ),
);
