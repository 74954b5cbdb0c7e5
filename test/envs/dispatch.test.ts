// EdgeSched/Dispatch-v0: the contract, exact masks in a hand-built state, the baselines' choices,
// and rewards recomputed independently from a replayed simulation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import { DISPATCH_BASELINES } from '../../envs/edge/ecsrl/dispatch-baselines.js';
import { DispatchEnv } from '../../envs/edge/ecsrl/dispatch-env.js';
import { Outcome } from '../../envs/edge/sim/metrics.js';
import type { Application, Device, Scenario } from '../../envs/edge/model.js';
import { EdgeSimulator } from '../../envs/edge/sim/simulator.js';
import { plainDevice } from '../fixtures/edge-scenarios.js';
import { evaluate } from '../../envs/evaluate.js';
import { checkEnv } from '../../src/check-env.js';
import { make } from '../../src/registry.js';
import { makeVec } from '../../src/vector/make-vec.js';

const short = { horizon: '2 s' };

/**
 * antenna ─1 ms─ edge site (e0: 650 MB, light + heavy; e1: 500 MB, light + heavy) ─10 ms─ cloud
 * (heavy only). "light" (acc 0.7, 100 MB, 10 ms) and "heavy" (acc 0.9, 600 MB: 40 ms on e0,
 * 5 ms in the cloud); a detector of another task runs nowhere useful. Requests come from a trace.
 */
function handBuilt(trace: { atMs: number; application: number }[]): Scenario {
  const device = (id: string, site: number, memoryMB: number, profiles: [number, number][], idle: number, active: number): Device =>
    plainDevice(id, site, profiles, { memoryBytes: memoryMB * 1e6, idlePowerW: idle, activePowerW: active, maxQueue: 8 });
  const app = (id: string, accuracy: number, latencyBudgetMs: number): Application => ({
    id,
    task: 't',
    accuracy,
    latencyBudgetMs,
    frameIntervalMs: 100,
    inputBytes: 1000,
    duration: { kind: 'fixed', valueMs: 50 },
    weight: 1,
  });
  return {
    name: 'hand-built',
    description: 'two edge boards and a cloud GPU',
    topology: {
      nodes: [
        { id: 'ap', kind: 'antenna' },
        { id: 'edge', kind: 'edge' },
        { id: 'cloud', kind: 'cloud' },
      ],
      links: [
        { from: 0, to: 1, latencyMs: 1, bandwidthBps: 1e15 },
        { from: 1, to: 2, latencyMs: 10, bandwidthBps: 1e15 },
      ],
    },
    variants: [
      { id: 'light', task: 't', accuracy: 0.7, memoryBytes: 100e6 },
      { id: 'heavy', task: 't', accuracy: 0.9, memoryBytes: 600e6 },
      { id: 'detector', task: 'u', accuracy: 0.9, memoryBytes: 1e6 },
    ],
    devices: [
      device('e0', 1, 650, [[0, 10], [1, 40]], 2, 10),
      device('e1', 1, 500, [[0, 10], [1, 40]], 2, 10),
      device('gpu', 2, 10_000, [[1, 5], [2, 5]], 25, 320),
    ],
    applications: [app('plain', 0.6, 30), app('precise', 0.85, 50)],
    workload: { antennas: [0], schedule: [{ atMs: 0, clientsPerMinute: 0 }], trace: trace.map((t) => ({ ...t, antenna: 0 })) },
    serviceNoise: { kind: 'deterministic' },
  };
}

// Actions are device · 3 + variant.
const E0_LIGHT = 0;
const E0_HEAVY = 1;
const E1_LIGHT = 3;
const GPU_HEAVY = 7;

const allowed = (mask: Uint8Array): number[] => [...mask].flatMap((m, a) => (m === 1 ? [a] : []));

test('checkEnv finds nothing', () => {
  assert.deepEqual(checkEnv(make('EdgeSched/Dispatch-v0', short), { steps: 200 }), []);
});

test('masks allow exactly the feasible (device, variant) pairs, as memory fills', () => {
  const env = new DispatchEnv({ scenario: handBuilt([{ atMs: 0, application: 1 }, { atMs: 0, application: 0 }, { atMs: 5, application: 1 }]) });
  const first = env.reset({ seed: 0 });
  // "precise" needs accuracy 0.85: only heavy; e1 cannot hold heavy's 600 MB; the detector is another task.
  assert.deepEqual(allowed(first.info.actionMask as Uint8Array), [E0_HEAVY, GPU_HEAVY]);
  const second = env.step(E0_HEAVY);
  // Heavy now holds 600 of e0's 650 MB: light (100 MB) no longer fits there, heavy is deployed.
  assert.deepEqual(allowed(second.info.actionMask as Uint8Array), [E0_HEAVY, E1_LIGHT, GPU_HEAVY]);
  const third = env.step(E1_LIGHT);
  assert.deepEqual(allowed(third.info.actionMask as Uint8Array), [E0_HEAVY, GPU_HEAVY]);
  // The observation's one-hot names the waiting request; masked actions read the latency cap.
  assert.deepEqual([...third.observation.slice(0, 4)], [0, 1, 0.05, 0.85].map(Math.fround));
  const o = 2 + 2 + 3 * (3 + 2);
  assert.equal(third.observation[o + E0_LIGHT], 4);
  // e0's heavy: 1 ms away, its earlier query still running (1 ahead) → 1 + 40 + 40 = 81 ms of a 50 ms budget.
  // (Links of 10¹⁵ b/s add 8 ps of serialisation per hop.)
  assert.ok(Math.abs(env.expectedLatencyMs[E0_HEAVY] - 81) < 1e-6);
  assert.ok(Math.abs(third.observation[o + E0_HEAVY] - 81 / 50) < 1e-6);
  // The GPU: 1 + 10 ms away, idle, 5 ms.
  assert.ok(Math.abs(env.expectedLatencyMs[GPU_HEAVY] - 16) < 1e-6);
});

test('a masked action rejects the request and pays the rejection penalty; a foreign one throws', () => {
  const env = new DispatchEnv({ scenario: handBuilt([{ atMs: 0, application: 1 }, { atMs: 500, application: 0 }]), rejectionPenalty: 3, alpha: 0, beta: 0 });
  env.reset({ seed: 0 });
  const step = env.step(E0_LIGHT);
  assert.equal(step.info.invalidAction, true);
  assert.equal(step.reward, -3);
  assert.throws(() => env.step(99), /action 99 is not in Discrete\(9\)/);
  assert.throws(() => env.step(1.5), /is not in Discrete/);
  const last = env.step(E0_LIGHT);
  assert.equal(last.truncated, true);
  assert.deepEqual({ requests: (last.info.episodeMetrics as Record<string, number>).requests, rejectionRatio: (last.info.episodeMetrics as Record<string, number>).rejectionRatio, invalid: (last.info.episodeMetrics as Record<string, number>).invalidActions }, { requests: 2, rejectionRatio: 0.5, invalid: 1 });
  assert.throws(() => env.step(E0_LIGHT), /episode is over/);
});

test('rewards by hand: energy above idle and degradation of what finished before the next request', () => {
  // Two "plain" requests 100 ms apart, both sent to e0's light model (1 ms away, 10 ms).
  const env = new DispatchEnv({ scenario: handBuilt([{ atMs: 0, application: 0 }, { atMs: 100, application: 0 }]), alpha: 1, beta: 0.5, horizon: '1 s' });
  env.reset({ seed: 0 });
  const first = env.step(E0_LIGHT);
  // Busy 1 → 11 ms at 10 − 2 = 8 W: 0.08 J; latency 11 ms / standalone 11 ms = degradation 1.
  assert.ok(Math.abs(first.reward - -(0.08 + 0.5 * 1)) < 1e-12, `got ${first.reward}`);
  const last = env.step(E0_LIGHT);
  assert.equal(last.truncated, true);
  assert.ok(Math.abs(last.reward - -(0.08 + 0.5)) < 1e-12);
  assert.ok(Math.abs((last.info.episodeMetrics as Record<string, number>).energyJ - 0.16) < 1e-12);
  assert.equal((last.info.episodeMetrics as Record<string, number>).successRatio, 1);
  assert.equal((last.info.episodeMetrics as Record<string, number>).meanDegradation, 1);
});

test('each reward matches an independent replay of the same decisions', () => {
  const alpha = 1;
  const beta = 0.1;
  const env = new DispatchEnv({ horizon: '3 s', alpha, beta, violationPenalty: 2, rejectionPenalty: 5 });
  const policy = DISPATCH_BASELINES['random-valid'].create(env, 4);
  let { observation, info } = env.reset({ seed: 9 });
  const simSeed = info.simSeed as number;
  const instances: number[] = [];
  const rewards: number[] = [];
  for (;;) {
    const action = policy.act(observation, info) as number;
    instances.push(env.chosenInstance[action]);
    const step = env.step(action);
    rewards.push(step.reward);
    if (step.truncated) break;
    ({ observation, info } = step);
  }
  assert.ok(rewards.length > 100);

  // Replay: the same simulator seed; decision k takes instance k. Costs go to the interval
  // between decisions in which they happen; energy comes from the simulator's report.
  const scenario = env.scenario;
  const costs: number[] = [];
  let current = 0;
  let decision = 0;
  const idleW = scenario.devices.reduce((s, d) => s + d.idlePowerW, 0);
  const aboveIdle = (sim: EdgeSimulator): number => {
    const r = sim.report();
    return r.energyJ - (idleW * r.durationMs) / 1000;
  };
  const replay: EdgeSimulator = new EdgeSimulator(scenario, {
    seed: simSeed,
    dispatcher: {
      name: 'replay',
      granularity: 'query',
      // The dispatcher only reads; the test, which owns the simulator, meters and resets it.
      choose: () => {
        if (decision > 0) costs.push(current + alpha * aboveIdle(replay));
        replay.resetMetrics();
        current = 0;
        return instances[decision++];
      },
    },
    // ECSRL's degradation from the time the query's batch ran: the default scenario has no
    // service noise and batch-1 profiles, so running time / batch-1 time alone is the slowdown.
    onQuery: (_t, _s, _app, inst, _latency, outcome, service) => {
      if (outcome === Outcome.REJECTED) return void (current += 5);
      const degradation = service / replay.serviceMs(inst);
      assert.ok(degradation >= 1 - 1e-12, `degradation ${degradation} < 1`);
      current += beta * degradation;
      if (outcome === Outcome.LATE || outcome === Outcome.LATE_AND_INACCURATE) current += 2;
    },
  });
  replay.runUntil(3000);
  costs.push(current + alpha * aboveIdle(replay));
  assert.equal(costs.length, rewards.length);
  costs.forEach((c, k) => assert.ok(Math.abs(-c - rewards[k]) < 1e-9, `step ${k}: env ${rewards[k]}, replay ${-c}`));
});

test('the same seed and actions give the same episode', () => {
  const run = (): unknown[] => {
    const env = make('EdgeSched/Dispatch-v0', short);
    const first = env.reset({ seed: 3 });
    const out: unknown[] = [first];
    const policy = DISPATCH_BASELINES['round-robin'].create(env, 0);
    let info = first.info;
    for (let k = 0; k < 50; k++) {
      const step = env.step(policy.act(first.observation, info) as number);
      out.push(step);
      info = step.info;
    }
    return out;
  };
  assert.deepEqual(run(), run());
});

test('baselines choose as defined on the hand-built scenario', () => {
  const scenario = handBuilt([{ atMs: 0, application: 1 }, { atMs: 0, application: 0 }]);
  const choice = (name: string): number[] => {
    const env = new DispatchEnv({ scenario });
    const policy = DISPATCH_BASELINES[name].create(env, 0);
    const { observation, info } = env.reset({ seed: 0 });
    const a = policy.act(observation, info) as number;
    const next = env.step(a);
    return [a, policy.act(next.observation, next.info) as number];
  };
  // "precise": e0's heavy meets 50 ms (1 + 40) at 8 W × 40 ms = 0.32 J; the GPU: 16 ms at 295 W × 5 ms = 1.475 J.
  // Then "plain" (30 ms): e1's light, 11 ms; e0's heavy now waits behind the first (81 ms); the GPU 16 ms.
  assert.deepEqual(choice('edge-first'), [E0_HEAVY, E1_LIGHT]);
  assert.deepEqual(choice('lowest-energy'), [E0_HEAVY, E1_LIGHT]);
  // Least degradation: no interference here, so every slowdown is 1 and the lower expected
  // latency decides: the GPU (16 ms) over e0's heavy (41 ms); then e0's light (11 ms, the lower index).
  assert.deepEqual(choice('least-degradation'), [GPU_HEAVY, E0_LIGHT]);
  // Round robin walks the allowed actions upwards from the last one taken.
  assert.deepEqual(choice('round-robin'), [E0_HEAVY, E1_LIGHT]);
  const random = choice('random-valid');
  assert.ok([E0_HEAVY, GPU_HEAVY].includes(random[0]));
});

test('edge-first offloads to the cloud when no edge board meets the budget', () => {
  // Three "precise" requests at once: e0's heavy takes the first; the second would wait 40 ms (81 > 50).
  const env = new DispatchEnv({ scenario: handBuilt([0, 0, 0].map((atMs) => ({ atMs, application: 1 }))) });
  const policy = DISPATCH_BASELINES['edge-first'].create(env, 0);
  let { observation, info } = env.reset({ seed: 0 });
  const actions: number[] = [];
  for (let k = 0; k < 3; k++) {
    const a = policy.act(observation, info) as number;
    actions.push(a);
    ({ observation, info } = env.step(a));
  }
  assert.deepEqual(actions, [E0_HEAVY, GPU_HEAVY, GPU_HEAVY]);
});

test('vectorises, and eval reports the outcome metrics with confidence intervals', () => {
  const vec = makeVec('EdgeSched/Dispatch-v0', { numEnvs: 3, vectorizationMode: 'sync', kwargs: short });
  const { observations } = vec.reset({ seed: 1 });
  assert.equal(observations.length, 3 * 90);
  vec.close();
  const result = evaluate({ env: 'EdgeSched/Dispatch-v0', policy: 'lowest-energy', episodes: 3, seed: 1, kwargs: short });
  assert.deepEqual(Object.keys(result.metrics).sort(), ['energyJ', 'invalidActions', 'meanDegradation', 'objective', 'rejectionRatio', 'requests', 'successRatio', 'violationRatio']);
  const objective = result.metrics.objective;
  assert.equal(objective.values.length, 3);
  // The return is minus the objective minus the penalties (1 per late and per rejected request;
  // the masks make every served request accurate enough), episode by episode.
  const { requests, violationRatio, rejectionRatio } = result.metrics;
  result.returns.forEach((r, k) => {
    const penalties = Math.round(requests.values[k] * violationRatio.values[k]) + Math.round(requests.values[k] * rejectionRatio.values[k]);
    assert.ok(Math.abs(r + objective.values[k] + penalties) < 1e-6, `episode ${k}: return ${r}, objective ${objective.values[k]}, penalties ${penalties}`);
  });
});

test('bad kwargs say what is wrong', () => {
  assert.throws(() => make('EdgeSched/Dispatch-v0', { alpha: -1 }), /Dispatch: kwarg "alpha" must be a finite number at least 0, got -1/);
  assert.throws(() => make('EdgeSched/Dispatch-v0', { rate: -5 }), /kwarg "rate" must be a finite number at least 0, got -5/);
  assert.throws(() => make('EdgeSched/Dispatch-v0', { scenario: 'ecsrl' }), /unknown scenario "ecsrl"/);
  assert.throws(() => make('EdgeSched/Dispatch-v0', { horizon: '5 kg' }), /time/);
});

test('the load kwarg scales the arrival rate of the default test-bed scenario', () => {
  const requests = (load: number): number => {
    const env = new DispatchEnv({ horizon: '20 s', load });
    const policy = DISPATCH_BASELINES['edge-first'].create(env, 0);
    let { observation, info } = env.reset({ seed: 5 });
    for (;;) {
      const step = env.step(policy.act(observation, info) as number);
      if (step.truncated) return (step.info.episodeMetrics as Record<string, number>).requests;
      ({ observation, info } = step);
    }
  };
  // 56.7 requests/s for 20 s: 1,133 expected (Poisson sd ≈ 34); half and twice the load.
  const base = requests(1);
  assert.ok(Math.abs(base - 1133) < 5 * 34, `load 1: ${base}`);
  assert.ok(Math.abs(requests(0.5) - 567) < 5 * 24, 'load 0.5');
  assert.ok(Math.abs(requests(2) - 2267) < 5 * 48, 'load 2');
  assert.throws(() => new DispatchEnv({ load: -1 }), /Dispatch: kwarg "load" must be a finite number at least 0, got -1/);
});
