// The built-in scenario files: each loads, each number carries its source, and each is calibrated
// to the paper it comes from (ASET's 1,600 q/s per antenna at λ = 100, ECSRL's 17,000 requests in
// 5 minutes, the model-driven paper's EdgeTPUs whose 8 MB on-chip memory forces weight swaps).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Application, Distribution, Scenario } from '../../envs/edge/model.js';
import type { ScenarioFile } from '../../envs/edge/scenario/scenario-json.js';
import { loadScenario } from '../../envs/edge/scenario/load.js';

const NAMES = ['aset-full-edge', 'aset-mixed', 'aset-cloud', 'ecsrl-jetson', 'ecsrl-testbed', 'modeldriven-cluster'] as const;
type Name = (typeof NAMES)[number];

/** The JSON stays in the source tree; this file runs from dist/test/envs/ (or dist-scen/…), three levels below the root. */
const pathOf = (name: Name): string => fileURLToPath(new URL(`../../../envs/edge/scenario/builtin/${name}.json`, import.meta.url));
const load = (name: Name): Scenario => loadScenario(pathOf(name));
const raw = (name: Name): ScenarioFile => JSON.parse(readFileSync(pathOf(name), 'utf8')) as ScenarioFile;

const meanMs = (d: Distribution): number => (d.kind === 'fixed' ? d.valueMs : d.kind === 'exponential' ? d.meanMs : (d.minMs + d.maxMs) / 2);

/**
 * Queries per second one antenna offers at λ clients/min, by Little's law: streams arrive at λ/60
 * per second and each sends E[duration] / frame interval queries, averaged over the application mix.
 */
function offeredPerAntenna(applications: readonly Application[], clientsPerMinute: number): number {
  const totalWeight = applications.reduce((sum, a) => sum + a.weight, 0);
  const queriesPerStream = applications.reduce((sum, a) => sum + (a.weight / totalWeight) * (meanMs(a.duration) / a.frameIntervalMs), 0);
  return (clientsPerMinute / 60) * queriesPerStream;
}

const within = (actual: number, expected: number, relative: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= relative * expected, `${what}: ${actual.toFixed(2)}, expected ${expected} ± ${relative * 100} %`);

describe('built-in scenario files', () => {
  for (const name of NAMES) {
    test(`${name} loads`, () => {
      const scenario = load(name);
      assert.equal(scenario.name, name);
      assert.ok(scenario.devices.length > 0 && scenario.applications.length > 0 && scenario.workload.antennas.length > 0);
    });

    test(`${name}: every model, device type and profile names its source`, () => {
      const file = raw(name);
      const hasText = (s: string | undefined): boolean => typeof s === 'string' && s.trim().length > 0;
      for (const model of file.models) assert.ok(hasText(model.source), `model ${model.id} has no source`);
      for (const [type, spec] of Object.entries(file.deviceTypes)) {
        assert.ok(hasText(spec.source), `device type ${type} has no source`);
        for (const [model, profile] of Object.entries(spec.profiles)) assert.ok(hasText(profile.source), `${type} profile ${model} has no source`);
      }
      assert.ok(hasText(file.sources?.calibration) || name === 'modeldriven-cluster', 'sources.calibration shows the load arithmetic');
    });
  }
});

describe('ASET calibration: about 1,600 queries/s on one antenna at λ = 100', () => {
  for (const name of ['aset-full-edge', 'aset-mixed', 'aset-cloud'] as const) {
    test(`${name}: offered load per antenna at λ = 100 within 5 % of 1,600 q/s`, () => {
      const scenario = load(name);
      within(offeredPerAntenna(scenario.applications, 100), 1600, 0.05, 'q/s per antenna at λ = 100');
    });

    test(`${name}: ASET's main setting, λ = 60 on every antenna of an ISP-sized network`, () => {
      const scenario = load(name);
      assert.deepEqual(scenario.workload.schedule, [{ atMs: 0, clientsPerMinute: 60 }]);
      const antennas = scenario.topology.nodes.filter((n) => n.kind === 'antenna').length;
      assert.ok(antennas >= 12 && antennas <= 20, `${antennas} antennas`);
      assert.equal(scenario.workload.antennas.length, antennas);
      assert.ok(scenario.topology.nodes.some((n) => n.kind === 'cloud'));
      const tasks = new Set(scenario.applications.map((a) => a.task));
      for (const task of tasks) assert.ok(scenario.variants.filter((v) => v.task === task).length >= 3, `several variants for ${task}`);
    });
  }

  test('the three deployments hold the same compute, placed differently', () => {
    const placed = (name: 'aset-full-edge' | 'aset-mixed' | 'aset-cloud'): Record<string, number> => {
      const scenario = load(name);
      const byKind: Record<string, number> = {};
      for (const device of scenario.devices) {
        const kind = scenario.topology.nodes[device.site].kind;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
      return byKind;
    };
    const full = placed('aset-full-edge');
    const mixed = placed('aset-mixed');
    const cloud = placed('aset-cloud');
    const total = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);
    assert.equal(total(full), total(cloud));
    assert.equal(total(mixed), total(cloud));
    assert.deepEqual(Object.keys(cloud), ['cloud']);
    assert.ok(full.edge > 0 && mixed.metro > 0);
    // Many small clusters at the edge versus a few larger ones at metro sites.
    const sites = (name: 'aset-full-edge' | 'aset-mixed', kind: string): number => {
      const scenario = load(name);
      return new Set(scenario.devices.filter((d) => scenario.topology.nodes[d.site].kind === kind).map((d) => d.site)).size;
    };
    assert.ok(sites('aset-full-edge', 'edge') > sites('aset-mixed', 'metro'));
  });
});

describe('ECSRL calibration: 17,000 requests in 5 minutes', () => {
  test('offered load over 300 s is 17,000 requests within 1 %', () => {
    const scenario = load('ecsrl-jetson');
    const perSecond = scenario.workload.antennas.length * offeredPerAntenna(scenario.applications, scenario.workload.schedule[0].clientsPerMinute);
    within(perSecond * 300, 17_000, 0.01, 'requests in 5 minutes');
  });

  test('each client sends one request: a stream lasts exactly one frame interval', () => {
    for (const app of load('ecsrl-jetson').applications) {
      assert.equal(app.duration.kind, 'fixed');
      assert.equal(meanMs(app.duration), app.frameIntervalMs, app.id);
    }
  });

  test('Jetson Nano, TX2 and Xavier NX at the edge, four GPUs in the cloud', () => {
    const scenario = load('ecsrl-jetson');
    const types = new Set(scenario.devices.map((d) => d.type));
    for (const type of ['jetson-nano', 'jetson-tx2', 'jetson-xavier-nx']) assert.ok(types.has(type), type);
    const cloud = scenario.devices.filter((d) => scenario.topology.nodes[d.site].kind === 'cloud');
    assert.equal(cloud.length, 4);
  });

  test('the Xavier NX degradation matrix grows with co-runners and refuses past memory', () => {
    const scenario = load('ecsrl-jetson');
    const nx = scenario.devices.find((d) => d.type === 'jetson-xavier-nx');
    assert.ok(nx !== undefined && nx.interference.kind === 'matrix');
    const { variants, factors } = nx.interference;
    assert.deepEqual(variants.map((v) => scenario.variants[v].id), ['resnet18', 'ssd-mobilenet-v2']);
    for (const v of variants) {
      const grid = factors.get(v) as number[][];
      assert.equal(grid[0][0], 1, 'alone: no slowdown');
      let infinite = 0;
      for (let r = 0; r < 4; r++) {
        for (let s = 0; s < 4; s++) {
          if (grid[r][s] === Infinity) infinite++;
          // Strictly growing while finite; once refused, more co-runners stay refused.
          const grows = (more: number, fewer: number): boolean => (fewer === Infinity ? more === Infinity : more > fewer);
          if (r > 0) assert.ok(grows(grid[r][s], grid[r - 1][s]), `grows with resnet18 co-runners at [${r}][${s}]`);
          if (s > 0) assert.ok(grows(grid[r][s], grid[r][s - 1]), `grows with ssd co-runners at [${r}][${s}]`);
        }
      }
      assert.ok(infinite > 0, 'some cells exceed memory');
    }
  });
});

describe('model-driven cluster: EdgeTPU swaps matter', () => {
  test('GPUs run concurrently with linear interference; at least two EdgeTPUs time-share 8 MB', () => {
    const scenario = load('modeldriven-cluster');
    const tpus = scenario.devices.filter((d) => d.execution.kind === 'time-shared');
    assert.ok(tpus.length >= 2, `${tpus.length} EdgeTPUs`);
    for (const tpu of tpus) assert.equal(tpu.execution.kind === 'time-shared' && tpu.execution.onChipBytes, 8e6);
    const gpus = scenario.devices.filter((d) => d.execution.kind === 'concurrent');
    assert.ok(gpus.length >= 1 && gpus.every((d) => d.interference.kind === 'linear'));
  });

  test('some EdgeTPU variant pairs fit on chip together and some do not', () => {
    const scenario = load('modeldriven-cluster');
    const tpu = scenario.devices.find((d) => d.execution.kind === 'time-shared');
    assert.ok(tpu !== undefined && tpu.execution.kind === 'time-shared');
    const { onChipBytes, swapBytesPerMs } = tpu.execution;
    const sizes = [...tpu.profiles.keys()].map((v) => scenario.variants[v].memoryBytes);
    let fit = 0;
    let overflow = 0;
    for (let i = 0; i < sizes.length; i++) {
      assert.ok(sizes[i] > 0);
      for (let j = i + 1; j < sizes.length; j++) {
        if (sizes[i] + sizes[j] <= onChipBytes) fit++;
        else overflow++;
      }
    }
    assert.ok(fit > 0, 'a pair under 8 MB combined');
    assert.ok(overflow > 0, 'a pair over 8 MB combined');
    // A reload is not negligible next to an inference.
    const largest = Math.max(...sizes.filter((s) => s <= onChipBytes));
    assert.ok(largest / swapBytesPerMs > 5, 'reloading a model costs more than 5 ms');
  });
});

describe("ECSRL's test-bed: the poster's devices with framework-level latencies", () => {
  const scenario = load('ecsrl-testbed');
  const device = (type: string) => {
    const d = scenario.devices.find((x) => x.type === type);
    assert.ok(d !== undefined, type);
    return d;
  };
  const latency = (type: string, model: string): number => {
    const v = scenario.variants.findIndex((x) => x.id === model);
    return device(type).profiles.get(v)?.latencyMs ?? NaN;
  };

  test('one TX2 and one Xavier NX at the edge, four RTX 3080 in the cloud, the Nano as the access point', () => {
    assert.deepEqual(scenario.devices.map((d) => d.type).sort(), ['jetson-tx2', 'jetson-xavier-nx', 'rtx3080', 'rtx3080', 'rtx3080', 'rtx3080']);
    assert.deepEqual(scenario.workload.antennas.map((a) => scenario.topology.nodes[a].id), ['ap']);
  });

  test('17,000 requests in 5 minutes', () => {
    const perSecond = offeredPerAntenna(scenario.applications, scenario.workload.schedule[0].clientsPerMinute);
    within(perSecond * 300, 17_000, 0.01, 'requests in 5 minutes');
  });

  test('latencies load with their units and follow the sourced derivations', () => {
    // torch2trt's PyTorch column: Nano ResNet-18 34.7 ms ÷ 2.33 (TX2); AGX 7.1 ms × 1.669 (NX).
    within(latency('jetson-tx2', 'resnet18'), 34.7 / 2.33, 0.005, 'TX2 resnet18');
    within(latency('jetson-xavier-nx', 'resnet18'), 7.1 * 1.669, 0.005, 'NX resnet18');
    // SSD: Nano TensorRT 72.3 ms × the Nano's PyTorch/TensorRT ratio (34.7 / 11.4) = 220 ms.
    const ssdNano = 72.3 * (34.7 / 11.4);
    within(latency('jetson-tx2', 'ssd-mobilenet-v2'), ssdNano / 2.33, 0.01, 'TX2 ssd');
    within(latency('jetson-xavier-nx', 'ssd-mobilenet-v2'), ssdNano / (34.7 / (7.1 * 1.669)), 0.01, 'NX ssd');
    // Framework-level is slower than the TensorRT figures ecsrl-jetson uses, device by device.
    const trt = load('ecsrl-jetson');
    for (const type of ['jetson-tx2', 'jetson-xavier-nx']) {
      for (const model of ['resnet18', 'ssd-mobilenet-v2']) {
        const v = trt.variants.findIndex((x) => x.id === model);
        const kernel = trt.devices.find((d) => d.type === type)?.profiles.get(v)?.latencyMs ?? NaN;
        assert.ok(latency(type, model) > 2 * kernel, `${type} ${model}: ${latency(type, model)} vs TensorRT ${kernel}`);
      }
    }
    assert.equal(device('jetson-tx2').activePowerW, 15);
    assert.equal(device('rtx3080').idlePowerW, 25);
  });

  test('power saturates at 1 / the interference slope, as the power-curve note derives', () => {
    within(device('jetson-tx2').powerSaturation ?? NaN, 1 / 0.35, 0.01, 'TX2');
    within(device('rtx3080').powerSaturation ?? NaN, 1 / 0.15, 0.01, 'RTX 3080');
    within(device('jetson-xavier-nx').powerSaturation ?? NaN, 4 / (0.22 + 0.38 + 0.12 + 0.27), 0.01, 'NX');
    assert.equal(load('ecsrl-jetson').devices[0].powerSaturation, 1, 'absent: the two-state model');
  });
});
