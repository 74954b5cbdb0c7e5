// Scenario readers for `models`, `deviceTypes` (profiles, interference, memory, power) and
// `devices`, in the order references need them.

import type { Device, Execution, Interference, ModelVariant, NestedFactors, VariantProfile } from '../model.js';
import { at, Checker, describe, entry, field, isPlainObject, listIds, unionOf } from './checker.js';
import type { LoadedTopology } from './read-topology.js';

// --- models ----------------------------------------------------------------------------------

const MODEL_KEYS = ['id', 'task', 'accuracy', 'memory', 'source'] as const;

export interface LoadedModels {
  variants: ModelVariant[];
  index: Map<string, number>;
  tasks: Set<string>;
}

export function readModels(value: unknown, check: Checker): LoadedModels | undefined {
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

const DEVICE_TYPE_KEYS = ['execution', 'memory', 'idlePower', 'activePower', 'powerSaturation', 'onChipMemory', 'swapBandwidth', 'interference', 'maxQueue', 'profiles', 'source'] as const;
const PROFILE_KEYS = ['latency', 'batchLatency', 'replicas', 'source'] as const;
const INTERFERENCE_KEYS = {
  none: ['kind'],
  linear: ['kind', 'slope'],
  matrix: ['kind', 'variants', 'factors'],
} as const;

/** What a device type fixes for every device of that type. */
type DeviceType = Omit<Device, 'id' | 'site' | 'type'>;

export function readDeviceTypes(value: unknown, check: Checker, models: LoadedModels | undefined): Map<string, DeviceType> | undefined {
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
    const powerSaturation = check.number(t.powerSaturation, field(p, 'powerSaturation'), { min: 1 }, { optional: true }) ?? 1;
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
      powerSaturation,
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

export function readDevices(value: unknown, check: Checker, types: Map<string, DeviceType> | undefined, topology: LoadedTopology | undefined): Device[] | undefined {
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
        powerSaturation: type.powerSaturation,
      });
    }
  });
  // Without the device types or the topology no device could be built: an empty list here
  // would read as "no devices" to the whole-scenario checks and add false errors there.
  return check.count > before || types === undefined || topology === undefined ? undefined : devices;
}

function profileIds(profiles: Map<number, VariantProfile>, models: LoadedModels): string[] {
  const byIndex = new Map([...models.index].map(([id, i]) => [i, id]));
  return [...profiles.keys()].map((i) => byIndex.get(i) ?? String(i));
}
