// ASET's static policies choose as defined, in hand-built states whose answers can be worked
// out (bound load set by hand: offered queries/s per instance), the simulator's bound-load
// bookkeeping, and one ordering that follows from the model: where the edge is short of
// capacity and the cloud is not, cloud-first is not worse than closest.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import { type DispatchRequest, REJECT } from '../../envs/edge/sim/dispatch.js';
import type { Device, Scenario } from '../../envs/edge/model.js';
import { STATIC_POLICIES } from '../../envs/edge/aset/policies.js';
import { EdgeSimulator } from '../../envs/edge/sim/simulator.js';
import { evaluate } from '../../envs/evaluate.js';
import { Rng } from '../../src/rng.js';
import { plainDevice } from '../fixtures/edge-scenarios.js';
import { assertNear } from '../fixtures/statistics.js';

/**
 * antenna ─1 ms─ near edge (light 10 ms acc 0.7, heavy 30 ms acc 0.9) ; antenna ─5 ms─ far edge
 * (light 8 ms) ; antenna ─20 ms─ cloud (heavy 4 ms). Instances: 0 near/light, 1 near/heavy,
 * 2 far/light, 3 cloud/heavy. A stream sends 10 queries/s, so it adds a bound load of
 * 10 × service / 1000: 0.1, 0.3, 0.08 and 0.04.
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

/** M/D/1 impedance of the test's instances: network + service × (1 + queue) + s·ρ / 2(1 − ρ). */
const impedance = (networkMs: number, serviceMs: number, rho: number, queue = 0): number => networkMs + serviceMs * (1 + queue) + (serviceMs * rho) / (2 * (1 - rho));

test('deterministic policies on an idle system', () => {
  const sim = simulator();
  assert.equal(choose('closest', sim), 0, 'nearest site; between its variants the faster');
  assert.equal(choose('cloud-first', sim), 3);
  assert.equal(choose('highest-accuracy-first', sim), 1, 'heavy, and of the two heavies the nearer');
  // Impedance 11.56, 37.43, 13.35, 24.08.
  assert.ok(impedance(1, 10, 0.1) < impedance(5, 8, 0.08));
  assert.equal(choose('least-impedance', sim), 0);
  assert.equal(choose('load-balancing', sim), 3, 'bound load with the stream: 0.1, 0.3, 0.08, 0.04');
});

test('bound load moves load-balancing and least-impedance, not closest', () => {
  const sim = simulator();
  sim.instOfferedQps[0] = 80; // near/light: ρ = 0.9 with the stream; impedance 1 + 10 + 45 = 56
  assert.ok(impedance(1, 10, 0.9) > impedance(5, 8, 0.08));
  assert.equal(choose('least-impedance', sim), 2);
  assert.equal(choose('closest', sim), 0, 'closest ignores load while there is room');
  sim.instOfferedQps[3] = 20; // cloud/heavy: ρ 0.12 > far/light's 0.08
  assert.equal(choose('load-balancing', sim), 2);
  sim.instQueued[2] = 1; // far/light: 0.08 + 1 / maxQueue 2 = 0.58 > 0.12
  assert.equal(choose('load-balancing', sim), 3, 'the queue counts as a fraction of its bound');
  assert.equal(sim.boundLoad(0), 0.8);
  assert.equal(sim.boundLoad(0, 10), 0.9);
});

test('least-impedance ranks overloaded instances last, the least overloaded first', () => {
  const sim = simulator(0.85); // only the heavies (1 near, 3 cloud) are accurate enough
  sim.instOfferedQps[1] = 40; // ρ 1.5 with the stream
  sim.instOfferedQps[3] = 300; // ρ 1.24
  assert.equal(choose('least-impedance', sim), 3);
  sim.instOfferedQps[3] = 400; // ρ 1.64
  assert.equal(choose('least-impedance', sim), 1);
  sim.instOfferedQps[1] = 0; // ρ 0.3: impedance 37.4 against the cloud's overload
  assert.equal(choose('least-impedance', sim), 1);
});

test('accuracy comes first; a served-but-inaccurate choice only when nothing accurate has room', () => {
  const sim = simulator(0.85);
  assert.equal(choose('closest', sim), 1, 'only heavies are accurate enough');
  assert.equal(choose('load-balancing', sim), 3, 'the lighter-loaded of the two heavies (0.04 against 0.3), not far/light at 0.08');
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

test('random-proportional-load draws in proportion to 1 / (bound load with the stream + queue / bound)', () => {
  const sim = simulator();
  sim.instOfferedQps[0] = 10; // bound loads with the stream 0.2, 0.3, 0.08, 0.04
  sim.instQueued[3] = 1; // + 1/2
  const weights = [1 / 0.2, 1 / 0.3, 1 / 0.08, 1 / 0.54];
  const total = weights.reduce((a, b) => a + b, 0);
  const n = 20_000;
  const counts = [0, 0, 0, 0];
  const rng = new Rng(8);
  for (let k = 0; k < n; k++) counts[choose('random-proportional-load', sim, rng)]++;
  counts.forEach((c, i) => {
    const p = weights[i] / total;
    assertNear(c / n, p, Math.sqrt((p * (1 - p)) / n), `instance ${i}`);
  });
});

test('the simulator keeps each instance\'s bound queries/s: frame rate × streams bound, back to 0', () => {
  const scenario = sites(0.6);
  scenario.applications[0].duration = { kind: 'fixed', valueMs: 3000 };
  scenario.workload.schedule = [{ atMs: 0, clientsPerMinute: 120 }, { atMs: 15_000, clientsPerMinute: 0 }]; // then no more streams
  const sim = new EdgeSimulator(scenario, { seed: 3, dispatcher: STATIC_POLICIES.random });
  let checked = 0;
  for (let t = 500; t <= 20_000; t += 500) {
    sim.runUntil(t);
    for (let i = 0; i < sim.numInstances; i++) {
      assertNear(sim.instOfferedQps[i], 10 * sim.instBound[i], 1e-9, `instance ${i} at ${t} ms`);
      checked += sim.instBound[i];
    }
  }
  assert.ok(checked > 50, 'streams were bound along the way');
  assert.deepEqual([...sim.instOfferedQps], [0, 0, 0, 0], 'every stream ended by 18 s');
  assert.deepEqual([0, 1, 2].map((d) => sim.deviceBoundLoad(d)), [0, 0, 0]);
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
