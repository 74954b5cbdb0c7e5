// Scenario readers for `applications`, `workload` (rates, schedules, traces) and `serviceNoise`.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Application, Distribution, RatePoint, ServiceNoise, TraceArrival, Workload } from '../model.js';
import { at, Checker, describe, field, isPlainObject, listIds, messageOf, unionOf } from './checker.js';
import { displayPath } from './locations.js';
import type { LoadedModels } from './read-devices.js';
import type { LoadedTopology } from './read-topology.js';

// --- applications ----------------------------------------------------------------------------

const APPLICATION_KEYS = ['id', 'task', 'accuracy', 'latencyBudget', 'frameRate', 'inputSize', 'duration', 'weight'] as const;
const DURATION_KEYS = { fixed: ['kind', 'value'], exponential: ['kind', 'mean'], uniform: ['kind', 'min', 'max'] } as const;

interface LoadedApplications {
  list: Application[];
  index: Map<string, number>;
}

export function readApplications(value: unknown, check: Checker, models: LoadedModels | undefined): LoadedApplications | undefined {
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

export interface LoadedWorkload {
  workload: Workload;
  /** Where each workload antenna was named, for errors about it. */
  antennaPaths: string[];
}

export function readWorkload(
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

export function readServiceNoise(value: unknown, check: Checker): ServiceNoise | undefined {
  if (value === undefined) return { kind: 'deterministic' };
  const path = '$.serviceNoise';
  const kind = isPlainObject(value) ? check.oneOf(value.kind, field(path, 'kind'), ['deterministic', 'exponential', 'lognormal'] as const) : undefined;
  const noise = check.object(value, path, 'a service-noise model { "kind": "deterministic" | "exponential" | "lognormal", "cv"? }', kind === undefined ? unionOf(NOISE_KEYS) : NOISE_KEYS[kind]);
  if (noise === undefined || kind === undefined) return undefined;
  if (kind !== 'lognormal') return { kind };
  const cv = check.number(noise.cv, field(path, 'cv'), { greaterThan: 0 });
  return cv === undefined ? undefined : { kind, cv };
}
