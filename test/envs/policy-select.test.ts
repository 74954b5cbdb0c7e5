// EdgeSched/PolicySelect-v0: the contract, determinism, and rewards recomputed independently
// from the simulator's per-query outcomes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import type { DispatchRequest } from '../../envs/edge/sim/dispatch.js';
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

test("each reward is the window's success ratio, recomputed from per-query outcomes", () => {
  const env = make('EdgeSched/PolicySelect-v0', small);
  const { info } = env.reset({ seed: 2 });
  const actions = [5, 0, 2, 1, 6, 3];
  const rewards = actions.map((a) => env.step(a).reward);

  // Replay: the same simulator seed and λ; the policy in force is chosen by the arrival time.
  const policies = Object.values(STATIC_POLICIES);
  const windowMs = 1000;
  const windowOf = (t: number): number => (t === 0 ? 0 : Math.ceil(t / windowMs) - 1);
  const success = new Array<number>(actions.length).fill(0);
  const total = new Array<number>(actions.length).fill(0);
  const scenario = (env.unwrapped as PolicySelectEnv).scenario;
  const replay = new EdgeSimulator(scenario, {
    seed: info.simSeed as number,
    rate: info.rate as number,
    dispatcher: { name: 'replay', granularity: 'stream', choose: (sim: EdgeSimulator, r: DispatchRequest, rng: Rng) => policies[actions[windowOf(r.timeMs)]].choose(sim, r, rng) },
    onQuery: (time, _stream, _app, _inst, _latency, outcome) => {
      const k = windowOf(time);
      if (k >= actions.length) return;
      total[k]++;
      if (outcome === Outcome.SUCCESS) success[k]++;
    },
  });
  replay.runUntil(actions.length * windowMs);
  const expected = success.map((s, k) => (total[k] === 0 ? 0 : s / total[k]));
  assert.ok(total.every((n) => n > 0), 'every window finished queries');
  assert.deepEqual(rewards, expected);
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
  assert.equal(last[last.length - 1], 1);
});

test('bad actions and kwargs get clear errors', () => {
  const env = make('EdgeSched/PolicySelect-v0', small);
  env.reset({ seed: 0 });
  assert.throws(() => env.step(8), /action 8 is not in Discrete\(8\)/);
  assert.throws(() => make('EdgeSched/PolicySelect-v0', { ...small, rates: [] }), /PolicySelect: kwarg "rates" must be a non-empty array of finite numbers at least 0, got \[\]/);
  assert.throws(() => make('EdgeSched/PolicySelect-v0', { ...small, policies: ['smartest'] }), /kwarg "policies" must be a non-empty array of names from closest, .*got \["smartest"\] \("smartest" is not one of them\)/);
});

test('a λ schedule drawn per episode drives arrivals and the observed λ', () => {
  const env = make('EdgeSched/PolicySelect-v0', { scenario: 'aset-cloud', schedules: [[20, 100]], scheduleStep: '2 s', window: '1 s', horizon: '6 s' });
  const lambdaAt = (obs: Float32Array): number => Math.round(obs[obs.length - 2] * 100);
  const first = env.reset({ seed: 4 });
  assert.deepEqual(first.info.schedule, [20, 100]);
  assert.equal(lambdaAt(first.observation), 20);
  // After each 1 s window, the λ in force for the next one: 20 until 2 s, 100 until 4 s, 20 until 6 s.
  const seen = [0, 1, 2, 3, 4, 5].map(() => lambdaAt(env.step(0).observation));
  assert.deepEqual(seen, [20, 100, 100, 20, 20, 100]);
  assert.throws(() => make('EdgeSched/PolicySelect-v0', { schedules: [[]] }), /kwarg "schedules" must be a non-empty array of non-empty arrays of finite numbers at least 0, got \[\[\]\]/);
  assert.throws(() => make('EdgeSched/PolicySelect-v0', { schedules: [[20, -1]] }), /kwarg "schedules" must be .*, got \[\[20,-1\]\]/);
});
