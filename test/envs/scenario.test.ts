// The scenario loader: a small valid scenario loads into numbers worked out by hand, defaults
// apply, files and traces load, and every validation rule names file, JSON path, expected and found.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, ScenarioError, type ScenarioIssue } from '../../envs/edge/scenario/load.js';

// Compiled tests run from dist*/test/envs/; the fixtures stay in the source tree.
const fixtures = fileURLToPath(new URL('../../../test/fixtures/scenarios/', import.meta.url));
const SOURCE = 'valid.json';

/** A small scenario using every feature; each call returns a fresh copy to mutate. */
function valid(): Record<string, any> {
  return {
    name: 'small',
    description: 'Two antennas, an edge site with Jetsons and a Coral, a cloud GPU.',
    sources: { 'jetson-nx': 'measured' },
    topology: {
      nodes: [
        { id: 'ant-1', kind: 'antenna', uplink: '100 Mbit/s' },
        { id: 'ant-2', kind: 'antenna', uplink: '50 Mb/s', latitude: 48.85, longitude: 2.35 },
        { id: 'edge-1', kind: 'edge' },
        { id: 'cloud', kind: 'cloud' },
      ],
      links: [
        { from: 'ant-1', to: 'edge-1', latency: '2 ms', bandwidth: '1 Gb/s' },
        { from: 'ant-2', to: 'edge-1', latency: '3 ms', bandwidth: '1 Gb/s' },
        { from: 'edge-1', to: 'cloud', latency: '20 ms', bandwidth: '10 Gb/s' },
      ],
    },
    models: [
      { id: 'resnet50', task: 'classification', accuracy: 0.7613, memory: '98 MB', source: 'torchvision' },
      { id: 'mobilenet', task: 'classification', accuracy: '71.8 %', memory: '14 MB' },
      { id: 'yolo', task: 'detection', accuracy: 0.5, memory: '8 MiB' },
    ],
    deviceTypes: {
      'jetson-nx': {
        execution: 'concurrent',
        memory: '8 GB',
        idlePower: '5 W',
        activePower: '15 W',
        interference: { kind: 'linear', slope: 0.3 },
        maxQueue: 32,
        profiles: {
          resnet50: { latency: '824 Hz' },
          mobilenet: { latency: '4.2 ms', batchLatency: ['4.2 ms', '6 ms', '8 ms'] },
          yolo: { latency: '25 ms', source: 'paper' },
        },
      },
      coral: {
        execution: 'time-shared',
        memory: '1 GB',
        idlePower: '2 W',
        activePower: '4 W',
        onChipMemory: '8 MB',
        swapBandwidth: '10 MB/s',
        profiles: { mobilenet: { latency: '2.5 ms' } },
      },
      gpu: {
        execution: 'concurrent',
        memory: '16 GB',
        idlePower: '30 W',
        activePower: '250 W',
        interference: {
          kind: 'matrix',
          variants: ['resnet50', 'yolo'],
          factors: { resnet50: [[1, 1.2], [1.3, 'Infinity']], yolo: [[1, 1.1], [1.4]] },
        },
        profiles: { resnet50: { latency: '3 ms' }, yolo: { latency: '10 ms' } },
      },
    },
    devices: [
      { id: 'nx', type: 'jetson-nx', site: 'edge-1', count: 2 },
      { id: 'tpu', type: 'coral', site: 'edge-1' },
      { id: 'v100', type: 'gpu', site: 'cloud' },
    ],
    applications: [
      {
        id: 'video',
        task: 'classification',
        accuracy: '70 %',
        latencyBudget: '100 ms',
        frameRate: '30 Hz',
        inputSize: '150 kB',
        duration: { kind: 'exponential', mean: '2 min' },
        weight: 3,
      },
      {
        id: 'detect',
        task: 'detection',
        accuracy: 0.4,
        latencyBudget: '0.25 s',
        frameRate: '15 1/s',
        inputSize: '1 MiB',
        duration: { kind: 'uniform', min: '10 s', max: '1 min' },
      },
    ],
    workload: {
      antennas: ['ant-1', 'ant-2'],
      schedule: [
        { at: '0 s', rate: 20 },
        { at: '150 s', rate: 60 },
        { at: '300 s', rate: '100 1/min' },
      ],
      cycle: '450 s',
    },
    serviceNoise: { kind: 'lognormal', cv: 0.2 },
  };
}

/** Loads `input` expecting failure; returns the error after checking what every error must say. */
function loadError(input: string | object, options: Parameters<typeof loadScenario>[1] = { source: SOURCE }): ScenarioError {
  try {
    loadScenario(input, options);
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected a ScenarioError, got ${String(error)}`);
    assert.ok(error.issues.length > 0);
    for (const issue of error.issues) {
      assert.ok(error.message.includes(`${issue.file}: ${issue.path}: expected ${issue.expected}, found ${issue.found}`), error.message);
    }
    assert.deepEqual([error.file, error.path, error.expected, error.found], [error.issues[0].file, error.issues[0].path, error.issues[0].expected, error.issues[0].found]);
    return error;
  }
  assert.fail('the scenario loaded, but it should not have');
}

function findIssue(error: ScenarioError, path: string): ScenarioIssue {
  const issue = error.issues.find((i) => i.path === path);
  assert.ok(issue !== undefined, `no issue at ${path}; issues:\n${error.message}`);
  return issue;
}

describe('loadScenario: a valid scenario', () => {
  const s = loadScenario(valid(), { source: SOURCE });

  it('keeps name and description', () => {
    assert.equal(s.name, 'small');
    assert.equal(s.description, 'Two antennas, an edge site with Jetsons and a Coral, a cloud GPU.');
  });

  it('builds the topology with node indices, ms and bits/s', () => {
    assert.deepEqual(s.topology.nodes, [
      { id: 'ant-1', kind: 'antenna', uplinkBps: 1e8 },
      { id: 'ant-2', kind: 'antenna', uplinkBps: 5e7, latitude: 48.85, longitude: 2.35 },
      { id: 'edge-1', kind: 'edge' },
      { id: 'cloud', kind: 'cloud' },
    ]);
    assert.deepEqual(s.topology.links, [
      { from: 0, to: 2, latencyMs: 2, bandwidthBps: 1e9 },
      { from: 1, to: 2, latencyMs: 3, bandwidthBps: 1e9 },
      { from: 2, to: 3, latencyMs: 20, bandwidthBps: 1e10 },
    ]);
  });

  it('reads model variants: accuracy as a fraction, memory in bytes (MB = 10⁶, MiB = 2²⁰)', () => {
    assert.deepEqual(s.variants, [
      { id: 'resnet50', task: 'classification', accuracy: 0.7613, memoryBytes: 98e6 },
      { id: 'mobilenet', task: 'classification', accuracy: 0.718, memoryBytes: 14e6 },
      { id: 'yolo', task: 'detection', accuracy: 0.5, memoryBytes: 8 * 1024 * 1024 },
    ]);
  });

  it('expands device counts into id-0 … id-(N−1), keeping a lone device its id', () => {
    assert.deepEqual(
      s.devices.map((d) => [d.id, d.type, d.site]),
      [
        ['nx-0', 'jetson-nx', 2],
        ['nx-1', 'jetson-nx', 2],
        ['tpu', 'coral', 2],
        ['v100', 'gpu', 3],
      ],
    );
  });

  it('reads a concurrent device type: profiles by variant index, "824 Hz" as 1000/824 ms', () => {
    const nx = s.devices[0];
    assert.deepEqual(nx.execution, { kind: 'concurrent' });
    assert.equal(nx.memoryBytes, 8e9);
    assert.equal(nx.idlePowerW, 5);
    assert.equal(nx.activePowerW, 15);
    assert.equal(nx.maxQueue, 32);
    assert.deepEqual(nx.interference, { kind: 'linear', slope: 0.3 });
    assert.deepEqual(
      nx.profiles,
      new Map([
        [0, { latencyMs: 1000 / 824 }],
        [1, { latencyMs: 4.2, batchLatencyMs: [4.2, 6, 8] }],
        [2, { latencyMs: 25 }],
      ]),
    );
    assert.ok(Math.abs(nx.profiles.get(0)!.latencyMs - 1.2135922330097086) < 1e-15);
    assert.notEqual(s.devices[0].profiles, s.devices[1].profiles, 'each device owns its profile map');
  });

  it('reads a time-shared device: on-chip bytes and swap bandwidth in bytes per ms, defaults', () => {
    const tpu = s.devices[2];
    // 10 MB/s = 8·10⁷ bits/s = 10⁷ bytes/s = 10⁴ bytes/ms.
    assert.deepEqual(tpu.execution, { kind: 'time-shared', onChipBytes: 8e6, swapBytesPerMs: 1e4 });
    assert.equal(tpu.maxQueue, 64);
    assert.deepEqual(tpu.interference, { kind: 'none' });
    assert.deepEqual(tpu.profiles, new Map([[1, { latencyMs: 2.5 }]]));
  });

  it('reads an interference matrix by variant index, "Infinity" as Infinity', () => {
    assert.deepEqual(s.devices[3].interference, {
      kind: 'matrix',
      variants: [0, 2],
      factors: new Map<number, unknown>([
        [0, [[1, 1.2], [1.3, Infinity]]],
        [2, [[1, 1.1], [1.4]]],
      ]),
    });
  });

  it('reads applications: frame interval from "30 Hz", budgets in ms, sizes in bytes', () => {
    const [video, detect] = s.applications;
    assert.equal(video.frameIntervalMs, 1000 / 30);
    assert.ok(Math.abs(video.frameIntervalMs - 33.333333333333336) < 1e-12);
    assert.deepEqual(video, {
      id: 'video',
      task: 'classification',
      accuracy: 0.7,
      latencyBudgetMs: 100,
      frameIntervalMs: 1000 / 30,
      inputBytes: 150_000,
      duration: { kind: 'exponential', meanMs: 120_000 },
      weight: 3,
    });
    assert.deepEqual(detect, {
      id: 'detect',
      task: 'detection',
      accuracy: 0.4,
      latencyBudgetMs: 250,
      frameIntervalMs: 1000 / 15,
      inputBytes: 1_048_576,
      duration: { kind: 'uniform', minMs: 10_000, maxMs: 60_000 },
      weight: 1,
    });
  });

  it('reads the workload: antenna indices, schedule in ms and clients per minute, cycle', () => {
    assert.deepEqual(s.workload, {
      antennas: [0, 1],
      schedule: [
        { atMs: 0, clientsPerMinute: 20 },
        { atMs: 150_000, clientsPerMinute: 60 },
        { atMs: 300_000, clientsPerMinute: 100 },
      ],
      cycleMs: 450_000,
    });
    assert.deepEqual(s.serviceNoise, { kind: 'lognormal', cv: 0.2 });
  });

  it('does not change the object it was given', () => {
    const input = valid();
    loadScenario(input, { source: SOURCE });
    assert.deepEqual(input, valid());
  });
});

describe('loadScenario: defaults and variants of the format', () => {
  it('defaults service noise, interference, queue, weight and antennas', () => {
    const v = valid();
    delete v.serviceNoise;
    delete v.deviceTypes['jetson-nx'].interference;
    delete v.deviceTypes['jetson-nx'].maxQueue;
    delete v.applications[0].weight;
    delete v.workload.antennas;
    const s = loadScenario(v, { source: SOURCE });
    assert.deepEqual(s.serviceNoise, { kind: 'deterministic' });
    assert.deepEqual(s.devices[0].interference, { kind: 'none' });
    assert.equal(s.devices[0].maxQueue, 64);
    assert.equal(s.applications[0].weight, 1);
    assert.deepEqual(s.workload.antennas, [0, 1]);
    assert.equal(s.description.length > 0, true);
    delete v.description;
    assert.equal(loadScenario(v).description, '');
  });

  it('turns a constant rate into a one-entry schedule; a rate may carry a unit', () => {
    const v = valid();
    v.workload = { rate: 30 };
    assert.deepEqual(loadScenario(v).workload, { antennas: [0, 1], schedule: [{ atMs: 0, clientsPerMinute: 30 }] });
    v.workload = { rate: '2 Hz' };
    assert.deepEqual(loadScenario(v).workload.schedule, [{ atMs: 0, clientsPerMinute: 120 }]);
  });

  it('reads a fixed duration and a count of 1 as id-0', () => {
    const v = valid();
    v.applications[1].duration = { kind: 'fixed', value: '45 s' };
    v.devices[1].count = 1;
    const s = loadScenario(v);
    assert.deepEqual(s.applications[1].duration, { kind: 'fixed', valueMs: 45_000 });
    assert.deepEqual(s.devices.map((d) => d.id), ['nx-0', 'nx-1', 'tpu-0', 'v100']);
  });

  it('loads a file, and a trace relative to it, in ms with node and application indices', () => {
    const s = loadScenario(join(fixtures, 'tiny.json'));
    assert.equal(s.name, 'tiny');
    assert.deepEqual(s.workload, {
      antennas: [0],
      schedule: [{ atMs: 0, clientsPerMinute: 0 }],
      trace: [
        { atMs: 0, antenna: 0, application: 0 },
        { atMs: 500, antenna: 0, application: 0 },
        { atMs: 2250, antenna: 0, application: 0 },
      ],
    });
    assert.equal(s.variants[0].accuracy, 0.718);
    assert.equal(s.devices[0].id, 'nx');
  });

  it('loads a Topology Zoo GraphML topology relative to the scenario', () => {
    const v = valid();
    v.topology = {
      graphml: 'three-cities.graphml',
      linkBandwidth: '10 Gb/s',
      linkLatency: '5 ms',
      kinds: { Paris: 'antenna', Lyon: 'edge', Milan: 'cloud' },
      uplink: '100 Mbit/s',
    };
    v.workload.antennas = ['Paris'];
    v.devices = [
      { id: 'nx', type: 'jetson-nx', site: 'Lyon' },
      { id: 'v100', type: 'gpu', site: 'Milan' },
    ];
    const s = loadScenario(v, { source: join(fixtures, 'graphml-scenario.json') });
    assert.deepEqual(s.topology.nodes.map((n) => [n.id, n.kind, n.uplinkBps]), [
      ['Paris', 'antenna', 1e8],
      ['Lyon', 'edge', undefined],
      ['Milan', 'cloud', undefined],
    ]);
    const [parisLyon, lyonMilan] = s.topology.links;
    assert.equal(parisLyon.bandwidthBps, 1e10);
    // Paris–Lyon is ~392 km great-circle: ~2 ms in fibre at 5 µs/km.
    assert.ok(parisLyon.latencyMs > 1.9 && parisLyon.latencyMs < 2.0, `Paris–Lyon ${parisLyon.latencyMs} ms`);
    assert.equal(lyonMilan.latencyMs, 5);
    assert.deepEqual(s.devices.map((d) => d.site), [1, 2]);
    assert.deepEqual(s.workload.antennas, [0]);
  });
});

/** One way to break the valid scenario, and the issue it must produce. */
interface Case {
  name: string;
  mutate: (v: Record<string, any>) => void;
  path: string;
  expected: string;
  found: string;
  /** Other issues the mutation is allowed to cause as well (default none). */
  alsoAllowed?: number;
}

const CASES: Case[] = [
  // top level
  { name: 'an unknown top-level key, with a suggestion', mutate: (v) => ((v.descripton = 'x'), delete v.description), path: '$.descripton', expected: 'one of the keys name, description, sources, topology', found: 'unknown key "descripton" (did you mean "description"?)' },
  { name: 'a missing name', mutate: (v) => delete v.name, path: '$.name', expected: 'a non-empty string', found: 'nothing (the field is missing)' },
  { name: 'a name that is not a string', mutate: (v) => (v.name = 42), path: '$.name', expected: 'a non-empty string', found: '42' },
  { name: 'a description that is not a string', mutate: (v) => (v.description = ['a']), path: '$.description', expected: 'a string', found: 'an array of 1 item' },
  { name: 'a source note that is not a string', mutate: (v) => (v.sources.x = 3), path: '$.sources["x"]', expected: 'a string', found: '3' },
  // inline topology
  { name: 'a topology that is not an object', mutate: (v) => (v.topology = 'net.json'), path: '$.topology', expected: 'a topology: { "nodes": [...], "links": [...] }', found: '"net.json"', alsoAllowed: 9 },
  { name: 'no nodes', mutate: (v) => (v.topology.nodes = []), path: '$.topology.nodes', expected: 'an array of nodes', found: 'an empty array', alsoAllowed: 9 },
  { name: 'a misspelt node key', mutate: (v) => ((v.topology.nodes[2].kynd = 'edge'), delete v.topology.nodes[2].kind), path: '$.topology.nodes[2].kynd', expected: 'one of the keys id, kind, uplink, latitude, longitude', found: 'unknown key "kynd" (did you mean "kind"?)', alsoAllowed: 1 },
  { name: 'an unknown node kind', mutate: (v) => (v.topology.nodes[2].kind = 'tower'), path: '$.topology.nodes[2].kind', expected: 'one of "antenna", "edge", "metro", "cloud", "router"', found: '"tower"' },
  { name: 'a duplicate node id', mutate: (v) => (v.topology.nodes[3].id = 'edge-1'), path: '$.topology.nodes[3].id', expected: 'a node id not used before', found: '"edge-1", already used at $.topology.nodes[2].id' , alsoAllowed: 1 },
  { name: 'an antenna without uplink', mutate: (v) => delete v.topology.nodes[0].uplink, path: '$.topology.nodes[0].uplink', expected: 'a bandwidth such as "1 Gb/s" or "100 Mbit/s" (greater than 0) (every antenna needs its radio uplink)', found: 'nothing (the field is missing)' },
  { name: 'an uplink on a non-antenna', mutate: (v) => (v.topology.nodes[2].uplink = '1 Gb/s'), path: '$.topology.nodes[2].uplink', expected: 'no uplink: only antennas have one, this node is "edge"', found: '"1 Gb/s"' },
  { name: 'an uplink in the wrong unit', mutate: (v) => (v.topology.nodes[0].uplink = '100 ms'), path: '$.topology.nodes[0].uplink', expected: 'a bandwidth such as', found: '"100 ms" (a time)' },
  { name: 'a latitude out of range', mutate: (v) => (v.topology.nodes[1].latitude = 95), path: '$.topology.nodes[1].latitude', expected: 'a number at least -90 and at most 90', found: '95' },
  { name: 'a latitude without longitude', mutate: (v) => delete v.topology.nodes[1].longitude, path: '$.topology.nodes[1].longitude', expected: 'a longitude in degrees too', found: 'nothing (the field is missing)' },
  { name: 'a link to an unknown node', mutate: (v) => (v.topology.links[0].to = 'edge-2'), path: '$.topology.links[0].to', expected: 'a node id from $.topology.nodes ("ant-1", "ant-2", "edge-1", "cloud")', found: '"edge-2", which is no node' },
  { name: 'a link from a node to itself', mutate: (v) => (v.topology.links[0].to = 'ant-1'), path: '$.topology.links[0].to', expected: 'a node other than "from"', found: '"ant-1"' },
  { name: 'a link without latency', mutate: (v) => delete v.topology.links[1].latency, path: '$.topology.links[1].latency', expected: 'a time such as "4.2 ms" (links in an inline topology need their latency)', found: 'nothing (the field is missing)' },
  { name: 'a negative link latency', mutate: (v) => (v.topology.links[1].latency = '-1 ms'), path: '$.topology.links[1].latency', expected: 'a time such as "4.2 ms"', found: '"-1 ms" (must be of at least 0)' },
  { name: 'a zero link bandwidth', mutate: (v) => (v.topology.links[2].bandwidth = '0 Gb/s'), path: '$.topology.links[2].bandwidth', expected: '(greater than 0)', found: '"0 Gb/s" (must be greater than 0)' },
  { name: 'links that are not an array', mutate: (v) => (v.topology.links = {}), path: '$.topology.links', expected: 'an array of links', found: 'an empty object' },
  { name: 'a GraphML key in an inline topology', mutate: (v) => (v.topology.linkBandwidth = '1 Gb/s'), path: '$.topology.linkBandwidth', expected: 'one of the keys nodes, links', found: 'unknown key "linkBandwidth"' },
  // GraphML topology
  {
    name: 'a GraphML file that does not exist',
    mutate: (v) => (v.topology = { graphml: 'nowhere.graphml', linkBandwidth: '1 Gb/s', kinds: {}, uplink: '1 Gb/s' }),
    path: '$.topology.graphml',
    expected: 'a readable GraphML file, relative to the scenario file',
    found: '"nowhere.graphml" (ENOENT',
    alsoAllowed: 9,
  },
  {
    name: 'a GraphML kind that is not allowed',
    mutate: (v) => (v.topology = { graphml: 'three-cities.graphml', linkBandwidth: '1 Gb/s', linkLatency: '5 ms', kinds: { Paris: 'router' }, uplink: '1 Gb/s' }),
    path: '$.topology.kinds["Paris"]',
    expected: 'one of "antenna", "edge", "metro", "cloud"',
    found: '"router"',
    alsoAllowed: 9,
  },
  {
    name: 'a GraphML topology the Zoo loader refuses (link without coordinates or linkLatency)',
    mutate: (v) => (v.topology = { graphml: 'three-cities.graphml', linkBandwidth: '1 Gb/s', kinds: { Paris: 'antenna', Lyon: 'edge' }, uplink: '1 Gb/s' }),
    path: '$.topology.graphml',
    expected: 'a Topology Zoo GraphML file',
    found: 'three-cities.graphml',
    alsoAllowed: 9,
  },
  {
    name: 'a GraphML topology without uplink',
    mutate: (v) => (v.topology = { graphml: 'three-cities.graphml', linkBandwidth: '1 Gb/s', kinds: { Paris: 'antenna' } }),
    path: '$.topology.uplink',
    expected: '(the radio uplink of every antenna)',
    found: 'nothing (the field is missing)',
    alsoAllowed: 9,
  },
  // models
  { name: 'no models', mutate: (v) => (v.models = []), path: '$.models', expected: 'a non-empty array of models', found: 'an empty array', alsoAllowed: 19 },
  { name: 'a misspelt model key', mutate: (v) => ((v.models[0].acuracy = 0.7), delete v.models[0].accuracy), path: '$.models[0].acuracy', expected: 'one of the keys id, task, accuracy, memory, source', found: 'unknown key "acuracy" (did you mean "accuracy"?)', alsoAllowed: 1 },
  { name: 'an accuracy above 1', mutate: (v) => (v.models[0].accuracy = 1.2), path: '$.models[0].accuracy', expected: 'a fraction in [0, 1] such as 0.7613, or a percentage such as "76.13 %"', found: '1.2 (outside 0 … 1)' },
  { name: 'an accuracy that is neither fraction nor percentage', mutate: (v) => (v.models[1].accuracy = '71.8 percent'), path: '$.models[1].accuracy', expected: 'a fraction in [0, 1]', found: '"71.8 percent"' },
  { name: 'an ambiguous "KB" memory', mutate: (v) => (v.models[0].memory = '8 KB'), path: '$.models[0].memory', expected: 'a size such as "8 MB" or "150 kB" (greater than 0)', found: '"KB" is ambiguous' },
  { name: 'a negative memory', mutate: (v) => (v.models[0].memory = '-1 MB'), path: '$.models[0].memory', expected: 'a size such as', found: '"-1 MB" (must be greater than 0)' },
  { name: 'a duplicate model id', mutate: (v) => (v.models[2].id = 'resnet50'), path: '$.models[2].id', expected: 'a model id not used before', found: '"resnet50", already used at $.models[0].id', alsoAllowed: 9 },
  { name: 'an empty task', mutate: (v) => (v.models[2].task = ''), path: '$.models[2].task', expected: 'a non-empty task name', found: '""', alsoAllowed: 1 },
  // device types
  // Bad device types are one problem: no false "no device is reachable" for every antenna.
  { name: 'no device types', mutate: (v) => (v.deviceTypes = {}), path: '$.deviceTypes', expected: 'an object of device types by name', found: 'an empty object' },
  { name: 'device types as an array', mutate: (v) => (v.deviceTypes = [v.deviceTypes.gpu]), path: '$.deviceTypes', expected: 'an object of device types by name', found: 'an array of 1 item' },
  { name: 'device types as a string', mutate: (v) => (v.deviceTypes = 'jetson'), path: '$.deviceTypes', expected: 'an object of device types by name', found: '"jetson"' },
  { name: 'an unknown execution', mutate: (v) => (v.deviceTypes['jetson-nx'].execution = 'parallel'), path: '$.deviceTypes["jetson-nx"].execution', expected: 'one of "concurrent", "time-shared"', found: '"parallel"' },
  { name: 'a missing device memory', mutate: (v) => delete v.deviceTypes['jetson-nx'].memory, path: '$.deviceTypes["jetson-nx"].memory', expected: 'a size such as "8 MB"', found: 'nothing (the field is missing)' },
  { name: 'an idle power in joules', mutate: (v) => (v.deviceTypes['jetson-nx'].idlePower = '5 J'), path: '$.deviceTypes["jetson-nx"].idlePower', expected: 'a power such as "15 W"', found: '"5 J" (an energy)' },
  { name: 'a time-shared device without onChipMemory', mutate: (v) => delete v.deviceTypes.coral.onChipMemory, path: '$.deviceTypes["coral"].onChipMemory', expected: '(a time-shared device reloads weights that do not fit on chip)', found: 'nothing (the field is missing)' },
  { name: 'a time-shared device without swapBandwidth', mutate: (v) => delete v.deviceTypes.coral.swapBandwidth, path: '$.deviceTypes["coral"].swapBandwidth', expected: 'a bandwidth such as', found: 'nothing (the field is missing)' },
  { name: 'a concurrent device with onChipMemory', mutate: (v) => (v.deviceTypes.gpu.onChipMemory = '8 MB'), path: '$.deviceTypes["gpu"].onChipMemory', expected: 'no onChipMemory: it applies to "time-shared" devices only', found: '"8 MB"' },
  { name: 'a zero maxQueue', mutate: (v) => (v.deviceTypes['jetson-nx'].maxQueue = 0), path: '$.deviceTypes["jetson-nx"].maxQueue', expected: 'an integer at least 1', found: '0' },
  { name: 'a fractional maxQueue', mutate: (v) => (v.deviceTypes['jetson-nx'].maxQueue = 2.5), path: '$.deviceTypes["jetson-nx"].maxQueue', expected: 'an integer at least 1', found: '2.5' },
  { name: 'no profiles', mutate: (v) => (v.deviceTypes.coral.profiles = {}), path: '$.deviceTypes["coral"].profiles', expected: 'an object of profiles by model id', found: 'an empty object' },
  { name: 'a profile for an unknown model', mutate: (v) => (v.deviceTypes['jetson-nx'].profiles.resnet51 = { latency: '5 ms' }), path: '$.deviceTypes["jetson-nx"].profiles["resnet51"]', expected: 'a model id from $.models ("resnet50", "mobilenet", "yolo")', found: '"resnet51", which is no model' },
  { name: 'a profile latency in watts', mutate: (v) => (v.deviceTypes['jetson-nx'].profiles.resnet50.latency = '4.2 W'), path: '$.deviceTypes["jetson-nx"].profiles["resnet50"].latency', expected: 'a time such as "4.2 ms" or a rate such as "824 Hz"', found: '"4.2 W" (a power)' },
  { name: 'a profile latency of 0 Hz', mutate: (v) => (v.deviceTypes['jetson-nx'].profiles.resnet50.latency = '0 Hz'), path: '$.deviceTypes["jetson-nx"].profiles["resnet50"].latency', expected: 'a time such as "4.2 ms" or a rate', found: '"0 Hz" (must be greater than 0)' },
  { name: 'a misspelt profile key', mutate: (v) => (v.deviceTypes.coral.profiles.mobilenet = { latncy: '2 ms' }), path: '$.deviceTypes["coral"].profiles["mobilenet"].latncy', expected: 'one of the keys latency, batchLatency, replicas, source', found: 'unknown key "latncy" (did you mean "latency"?)', alsoAllowed: 1 },
  { name: 'a batch latency that shrinks', mutate: (v) => (v.deviceTypes['jetson-nx'].profiles.mobilenet.batchLatency = ['4.2 ms', '3 ms']), path: '$.deviceTypes["jetson-nx"].profiles["mobilenet"].batchLatency[1]', expected: 'a time of at least 4.2 ms', found: '"3 ms"' },
  { name: 'zero replicas', mutate: (v) => (v.deviceTypes['jetson-nx'].profiles.mobilenet.replicas = 0), path: '$.deviceTypes["jetson-nx"].profiles["mobilenet"].replicas', expected: 'an integer at least 1', found: '0' },
  { name: 'an empty batch latency list', mutate: (v) => (v.deviceTypes['jetson-nx'].profiles.mobilenet.batchLatency = []), path: '$.deviceTypes["jetson-nx"].profiles["mobilenet"].batchLatency', expected: 'a non-empty array of times', found: 'an empty array' },
  { name: 'an unknown interference kind', mutate: (v) => (v.deviceTypes['jetson-nx'].interference = { kind: 'quadratic', slope: 1 }), path: '$.deviceTypes["jetson-nx"].interference.kind', expected: 'one of "none", "linear", "matrix"', found: '"quadratic"' },
  { name: 'a negative interference slope', mutate: (v) => (v.deviceTypes['jetson-nx'].interference.slope = -0.1), path: '$.deviceTypes["jetson-nx"].interference.slope', expected: 'a number at least 0', found: '-0.1' },
  { name: 'a key linear interference does not have', mutate: (v) => (v.deviceTypes['jetson-nx'].interference.factors = {}), path: '$.deviceTypes["jetson-nx"].interference.factors', expected: 'one of the keys kind, slope', found: 'unknown key "factors"' },
  { name: 'interference on a time-shared device', mutate: (v) => (v.deviceTypes.coral.interference = { kind: 'linear', slope: 0.1 }), path: '$.deviceTypes["coral"].interference.kind', expected: '"none": a time-shared device runs one query at a time', found: '"linear"' },
  { name: 'a matrix variant that is no model', mutate: (v) => (v.deviceTypes.gpu.interference.variants[1] = 'yolov5'), path: '$.deviceTypes["gpu"].interference.variants[1]', expected: 'a model id from $.models', found: '"yolov5", which is no model' },
  { name: 'a matrix variant without a profile here', mutate: (v) => (v.deviceTypes.gpu.interference.variants[1] = 'mobilenet'), path: '$.deviceTypes["gpu"].interference.variants[1]', expected: 'a model this device type has a profile for ("resnet50", "yolo")', found: '"mobilenet", which has none' },
  { name: 'a duplicate matrix variant', mutate: (v) => (v.deviceTypes.gpu.interference.variants[1] = 'resnet50'), path: '$.deviceTypes["gpu"].interference.variants[1]', expected: 'a variant not used before', found: '"resnet50", already used at $.deviceTypes["gpu"].interference.variants[0]' },
  { name: 'matrix factors nested too shallow', mutate: (v) => (v.deviceTypes.gpu.interference.factors.resnet50 = [1, 1.2]), path: '$.deviceTypes["gpu"].interference.factors["resnet50"][0]', expected: 'a non-empty array nested 1 more level (one level per entry of "variants", 2 in all)', found: '1', alsoAllowed: 1 },
  { name: 'matrix factors nested too deep', mutate: (v) => (v.deviceTypes.gpu.interference.factors.yolo = [[[1]], [1.4]]), path: '$.deviceTypes["gpu"].interference.factors["yolo"][0][0]', expected: 'a slowdown factor: a number greater than 0, or "Infinity" to refuse (arrays nest 2 levels deep, one per entry of "variants")', found: 'an array of 1 item' },
  { name: 'a matrix factor that is not a number', mutate: (v) => (v.deviceTypes.gpu.interference.factors.yolo = [[1, 'big'], [1.4]]), path: '$.deviceTypes["gpu"].interference.factors["yolo"][0][1]', expected: 'a slowdown factor', found: '"big"' },
  { name: 'a matrix factor of 0', mutate: (v) => (v.deviceTypes.gpu.interference.factors.yolo = [[0]]), path: '$.deviceTypes["gpu"].interference.factors["yolo"][0][0]', expected: 'a slowdown factor: a number greater than 0', found: '0' },
  { name: 'matrix factors for an unknown model', mutate: (v) => (v.deviceTypes.gpu.interference.factors.vgg = [[1]]), path: '$.deviceTypes["gpu"].interference.factors["vgg"]', expected: 'a model id from $.models', found: '"vgg", which is no model' },
  { name: 'a "__proto__" profile key is just an unknown model', mutate: (v) => (v.deviceTypes.coral.profiles = JSON.parse('{"__proto__": {"latency": "1 ms"}}')), path: '$.deviceTypes["coral"].profiles["__proto__"]', expected: 'a model id from $.models', found: '"__proto__", which is no model' },
  // devices
  { name: 'no devices', mutate: (v) => (v.devices = []), path: '$.devices', expected: 'a non-empty array of devices', found: 'an empty array' },
  { name: 'a device of an unknown type', mutate: (v) => (v.devices[0].type = 'jetson-tx2'), path: '$.devices[0].type', expected: 'a device type from $.deviceTypes ("jetson-nx", "coral", "gpu")', found: '"jetson-tx2", which is no device type' },
  { name: 'a device at an unknown site', mutate: (v) => (v.devices[1].site = 'edge-9'), path: '$.devices[1].site', expected: 'a node id from $.topology', found: '"edge-9", which is no node' },
  { name: 'a zero count', mutate: (v) => (v.devices[0].count = 0), path: '$.devices[0].count', expected: 'an integer at least 1', found: '0' },
  { name: 'a fractional count', mutate: (v) => (v.devices[0].count = 1.5), path: '$.devices[0].count', expected: 'an integer at least 1', found: '1.5' },
  { name: 'a device id that collides after expansion', mutate: (v) => v.devices.push({ id: 'nx-1', type: 'coral', site: 'edge-1' }), path: '$.devices[3].id', expected: 'a device id (after expanding "count") not used before', found: '"nx-1", already used at $.devices[0].id' },
  { name: 'a misspelt device key', mutate: (v) => (v.devices[2].sites = 'edge-1'), path: '$.devices[2].sites', expected: 'one of the keys id, type, site, count', found: 'unknown key "sites" (did you mean "site"?)' },
  // applications
  { name: 'a task no model performs', mutate: (v) => (v.applications[1].task = 'segmentation'), path: '$.applications[1].task', expected: 'a task some model in $.models performs ("classification", "detection")', found: '"segmentation", which no model performs' },
  { name: 'an application accuracy over 100 %', mutate: (v) => (v.applications[0].accuracy = '150 %'), path: '$.applications[0].accuracy', expected: 'a fraction in [0, 1]', found: '"150 %" (outside 0 … 100 %)' },
  { name: 'a zero latency budget', mutate: (v) => (v.applications[0].latencyBudget = '0 ms'), path: '$.applications[0].latencyBudget', expected: 'a time such as "4.2 ms" (greater than 0)', found: '"0 ms" (must be greater than 0)' },
  {
    name: 'a misspelt latencyBudget',
    mutate: (v) => ((v.applications[0].latencyBudjet = '100 ms'), delete v.applications[0].latencyBudget),
    path: '$.applications[0].latencyBudjet',
    expected: 'one of the keys id, task, accuracy, latencyBudget, frameRate, inputSize, duration, weight',
    found: 'unknown key "latencyBudjet" (did you mean "latencyBudget"?)',
    alsoAllowed: 1,
  },
  { name: 'a frame rate given as a time', mutate: (v) => (v.applications[0].frameRate = '30 ms'), path: '$.applications[0].frameRate', expected: 'a frequency such as "30 Hz" (greater than 0)', found: '"30 ms" (a time)' },
  { name: 'an input size in "KB"', mutate: (v) => (v.applications[0].inputSize = '150 KB'), path: '$.applications[0].inputSize', expected: 'a size such as', found: '"KB" is ambiguous' },
  { name: 'an unknown duration kind', mutate: (v) => (v.applications[0].duration = { kind: 'normal', mean: '1 s' }), path: '$.applications[0].duration.kind', expected: 'one of "fixed", "exponential", "uniform"', found: '"normal"' },
  { name: 'a uniform duration with max < min', mutate: (v) => (v.applications[1].duration.max = '5 s'), path: '$.applications[1].duration.max', expected: 'a time of at least "min" (10000 ms)', found: '"5 s"' },
  { name: 'a fixed duration without value', mutate: (v) => (v.applications[1].duration = { kind: 'fixed' }), path: '$.applications[1].duration.value', expected: 'a time such as "4.2 ms" (greater than 0)', found: 'nothing (the field is missing)' },
  { name: 'a key the duration kind does not have', mutate: (v) => (v.applications[0].duration.value = '1 s'), path: '$.applications[0].duration.value', expected: 'one of the keys kind, mean', found: 'unknown key "value"' },
  { name: 'a negative weight', mutate: (v) => (v.applications[0].weight = -1), path: '$.applications[0].weight', expected: 'a number at least 0', found: '-1' },
  { name: 'every weight 0', mutate: (v) => ((v.applications[0].weight = 0), (v.applications[1].weight = 0)), path: '$.applications', expected: 'at least one application with a weight greater than 0', found: 'every weight is 0' },
  { name: 'a duplicate application id', mutate: (v) => (v.applications[1].id = 'video'), path: '$.applications[1].id', expected: 'an application id not used before', found: '"video", already used at $.applications[0].id' },
  // workload
  { name: 'no rate, schedule or trace', mutate: (v) => (v.workload = {}), path: '$.workload', expected: 'exactly one of "rate" (clients per minute), "schedule" or "trace"', found: 'none of them' },
  { name: 'both rate and schedule', mutate: (v) => (v.workload.rate = 10), path: '$.workload', expected: 'exactly one of', found: '"rate" and "schedule" together' },
  { name: 'a negative rate', mutate: (v) => (v.workload = { rate: -5 }), path: '$.workload.rate', expected: 'a rate per minute of at least 0', found: '-5' },
  { name: 'a rate that is a time', mutate: (v) => (v.workload = { rate: '5 ms' }), path: '$.workload.rate', expected: 'a rate per minute such as 60 or "60 1/min"', found: '"5 ms" (a time)' },
  { name: 'a schedule not starting at 0', mutate: (v) => (v.workload.schedule[0].at = '10 s'), path: '$.workload.schedule[0].at', expected: '"0 s": the schedule starts at time 0', found: '"10 s"' },
  { name: 'an unsorted schedule', mutate: (v) => (v.workload.schedule[2].at = '100 s'), path: '$.workload.schedule[2].at', expected: "a time after the previous entry's (150000 ms)", found: '"100 s"' },
  { name: 'a schedule time in the wrong unit', mutate: (v) => (v.workload.schedule[1].at = '150 Hz'), path: '$.workload.schedule[1].at', expected: 'a time such as "4.2 ms"', found: '"150 Hz" (a frequency)' },
  { name: 'a schedule entry without rate', mutate: (v) => delete v.workload.schedule[1].rate, path: '$.workload.schedule[1].rate', expected: 'a rate per minute', found: 'nothing (the field is missing)' },
  { name: 'a cycle without schedule', mutate: (v) => (v.workload = { rate: 5, cycle: '10 min' }), path: '$.workload.cycle', expected: 'no "cycle" without a "schedule"', found: '"10 min"' },
  { name: 'a cycle shorter than the schedule', mutate: (v) => (v.workload.cycle = '300 s'), path: '$.workload.cycle', expected: "a period longer than the last schedule entry's start (300000 ms)", found: '"300 s"' },
  { name: 'an antenna that is no node', mutate: (v) => (v.workload.antennas[1] = 'ant-9'), path: '$.workload.antennas[1]', expected: 'an antenna node id ("ant-1", "ant-2")', found: '"ant-9", which is no node' },
  { name: 'an antenna that is an edge site', mutate: (v) => (v.workload.antennas[1] = 'edge-1'), path: '$.workload.antennas[1]', expected: 'an antenna node id', found: '"edge-1", a edge node' },
  { name: 'an antenna listed twice', mutate: (v) => (v.workload.antennas[1] = 'ant-1'), path: '$.workload.antennas[1]', expected: 'an antenna not used before', found: '"ant-1", already used at $.workload.antennas[0]' },
  { name: 'a trace file that does not exist', mutate: (v) => (v.workload = { trace: 'missing.csv' }), path: '$.workload.trace', expected: 'a readable CSV file, relative to the scenario file', found: '"missing.csv" (ENOENT' },
  {
    name: 'an antenna no device can be reached from',
    mutate: (v) => (v.topology.nodes.push({ id: 'ant-3', kind: 'antenna', uplink: '1 Gb/s' }), v.workload.antennas.push('ant-3')),
    path: '$.workload.antennas[2]',
    expected: 'an antenna linked (through any number of links) to the site of at least one device',
    found: 'antenna "ant-3", from which no device is reachable',
  },
  {
    name: 'an unlinked antenna among the default antennas',
    mutate: (v) => (v.topology.nodes.push({ id: 'ant-3', kind: 'antenna', uplink: '1 Gb/s' }), delete v.workload.antennas),
    path: '$.topology.nodes[4]',
    expected: 'an antenna linked',
    found: 'antenna "ant-3", from which no device is reachable',
  },
  {
    name: 'no antenna at all',
    mutate: (v) => ((v.topology.nodes[0].kind = 'router'), (v.topology.nodes[1].kind = 'router'), delete v.topology.nodes[0].uplink, delete v.topology.nodes[1].uplink, delete v.workload.antennas),
    path: '$.topology',
    expected: 'at least one node of kind "antenna", where streams arrive',
    found: 'no antenna',
  },
  // service noise
  { name: 'an unknown noise kind', mutate: (v) => (v.serviceNoise = { kind: 'gamma' }), path: '$.serviceNoise.kind', expected: 'one of "deterministic", "exponential", "lognormal"', found: '"gamma"' },
  { name: 'a lognormal noise without cv', mutate: (v) => delete v.serviceNoise.cv, path: '$.serviceNoise.cv', expected: 'a number greater than 0', found: 'nothing (the field is missing)' },
  { name: 'a zero cv', mutate: (v) => (v.serviceNoise.cv = 0), path: '$.serviceNoise.cv', expected: 'a number greater than 0', found: '0' },
  { name: 'a cv on exponential noise', mutate: (v) => (v.serviceNoise.kind = 'exponential'), path: '$.serviceNoise.cv', expected: 'one of the keys kind', found: 'unknown key "cv"' },
  // quantities are never evaluated
  { name: 'code in a quantity', mutate: (v) => (v.deviceTypes.gpu.profiles.yolo.latency = 'import("fs")'), path: '$.deviceTypes["gpu"].profiles["yolo"].latency', expected: 'a time such as "4.2 ms" or a rate', found: '"import(\\"fs\\")" (not a number followed by a unit)' },
  { name: 'an expression in a quantity', mutate: (v) => (v.applications[0].latencyBudget = '50 ms + 50 ms'), path: '$.applications[0].latencyBudget', expected: 'a time such as "4.2 ms"', found: '"50 ms + 50 ms" (not a number followed by a unit)' },
];

describe('loadScenario: every validation rule names file, JSON path, expected and found', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const v = valid();
      c.mutate(v);
      const error = loadError(v, { source: SOURCE, baseDir: fixtures });
      const issue = findIssue(error, c.path);
      assert.equal(issue.file, SOURCE);
      assert.ok(issue.expected.includes(c.expected), `expected: ${JSON.stringify(issue.expected)} lacks ${JSON.stringify(c.expected)}`);
      assert.ok(issue.found.includes(c.found), `found: ${JSON.stringify(issue.found)} lacks ${JSON.stringify(c.found)}`);
      assert.ok(error.message.includes(`${SOURCE}: ${c.path}: expected `), error.message);
      assert.ok(error.issues.length <= 1 + (c.alsoAllowed ?? 0), `unexpected further issues:\n${error.message}`);
    });
  }

  it('puts the one problem in the message as file: path: expected …, found …', () => {
    const v = valid();
    v.deviceTypes['jetson-nx'].profiles.resnet50.latency = '4.2 W';
    const error = loadError(v, { source: 'aset-full-edge.json' });
    assert.equal(
      error.message,
      'aset-full-edge.json: $.deviceTypes["jetson-nx"].profiles["resnet50"].latency: expected a time such as "4.2 ms" or a rate such as "824 Hz", found "4.2 W" (a power)',
    );
    assert.equal(error.file, 'aset-full-edge.json');
    assert.equal(error.path, '$.deviceTypes["jetson-nx"].profiles["resnet50"].latency');
    assert.equal(error.name, 'ScenarioError');
  });

  it('refuses input that is not an object', () => {
    const error = loadError([1, 2]);
    assert.equal(error.path, '$');
    assert.match(error.expected, /a scenario object/);
    assert.equal(error.found, 'an array of 2 items');
  });

  it('reports every problem at once, in document order', () => {
    const v = valid();
    v.name = '';
    v.models[1].accuracy = 2;
    v.applications[0].frameRate = '30';
    const error = loadError(v);
    assert.deepEqual(error.issues.map((i) => i.path), ['$.name', '$.models[1].accuracy', '$.applications[0].frameRate']);
    assert.match(error.message, /^3 problems in scenario valid\.json:\n {2}valid\.json: \$\.name: expected a non-empty string, found ""\n/);
    assert.match(error.message, /\$\.applications\[0\]\.frameRate: expected a frequency such as "30 Hz" \(greater than 0\), found "30" \(no unit\)$/);
  });

  it('lists at most maxErrors problems and counts the rest', () => {
    const v = valid();
    for (let i = 0; i < 25; i++) v.sources[`note${i}`] = i;
    const error = loadError(v, { source: SOURCE, maxErrors: 20 });
    assert.equal(error.issues.length, 20);
    assert.equal(error.omitted, 5);
    assert.match(error.message, /^25 problems in scenario valid\.json:/);
    assert.match(error.message, /\n {2}… and 5 more$/);
  });
});

describe('loadScenario: files', () => {
  it('names a file that cannot be read', () => {
    const error = loadError(join(fixtures, 'no-such.json'), {});
    assert.equal(error.file, join(fixtures, 'no-such.json'));
    assert.equal(error.path, '$');
    assert.equal(error.expected, 'a readable scenario JSON file');
    assert.match(error.found, /ENOENT/);
  });

  it('names the line and column of a JSON syntax error', () => {
    const error = loadError(join(fixtures, 'broken.json'), {});
    assert.equal(error.file, join(fixtures, 'broken.json'));
    assert.equal(error.expected, 'valid JSON');
    assert.match(error.found, /line 3, column 14/);
  });

  it('names the scenario file in errors about its content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgegym-scenario-'));
    const v = valid();
    v.models[0].memory = '98 parsecs';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(v, null, 2));
    const error = loadError(file, {});
    assert.equal(error.file, file);
    assert.equal(error.path, '$.models[0].memory');
    assert.match(error.found, /unknown unit "parsecs"/);
  });
});

describe('loadScenario: trace files', () => {
  /** Writes `csv` as the trace of the valid scenario and returns the load error. */
  function traceError(csv: string): { error: ScenarioError; traceFile: string } {
    const dir = mkdtempSync(join(tmpdir(), 'edgegym-trace-'));
    const traceFile = join(dir, 'trace.csv');
    writeFileSync(traceFile, csv);
    const v = valid();
    v.workload = { trace: 'trace.csv', antennas: ['ant-1'] };
    return { error: loadError(v, { source: SOURCE, baseDir: dir }), traceFile };
  }

  const TRACE_CASES: { name: string; csv: string; path: string; expected: string; found: string }[] = [
    { name: 'a wrong header', csv: 'time,antenna,app\n0,ant-1,video\n', path: 'line 1', expected: 'the header time_s,antenna,application (any order)', found: '"time,antenna,app"' },
    { name: 'an empty file', csv: '\n\n', path: 'line 1', expected: 'the header time_s,antenna,application', found: 'an empty file' },
    { name: 'a header and no rows', csv: 'time_s,antenna,application\n', path: 'line 2', expected: 'at least one arrival after the header', found: 'no rows' },
    { name: 'a row with too few values', csv: 'time_s,antenna,application\n0,ant-1\n', path: 'line 2', expected: '3 comma-separated values', found: '2: "0,ant-1"' },
    { name: 'a time that is not a number', csv: 'time_s,antenna,application\n0,ant-1,video\nsoon,ant-1,video\n', path: 'line 3, column time_s', expected: 'a time in seconds of at least 0', found: '"soon"' },
    { name: 'a negative time', csv: 'time_s,antenna,application\n-1,ant-1,video\n', path: 'line 2, column time_s', expected: 'a time in seconds of at least 0', found: '"-1"' },
    { name: 'rows out of order', csv: 'time_s,antenna,application\n2,ant-1,video\n1.5,ant-1,video\n', path: 'line 3, column time_s', expected: "a time of at least the previous row's (2 s)", found: '"1.5"' },
    { name: 'an unknown antenna', csv: 'time_s,antenna,application\n0,ant-7,video\n', path: 'line 2, column antenna', expected: 'an antenna of the workload ("ant-1")', found: '"ant-7", which is no node' },
    { name: 'an antenna outside the workload', csv: 'time_s,antenna,application\n0,ant-2,video\n', path: 'line 2, column antenna', expected: 'an antenna of the workload', found: '"ant-2", not in $.workload.antennas' },
    { name: 'a site instead of an antenna', csv: 'time_s,antenna,application\n0,edge-1,video\n', path: 'line 2, column antenna', expected: 'an antenna of the workload', found: '"edge-1", a edge node' },
    { name: 'an unknown application', csv: 'time_s,antenna,application\n0,ant-1,audio\n', path: 'line 2, column application', expected: 'an application id from $.applications ("video", "detect")', found: '"audio", which is no application' },
  ];

  for (const c of TRACE_CASES) {
    it(`names the trace file and line for ${c.name}`, () => {
      const { error, traceFile } = traceError(c.csv);
      const issue = findIssue(error, c.path);
      assert.ok(traceFile.endsWith(issue.file), `${issue.file} is not ${traceFile}`);
      assert.ok(issue.expected.includes(c.expected), `expected: ${JSON.stringify(issue.expected)} lacks ${JSON.stringify(c.expected)}`);
      assert.ok(issue.found.includes(c.found), `found: ${JSON.stringify(issue.found)} lacks ${JSON.stringify(c.found)}`);
      assert.equal(error.issues.length, 1, error.message);
    });
  }

  it('reads columns in any order, with CRLF line ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgegym-trace-'));
    writeFileSync(join(dir, 'trace.csv'), 'application,time_s,antenna\r\ndetect,1.5,ant-2\r\nvideo,3,ant-1\r\n');
    const v = valid();
    v.workload = { trace: 'trace.csv' };
    assert.deepEqual(loadScenario(v, { baseDir: dir }).workload.trace, [
      { atMs: 1500, antenna: 1, application: 1 },
      { atMs: 3000, antenna: 0, application: 0 },
    ]);
  });
});
