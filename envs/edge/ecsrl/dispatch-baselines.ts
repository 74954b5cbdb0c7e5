// Dispatch-v0's baselines, the heuristics ECSRL's learned scheduler is measured against. Each
// reads the per-action tables the env computes for the waiting request (mask, expected latency,
// expected energy) and picks an allowed action; ties go to the lower action index.

import type { Env, Info } from '../../../src/env.js';
import type { Policy } from '../../../src/policy.js';
import { Rng, type Seed } from '../../../src/rng.js';
import { type Baseline, unwrapAs } from '../baseline.js';
import { DispatchEnv } from './dispatch-env.js';

/** Lowest `score` among allowed actions (−1 when none is allowed, which the env never asks). */
function argminAllowed(env: DispatchEnv, score: (a: number) => number): number {
  let best = -1;
  let bestScore = Infinity;
  for (let a = 0; a < env.mask.length; a++) {
    if (env.mask[a] === 0) continue;
    const s = score(a);
    if (best < 0 || s < bestScore) {
      best = a;
      bestScore = s;
    }
  }
  return best;
}

abstract class DispatchBaseline implements Policy<Float32Array, number> {
  abstract readonly name: string;
  constructor(protected readonly env: DispatchEnv) {}
  abstract act(observation: Float32Array, info: Info): number;
}

/** Uniform among the allowed actions. */
export class RandomValid extends DispatchBaseline {
  readonly name = 'random-valid';
  private rng: Rng;
  constructor(env: DispatchEnv, seed: Seed) {
    super(env);
    this.rng = new Rng(seed, 'random-valid');
  }
  seed(seed: Seed): void {
    this.rng = new Rng(seed, 'random-valid');
  }
  act(): number {
    const mask = this.env.mask;
    let allowed = 0;
    for (let a = 0; a < mask.length; a++) allowed += mask[a];
    let k = this.rng.int(allowed);
    for (let a = 0; a < mask.length; a++) if (mask[a] === 1 && k-- === 0) return a;
    return -1;
  }
}

/** The next allowed action after the last one taken, cycling over (device, variant) pairs. */
export class RoundRobin extends DispatchBaseline {
  readonly name = 'round-robin';
  private last = -1;
  act(): number {
    const n = this.env.mask.length;
    for (let k = 1; k <= n; k++) {
      const a = (this.last + k) % n;
      if (this.env.mask[a] === 1) return (this.last = a);
    }
    return -1;
  }
}

/** Least expected degradation: the interference factor the request would start with (ties: lower expected latency). */
export class LeastDegradation extends DispatchBaseline {
  readonly name = 'least-degradation';
  act(): number {
    const e = this.env;
    return argminAllowed(e, (a) => e.expectedSlowdown[a] + 1e-9 * e.expectedLatencyMs[a]);
  }
}

/** Least expected energy above idle (ties: lower expected latency). */
export class LowestEnergy extends DispatchBaseline {
  readonly name = 'lowest-energy';
  act(): number {
    const e = this.env;
    return argminAllowed(e, (a) => e.expectedEnergyJ[a] + 1e-9 * e.expectedLatencyMs[a]);
  }
}

/**
 * An edge device whenever one is allowed and expected to meet the budget (fastest first);
 * otherwise offload to the fastest allowed cloud model; otherwise the fastest allowed action.
 */
export class EdgeFirst extends DispatchBaseline {
  readonly name = 'edge-first';
  act(): number {
    const e = this.env;
    const budget = e.scenario.applications[e.requestApplication].latencyBudgetMs;
    const edge = argminAllowed(e, (a) => (e.actionIsCloud[a] === 1 || e.expectedLatencyMs[a] > budget ? Infinity : e.expectedLatencyMs[a]));
    if (edge >= 0 && e.actionIsCloud[edge] === 0 && e.expectedLatencyMs[edge] <= budget) return edge;
    return argminAllowed(e, (a) => (e.actionIsCloud[a] === 1 ? 0 : 1e12) + e.expectedLatencyMs[a]);
  }
}

function baseline(name: string, description: string, build: (env: DispatchEnv, seed: number) => Policy): [string, Baseline] {
  return [name, { description, create: (env: Env<unknown, unknown>, seed: number) => build(unwrapAs(env, DispatchEnv, name), seed) }];
}

export const DISPATCH_BASELINES: Readonly<Record<string, Baseline>> = Object.freeze(
  Object.fromEntries([
    baseline('random-valid', 'uniform among the allowed (device, variant) pairs', (env, seed) => new RandomValid(env, seed)),
    baseline('round-robin', 'the next allowed pair after the last one, cyclically', (env) => new RoundRobin(env)),
    baseline('least-degradation', 'greedy: least expected slowdown from co-runners (ECSRL degradation)', (env) => new LeastDegradation(env)),
    baseline('lowest-energy', 'greedy: least expected energy above idle', (env) => new LowestEnergy(env)),
    baseline('edge-first', 'an edge device that meets the budget, else offload to the cloud', (env) => new EdgeFirst(env)),
  ]),
);
