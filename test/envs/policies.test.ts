// ASET's static policies choose as defined, in a hand-built state whose answers can be worked
// out; and one ordering that follows from the model: where the edge is short of capacity and
// the cloud is not, cloud-first is not worse than closest.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import { type DispatchRequest, REJECT } from '../../envs/edge/sim/dispatch.js';
import type { Device, Scenario } from '../../envs/edge/model.js';
import { STATIC_POLICIES } from '../../envs/edge/aset/policies.js';
import { EdgeSimulator } from '../../envs/edge/sim/simulator.js';
import { evaluate } from '../../experiments/evaluate.js';
import { Rng } from '../../src/rng.js';
import { plainDevice } from '../fixtures/edge-scenarios.js';
import { assertNear } from '../fixtures/statistics.js';

/**
 * antenna ─1 ms─ near edge (light 10 ms acc 0.7, heavy 30 ms acc 0.9) ; antenna ─5 ms─ far edge
 * (light 8 ms) ; antenna ─20 ms─ cloud (heavy 4 ms). Instances: 0 near/light, 1 near/heavy,
 * 2 far/light, 3 cloud/heavy.
 */
function sites(required: number): Scenario {
  const device = (id: string, site: number, profiles: [number, number][]): Device =>
    plainDevice(id, site, profiles, { memoryBytes: 1e12, idlePowerW: 1, activePowerW: 2, maxQueue: 2 });
  return {
    name: 'sites',
    description: 'near, far and cloud',
    topology: {
      nodes: [
        { id: 'a', kind: 'antenna' },
        { id: 'near', kind: 'edge' },
        { id: 'far', kind: 'edge' },
        { id: 'dc', kind: 'cloud' },
      ],
      links: [1, 5, 20].map((latencyMs, k) => ({ from: 0, to: k + 1, latencyMs, bandwidthBps: 1e15 })),
    },
    variants: [
      { id: 'light', task: 't', accuracy: 0.7, memoryBytes: 1 },
      { id: 'heavy', task: 't', accuracy: 0.9, memoryBytes: 1 },
    ],
    devices: [device('near', 1, [[0, 10], [1, 30]]), device('far', 2, [[0, 8]]), device('cloud', 3, [[1, 4]])],
    applications: [{ id: 'app', task: 't', accuracy: required, latencyBudgetMs: 100, frameIntervalMs: 100, inputBytes: 1, duration: { kind: 'fixed', valueMs: 1 }, weight: 1 }],
    workload: { antennas: [0], schedule: [{ atMs: 0, clientsPerMinute: 0 }] },
    serviceNoise: { kind: 'deterministic' },
  };
}

const request: DispatchRequest = { granularity: 'stream', application: 0, antenna: 0, stream: 0, timeMs: 0 };

function simulator(required = 0.6): EdgeSimulator {
  return new EdgeSimulator(sites(required), { seed: 0, dispatcher: STATIC_POLICIES.closest });
}

const choose = (name: string, sim: EdgeSimulator, rng = new Rng(0)): number => STATIC_POLICIES[name].choose(sim, request, rng);

test('deterministic policies on an idle system', () => {
  const sim = simulator();
  assert.equal(choose('closest', sim), 0, 'nearest site; between its variants the faster');
  assert.equal(choose('cloud-first', sim), 3);
  assert.equal(choose('highest-accuracy-first', sim), 1, 'heavy, and of the two heavies the nearer');
  // Impedance = network + (load + 1) × service: 11, 31, 13, 24.
  assert.equal(choose('least-impedance', sim), 0);
  assert.equal(choose('load-balancing', sim), 0, 'all idle: the lowest index');
});

test('load moves load-balancing and least-impedance, not closest', () => {
  const sim = simulator();
  sim.instQueued[0] = 1; // near/light: impedance 1 + 2 × 10 = 21 > far/light's 13
  sim.instQueued[1] = 1;
  assert.equal(choose('least-impedance', sim), 2);
  assert.equal(choose('load-balancing', sim), 2, 'far and cloud idle: the lower index');
  assert.equal(choose('closest', sim), 0);
  sim.instQueued[0] = 2; // full (maxQueue 2): closest moves on to the next nearest
  assert.equal(choose('closest', sim), 1);
});

test('accuracy comes first; a served-but-inaccurate choice only when nothing accurate has room', () => {
  const sim = simulator(0.85);
  assert.equal(choose('closest', sim), 1, 'only heavies are accurate enough');
  assert.equal(choose('load-balancing', sim), 1);
  sim.instQueued[1] = 2;
  sim.instQueued[3] = 2;
  assert.equal(choose('closest', sim), 0, 'both heavies full: the nearest light (a violation, not a rejection)');
  sim.instQueued[0] = sim.instQueued[2] = 2;
  assert.equal(choose('closest', sim), REJECT);
  assert.equal(choose('random', sim), REJECT);
});

test('random-proportional-latency draws in proportion to 1 / (network + service)', () => {
  const sim = simulator();
  const weights = [1 / 11, 1 / 31, 1 / 13, 1 / 24];
  const total = weights.reduce((a, b) => a + b, 0);
  const n = 20_000;
  const counts = [0, 0, 0, 0];
  const rng = new Rng(7);
  for (let k = 0; k < n; k++) counts[choose('random-proportional-latency', sim, rng)]++;
  counts.forEach((c, i) => {
    const p = weights[i] / total;
    assertNear(c / n, p, Math.sqrt((p * (1 - p)) / n), `instance ${i}`);
  });
});

test('random-proportional-load draws in proportion to 1 / (1 + load)', () => {
  const sim = simulator();
  sim.instQueued[0] = 1; // weights 1/2, 1, 1, 1
  const n = 20_000;
  let near = 0;
  const rng = new Rng(8);
  for (let k = 0; k < n; k++) if (choose('random-proportional-load', sim, rng) === 0) near++;
  const p = 0.5 / 3.5;
  assertNear(near / n, p, Math.sqrt((p * (1 - p)) / n), 'near/light');
});

test('on aset-cloud, cloud-first is not worse than closest', () => {
  // Every GPU is in the cloud there, so cloud-first is closest restricted to clouds: the same
  // choices. (Both fill the nearest instance first; on aset-cloud that serves few queries well.)
  const kwargs = { scenario: 'aset-cloud', rates: [60], window: '5 s', horizon: '30 s' };
  const run = (policy: string): number => evaluate({ env: 'EdgeSched/PolicySelect-v0', policy, episodes: 3, seed: 1, kwargs }).metrics.successRatio.summary.mean;
  const cloud = run('cloud-first');
  const closest = run('closest');
  assert.ok(cloud >= closest, `cloud-first ${cloud} < closest ${closest}`);
});
