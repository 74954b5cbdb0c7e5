// What a scenario fixes before it is simulated, worked out by hand on a tiny scenario: instance
// numbering and network delays, and that the simulator and the envs number instances the same way.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../envs/index.js';
import type { Device, Scenario } from '../../envs/edge/model.js';
import { antennaSlots, instanceLayout, networkDelays } from '../../envs/edge/sim/layout.js';
import { EdgeSimulator } from '../../envs/edge/sim/simulator.js';
import { scenarioNamed } from '../../envs/edge/scenario/builtin.js';
import type { DispatchEnv } from '../../envs/edge/ecsrl/dispatch-env.js';
import { make } from '../../src/registry.js';
import { fixedDispatcher } from '../fixtures/edge-scenarios.js';

function device(id: string, site: number, profiles: [variant: number, replicas: number][]): Device {
  return {
    id, site, type: id, execution: { kind: 'concurrent' }, memoryBytes: 1e9, idlePowerW: 1, activePowerW: 2, maxQueue: 4,
    // Listed out of variant order on purpose: instances follow the variant index, not the listing.
    profiles: new Map(profiles.map(([v, replicas]) => [v, { latencyMs: 10 + v, replicas }])),
    interference: { kind: 'none' },
  };
}

/**
 * Antennas a0 (node 0, 8 Mb/s uplink) and a1 (node 3, no uplink limit); edge e (node 1), 2 ms and
 * 80 Mb/s from a0; cloud c (node 2), 10 ms and 8 Mb/s beyond e; a1 is 1 ms and 80 Mb/s from e.
 * Devices: gpu at e with variants 2 (2 replicas) and 0; tpu at c with variant 1.
 */
const SCENARIO: Scenario = {
  name: 'layout', description: 'hand-checked layout',
  topology: {
    nodes: [{ id: 'a0', kind: 'antenna', uplinkBps: 8e6 }, { id: 'e', kind: 'edge' }, { id: 'c', kind: 'cloud' }, { id: 'a1', kind: 'antenna' }],
    links: [{ from: 0, to: 1, latencyMs: 2, bandwidthBps: 80e6 }, { from: 1, to: 2, latencyMs: 10, bandwidthBps: 8e6 }, { from: 3, to: 1, latencyMs: 1, bandwidthBps: 80e6 }],
  },
  variants: [{ id: 'v0', task: 't', accuracy: 0.7, memoryBytes: 1 }, { id: 'v1', task: 't', accuracy: 0.8, memoryBytes: 1 }, { id: 'v2', task: 't', accuracy: 0.9, memoryBytes: 1 }],
  devices: [device('gpu', 1, [[2, 2], [0, 1]]), device('tpu', 2, [[1, 1]])],
  applications: [
    { id: 'small', task: 't', accuracy: 0.5, latencyBudgetMs: 100, frameIntervalMs: 100, inputBytes: 1000, duration: { kind: 'fixed', valueMs: 1 }, weight: 1 },
    { id: 'big', task: 't', accuracy: 0.5, latencyBudgetMs: 100, frameIntervalMs: 100, inputBytes: 100_000, duration: { kind: 'fixed', valueMs: 1 }, weight: 1 },
  ],
  workload: { antennas: [3, 0], schedule: [{ atMs: 0, clientsPerMinute: 0 }] },
  serviceNoise: { kind: 'deterministic' },
};

test('instanceLayout: device by device, variants by index, replicas in a row', () => {
  const layout = instanceLayout(SCENARIO);
  assert.equal(layout.count, 4);
  assert.deepEqual(Array.from(layout.device), [0, 0, 0, 1]);
  assert.deepEqual(Array.from(layout.variant), [0, 2, 2, 1], 'gpu: v0 first though listed second, then v2 twice; tpu: v1');
  assert.deepEqual(Array.from(layout.replica), [0, 0, 1, 0]);
});

test('the simulator numbers its instances by instanceLayout', () => {
  const sim = new EdgeSimulator(SCENARIO, { seed: 0, dispatcher: fixedDispatcher(0) });
  const layout = instanceLayout(SCENARIO);
  assert.equal(sim.numInstances, layout.count);
  assert.deepEqual(sim.instDevice, layout.device);
  assert.deepEqual(sim.instVariant, layout.variant);
  for (const name of ['ecsrl-testbed', 'modeldriven-cluster', 'aset-mixed']) {
    const scenario = scenarioNamed(name);
    const big = new EdgeSimulator(scenario, { seed: 0, dispatcher: fixedDispatcher(0) });
    assert.deepEqual([big.instDevice, big.instVariant], [instanceLayout(scenario).device, instanceLayout(scenario).variant], name);
  }
});

test("Dispatch-v0's actions use the layout's replicas: action d·V + v picks among (d, v)'s instances", () => {
  const env = make('EdgeSched/Dispatch-v0').unwrapped as DispatchEnv;
  const layout = instanceLayout(env.scenario);
  const V = env.scenario.variants.length;
  const { info } = env.reset({ seed: 3 });
  const mask = info.actionMask as Uint8Array;
  let checked = 0;
  for (let a = 0; a < mask.length; a++) {
    if (mask[a] === 0) continue;
    const i = env.chosenInstance[a];
    assert.deepEqual([layout.device[i], layout.variant[i]], [Math.floor(a / V), a % V], `action ${a}`);
    checked++;
  }
  assert.ok(checked > 0);
});

test('antennaSlots and networkDelays: radio uplink, then the routed transfer, by hand', () => {
  assert.deepEqual(Array.from(antennaSlots(SCENARIO)), [1, -1, -1, 0], 'a1 is slot 0, a0 slot 1');
  const delays = networkDelays(SCENARIO);
  assert.equal(delays.length, 2 * 2 * 2, 'antennas × applications × devices');
  const at = (slot: number, app: number, dev: number): number => delays[(slot * 2 + app) * 2 + dev];
  // a0, small (1000 B = 8000 b): radio 8000 / 8e6 s = 1 ms; to e: 2 ms + 8000 / 80e6 s = 2.1 ms.
  assert.ok(Math.abs(at(1, 0, 0) - 3.1) < 1e-12, String(at(1, 0, 0)));
  // …to c: + 10 ms, bottleneck 8 Mb/s: 12 ms + 1 ms of transfer, after 1 ms of radio.
  assert.ok(Math.abs(at(1, 0, 1) - 14) < 1e-12, String(at(1, 0, 1)));
  // a1, big (800,000 b), no radio limit: to e 1 ms + 10 ms; to c 11 ms + 100 ms.
  assert.ok(Math.abs(at(0, 1, 0) - 11) < 1e-12, String(at(0, 1, 0)));
  assert.ok(Math.abs(at(0, 1, 1) - 111) < 1e-12, String(at(0, 1, 1)));
  const sim = new EdgeSimulator(SCENARIO, { seed: 0, dispatcher: fixedDispatcher(0) });
  for (const [node, slot] of [[3, 0], [0, 1]]) {
    for (let app = 0; app < 2; app++) for (let i = 0; i < 4; i++) assert.equal(sim.networkDelayMs(node, app, i), at(slot, app, instanceLayout(SCENARIO).device[i]));
  }
});
