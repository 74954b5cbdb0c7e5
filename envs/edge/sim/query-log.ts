// The query log: one Arrow row per simulated query (arrival, where it went, how long each leg
// took, how it ended), fed by the simulators' per-query observers into typed-array columns, and
// how it is attached to an env, or to each thread of a vector of envs.

import path from 'node:path';
import type { Env } from '../../../src/env.js';
import { BatchLog, type BatchOptions, batchCapacity, rowBytes } from '../../../src/replay/batch-log.js';
import { type ColumnBuffer, DictionaryColumn, Int64Column, NumberColumn } from '../../../src/replay/columns.js';
import { PACKAGE_VERSION } from '../../../src/replay/schema.js';
import { checkLogDirectory } from '../../../src/replay/segments.js';
import type { SubEnvContext, SubEnvResource, SubEnvSetup } from '../../../src/vector/setup.js';
import { antennaSlots, instanceLayout, networkDelays } from './layout.js';
import { Outcome, type OutcomeCode } from './metrics.js';
import type { Scenario } from '../model.js';
import { isRecordingEnv, type QueryObserver, type QueryRecorder, type RecordingEnv } from './query-observer.js';

/** Schema metadata `edgegym.format` of a query log. */
export const QUERY_LOG_FORMAT = 'edgegym.queries/1';
/** Segment files are `queries-00000.arrows`, … (`queries-w0-00000.arrows`, … for worker thread 0's part). */
export const QUERY_LOG_PREFIX = 'queries';

/** Outcome names by code, as the `outcome_name` column spells them. */
export const OUTCOME_NAMES: Readonly<Record<OutcomeCode, string>> = {
  [Outcome.SUCCESS]: 'success', [Outcome.LATE]: 'late', [Outcome.INACCURATE]: 'inaccurate', [Outcome.LATE_AND_INACCURATE]: 'late-and-inaccurate', [Outcome.REJECTED]: 'rejected',
};

export interface QueryLogOptions extends BatchOptions {
  /** Who produced the queries (policy or agent name), for the metadata. */
  writer?: string;
  /** Extra metadata, e.g. the env id and seed. */
  metadata?: Record<string, string>;
}

/**
 * Columns: `env` (which env of a vector the query's simulator belongs to; 0 for one env), `run`
 * (which of that env's simulators, numbered from 0 as they start: an episode, or a Placement
 * check), `arrival_ms` and `time_ms` (when the query was generated and when it ended), `stream`,
 * `application`, `antenna`, `device`, `instance`, `variant`, `network_ms`, `queue_ms`,
 * `service_ms`, `latency_ms`, `outcome`, `outcome_name`, `energy_j`. Strings are
 * dictionary-encoded from the scenario the log was opened on; what a query never reached is null.
 * Rows come in through `recorder(env)`, one recorder per env.
 */
export class QueryLog {
  readonly dir: string;
  readonly scenario: Scenario;
  private readonly log: BatchLog;
  private readonly c: ReturnType<typeof queryColumns>;
  /** Per instance: its device, variant, and joules per ms of service (NaN: not attributable). */
  private readonly instDevice: Int32Array;
  private readonly instVariant: Int32Array;
  private readonly joulesPerMs: Float64Array;
  private readonly antennaSlot: Int32Array;
  private readonly delayMs: Float64Array;

  constructor(dir: string, scenario: Scenario, options: QueryLogOptions = {}) {
    this.scenario = scenario;
    const layout = instanceLayout(scenario);
    this.instDevice = layout.device;
    this.instVariant = layout.variant;
    this.antennaSlot = antennaSlots(scenario);
    this.delayMs = networkDelays(scenario);
    // A time-shared device runs one query at a time, so its busy time is that query's: the extra
    // power over idle times the service time is the query's energy. Concurrent devices share busy
    // time among batches and co-running variants, which the simulator does not split.
    this.joulesPerMs = Float64Array.from(this.instDevice, (d) => {
      const dev = scenario.devices[d];
      return dev.execution.kind === 'time-shared' ? (dev.activePowerW - dev.idlePowerW) / 1000 : NaN;
    });
    const probeColumns = queryColumns(scenario, 1);
    const cap = batchCapacity(rowBytes(Object.values(probeColumns).map((c) => c.field)), options);
    this.c = queryColumns(scenario, cap);
    const metadata = new Map<string, string>([
      ['edgegym.format', QUERY_LOG_FORMAT], ['edgegym.version', PACKAGE_VERSION], ['edgegym.scenario', scenario.name],
      ['edgegym.writer', options.writer ?? 'unknown'], ['edgegym.start_time', new Date().toISOString()],
      ...Object.entries(options.metadata ?? {}),
    ]);
    this.log = new BatchLog(dir, QUERY_LOG_PREFIX, Object.values(this.c) as ColumnBuffer[], metadata, options);
    this.dir = this.log.segments.dir;
  }

  /** Rows written so far, flushed or not. */
  get rows(): number {
    return this.log.flushedRows + this.log.rows;
  }

  /** Bytes on disk so far. */
  get bytes(): number {
    return this.log.segments.bytes;
  }

  /**
   * The recorder of env `env` (0 for one env): each `observer(scenario)` it gives starts the
   * env's next run; `scenario` must be the log's (the same name and numbering).
   */
  recorder(env = 0): QueryRecorder {
    if (!(Number.isInteger(env) && env >= 0)) throw new RangeError(`query log ${this.dir}: env must be an index ≥ 0, got ${env}`);
    let nextRun = 0;
    return { observer: (scenario) => this.observer(scenario, env, nextRun++) };
  }

  private observer(scenario: Scenario, env: number, run: number): QueryObserver {
    const own = this.scenario;
    if (scenario !== own && (scenario.name !== own.name || scenario.applications.length !== own.applications.length || scenario.devices.length !== own.devices.length || scenario.variants.length !== own.variants.length)) {
      throw new Error(`query log ${this.dir}: a simulator of scenario ${scenario.name} cannot join a log of ${own.name}`);
    }
    const A = own.applications.length;
    const D = own.devices.length;
    return (timeMs, stream, application, instance, latencyMs, outcome, serviceMs, antenna, arrivalMs) => {
      const c = this.c;
      const r = this.log.row();
      c.env.values[r] = env;
      c.run.values[r] = run;
      c.arrival.values[r] = arrivalMs;
      c.time.values[r] = timeMs;
      c.stream.set(r, stream);
      c.application.codes[r] = application;
      c.antenna.codes[r] = antenna;
      c.outcome.values[r] = outcome;
      c.outcomeName.codes[r] = outcome;
      if (instance >= 0) {
        const device = this.instDevice[instance];
        c.device.codes[r] = device;
        c.device.setValid(r);
        c.variant.codes[r] = this.instVariant[instance];
        c.variant.setValid(r);
        c.instance.values[r] = instance;
        c.instance.setValid(r);
        c.network.values[r] = this.delayMs[(this.antennaSlot[antenna] * A + application) * D + device];
        c.network.setValid(r);
      }
      if (!Number.isNaN(latencyMs)) {
        c.latency.values[r] = latencyMs;
        c.latency.setValid(r);
        c.service.values[r] = serviceMs;
        c.service.setValid(r);
        c.queue.values[r] = latencyMs - serviceMs - c.network.values[r];
        c.queue.setValid(r);
        const jpm = this.joulesPerMs[instance];
        if (!Number.isNaN(jpm)) {
          c.energy.values[r] = jpm * serviceMs;
          c.energy.setValid(r);
        }
      }
    };
  }

  flush(): void {
    this.log.flush();
  }

  close(): void {
    this.log.close();
  }
}

function queryColumns(scenario: Scenario, cap: number) {
  const nodes = scenario.topology.nodes.map((n) => n.id);
  return {
    env: new NumberColumn('env', 'int32', cap),
    run: new NumberColumn('run', 'int32', cap),
    arrival: new NumberColumn('arrival_ms', 'float64', cap),
    time: new NumberColumn('time_ms', 'float64', cap),
    stream: new Int64Column('stream', cap),
    application: new DictionaryColumn('application', scenario.applications.map((a) => a.id), 0, cap),
    antenna: new DictionaryColumn('antenna', nodes, 1, cap),
    device: new DictionaryColumn('device', scenario.devices.map((d) => d.id), 2, cap, true),
    instance: new NumberColumn('instance', 'int32', cap, true),
    variant: new DictionaryColumn('variant', scenario.variants.map((v) => v.id), 3, cap, true),
    network: new NumberColumn('network_ms', 'float64', cap, true),
    queue: new NumberColumn('queue_ms', 'float64', cap, true),
    service: new NumberColumn('service_ms', 'float64', cap, true),
    latency: new NumberColumn('latency_ms', 'float64', cap, true),
    outcome: new NumberColumn('outcome', 'int8', cap),
    outcomeName: new DictionaryColumn('outcome_name', Object.values(OUTCOME_NAMES), 4, cap),
    energy: new NumberColumn('energy_j', 'float64', cap, true),
  };
}

/** The env beneath `env`'s wrappers, if it runs edge simulators; else an error naming it. */
function recordingEnv(env: Env<unknown, unknown>): RecordingEnv {
  const inner = env.unwrapped;
  if (!isRecordingEnv(inner)) throw new TypeError(`query log: ${String(env)} runs no edge simulator, so it has no queries to log (use an EdgeSched env)`);
  return inner;
}

/**
 * Opens a query log in `dir` on `env`'s scenario and sends the queries of every simulator the env
 * builds from now on into it. Close the log after the env.
 */
export function logQueries(env: Env<unknown, unknown>, dir: string, options: QueryLogOptions = {}): QueryLog {
  const inner = recordingEnv(env);
  const log = new QueryLog(dir, inner.scenario, options);
  inner.recordQueries(log.recorder(0));
  return log;
}

/**
 * A `makeVec` set-up that logs the queries of every sub-env into `dir`: one log per thread, in
 * the vector's thread ('sync': `queries-00000.arrows`, …) or one part per worker thread ('async':
 * `queries-w0-00000.arrows`, `queries-w1-…`); each row's `env` is its sub-env's index. The
 * directory is checked here, before any worker starts. The vector closes the logs.
 */
export function queryLogSetup(dir: string, options: Omit<QueryLogOptions, 'part'> = {}): SubEnvSetup {
  const resolved = path.resolve(dir);
  checkLogDirectory(resolved, QUERY_LOG_PREFIX, options.append === true);
  return { fn: logSubEnvQueries, module: import.meta.url, name: 'logSubEnvQueries', options: { ...options, dir: resolved } };
}

/** The function `queryLogSetup` names: opens this thread's log and attaches each sub-env to it. */
export function logSubEnvQueries(envs: readonly Env<unknown, unknown>[], context: SubEnvContext): SubEnvResource {
  const { dir, ...options } = context.options as QueryLogOptions & { dir: string };
  const inner = envs.map(recordingEnv);
  const worker = context.worker;
  const log = new QueryLog(dir, inner[0].scenario, {
    ...options,
    // The parts are written at once, each checking its own files only: queryLogSetup checked the rest.
    ...(worker === null ? {} : { part: `w${worker}`, metadata: { ...options.metadata, 'edgegym.worker': String(worker) } }),
  });
  inner.forEach((env, k) => env.recordQueries(log.recorder(context.first + k)));
  return log;
}
