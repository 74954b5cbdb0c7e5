// The query log: one Arrow row per simulated query (arrival, where it went, how long each leg
// took, how it ended), fed by the simulator's per-query observer into typed-array columns.

import { BatchLog, type BatchOptions, batchCapacity, rowBytes } from '../../../src/replay/batch-log.js';
import { type ColumnBuffer, DictionaryColumn, Int64Column, NumberColumn } from '../../../src/replay/columns.js';
import { PACKAGE_VERSION } from '../../../src/replay/schema.js';
import { Outcome, type OutcomeCode } from './metrics.js';
import type { Scenario } from '../model.js';
import { type EdgeSimulator, type QueryObserver, setSimulatorTap } from './simulator.js';

/** Schema metadata `edgegym.format` of a query log. */
export const QUERY_LOG_FORMAT = 'edgegym.queries/1';
/** Segment files are `queries-00000.arrows`, … */
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
 * Columns: `run` (which simulator, numbered as they start), `arrival_ms` and `time_ms` (when the
 * query was generated and when it ended), `stream`, `application`, `antenna`, `device`,
 * `instance`, `variant`, `network_ms`, `queue_ms`, `service_ms`, `latency_ms`, `outcome`,
 * `outcome_name`, `energy_j`. Strings are dictionary-encoded; what a query never reached is null.
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
  private nextRun = 0;

  constructor(dir: string, scenario: Scenario, probe: EdgeSimulator, options: QueryLogOptions = {}) {
    this.scenario = scenario;
    this.instDevice = probe.instDevice.slice();
    this.instVariant = probe.instVariant.slice();
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

  /** An observer for `sim` (pass it as `onQuery`), its rows tagged with a new run number. */
  observer(sim: EdgeSimulator): QueryObserver {
    if (sim.scenario.name !== this.scenario.name || sim.numInstances !== this.instDevice.length) {
      throw new Error(`query log ${this.dir}: a simulator of scenario ${sim.scenario.name} cannot join a log of ${this.scenario.name}`);
    }
    const run = this.nextRun++;
    return (timeMs, stream, application, instance, latencyMs, outcome, serviceMs, antenna, arrivalMs) => {
      const c = this.c;
      const r = this.log.row();
      c.run.values[r] = run;
      c.arrival.values[r] = arrivalMs;
      c.time.values[r] = timeMs;
      c.stream.set(r, stream);
      c.application.codes[r] = application;
      c.antenna.codes[r] = antenna;
      c.outcome.values[r] = outcome;
      c.outcomeName.codes[r] = outcome;
      if (instance >= 0) {
        c.device.codes[r] = this.instDevice[instance];
        c.device.setValid(r);
        c.variant.codes[r] = this.instVariant[instance];
        c.variant.setValid(r);
        c.instance.values[r] = instance;
        c.instance.setValid(r);
        c.network.values[r] = sim.networkDelayMs(antenna, application, instance);
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

/**
 * Opens a query log in `dir` that every simulator built afterwards writes into, those that envs
 * build inside themselves included, until `close()`. The log's files are created when the first
 * simulator appears, since its scenario fixes the dictionaries.
 */
export function recordQueries(dir: string, options: QueryLogOptions = {}): { log: () => QueryLog | null; close: () => void } {
  let log: QueryLog | null = null;
  const previous = setSimulatorTap((sim) => {
    log ??= new QueryLog(dir, sim.scenario, sim, options);
    return log.observer(sim);
  });
  return {
    log: () => log,
    close: () => {
      setSimulatorTap(previous);
      log?.close();
    },
  };
}
