// EdgeSched/PolicySelect-v0: the contract, determinism, and rewards and observations recomputed
// independently from the simulator's per-query outcomes, its dispatches and its per-instance state.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import type { DispatchRequest, DispatchView } from '../../envs/edge/sim/dispatch.js';
import { Outcome } from '../../envs/edge/sim/metrics.js';
import { STATIC_POLICIES } from '../../envs/edge/aset/policies.js';
import { EdgeSimulator } from '../../envs/edge/sim/simulator.js';
import type { PolicySelectEnv } from '../../envs/edge/aset/policy-select-env.js';
import { checkEnv } from '../../src/check-env.js';
import { make } from '../../src/registry.js';
import type { Rng } from '../../src/rng.js';

const small = { scenario: 'aset-cloud', rates: [20, 60], window: '1 s', horizon: '6 s' };

test('checkEnv finds nothing', () => {
  assert.deepEqual(checkEnv(make('EdgeSched/PolicySelect-v0', small), { steps: 30 }), []);
});

test('the same seed and actions give the same rewards and observations', () => {
  const run = (): unknown[] => {
    const env = make('EdgeSched/PolicySelect-v0', small);
    const out: unknown[] = [env.reset({ seed: 5 })];
    for (const a of [0, 3, 5, 1, 2, 6]) out.push(env.step(a));
    return out;
  };
  assert.deepEqual(run(), run());
});

/** aset-cloud's streams send 960 queries on average (0.4 × 900 + 0.3 × 1200 + 0.3 × 800). */
const QUERIES_PER_STREAM = 960;

test("each reward is the window's successes over the episode's constant; observations match the simulator", () => {
  const env = make('EdgeSched/PolicySelect-v0', small);
  const unwrapped = env.unwrapped as PolicySelectEnv;
  const { info } = env.reset({ seed: 2 });
  const scenario = unwrapped.scenario;
  const antennas = scenario.workload.antennas.length;
  const A = scenario.applications.length;
  const D = scenario.devices.length;
  // C: the queries λ offers in one 1 s window, by Little's law.
  const C = ((info.rate as number) / 60) * antennas * QUERIES_PER_STREAM;
  assert.ok(Math.abs((info.rewardScale as number) - C) < 1e-9 * C, `C ${String(info.rewardScale)} against ${C}`);
  const actions = [5, 0, 2, 1, 6, 3];
  const steps = actions.map((a) => {
    const r = env.step(a);
    // Bound load and queues, recomputed from the simulator's per-instance state.
    const sim = unwrapped.simulator!;
    const rho = new Float64Array(D);
    const queued = new Float64Array(D);
    for (let i = 0; i < sim.numInstances; i++) {
      rho[sim.instDevice[i]] += (sim.instOfferedQps[i] * sim.serviceMs(i)) / 1000;
      queued[sim.instDevice[i]] += sim.instQueued[i] + sim.instInService[i];
    }
    for (let d = 0; d < D; d++) {
      assert.equal(r.observation[d], Math.fround(rho[d] / (1 + rho[d])), `bound load of device ${d}`);
      assert.equal(r.observation[D + d], Math.fround(queued[d] / (1 + queued[d])), `queue of device ${d}`);
    }
    return r;
  });
  assert.ok(steps.some((r) => r.observation[0] > 0), 'some load was bound');

  // Replay: the same simulator seed and λ; the policy in force is chosen by the arrival time.
  const policies = Object.values(STATIC_POLICIES);
  const windowMs = 1000;
  const windowOf = (t: number): number => (t === 0 ? 0 : Math.ceil(t / windowMs) - 1);
  const success = new Array<number>(actions.length).fill(0);
  const outcomes = Array.from({ length: actions.length }, () => [0, 0, 0, 0]); // queries, success, violation, rejection
  const streams = Array.from({ length: actions.length }, () => new Array<number>(A).fill(0));
  const replay = new EdgeSimulator(scenario, {
    seed: info.simSeed as number,
    rate: info.rate as number,
    dispatcher: {
      name: 'replay',
      granularity: 'stream',
      choose: (sim: DispatchView, r: DispatchRequest, rng: Rng) => {
        streams[windowOf(r.timeMs)][r.application]++;
        return policies[actions[windowOf(r.timeMs)]].choose(sim, r, rng);
      },
    },
    onQuery: (time, _stream, _app, _inst, _latency, outcome) => {
      const k = windowOf(time);
      if (k >= actions.length) return;
      const o = outcomes[k];
      o[0]++;
      if (outcome === Outcome.SUCCESS) success[k]++;
      o[outcome === Outcome.SUCCESS ? 1 : outcome === Outcome.REJECTED ? 3 : 2]++;
    },
  });
  replay.runUntil(actions.length * windowMs);
  assert.ok(outcomes.every((o) => o[0] > 0), 'every window finished queries');
  assert.deepEqual(steps.map((r) => r.reward), success.map((n) => n / C));
  assert.deepEqual(steps.map((r) => r.info.successes), success);
  const total = success.reduce((a, b) => a + b, 0);
  const sum = steps.reduce((a, r) => a + r.reward, 0);
  assert.ok(Math.abs(sum - total / C) < 1e-12, `return ${sum} against successes / C ${total / C}`);

  steps.forEach((r, k) => {
    const o = r.observation;
    const rate = (count: number, windows: number): number => Math.fround(Math.min(1, count / antennas / ((windows * windowMs) / 60_000) / 100));
    for (let a = 0; a < A; a++) {
      assert.equal(o[2 * D + a], rate(streams[k][a], 1), `window ${k}: measured arrivals of application ${a}`);
      let recent = 0;
      for (let w = Math.max(0, k - 3); w <= k; w++) recent += streams[w][a];
      assert.equal(o[2 * D + A + a], rate(recent, Math.min(4, k + 1)), `window ${k}: arrivals of application ${a} over 4 windows`);
    }
    const ratios = outcomes[k].slice(1).map((n) => Math.fround(n / outcomes[k][0]));
    assert.deepEqual([...o.subarray(2 * D + 2 * A, 2 * D + 2 * A + 3)], ratios, `window ${k}: outcome ratios`);
    const oneHot = policies.map((_, p) => (p === actions[k] ? 1 : 0));
    assert.deepEqual([...o.subarray(2 * D + 2 * A + 3, 2 * D + 2 * A + 3 + policies.length)], oneHot, `window ${k}: last action`);
  });
});

test('the return ranks two policies as their episode successes do', () => {
  const env = make('EdgeSched/PolicySelect-v0', small);
  const episode = (action: number): { ret: number; successes: number; scale: number } => {
    const { info } = env.reset({ seed: 9 });
    let ret = 0;
    let successes = 0;
    for (;;) {
      const r = env.step(action);
      ret += r.reward;
      successes += r.info.successes as number;
      if (r.truncated) return { ret, successes, scale: info.rewardScale as number };
    }
  };
  const a = episode(0);
  const b = episode(5);
  assert.equal(a.scale, b.scale, 'the constant depends on the episode, not the policy');
  assert.ok(Math.abs(a.ret - a.successes / a.scale) < 1e-12 && Math.abs(b.ret - b.successes / b.scale) < 1e-12);
  assert.equal(a.ret < b.ret, a.successes < b.successes);
});

test('episodes truncate at the horizon; the observation tracks elapsed time', () => {
  const env = make('EdgeSched/PolicySelect-v0', small);
  env.reset({ seed: 0 });
  const ends: boolean[] = [];
  let last: Float32Array = new Float32Array(0);
  for (let k = 0; k < 6; k++) {
    const r = env.step(0);
    ends.push(r.truncated);
    last = r.observation;
  }
  assert.deepEqual(ends, [false, false, false, false, false, true]);
  assert.equal(last[last.length - 1], 1, 'elapsed fraction, the last field without observeRate');
});

test('bad actions and kwargs get clear errors', () => {
  const env = make('EdgeSched/PolicySelect-v0', small);
  env.reset({ seed: 0 });
  assert.throws(() => env.step(8), /action 8 is not in Discrete\(8\)/);
  assert.throws(() => make('EdgeSched/PolicySelect-v0', { ...small, rates: [] }), /PolicySelect: kwarg "rates" must be a non-empty array of finite numbers at least 0, got \[\]/);
  assert.throws(() => make('EdgeSched/PolicySelect-v0', { ...small, policies: ['smartest'] }), /kwarg "policies" must be a non-empty array of names from closest, .*got \["smartest"\] \("smartest" is not one of them\)/);
});

test('a λ schedule drawn per episode drives arrivals and, with observeRate, the observed λ', () => {
  const env = make('EdgeSched/PolicySelect-v0', { scenario: 'aset-cloud', schedules: [[20, 100]], scheduleStep: '2 s', window: '1 s', horizon: '6 s', observeRate: true });
  const lambdaAt = (obs: Float32Array): number => Math.round(obs[obs.length - 1] * 100);
  const first = env.reset({ seed: 4 });
  assert.deepEqual(first.info.schedule, [20, 100]);
  assert.equal(lambdaAt(first.observation), 20);
  // After each 1 s window, the λ in force for the next one: 20 until 2 s, 100 until 4 s, 20 until 6 s.
  const seen = [0, 1, 2, 3, 4, 5].map(() => lambdaAt(env.step(0).observation));
  assert.deepEqual(seen, [20, 100, 100, 20, 20, 100]);
  // C from λ averaged over the horizon: (20 · 2 + 100 · 2 + 20 · 2) / 6 s.
  const antennas = (env.unwrapped as PolicySelectEnv).scenario.workload.antennas.length;
  const C = (((20 * 2 + 100 * 2 + 20 * 2) / 6) / 60) * antennas * QUERIES_PER_STREAM;
  assert.ok(Math.abs((first.info.rewardScale as number) - C) < 1e-9 * C);
  const without = make('EdgeSched/PolicySelect-v0', { scenario: 'aset-cloud', schedules: [[20, 100]], window: '1 s', horizon: '6 s' });
  assert.equal(without.observationSpace.shape![0], env.observationSpace.shape![0] - 1, 'the true λ only behind observeRate');
  assert.throws(() => make('EdgeSched/PolicySelect-v0', { schedules: [[]] }), /kwarg "schedules" must be a non-empty array of non-empty arrays of finite numbers at least 0, got \[\[\]\]/);
  assert.throws(() => make('EdgeSched/PolicySelect-v0', { schedules: [[20, -1]] }), /kwarg "schedules" must be .*, got \[\[20,-1\]\]/);
});
