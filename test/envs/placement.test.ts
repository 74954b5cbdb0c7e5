// EdgeSched/Placement-v0: the contract, masks worked out by hand, rewards recomputed with an
// independently built simulator run of the whole placement, the baselines' definitions, and the
// model-driven paper's comparison (model-aware hosting against knapsack) on modeldriven-cluster.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import '../../envs/index.js';
import type { Application, Scenario } from '../../envs/edge/model.js';
import { Outcome } from '../../envs/edge/sim/metrics.js';
import { PLACEMENT_BASELINES } from '../../envs/edge/model-driven/placement-baselines.js';
import type { PlacementEnv } from '../../envs/edge/model-driven/placement-env.js';
import { EdgeSimulator } from '../../envs/edge/sim/simulator.js';
import { baselineByName } from '../../envs/baselines.js';
import { checkEnv } from '../../src/check-env.js';
import type { Env, Info } from '../../src/env.js';
import type { Policy } from '../../src/policy.js';
import { make } from '../../src/registry.js';
import { makeVec } from '../../src/vector/make-vec.js';

const ID = 'EdgeSched/Placement-v0';
/** Three accelerators: a (GPU, 64 MB: small, big), b (GPU, 128 MB: small, big), t (TPU, 12 MB: small, det). */
const TINY = fileURLToPath(new URL('../../../test/fixtures/scenarios/placement-tiny.json', import.meta.url));
const [A, B, T, REJECT] = [0, 1, 2, 3];

const inner = (env: Env<Float32Array, number>): PlacementEnv => env.unwrapped as PlacementEnv;

/** Plays one episode with `policy`; returns each step's reward and info. */
function play(env: Env<Float32Array, number>, policy: Policy<Float32Array, number>, seed: number): { rewards: number[]; infos: Info[] } {
  let { observation, info } = env.reset({ seed });
  const rewards: number[] = [];
  const infos: Info[] = [];
  for (;;) {
    const r = env.step(policy.act(observation, info));
    rewards.push(r.reward);
    infos.push(r.info);
    if (r.terminated || r.truncated) return { rewards, infos };
    ({ observation, info } = r);
  }
}

const baseline = (env: Env<Float32Array, number>, name: string): Policy<Float32Array, number> => baselineByName(name, env, 0, ID) as Policy<Float32Array, number>;

test('checkEnv finds nothing', () => {
  assert.deepEqual(checkEnv(make(ID, { checkWindow: '1 s' }), { steps: 60 }), []);
});

test('the same seed and actions give the same trajectory', () => {
  const run = (): unknown[] => {
    const env = make(ID);
    const out: unknown[] = [env.reset({ seed: 9 })];
    for (const a of [0, 0, 1, 2, 0, 3]) {
      const r = env.step(a);
      out.push(r);
      if (r.terminated || r.truncated) break;
    }
    return out;
  };
  assert.deepEqual(run(), run());
});

test('the mask excludes exactly the accelerators without an accurate enough variant or the memory for it', () => {
  const env = make(ID, { scenario: TINY });
  const arrivals = ['hi', 'lo', 'hi', 'lo', 'det'].map((application) => ({ application }));
  let { info } = env.reset({ seed: 0, options: { arrivals } });
  const masks: number[][] = [];
  const variants: number[][] = [];
  for (const action of [A, T, B, A, REJECT]) {
    masks.push([...(info.actionMask as Uint8Array)]);
    variants.push([...inner(env).pendingVariant]);
    info = env.step(action).info;
  }
  // small = 0 (10 MB), big = 1 (60 MB), det = 2 (5 MB).
  assert.deepEqual(masks, [
    [1, 1, 0, 1], // hi needs big (80 %): fits a (60 ≤ 64 MB) and b; t has no profile for it
    [1, 1, 1, 1], // lo: a reuses the big deployed there; b and t load small
    [1, 1, 0, 1], // hi: a has big; b has 128 MB free
    [1, 1, 1, 1], // lo: a and b reuse big, t reuses small
    [0, 0, 0, 1], // det: only t has a profile, but t holds small (10 MB) and det (5 MB) exceeds its 12 MB
  ]);
  assert.deepEqual(variants, [
    [1, 1, -1],
    [1, 0, 0],
    [1, 1, -1],
    [1, 1, 0],
    [-1, -1, -1],
  ]);
  assert.deepEqual([...inner(env).memoryUsedBytes], [60e6, 60e6, 10e6]);
});

test('each reward is what a simulator run of the whole placement says', () => {
  // first-fit piles apps onto the first Jetson until one violates: both kinds of step occur.
  const env = make(ID, { checkWindow: '2 s' });
  const { rewards, infos } = play(env, baseline(env, 'first-fit'), 3);
  assert.ok(rewards.length >= 4 && rewards.at(-1) === -1 && rewards.slice(0, -1).every((r) => r === 1), `first-fit hosted some apps, then violated: ${rewards}`);

  const scenario = inner(env).scenario;
  const typeOf = (id: unknown): number => scenario.applications.findIndex((a) => a.id === id);
  const deviceOf = (id: unknown): number => scenario.devices.findIndex((d) => d.id === id);
  const variantOf = (id: unknown): number => scenario.variants.findIndex((v) => v.id === id);
  const placed: Info[] = [];
  for (let t = 0; t < infos.length; t++) {
    const apps = [...placed, infos[t]];
    // The placement as constant-rate streams, one per app, built here from the infos alone.
    const applications: Application[] = apps.map((i) => ({
      ...scenario.applications[typeOf(i.application)],
      frameIntervalMs: 1000 / (i.rateHz as number),
      duration: { kind: 'fixed', valueMs: 60_000 },
    }));
    const trace = apps
      .map((i, k) => ({ atMs: i.phaseMs as number, antenna: scenario.topology.nodes.findIndex((n) => n.id === i.antenna), application: k }))
      .sort((x, y) => x.atMs - y.atMs);
    const whole: Scenario = { ...scenario, applications, workload: { ...scenario.workload, trace } };
    const total = new Array<number>(apps.length).fill(0);
    const bad = new Array<number>(apps.length).fill(0);
    const sim = new EdgeSimulator(whole, {
      seed: 1,
      dispatcher: {
        name: 'bound',
        granularity: 'stream',
        choose: (s, r) => Array.from(s.candidates(r.application)).find((i) => s.instDevice[i] === deviceOf(apps[r.application].accelerator) && s.instVariant[i] === variantOf(apps[r.application].variant))!,
      },
      onQuery: (_time, _stream, k, _inst, _latency, outcome) => {
        total[k]++;
        if (outcome !== Outcome.SUCCESS) bad[k]++;
      },
    });
    sim.runUntil(2000);
    const worst = Math.max(...bad.map((b, k) => b / total[k]));
    assert.equal(rewards[t], worst <= 0.01 ? 1 : -1, `step ${t}: worst violation ratio ${worst}`);
    assert.equal(infos[t].violationRatio, worst, `step ${t}: the env's violation ratio`);
    placed.push(infos[t]);
  }
});

test("checking only the chosen accelerator equals checking the cluster (accelerators share nothing)", () => {
  const trajectory = (check: string): unknown[] => {
    const env = make(ID, { check, checkWindow: '2 s' });
    return [0, 1, 2].map((seed) => play(env, baseline(env, 'knapsack'), seed).rewards);
  };
  assert.deepEqual(trajectory('accelerator'), trajectory('cluster'));
});

test('knapsack packs by memory and isolated compute, first accelerator first', () => {
  const env = make(ID, { scenario: TINY });
  const knapsack = baseline(env, 'knapsack');
  const arrivals = [
    { application: 'lo', rateHz: 100 }, // a: small, 10 MB, compute 100/s × 2 ms = 0.2
    { application: 'hi', rateHz: 10 }, //  a: big would make 70 MB > 64 → b (60 of 128 MB)
    { application: 'hi', rateHz: 10 }, //  a still too full; b shares its big
    { application: 'lo', rateHz: 300 }, // a: small again, compute 0.2 + 0.6 = 0.8 ≤ 1
    { application: 'lo', rateHz: 150 }, // a: 0.8 + 0.3 > 1 → b (big there, 0.1 + 0.75 ≤ 1)
    { application: 'lo', rateHz: 120 }, // a: 0.8 + 0.24 > 1; b: 0.85 + 0.6 > 1 → t (small, 1 ms: 0.12)
  ];
  let { observation, info } = env.reset({ seed: 0, options: { arrivals } });
  const actions: number[] = [];
  const outcomes: unknown[] = [];
  for (;;) {
    const action = knapsack.act(observation, info);
    actions.push(action);
    const r = env.step(action);
    outcomes.push(r.info.outcome);
    if (r.terminated || r.truncated) break;
    ({ observation, info } = r);
  }
  assert.deepEqual(actions, [A, B, B, A, B, T]);
  assert.deepEqual(outcomes, ['hosted', 'hosted', 'hosted', 'hosted', 'hosted', 'hosted']);
});

test('first-fit and best-fit follow memory only', () => {
  const env = make(ID, { scenario: TINY });
  const arrivals = [{ application: 'lo' }, { application: 'lo' }];
  const { observation, info } = env.reset({ seed: 0, options: { arrivals } });
  assert.equal(baseline(env, 'first-fit').act(observation, info), A);
  // Free memory after small (10 MB): a 54 MB, b 118 MB, t 2 MB: t is the tightest fit.
  assert.equal(baseline(env, 'best-fit').act(observation, info), T);
});

test('model-aware hosts at least as many apps as knapsack on modeldriven-cluster', (t) => {
  const seeds = [11, 12, 13, 14, 15];
  const hosted = (name: string): number[] => {
    const env = make(ID);
    return seeds.map((seed) => play(env, baseline(env, name), seed).infos.at(-1)!.episodeMetrics as Record<string, number>).map((m) => m.hosted);
  };
  const knapsack = hosted('knapsack');
  const modelAware = hosted('model-aware');
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  t.diagnostic(`hosted apps, seeds ${seeds.join(', ')}: knapsack ${knapsack.join(' ')} (mean ${mean(knapsack)}), model-aware ${modelAware.join(' ')} (mean ${mean(modelAware)})`);
  assert.ok(mean(modelAware) >= mean(knapsack), `model-aware ${mean(modelAware)} < knapsack ${mean(knapsack)}`);
});

test('model-aware never causes a violation: it rejects when nothing fits', () => {
  const env = make(ID, { checkWindow: '2 s' });
  const { rewards, infos } = play(env, baseline(env, 'model-aware'), 4);
  assert.ok(rewards.slice(0, -1).every((r) => r === 1));
  assert.equal(infos.at(-1)!.outcome, 'rejected');
  assert.equal(rewards.at(-1), 0);
});

test('every baseline respects the mask', () => {
  const env = make(ID, { scenario: TINY });
  for (const name of Object.keys(PLACEMENT_BASELINES)) {
    const policy = baseline(env, name);
    for (const seed of [0, 1, 2]) {
      let { observation, info } = env.reset({ seed });
      for (;;) {
        const action = policy.act(observation, info);
        assert.equal((info.actionMask as Uint8Array)[action], 1, `${name} chose masked action ${action}`);
        const r = env.step(action);
        if (r.terminated || r.truncated) break;
        ({ observation, info } = r);
      }
    }
  }
});

test('episode ends: reject, violation (not kept), masked action, maxApps, end of script', () => {
  const env = make(ID, { scenario: TINY, violationPenalty: 2, maxApps: 3 });
  const light = { application: 'lo', rateHz: 10 };

  env.reset({ seed: 0, options: { arrivals: [light, light] } });
  const rejected = env.step(REJECT);
  assert.deepEqual([rejected.reward, rejected.terminated, rejected.truncated, rejected.info.outcome], [0, true, false, 'rejected']);
  assert.deepEqual(rejected.info.episodeMetrics, { ...(rejected.info.episodeMetrics as object), hosted: 0, rejections: 1, violations: 0 });
  assert.throws(() => env.step(0), /the episode has ended; call reset\(\)/);

  // 600 queries/s × 2 ms: a is overloaded, so the app is not kept.
  env.reset({ seed: 0, options: { arrivals: [light, { application: 'lo', rateHz: 600 }] } });
  assert.equal(env.step(A).reward, 1);
  const violated = env.step(A);
  assert.deepEqual([violated.reward, violated.terminated, violated.info.outcome], [-2, true, 'violation']);
  assert.ok((violated.info.violationRatio as number) > 0.01);
  assert.equal(inner(env).placement.length, 1);
  assert.equal((violated.info.episodeMetrics as Record<string, number>).hosted, 1);

  env.reset({ seed: 0, options: { arrivals: [{ application: 'det' }] } });
  const invalid = env.step(A);
  assert.deepEqual([invalid.reward, invalid.terminated, invalid.info.outcome], [-2, true, 'invalid']);

  let { info } = env.reset({ seed: 0 });
  const ends = [0, 1, 2].map(() => {
    const r = env.step((info.actionMask as Uint8Array).indexOf(1));
    info = r.info;
    return [r.info.outcome, r.terminated, r.truncated];
  });
  assert.deepEqual(ends, [['hosted', false, false], ['hosted', false, false], ['hosted', false, true]], 'truncated after maxApps = 3');

  const { observation } = env.reset({ seed: 0, options: { arrivals: [light] } });
  assert.equal(observation[0], 1, 'the arriving app is type lo');
  const last = env.step(B);
  assert.deepEqual([last.terminated, last.truncated], [false, true], 'truncated when the script runs out');
  assert.deepEqual([...last.observation.subarray(0, 3)], [0, 0, 0], 'no app is arriving after the end');
  assert.deepEqual([...(last.info.actionMask as Uint8Array)], [0, 0, 0, 1]);
});

test('the observation: memory, hosted count and the analytic latency hint', () => {
  const env = make(ID, { scenario: TINY, maxApps: 10 });
  const { observation: first } = env.reset({ seed: 0, options: { arrivals: [{ application: 'hi', rateHz: 10 }, { application: 'hi', rateHz: 10 }] } });
  assert.ok(env.observationSpace.contains(first));
  const { observation } = env.step(A);
  const a = 3 + 3; // A = 3 types, then rate, SLO, progress; accelerator a's features first
  assert.ok(Math.abs(observation[a] - 60 / 64) < 1e-6, 'a: 60 of 64 MB used');
  assert.ok(Math.abs(observation[a + 2] - 1 / 10) < 1e-6, 'a: one app of maxApps 10');
  assert.equal(observation[a + 3], 0, 'a: the big model is deployed already, no more memory');
  // 10 q/s + 10 q/s on a 5 ms model: ρ = 0.1, M/D/1 wait 0.1 · 5 / (2 · 0.9) ms, plus 0.05 ms link and 0.08 ms × 2 for 10 kB at 1 Gb/s.
  const expected = (5 + (0.1 * 5) / 1.8 + 0.05 + 0.16) / 50;
  assert.ok(Math.abs(observation[a + 4] - expected) < 1e-4, `a: modelled latency ratio ${observation[a + 4]} vs ${expected}`);
  assert.equal(observation[3 + 3 + 8 * 2 + 4], 2, 't cannot run hi: capped ratio');
});

test('the observation: what the admitting check measured on each accelerator', () => {
  const env = make(ID, { scenario: TINY, maxApps: 10 });
  env.reset({ seed: 0, options: { arrivals: [{ application: 'hi', rateHz: 10 }, { application: 'hi', rateHz: 10 }] } });
  const { observation, info } = env.step(A);
  const a = 3 + 3;
  // 10 queries/s of a 5 ms model over the 5 s check: busy 50 × 5 ms of 5,000 ms = 0.05 (± one query).
  assert.ok(Math.abs(observation[a + 6] - 0.05) <= 0.0011, `a: measured utilisation ${observation[a + 6]}`);
  assert.ok(Math.abs(observation[a + 7] - Math.min(2, info.worstLatencyRatio as number)) < 1e-6, 'a: the check\'s worst latency / SLO');
  assert.ok((info.worstLatencyRatio as number) > 0.1 && (info.worstLatencyRatio as number) < 1);
  for (const d of [1, 2]) assert.deepEqual([observation[a + 8 * d + 6], observation[a + 8 * d + 7]], [0, 0], `accelerator ${d} hosts nothing`);
});

test('makeVec runs four copies in sync mode, honouring masks', () => {
  const vec = makeVec(ID, { numEnvs: 4, vectorizationMode: 'sync', kwargs: { checkWindow: '1 s' } });
  try {
    const { observations, infos } = vec.reset({ seed: 5 });
    assert.equal(observations.length, 4 * vec.obsDim);
    let masks = infos.map((i) => i.actionMask as Uint8Array);
    let finished = 0;
    for (let t = 0; t < 40; t++) {
      const actions = Int32Array.from(masks, (m) => m.indexOf(1)); // first allowed accelerator
      const r = vec.step(actions);
      finished += r.terminations.reduce((s, x) => s + x, 0) + r.truncations.reduce((s, x) => s + x, 0);
      for (const fi of r.finalInfos ?? []) if (fi !== null) assert.equal(typeof (fi.episodeMetrics as Record<string, number>).hosted, 'number');
      masks = r.infos.map((i) => i.actionMask as Uint8Array);
    }
    assert.ok(finished > 0, 'some episodes ended and were reset');
  } finally {
    vec.close();
  }
});

test('bad kwargs and reset options get clear errors', () => {
  assert.throws(() => make(ID, { maxApps: 0 }), /Placement: kwarg "maxApps" must be an integer at least 1, got 0/);
  assert.throws(() => make(ID, { rateScale: [2, 1] }), /kwarg "rateScale" must be \[min, max\] with 0 < min ≤ max, got \[2,1\]/);
  assert.throws(() => make(ID, { checkWindow: '5 kg' }), /5 kg/);
  assert.throws(() => make(ID, { violationThreshold: 1.5 }), /kwarg "violationThreshold" must be a finite number at least 0 and less than 1, got 1.5/);
  assert.throws(() => make(ID, { violationPenalty: -1 }), /kwarg "violationPenalty" must be a finite number at least 0, got -1/);
  assert.throws(() => make(ID, { check: 'all' }), /kwarg "check" must be one of "accelerator", "cluster", got "all"/);
  assert.throws(() => make(ID, { maxApp: 5 }), /Placement: unknown kwarg "maxApp" \(did you mean "maxApps"\?\)/);
  assert.throws(() => make(ID, { scenario: 'modeldriven' }), /unknown scenario "modeldriven"/);
  const env = make(ID, { scenario: TINY });
  assert.throws(() => env.reset({ options: { arrivals: [{ application: 'video' }] } }), /arrivals\[0\]\.application "video" is not an application of placement-tiny \(lo, hi, det\)/);
  assert.throws(() => env.reset({ options: { arrivals: [{ application: 'lo', rateHz: 10, phaseMs: 150 }] } }), /arrivals\[0\]\.phaseMs must be in \[0, 100\)/);
  env.reset({ seed: 0 });
  assert.throws(() => env.step(4), /action 4 is not in Discrete\(4\)/);
});
