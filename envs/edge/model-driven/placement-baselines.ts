// Placement-v0's baselines: the hosting algorithms the model-driven paper compares. First-fit and
// best-fit see only memory, knapsack memory and isolated utilisation; the model-aware ones ask the
// simulator how every app on an accelerator would fare with the new one added.

import type { Info } from '../../../src/env.js';
import type { Policy } from '../../../src/policy.js';
import { type Baseline, unwrapAs } from '../baseline.js';
import { PlacementEnv } from './placement-env.js';

/** Index of the allowed accelerator with the lowest score (ties: lowest index), or reject. */
function argminAllowed(env: PlacementEnv, info: Info, score: (d: number) => number): number {
  const mask = info.actionMask as Uint8Array;
  const D = env.numAccelerators;
  let best = D;
  let bestScore = Infinity;
  for (let d = 0; d < D; d++) {
    if (mask[d] !== 1) continue;
    const s = score(d);
    if (s < bestScore) {
      best = d;
      bestScore = s;
    }
  }
  return best;
}

/** Free memory accelerator d would have left after taking the arriving app, bytes. */
function memoryLeft(env: PlacementEnv, d: number): number {
  return env.scenario.devices[d].memoryBytes - env.memoryUsedBytes[d] - env.extraMemoryBytes(d);
}

class ScorePolicy implements Policy<Float32Array, number> {
  constructor(
    readonly name: string,
    private readonly env: PlacementEnv,
    private readonly score: (env: PlacementEnv, d: number) => number,
  ) {}

  act(_observation: Float32Array, info: Info): number {
    return argminAllowed(this.env, info, (d) => this.score(this.env, d));
  }
}

/**
 * The paper's comparison: each accelerator is a knapsack with two capacities, memory and compute
 * (Σ request rate × batch-1 service time ≤ 100 %: no interference, no weight swaps). The app goes
 * to the first accelerator, in scenario order, where it fits both; reject when it fits nowhere.
 */
export function knapsackPolicy(env: PlacementEnv): Policy<Float32Array, number> {
  return new ScorePolicy('knapsack', env, (e, d) => (e.isolatedLoad[d] + e.isolatedLoadOf(d) <= 1 ? d : Infinity));
}

/** The first accelerator (in scenario order) the mask allows: memory only; reject only when none is. */
export function firstFitPolicy(env: PlacementEnv): Policy<Float32Array, number> {
  return new ScorePolicy('first-fit', env, (_e, d) => d);
}

/** The allowed accelerator with the least free memory left after placing (tightest fit, bytes). */
export function bestFitPolicy(env: PlacementEnv): Policy<Float32Array, number> {
  return new ScorePolicy('best-fit', env, memoryLeft);
}

/**
 * First fit with the simulator as the performance model: the first accelerator, in scenario
 * order, where `env.tryPlacement` (the same check `step` runs) finds no app violating; reject
 * when there is none. It differs from first-fit and knapsack only in how it judges "fits".
 */
export function modelAwarePolicy(env: PlacementEnv): Policy<Float32Array, number> {
  return new ScorePolicy('model-aware', env, (e, d) => (e.tryPlacement(d).ok ? d : Infinity));
}

/**
 * The simulator check on every allowed accelerator; among those without violations, the one with
 * the most slack (lowest worst query latency / SLO there); reject when none. Spreads the load.
 */
export function modelAwareSlackPolicy(env: PlacementEnv): Policy<Float32Array, number> {
  return new ScorePolicy('model-aware-slack', env, (e, d) => {
    const check = e.tryPlacement(d);
    return check.ok ? check.worstLatencyRatio : Infinity;
  });
}

/**
 * First fit with the env's analytic model (M/D/1 queues with interference or weight swaps, no
 * simulation): the first accelerator whose modelled worst latency / SLO with the app added is ≤ 1.
 */
export function modelAnalyticPolicy(env: PlacementEnv): Policy<Float32Array, number> {
  return new ScorePolicy('model-analytic', env, (e, d) => (e.modelledWorstLatencyRatio(d) <= 1 ? d : Infinity));
}

export const PLACEMENT_BASELINES: Readonly<Record<string, Baseline>> = Object.freeze({
  knapsack: {
    description: 'first accelerator where memory and isolated compute (Σ rate × service time ≤ 100 %) fit: no interference model',
    create: (env) => knapsackPolicy(unwrapAs(env, PlacementEnv, 'knapsack')),
  },
  'first-fit': { description: 'the first accelerator with memory for it', create: (env) => firstFitPolicy(unwrapAs(env, PlacementEnv, 'first-fit')) },
  'best-fit': { description: 'the accelerator left with the least free memory', create: (env) => bestFitPolicy(unwrapAs(env, PlacementEnv, 'best-fit')) },
  'model-aware': {
    description: 'the first accelerator where a simulator check finds no latency violation, else reject',
    create: (env) => modelAwarePolicy(unwrapAs(env, PlacementEnv, 'model-aware')),
  },
  'model-analytic': {
    description: 'the first accelerator where the analytic queueing model predicts every app within its SLO, else reject',
    create: (env) => modelAnalyticPolicy(unwrapAs(env, PlacementEnv, 'model-analytic')),
  },
  'model-aware-slack': {
    description: 'simulates every accelerator with the app added; the one with most latency slack, else reject',
    create: (env) => modelAwareSlackPolicy(unwrapAs(env, PlacementEnv, 'model-aware-slack')),
  },
});
