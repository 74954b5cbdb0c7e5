// The scenario loader: scenario JSON (scenario-json.ts) → the numeric model (model.ts). Every
// field is checked up front and every problem is reported at once, by file, JSON path, expected and found.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseFraction, parsePerMinute, parseQuantity, UnitError, type QuantityKind } from '../../../src/sim/units.js';
import { topologyFromGraphML } from '../network/graphml.js';
import type {
  Application,
  Device,
  Distribution,
  Execution,
  Interference,
  ModelVariant,
  NestedFactors,
  NetworkLink,
  NetworkNode,
  NodeKind,
  RatePoint,
  Scenario,
  ServiceNoise,
  TopologySpec,
  TraceArrival,
  VariantProfile,
  Workload,
} from '../model.js';
import { editDistance } from '../../../src/edit-distance.js';

/** One problem found in a scenario. */
export interface ScenarioIssue {
  /** The file it is in (the scenario, or a trace it names), or the `source` given for an object. */
  file: string;
  /** Where in the file: a JSON path such as `$.devices[2].site`, or `line 7` in a trace. */
  path: string;
  expected: string;
  found: string;
}

/**
 * Everything wrong with a scenario. `file`, `path`, `expected` and `found` describe the first
 * problem; `issues` holds all of them (up to `maxErrors`), and the message lists them one a line.
 */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly file: string;
  readonly path: string;
  readonly expected: string;
  readonly found: string;
  readonly issues: readonly ScenarioIssue[];
  /** Problems found beyond `maxErrors` and left out. */
  readonly omitted: number;

  constructor(issues: readonly ScenarioIssue[], omitted = 0, scenarioFile = issues[0]?.file) {
    if (issues.length === 0) throw new RangeError('ScenarioError needs at least one issue');
    const line = (i: ScenarioIssue): string => `${i.file}: ${i.path}: expected ${i.expected}, found ${i.found}`;
    const more = omitted > 0 ? `\n  … and ${omitted} more` : '';
    super(
      issues.length === 1 && omitted === 0
        ? line(issues[0])
        : `${issues.length + omitted} problems in scenario ${scenarioFile}:\n${issues.map((i) => `  ${line(i)}`).join('\n')}${more}`,
    );
    ({ file: this.file, path: this.path, expected: this.expected, found: this.found } = issues[0]);
    this.issues = Object.freeze([...issues]);
    this.omitted = omitted;
  }
}

export interface LoadScenarioOptions {
  /** Name used in errors when an object is passed (default `<scenario>`); ignored for a path. */
  source?: string;
  /** Folder `topology.graphml` and `workload.trace` are relative to (default: the scenario file's, or `source`'s). */
  baseDir?: string;
  /** Problems reported before the rest are counted but left out (default 20). */
  maxErrors?: number;
}

/**
 * Loads a scenario from a JSON file path, or from an already-parsed object, into the numeric
 * model. Throws one ScenarioError listing every problem found; returns only a fully valid scenario.
 *
 * Defaults: `serviceNoise` deterministic, `maxQueue` 64, `interference` none, application
 * `weight` 1, `workload.antennas` every antenna. A device with `count` N becomes N devices named
 * `id-0` … `id-(N−1)`; without `count` it is one device keeping its id. A constant `rate` becomes
 * a one-entry schedule; a trace gets the schedule `[{ atMs: 0, clientsPerMinute: 0 }]`.
 */
export function loadScenario(input: string | object, options: LoadScenarioOptions = {}): Scenario {
  const maxErrors = options.maxErrors ?? 20;
  let file: string;
  let baseDir: string;
  let data: unknown;
  if (typeof input === 'string') {
    file = input;
    baseDir = options.baseDir ?? dirname(resolve(input));
    let text: string;
    try {
      text = readFileSync(input, 'utf8');
    } catch (error) {
      throw new ScenarioError([{ file, path: '$', expected: 'a readable scenario JSON file', found: messageOf(error) }]);
    }
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ScenarioError([{ file, path: '$', expected: 'valid JSON', found: jsonErrorWhere(messageOf(error), text) }]);
    }
  } else {
    file = options.source ?? '<scenario>';
    baseDir = options.baseDir ?? (options.source !== undefined ? dirname(resolve(options.source)) : process.cwd());
    data = input;
  }
  const check = new Checker(file, maxErrors);
  const scenario = readScenario(data, check, baseDir);
  if (check.issues.length > 0 || scenario === undefined) throw new ScenarioError(check.issues, check.omitted, file);
  return scenario;
}

// ---------------------------------------------------------------------------------------------
// Checking primitives: each reader returns the value or undefined, and records what was wrong.

const MISSING = 'nothing (the field is missing)';

/** JSON path of an object field, a record entry, an array element. */
const field = (path: string, key: string): string => `${path}.${key}`;
const entry = (path: string, key: string): string => `${path}[${JSON.stringify(key)}]`;
const at = (path: string, index: number): string => `${path}[${index}]`;

interface Optional {
  optional?: boolean;
}

class Checker {
  readonly issues: ScenarioIssue[] = [];
  omitted = 0;

  constructor(
    readonly file: string,
    private readonly maxErrors: number,
  ) {}

  get count(): number {
    return this.issues.length + this.omitted;
  }

  fail(path: string, expected: string, found: string, file = this.file): undefined {
    if (this.issues.length < this.maxErrors) this.issues.push({ file, path, expected, found });
    else this.omitted++;
    return undefined;
  }

  /** A plain object whose keys are all in `allowed`; unknown keys are reported with the allowed ones. */
  object(value: unknown, path: string, what: string, allowed: readonly string[], opt: Optional = {}): Record<string, unknown> | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (!isPlainObject(value)) return this.fail(path, what, describe(value));
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        const guess = closest(key, allowed);
        this.fail(
          field(path, key),
          `one of the keys ${allowed.join(', ')}`,
          `unknown key ${JSON.stringify(key)}${guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`}`,
        );
      }
    }
    return value;
  }

  /** A plain object used as a map from names to values (deviceTypes, profiles, kinds, …). */
  record(value: unknown, path: string, what: string, opt: Optional & { nonEmpty?: boolean } = {}): [string, unknown][] | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (!isPlainObject(value)) return this.fail(path, what, describe(value));
    const entries = Object.entries(value);
    if (opt.nonEmpty === true && entries.length === 0) return this.fail(path, what, 'an empty object');
    for (const [key] of entries) if (key === '') this.fail(entry(path, key), 'a non-empty name', 'an empty name ""');
    return entries.filter(([key]) => key !== '');
  }

  array(value: unknown, path: string, what: string, opt: Optional & { nonEmpty?: boolean } = {}): unknown[] | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (!Array.isArray(value)) return this.fail(path, what, describe(value));
    if (opt.nonEmpty === true && value.length === 0) return this.fail(path, what, 'an empty array');
    return value;
  }

  string(value: unknown, path: string, what = 'a non-empty string', opt: Optional & { allowEmpty?: boolean } = {}): string | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (typeof value !== 'string' || (value === '' && opt.allowEmpty !== true)) return this.fail(path, what, describe(value));
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, choices: readonly T[], opt: Optional = {}): T | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    return this.fail(path, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, describe(value));
  }

  number(
    value: unknown,
    path: string,
    rule: { min?: number; greaterThan?: number; max?: number; integer?: boolean },
    opt: Optional = {},
  ): number | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    const bounds = [
      rule.greaterThan !== undefined ? `greater than ${rule.greaterThan}` : undefined,
      rule.min !== undefined ? `at least ${rule.min}` : undefined,
      rule.max !== undefined ? `at most ${rule.max}` : undefined,
    ].filter((b) => b !== undefined);
    const what = `${rule.integer === true ? 'an integer' : 'a number'}${bounds.length > 0 ? ` ${bounds.join(' and ')}` : ''}`;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (rule.integer !== true || Number.isInteger(value)) &&
      (rule.min === undefined || value >= rule.min) &&
      (rule.greaterThan === undefined || value > rule.greaterThan) &&
      (rule.max === undefined || value <= rule.max);
    return ok ? (value as number) : this.fail(path, what, describe(value));
  }

  quantity(value: unknown, path: string, kind: QuantityKind, sign: 'positive' | 'non-negative', opt: Optional & { why?: string } = {}): number | undefined {
    if (value === undefined && opt.optional === true) return undefined;
    try {
      return parseQuantity(value, kind, { sign });
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      const why = opt.why === undefined ? '' : ` (${opt.why})`;
      return this.fail(path, error.expected + why, value === undefined ? MISSING : error.found);
    }
  }

  fraction(value: unknown, path: string): number | undefined {
    try {
      return parseFraction(value);
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      return this.fail(path, error.expected, value === undefined ? MISSING : error.found);
    }
  }

  perMinute(value: unknown, path: string): number | undefined {
    try {
      return parsePerMinute(value);
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      return this.fail(path, error.expected, value === undefined ? MISSING : error.found);
    }
  }

  /** Records `id` at `path`, reporting a duplicate with where it was first used. */
  unique(ids: Map<string, string>, id: string, path: string, what: string): boolean {
    const first = ids.get(id);
    if (first !== undefined) {
      this.fail(path, `${what} not used before`, `${JSON.stringify(id)}, already used at ${first}`);
      return false;
    }
    ids.set(id, path);
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// The scenario, section by section, in the order references need them.

const TOP_KEYS = ['name', 'description', 'sources', 'topology', 'models', 'deviceTypes', 'devices', 'applications', 'workload', 'serviceNoise'] as const;

function readScenario(data: unknown, check: Checker, baseDir: string): Scenario | undefined {
  const root = check.object(data, '$', 'a scenario object with name, topology, models, deviceTypes, devices, applications and workload', TOP_KEYS);
  if (root === undefined) return undefined;
  const name = check.string(root.name, '$.name');
  const description = check.string(root.description, '$.description', 'a string', { optional: true, allowEmpty: true }) ?? '';
  for (const [key, text] of check.record(root.sources, '$.sources', 'an object of source notes by key', { optional: true }) ?? []) {
    check.string(text, entry('$.sources', key), 'a string', { allowEmpty: true });
  }

  const topology = readTopology(root.topology, check, baseDir);
  const models = readModels(root.models, check);
  const types = readDeviceTypes(root.deviceTypes, check, models);
  const devices = readDevices(root.devices, check, types, topology);
  const applications = readApplications(root.applications, check, models);
  const workload = readWorkload(root.workload, check, topology, applications, baseDir);
  const serviceNoise = readServiceNoise(root.serviceNoise, check);

  if (topology !== undefined && devices !== undefined && workload !== undefined) {
    checkReachable(topology, devices, workload, check);
  }
  if (name === undefined || topology === undefined || models === undefined || devices === undefined) return undefined;
  if (applications === undefined || workload === undefined || serviceNoise === undefined) return undefined;
  return {
    name,
    description,
    topology: topology.spec,
    variants: models.variants,
    devices,
    applications: applications.list,
    workload: workload.workload,
    serviceNoise,
  };
}

// --- topology --------------------------------------------------------------------------------

const NODE_KINDS: readonly NodeKind[] = ['antenna', 'edge', 'metro', 'cloud', 'router'];
const GRAPHML_KINDS = ['antenna', 'edge', 'metro', 'cloud'] as const;
const INLINE_TOPOLOGY_KEYS = ['nodes', 'links'] as const;
const GRAPHML_TOPOLOGY_KEYS = ['graphml', 'linkBandwidth', 'linkLatency', 'kinds', 'uplink'] as const;
const NODE_KEYS = ['id', 'kind', 'uplink', 'latitude', 'longitude'] as const;
const LINK_KEYS = ['from', 'to', 'latency', 'bandwidth'] as const;

interface LoadedTopology {
  spec: TopologySpec;
  index: Map<string, number>;
  /** Where each node came from, for errors about a node. */
  nodePaths: string[];
}

function readTopology(value: unknown, check: Checker, baseDir: string): LoadedTopology | undefined {
  const path = '$.topology';
  const what = 'a topology: { "nodes": [...], "links": [...] } or { "graphml": "file.graphml", "linkBandwidth", "kinds", "uplink" }';
  const isGraphML = isPlainObject(value) && Object.hasOwn(value, 'graphml');
  const topo = check.object(value, path, what, isGraphML ? GRAPHML_TOPOLOGY_KEYS : INLINE_TOPOLOGY_KEYS);
  if (topo === undefined) return undefined;
  return isGraphML ? readGraphMLTopology(topo, check, baseDir) : readInlineTopology(topo, check);
}

function readInlineTopology(topo: Record<string, unknown>, check: Checker): LoadedTopology | undefined {
  const before = check.count;
  const nodes: NetworkNode[] = [];
  const index = new Map<string, number>();
  const nodePaths: string[] = [];
  const seen = new Map<string, string>();
  const nodesPath = '$.topology.nodes';
  const nodeList = check.array(topo.nodes, nodesPath, 'an array of nodes { "id", "kind", … }', { nonEmpty: true }) ?? [];
  nodeList.forEach((raw, i) => {
    const path = at(nodesPath, i);
    const node = check.object(raw, path, 'a node { "id", "kind", "uplink"? }', NODE_KEYS);
    if (node === undefined) return;
    const id = check.string(node.id, field(path, 'id'), 'a non-empty node id');
    const kind = check.oneOf(node.kind, field(path, 'kind'), NODE_KINDS);
    const out: NetworkNode = { id: id ?? '', kind: kind ?? 'router' };
    if (kind === 'antenna') {
      const uplink = check.quantity(node.uplink, field(path, 'uplink'), 'bandwidth', 'positive', { why: 'every antenna needs its radio uplink' });
      if (uplink !== undefined) out.uplinkBps = uplink;
    } else if (node.uplink !== undefined && kind !== undefined) {
      check.fail(field(path, 'uplink'), `no uplink: only antennas have one, this node is ${JSON.stringify(kind)}`, describe(node.uplink));
    }
    const latitude = check.number(node.latitude, field(path, 'latitude'), { min: -90, max: 90 }, { optional: true });
    const longitude = check.number(node.longitude, field(path, 'longitude'), { min: -180, max: 180 }, { optional: true });
    if ((node.latitude === undefined) !== (node.longitude === undefined)) {
      const missing = node.latitude === undefined ? 'latitude' : 'longitude';
      check.fail(field(path, missing), `a ${missing} in degrees too: latitude and longitude go together`, MISSING);
    }
    if (latitude !== undefined && longitude !== undefined) {
      out.latitude = latitude;
      out.longitude = longitude;
    }
    if (id !== undefined && check.unique(seen, id, field(path, 'id'), 'a node id')) index.set(id, nodes.length);
    nodes.push(out);
    nodePaths.push(path);
  });

  const links: NetworkLink[] = [];
  const linksPath = '$.topology.links';
  const linkList = check.array(topo.links, linksPath, 'an array of links { "from", "to", "latency", "bandwidth" }') ?? [];
  linkList.forEach((raw, i) => {
    const path = at(linksPath, i);
    const link = check.object(raw, path, 'a link { "from", "to", "latency", "bandwidth" }', LINK_KEYS);
    if (link === undefined) return;
    const ends = (['from', 'to'] as const).map((end) => {
      const id = check.string(link[end], field(path, end), 'a node id from $.topology.nodes');
      if (id === undefined || nodeList.length === 0) return undefined;
      const node = index.get(id);
      if (node === undefined) return check.fail(field(path, end), `a node id from $.topology.nodes (${listIds(index.keys())})`, `${JSON.stringify(id)}, which is no node`);
      return node;
    });
    const [from, to] = ends;
    if (from !== undefined && to !== undefined && from === to) {
      check.fail(field(path, 'to'), 'a node other than "from": a link joins two different nodes', JSON.stringify(link.to));
    }
    const latencyMs = check.quantity(link.latency, field(path, 'latency'), 'time', 'non-negative', { why: 'links in an inline topology need their latency' });
    const bandwidthBps = check.quantity(link.bandwidth, field(path, 'bandwidth'), 'bandwidth', 'positive');
    links.push({ from: from ?? -1, to: to ?? -1, latencyMs: latencyMs ?? NaN, bandwidthBps: bandwidthBps ?? NaN });
  });
  return check.count > before ? undefined : { spec: { nodes, links }, index, nodePaths };
}

function readGraphMLTopology(topo: Record<string, unknown>, check: Checker, baseDir: string): LoadedTopology | undefined {
  const before = check.count;
  const path = '$.topology';
  const graphml = check.string(topo.graphml, field(path, 'graphml'), 'the path of a GraphML file, relative to the scenario file');
  const linkBandwidthBps = check.quantity(topo.linkBandwidth, field(path, 'linkBandwidth'), 'bandwidth', 'positive');
  const linkLatencyMs = check.quantity(topo.linkLatency, field(path, 'linkLatency'), 'time', 'non-negative', { optional: true });
  const uplinkBps = check.quantity(topo.uplink, field(path, 'uplink'), 'bandwidth', 'positive', { why: 'the radio uplink of every antenna' });
  const kinds: Record<string, NodeKind> = {};
  const kindsPath = field(path, 'kinds');
  for (const [name, kind] of check.record(topo.kinds, kindsPath, 'an object of node kinds by GraphML label or id, e.g. { "Amsterdam": "cloud" }') ?? []) {
    const k = check.oneOf(kind, entry(kindsPath, name), GRAPHML_KINDS);
    if (k !== undefined) kinds[name] = k;
  }
  if (check.count > before || graphml === undefined || linkBandwidthBps === undefined || uplinkBps === undefined) return undefined;

  const filePath = resolve(baseDir, graphml);
  let xml: string;
  try {
    xml = readFileSync(filePath, 'utf8');
  } catch (error) {
    return check.fail(field(path, 'graphml'), 'a readable GraphML file, relative to the scenario file', `${JSON.stringify(graphml)} (${messageOf(error)})`);
  }
  let spec: TopologySpec;
  try {
    const options = { file: displayPath(filePath), linkBandwidthBps, kinds, uplinkBps };
    spec = topologyFromGraphML(xml, linkLatencyMs === undefined ? options : { ...options, linkLatencyMs });
  } catch (error) {
    return check.fail(field(path, 'graphml'), 'a Topology Zoo GraphML file matching "kinds" (and "linkLatency" for links without coordinates)', messageOf(error));
  }
  const index = new Map(spec.nodes.map((node, i) => [node.id, i]));
  return { spec, index, nodePaths: spec.nodes.map((node) => `${field(path, 'graphml')} (node ${JSON.stringify(node.id)})`) };
}

// --- models ----------------------------------------------------------------------------------

const MODEL_KEYS = ['id', 'task', 'accuracy', 'memory', 'source'] as const;

interface LoadedModels {
  variants: ModelVariant[];
  index: Map<string, number>;
  tasks: Set<string>;
}

function readModels(value: unknown, check: Checker): LoadedModels | undefined {
  const path = '$.models';
  const list = check.array(value, path, 'a non-empty array of models { "id", "task", "accuracy", "memory" }', { nonEmpty: true });
  if (list === undefined) return undefined;
  const variants: ModelVariant[] = [];
  const index = new Map<string, number>();
  const tasks = new Set<string>();
  const seen = new Map<string, string>();
  list.forEach((raw, i) => {
    const p = at(path, i);
    const model = check.object(raw, p, 'a model { "id", "task", "accuracy", "memory" }', MODEL_KEYS);
    if (model === undefined) return;
    const id = check.string(model.id, field(p, 'id'), 'a non-empty model id');
    const task = check.string(model.task, field(p, 'task'), 'a non-empty task name such as "classification"');
    const accuracy = check.fraction(model.accuracy, field(p, 'accuracy'));
    const memoryBytes = check.quantity(model.memory, field(p, 'memory'), 'data', 'positive');
    check.string(model.source, field(p, 'source'), 'a string', { optional: true, allowEmpty: true });
    if (id !== undefined && check.unique(seen, id, field(p, 'id'), 'a model id')) index.set(id, variants.length);
    if (task !== undefined) tasks.add(task);
    variants.push({ id: id ?? '', task: task ?? '', accuracy: accuracy ?? NaN, memoryBytes: memoryBytes ?? NaN });
  });
  // Returned even with problems: references are checked against the ids that did parse, so a
  // bad accuracy on one model does not also flag every profile that names it.
  return { variants, index, tasks };
}

// --- device types ----------------------------------------------------------------------------

const DEVICE_TYPE_KEYS = ['execution', 'memory', 'idlePower', 'activePower', 'onChipMemory', 'swapBandwidth', 'interference', 'maxQueue', 'profiles', 'source'] as const;
const PROFILE_KEYS = ['latency', 'batchLatency', 'replicas', 'source'] as const;
const INTERFERENCE_KEYS = {
  none: ['kind'],
  linear: ['kind', 'slope'],
  matrix: ['kind', 'variants', 'factors'],
} as const;

/** What a device type fixes for every device of that type. */
type DeviceType = Omit<Device, 'id' | 'site' | 'type'>;

function readDeviceTypes(value: unknown, check: Checker, models: LoadedModels | undefined): Map<string, DeviceType> | undefined {
  const path = '$.deviceTypes';
  const entries = check.record(value, path, 'an object of device types by name, e.g. { "jetson-nx": { … } }', { nonEmpty: true });
  if (entries === undefined) return undefined;
  const types = new Map<string, DeviceType>();
  for (const [name, raw] of entries) {
    const p = entry(path, name);
    const t = check.object(raw, p, 'a device type { "execution", "memory", "idlePower", "activePower", "profiles" }', DEVICE_TYPE_KEYS);
    if (t === undefined) continue;
    const kind = check.oneOf(t.execution, field(p, 'execution'), ['concurrent', 'time-shared'] as const);
    const memoryBytes = check.quantity(t.memory, field(p, 'memory'), 'data', 'positive');
    const idlePowerW = check.quantity(t.idlePower, field(p, 'idlePower'), 'power', 'non-negative');
    const activePowerW = check.quantity(t.activePower, field(p, 'activePower'), 'power', 'non-negative');
    let execution: Execution = { kind: 'concurrent' };
    if (kind === 'time-shared') {
      const why = 'a time-shared device reloads weights that do not fit on chip';
      const onChipBytes = check.quantity(t.onChipMemory, field(p, 'onChipMemory'), 'data', 'positive', { why });
      const swapBps = check.quantity(t.swapBandwidth, field(p, 'swapBandwidth'), 'bandwidth', 'positive', { why });
      execution = { kind: 'time-shared', onChipBytes: onChipBytes ?? NaN, swapBytesPerMs: swapBps === undefined ? NaN : swapBps / 8 / 1000 };
    } else if (kind === 'concurrent') {
      for (const key of ['onChipMemory', 'swapBandwidth'] as const) {
        if (t[key] !== undefined) check.fail(field(p, key), `no ${key}: it applies to "time-shared" devices only`, describe(t[key]));
      }
    }
    const maxQueue = check.number(t.maxQueue, field(p, 'maxQueue'), { integer: true, min: 1 }, { optional: true }) ?? 64;
    check.string(t.source, field(p, 'source'), 'a string', { optional: true, allowEmpty: true });

    const profiles = new Map<number, VariantProfile>();
    const profilesPath = field(p, 'profiles');
    for (const [modelId, rawProfile] of check.record(t.profiles, profilesPath, 'an object of profiles by model id, e.g. { "resnet50": { "latency": "4.2 ms" } }', { nonEmpty: true }) ?? []) {
      const pp = entry(profilesPath, modelId);
      const variant = models?.index.get(modelId);
      if (models !== undefined && variant === undefined) {
        check.fail(pp, `a model id from $.models (${listIds(models.index.keys())})`, `${JSON.stringify(modelId)}, which is no model`);
      }
      const profile = check.object(rawProfile, pp, 'a profile { "latency", "batchLatency"? }', PROFILE_KEYS);
      if (profile === undefined) continue;
      const latencyMs = check.quantity(profile.latency, field(pp, 'latency'), 'rate-or-time', 'positive');
      check.string(profile.source, field(pp, 'source'), 'a string', { optional: true, allowEmpty: true });
      const out: VariantProfile = { latencyMs: latencyMs ?? NaN };
      const replicas = check.number(profile.replicas, field(pp, 'replicas'), { integer: true, min: 1 }, { optional: true });
      if (replicas !== undefined) out.replicas = replicas;
      const batchPath = field(pp, 'batchLatency');
      const batch = check.array(profile.batchLatency, batchPath, 'a non-empty array of times, one per batch size 1, 2, …', { optional: true, nonEmpty: true });
      if (batch !== undefined) {
        const times = batch.map((b, i) => check.quantity(b, at(batchPath, i), 'time', 'positive'));
        times.forEach((ms, i) => {
          const previous = i > 0 ? times[i - 1] : undefined;
          if (ms !== undefined && previous !== undefined && ms < previous) {
            check.fail(at(batchPath, i), `a time of at least ${previous} ms (batch ${i}'s): a larger batch never takes less time`, describe(batch[i]));
          }
        });
        out.batchLatencyMs = times.map((ms) => ms ?? NaN);
      }
      if (variant !== undefined) profiles.set(variant, out);
    }

    const interference = readInterference(t.interference, field(p, 'interference'), check, models, profiles, kind);
    types.set(name, {
      execution,
      memoryBytes: memoryBytes ?? NaN,
      idlePowerW: idlePowerW ?? NaN,
      activePowerW: activePowerW ?? NaN,
      profiles,
      interference: interference ?? { kind: 'none' },
      maxQueue,
    });
  }
  return types;
}

function readInterference(
  value: unknown,
  path: string,
  check: Checker,
  models: LoadedModels | undefined,
  profiles: Map<number, VariantProfile>,
  execution: 'concurrent' | 'time-shared' | undefined,
): Interference | undefined {
  if (value === undefined) return { kind: 'none' };
  const kind = isPlainObject(value) ? check.oneOf(value.kind, field(path, 'kind'), ['none', 'linear', 'matrix'] as const) : undefined;
  const what = 'an interference model { "kind": "none" | "linear" | "matrix", … }';
  const obj = check.object(value, path, what, kind === undefined ? unionOf(INTERFERENCE_KEYS) : INTERFERENCE_KEYS[kind]);
  if (obj === undefined || kind === undefined) return undefined;
  if (kind !== 'none' && execution === 'time-shared') {
    return check.fail(field(path, 'kind'), '"none": a time-shared device runs one query at a time, so nothing interferes', JSON.stringify(kind));
  }
  if (kind === 'none') return { kind };
  if (kind === 'linear') {
    const slope = check.number(obj.slope, field(path, 'slope'), { min: 0 });
    return slope === undefined ? undefined : { kind, slope };
  }

  // matrix: factors[variant] nested one level per listed variant, indexed by how many of it run.
  const variantsPath = field(path, 'variants');
  const listed = check.array(obj.variants, variantsPath, 'a non-empty array of model ids', { nonEmpty: true });
  const variants: number[] = [];
  const seen = new Map<string, string>();
  const resolveModel = (id: unknown, p: string): number | undefined => {
    const s = check.string(id, p, 'a model id');
    if (s === undefined || models === undefined) return undefined;
    const v = models.index.get(s);
    if (v === undefined) return check.fail(p, `a model id from $.models (${listIds(models.index.keys())})`, `${JSON.stringify(s)}, which is no model`);
    if (!profiles.has(v)) return check.fail(p, `a model this device type has a profile for (${listIds(profileIds(profiles, models))})`, `${JSON.stringify(s)}, which has none`);
    return v;
  };
  (listed ?? []).forEach((id, i) => {
    const v = resolveModel(id, at(variantsPath, i));
    if (v !== undefined && typeof id === 'string' && check.unique(seen, id, at(variantsPath, i), 'a variant')) variants.push(v);
  });
  const factors = new Map<number, NestedFactors>();
  const factorsPath = field(path, 'factors');
  const depth = listed?.length ?? 0;
  for (const [modelId, nested] of check.record(obj.factors, factorsPath, 'an object of factor arrays by model id', { nonEmpty: true }) ?? []) {
    const p = entry(factorsPath, modelId);
    const v = resolveModel(modelId, p);
    const parsed = depth > 0 ? readNestedFactors(nested, p, depth, depth, check) : undefined;
    if (v !== undefined && parsed !== undefined) factors.set(v, parsed);
  }
  return { kind, variants, factors };
}

/** Nested arrays `remaining` levels deep of factors > 0; "Infinity" (JSON has no ∞) means refuse. */
function readNestedFactors(value: unknown, path: string, remaining: number, depth: number, check: Checker): NestedFactors | undefined {
  if (remaining === 0) {
    if (value === 'Infinity') return Infinity;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
    const nesting = Array.isArray(value) ? ` (arrays nest ${depth} level${depth > 1 ? 's' : ''} deep, one per entry of "variants")` : '';
    return check.fail(path, `a slowdown factor: a number greater than 0, or "Infinity" to refuse${nesting}`, describe(value));
  }
  if (!Array.isArray(value) || value.length === 0) {
    return check.fail(
      path,
      `a non-empty array nested ${remaining} more level${remaining > 1 ? 's' : ''} (one level per entry of "variants", ${depth} in all)`,
      describe(value),
    );
  }
  const out: NestedFactors[] = [];
  let ok = true;
  value.forEach((item, i) => {
    const f = readNestedFactors(item, at(path, i), remaining - 1, depth, check);
    if (f === undefined) ok = false;
    else out.push(f);
  });
  return ok ? out : undefined;
}

// --- devices ---------------------------------------------------------------------------------

const DEVICE_KEYS = ['id', 'type', 'site', 'count'] as const;

function readDevices(value: unknown, check: Checker, types: Map<string, DeviceType> | undefined, topology: LoadedTopology | undefined): Device[] | undefined {
  const path = '$.devices';
  const list = check.array(value, path, 'a non-empty array of devices { "id", "type", "site", "count"? }', { nonEmpty: true });
  if (list === undefined) return undefined;
  const before = check.count;
  const devices: Device[] = [];
  const seen = new Map<string, string>();
  list.forEach((raw, i) => {
    const p = at(path, i);
    const d = check.object(raw, p, 'a device { "id", "type", "site", "count"? }', DEVICE_KEYS);
    if (d === undefined) return;
    const id = check.string(d.id, field(p, 'id'), 'a non-empty device id');
    const typeName = check.string(d.type, field(p, 'type'), 'a device type from $.deviceTypes');
    let type: DeviceType | undefined;
    if (typeName !== undefined && types !== undefined) {
      type = types.get(typeName);
      if (type === undefined) check.fail(field(p, 'type'), `a device type from $.deviceTypes (${listIds(types.keys())})`, `${JSON.stringify(typeName)}, which is no device type`);
    }
    const siteId = check.string(d.site, field(p, 'site'), 'a node id from $.topology');
    let site: number | undefined;
    if (siteId !== undefined && topology !== undefined) {
      site = topology.index.get(siteId);
      if (site === undefined) check.fail(field(p, 'site'), `a node id from $.topology (${listIds(topology.index.keys())})`, `${JSON.stringify(siteId)}, which is no node`);
    }
    const count = check.number(d.count, field(p, 'count'), { integer: true, min: 1 }, { optional: true });
    if (id === undefined) return;
    const ids = d.count === undefined ? [id] : Array.from({ length: count ?? 0 }, (_, k) => `${id}-${k}`);
    for (const deviceId of ids) {
      if (!check.unique(seen, deviceId, field(p, 'id'), 'a device id (after expanding "count")')) continue;
      if (type === undefined || site === undefined) continue;
      devices.push({
        id: deviceId,
        site,
        type: typeName ?? '',
        execution: type.execution,
        memoryBytes: type.memoryBytes,
        idlePowerW: type.idlePowerW,
        activePowerW: type.activePowerW,
        profiles: new Map(type.profiles),
        interference: type.interference,
        maxQueue: type.maxQueue,
      });
    }
  });
  return check.count > before ? undefined : devices;
}

// --- applications ----------------------------------------------------------------------------

const APPLICATION_KEYS = ['id', 'task', 'accuracy', 'latencyBudget', 'frameRate', 'inputSize', 'duration', 'weight'] as const;
const DURATION_KEYS = { fixed: ['kind', 'value'], exponential: ['kind', 'mean'], uniform: ['kind', 'min', 'max'] } as const;

interface LoadedApplications {
  list: Application[];
  index: Map<string, number>;
}

function readApplications(value: unknown, check: Checker, models: LoadedModels | undefined): LoadedApplications | undefined {
  const path = '$.applications';
  const list = check.array(value, path, 'a non-empty array of applications { "id", "task", "accuracy", "latencyBudget", … }', { nonEmpty: true });
  if (list === undefined) return undefined;
  const before = check.count;
  const apps: Application[] = [];
  const index = new Map<string, number>();
  const seen = new Map<string, string>();
  let totalWeight = 0;
  list.forEach((raw, i) => {
    const p = at(path, i);
    const a = check.object(raw, p, 'an application { "id", "task", "accuracy", "latencyBudget", "frameRate", "inputSize", "duration" }', APPLICATION_KEYS);
    if (a === undefined) return;
    const id = check.string(a.id, field(p, 'id'), 'a non-empty application id');
    const task = check.string(a.task, field(p, 'task'), 'a task name');
    if (task !== undefined && models !== undefined && !models.tasks.has(task)) {
      check.fail(field(p, 'task'), `a task some model in $.models performs (${listIds(models.tasks)})`, `${JSON.stringify(task)}, which no model performs`);
    }
    const accuracy = check.fraction(a.accuracy, field(p, 'accuracy'));
    const latencyBudgetMs = check.quantity(a.latencyBudget, field(p, 'latencyBudget'), 'time', 'positive');
    const frameHz = check.quantity(a.frameRate, field(p, 'frameRate'), 'frequency', 'positive');
    const inputBytes = check.quantity(a.inputSize, field(p, 'inputSize'), 'data', 'positive');
    const duration = readDuration(a.duration, field(p, 'duration'), check);
    const weight = check.number(a.weight, field(p, 'weight'), { min: 0 }, { optional: true }) ?? 1;
    totalWeight += weight;
    if (id !== undefined && check.unique(seen, id, field(p, 'id'), 'an application id')) index.set(id, apps.length);
    apps.push({
      id: id ?? '',
      task: task ?? '',
      accuracy: accuracy ?? NaN,
      latencyBudgetMs: latencyBudgetMs ?? NaN,
      frameIntervalMs: frameHz === undefined ? NaN : 1000 / frameHz,
      inputBytes: inputBytes ?? NaN,
      duration: duration ?? { kind: 'fixed', valueMs: NaN },
      weight,
    });
  });
  if (check.count === before && !(totalWeight > 0)) {
    check.fail(path, 'at least one application with a weight greater than 0', 'every weight is 0');
  }
  return check.count > before ? undefined : { list: apps, index };
}

function readDuration(value: unknown, path: string, check: Checker): Distribution | undefined {
  const kind = isPlainObject(value) ? check.oneOf(value.kind, field(path, 'kind'), ['fixed', 'exponential', 'uniform'] as const) : undefined;
  const what = 'a duration { "kind": "fixed", "value" } | { "kind": "exponential", "mean" } | { "kind": "uniform", "min", "max" }';
  const d = check.object(value, path, what, kind === undefined ? unionOf(DURATION_KEYS) : DURATION_KEYS[kind]);
  if (d === undefined || kind === undefined) return undefined;
  if (kind === 'fixed') {
    const valueMs = check.quantity(d.value, field(path, 'value'), 'time', 'positive');
    return valueMs === undefined ? undefined : { kind, valueMs };
  }
  if (kind === 'exponential') {
    const meanMs = check.quantity(d.mean, field(path, 'mean'), 'time', 'positive');
    return meanMs === undefined ? undefined : { kind, meanMs };
  }
  const minMs = check.quantity(d.min, field(path, 'min'), 'time', 'non-negative');
  const maxMs = check.quantity(d.max, field(path, 'max'), 'time', 'positive');
  if (minMs === undefined || maxMs === undefined) return undefined;
  if (maxMs < minMs) return check.fail(field(path, 'max'), `a time of at least "min" (${minMs} ms)`, describe(d.max));
  return { kind, minMs, maxMs };
}

// --- workload --------------------------------------------------------------------------------

const WORKLOAD_KEYS = ['antennas', 'rate', 'schedule', 'cycle', 'trace'] as const;
const SCHEDULE_KEYS = ['at', 'rate'] as const;
const TRACE_COLUMNS = ['time_s', 'antenna', 'application'] as const;

interface LoadedWorkload {
  workload: Workload;
  /** Where each workload antenna was named, for errors about it. */
  antennaPaths: string[];
}

function readWorkload(
  value: unknown,
  check: Checker,
  topology: LoadedTopology | undefined,
  apps: LoadedApplications | undefined,
  baseDir: string,
): LoadedWorkload | undefined {
  const path = '$.workload';
  const w = check.object(value, path, 'a workload with one of "rate", "schedule" or "trace"', WORKLOAD_KEYS);
  if (w === undefined) return undefined;
  const before = check.count;

  // Antennas: listed ones must be antenna nodes; default every antenna in the topology.
  let antennas: number[] = [];
  let antennaPaths: string[] = [];
  const antennasPath = field(path, 'antennas');
  const listed = check.array(w.antennas, antennasPath, 'a non-empty array of antenna node ids', { optional: true, nonEmpty: true });
  if (listed !== undefined) {
    const seen = new Map<string, string>();
    listed.forEach((raw, i) => {
      const p = at(antennasPath, i);
      const id = check.string(raw, p, 'an antenna node id');
      if (id === undefined || topology === undefined || !check.unique(seen, id, p, 'an antenna')) return;
      const node = topology.index.get(id);
      const antennaIds = topology.spec.nodes.filter((n) => n.kind === 'antenna').map((n) => n.id);
      if (node === undefined) check.fail(p, `an antenna node id (${listIds(antennaIds)})`, `${JSON.stringify(id)}, which is no node`);
      else if (topology.spec.nodes[node].kind !== 'antenna') check.fail(p, `an antenna node id (${listIds(antennaIds)})`, `${JSON.stringify(id)}, a ${topology.spec.nodes[node].kind} node`);
      else {
        antennas.push(node);
        antennaPaths.push(p);
      }
    });
  } else if (topology !== undefined) {
    antennas = topology.spec.nodes.flatMap((n, i) => (n.kind === 'antenna' ? [i] : []));
    antennaPaths = antennas.map((i) => topology.nodePaths[i]);
    if (antennas.length === 0) check.fail('$.topology', 'at least one node of kind "antenna", where streams arrive', 'no antenna');
  }

  const given = (['rate', 'schedule', 'trace'] as const).filter((k) => w[k] !== undefined);
  if (given.length !== 1) {
    check.fail(
      path,
      'exactly one of "rate" (clients per minute), "schedule" or "trace"',
      given.length === 0 ? 'none of them' : `${given.map((k) => JSON.stringify(k)).join(' and ')} together`,
    );
  }

  let schedule: RatePoint[] = [{ atMs: 0, clientsPerMinute: 0 }];
  if (w.rate !== undefined) {
    const rate = check.perMinute(w.rate, field(path, 'rate'));
    if (rate !== undefined) schedule = [{ atMs: 0, clientsPerMinute: rate }];
  }
  if (w.schedule !== undefined) schedule = readSchedule(w.schedule, field(path, 'schedule'), check) ?? schedule;

  let cycleMs: number | undefined;
  if (w.cycle !== undefined) {
    if (w.schedule === undefined) {
      check.fail(field(path, 'cycle'), 'no "cycle" without a "schedule": it repeats the schedule', describe(w.cycle));
    } else {
      cycleMs = check.quantity(w.cycle, field(path, 'cycle'), 'time', 'positive');
      const last = schedule[schedule.length - 1].atMs;
      if (cycleMs !== undefined && cycleMs <= last) {
        check.fail(field(path, 'cycle'), `a period longer than the last schedule entry's start (${last} ms)`, describe(w.cycle));
      }
    }
  }

  let trace: TraceArrival[] | undefined;
  if (w.trace !== undefined) {
    const tracePath = check.string(w.trace, field(path, 'trace'), 'the path of a CSV file (time_s,antenna,application), relative to the scenario file');
    if (tracePath !== undefined && topology !== undefined && apps !== undefined) {
      trace = readTrace(tracePath, baseDir, check, topology, new Set(antennas), apps);
    }
  }
  if (check.count > before) return undefined;
  const workload: Workload = { antennas, schedule };
  if (cycleMs !== undefined) workload.cycleMs = cycleMs;
  if (trace !== undefined) workload.trace = trace;
  return { workload, antennaPaths };
}

function readSchedule(value: unknown, path: string, check: Checker): RatePoint[] | undefined {
  const list = check.array(value, path, 'a non-empty array of { "at", "rate" }, sorted by time, the first at "0 s"', { nonEmpty: true });
  if (list === undefined) return undefined;
  const before = check.count;
  const points: RatePoint[] = [];
  let previous: number | undefined;
  list.forEach((raw, i) => {
    const p = at(path, i);
    const entry = check.object(raw, p, 'a schedule entry { "at", "rate" }', SCHEDULE_KEYS);
    if (entry === undefined) return;
    const atMs = check.quantity(entry.at, field(p, 'at'), 'time', 'non-negative');
    const rate = check.perMinute(entry.rate, field(p, 'rate'));
    if (atMs !== undefined) {
      if (i === 0 && atMs !== 0) check.fail(field(p, 'at'), '"0 s": the schedule starts at time 0', describe(entry.at));
      if (i > 0 && previous !== undefined && !(atMs > previous)) {
        check.fail(field(p, 'at'), `a time after the previous entry's (${previous} ms): entries are sorted by time`, describe(entry.at));
      }
      previous = atMs;
    }
    points.push({ atMs: atMs ?? NaN, clientsPerMinute: rate ?? NaN });
  });
  return check.count > before ? undefined : points;
}

/** Reads a trace CSV; problems are reported against the trace file, by line. */
function readTrace(
  tracePath: string,
  baseDir: string,
  check: Checker,
  topology: LoadedTopology,
  antennas: Set<number>,
  apps: LoadedApplications,
): TraceArrival[] | undefined {
  const filePath = resolve(baseDir, tracePath);
  const file = displayPath(filePath);
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    return check.fail('$.workload.trace', 'a readable CSV file, relative to the scenario file', `${JSON.stringify(tracePath)} (${messageOf(error)})`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const before = check.count;
  let header: number[] | undefined; // column index of time_s, antenna, application
  const arrivals: TraceArrival[] = [];
  let previous = 0;
  const expectedHeader = `the header ${TRACE_COLUMNS.join(',')} (any order)`;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const where = `line ${n + 1}`;
    const cells = line.split(',').map((c) => c.trim());
    if (header === undefined) {
      const columns = TRACE_COLUMNS.map((name) => cells.indexOf(name));
      if (cells.length !== TRACE_COLUMNS.length || columns.includes(-1)) {
        check.fail(where, expectedHeader, JSON.stringify(line), file);
        return undefined;
      }
      header = columns;
      continue;
    }
    if (cells.length !== TRACE_COLUMNS.length) {
      check.fail(where, `${TRACE_COLUMNS.length} comma-separated values (${TRACE_COLUMNS.join(',')})`, `${cells.length}: ${JSON.stringify(line)}`, file);
      continue;
    }
    const [timeText, antennaId, appId] = header.map((c) => cells[c]);
    const seconds = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(timeText) ? Number(timeText) : NaN;
    let bad = false;
    if (!(Number.isFinite(seconds) && seconds >= 0)) {
      check.fail(`${where}, column time_s`, 'a time in seconds of at least 0', JSON.stringify(timeText), file);
      bad = true;
    } else if (seconds * 1000 < previous) {
      check.fail(`${where}, column time_s`, `a time of at least the previous row's (${previous / 1000} s): rows are sorted by time`, JSON.stringify(timeText), file);
      bad = true;
    }
    const node = topology.index.get(antennaId);
    if (node === undefined || !antennas.has(node)) {
      const why = node === undefined ? 'which is no node' : topology.spec.nodes[node].kind !== 'antenna' ? `a ${topology.spec.nodes[node].kind} node` : 'not in $.workload.antennas';
      const ids = [...antennas].map((i) => topology.spec.nodes[i].id);
      check.fail(`${where}, column antenna`, `an antenna of the workload (${listIds(ids)})`, `${JSON.stringify(antennaId)}, ${why}`, file);
      bad = true;
    }
    const application = apps.index.get(appId);
    if (application === undefined) {
      check.fail(`${where}, column application`, `an application id from $.applications (${listIds(apps.index.keys())})`, `${JSON.stringify(appId)}, which is no application`, file);
      bad = true;
    }
    if (bad || node === undefined || application === undefined) continue;
    previous = seconds * 1000;
    arrivals.push({ atMs: previous, antenna: node, application });
  }
  if (header === undefined) return check.fail('line 1', expectedHeader, 'an empty file', file);
  if (check.count === before && arrivals.length === 0) return check.fail(`line ${lines.length}`, 'at least one arrival after the header', 'no rows', file);
  return check.count > before ? undefined : arrivals;
}

// --- service noise ---------------------------------------------------------------------------

const NOISE_KEYS = { deterministic: ['kind'], exponential: ['kind'], lognormal: ['kind', 'cv'] } as const;

function readServiceNoise(value: unknown, check: Checker): ServiceNoise | undefined {
  if (value === undefined) return { kind: 'deterministic' };
  const path = '$.serviceNoise';
  const kind = isPlainObject(value) ? check.oneOf(value.kind, field(path, 'kind'), ['deterministic', 'exponential', 'lognormal'] as const) : undefined;
  const noise = check.object(value, path, 'a service-noise model { "kind": "deterministic" | "exponential" | "lognormal", "cv"? }', kind === undefined ? unionOf(NOISE_KEYS) : NOISE_KEYS[kind]);
  if (noise === undefined || kind === undefined) return undefined;
  if (kind !== 'lognormal') return { kind };
  const cv = check.number(noise.cv, field(path, 'cv'), { greaterThan: 0 });
  return cv === undefined ? undefined : { kind, cv };
}

// --- whole-scenario checks -------------------------------------------------------------------

/** Every workload antenna must reach at least one device's site, or its streams could go nowhere. */
function checkReachable(topology: LoadedTopology, devices: Device[], workload: LoadedWorkload, check: Checker): void {
  const n = topology.spec.nodes.length;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const { from, to } of topology.spec.links) {
    neighbours[from].push(to);
    neighbours[to].push(from);
  }
  const sites = new Set(devices.map((d) => d.site));
  workload.workload.antennas.forEach((antenna, i) => {
    const seen = new Uint8Array(n);
    const stack = [antenna];
    seen[antenna] = 1;
    while (stack.length > 0) {
      const u = stack.pop() as number;
      if (sites.has(u)) return;
      for (const v of neighbours[u]) {
        if (seen[v] === 0) {
          seen[v] = 1;
          stack.push(v);
        }
      }
    }
    check.fail(
      workload.antennaPaths[i],
      'an antenna linked (through any number of links) to the site of at least one device',
      `antenna ${JSON.stringify(topology.spec.nodes[antenna].id)}, from which no device is reachable`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** Every key any variant of a tagged object allows, so a bad "kind" does not also flag its other keys. */
function unionOf(keysByKind: Record<string, readonly string[]>): string[] {
  return [...new Set(Object.values(keysByKind).flat())];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A found value, as a message shows it. */
function describe(value: unknown): string {
  if (value === undefined) return MISSING;
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}…"` : s;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    return `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
  }
  return typeof value;
}

/** Ids for an "expected one of" list, cut after a few. */
function listIds(ids: Iterable<string>): string {
  const all = [...ids];
  if (all.length === 0) return 'there are none';
  const shown = all.slice(0, 8).map((id) => JSON.stringify(id));
  return `${shown.join(', ')}${all.length > 8 ? `, … ${all.length - 8} more` : ''}`;
}

function profileIds(profiles: Map<number, VariantProfile>, models: LoadedModels): string[] {
  const byIndex = new Map([...models.index].map(([id, i]) => [i, id]));
  return [...profiles.keys()].map((i) => byIndex.get(i) ?? String(i));
}

/** The allowed key a typo most likely meant: same letters ignoring case, or within edit distance 2. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const candidate of allowed) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** JSON.parse's message (on one line) with the line and column of the first error. */
function jsonErrorWhere(message: string, text: string): string {
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  const offset = jsonErrorOffset(text);
  if (offset < 0) return oneLine;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${oneLine} (line ${line}, column ${column})`;
}

/**
 * Offset of the first character that makes `text` invalid JSON (−1 if it is valid). Node 20's
 * JSON.parse messages carry no position, so a failed parse is scanned again to find it.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const fail = (): never => {
    throw i;
  };
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < ' ') fail();
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
  };
  const sequence = (close: string, item: () => void): void => {
    i++; // opening bracket
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else fail();
    }
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      sequence('}', () => {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
      });
    } else if (ch === '[') sequence(']', value);
    else if (ch === '"') string();
    else {
      for (const literal of ['true', 'false', 'null']) {
        if (text.startsWith(literal, i)) {
          i += literal.length;
          return;
        }
      }
      number.lastIndex = i;
      if (!number.test(text)) fail();
      i = number.lastIndex;
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return -1;
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
}

/** A path as short as it can be shown: relative to the working directory when inside it. */
function displayPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}
