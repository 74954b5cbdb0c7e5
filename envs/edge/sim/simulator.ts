// The edge-cloud inference simulator: streams arrive at antennas, send queries at their frame
// rate, cross the network to the model instance a dispatcher chose, queue, run (slowed by
// co-located work), and end as success, QoS violation or rejection. All state lives in typed
// arrays indexed by instance, device, stream and query slot; the hot loop allocates nothing.

import { Rng, type Seed } from '../../../src/rng.js';
import { type EventSwitch, Simulation } from '../../../src/sim/simulation.js';
import { DEFER, type DispatchRequest, type Dispatcher, REJECT } from './dispatch.js';
import { EdgeMetrics, type OutcomeCode, type OutcomeReport, Outcome, classify } from './metrics.js';
import type { Device, NestedFactors, Scenario, TopologySpec } from '../model.js';
import { Topology } from '../network/topology.js';

// Event kinds.
const ARRIVAL = 0; // a: antenna slot, b: arrival generation (stale after a rate change)
const FRAME = 1; // a: stream slot
const QUERY = 2; // a: query slot, reaching its device
const DONE = 3; // a: instance, its batch finishes
const DONE_SHARED = 4; // a: device (time-shared), its query finishes
const RATE = 5; // a: schedule index
const TRACE = 6; // a: trace row

// Routing tables cost O(nodes²) to build: build them once per topology and share them between
// simulators (a vector of envs over one scenario makes one).
const topologies = new WeakMap<TopologySpec, Topology>();
function topologyOf(spec: TopologySpec): Topology {
  let topology = topologies.get(spec);
  if (topology === undefined) {
    topology = new Topology(spec);
    topologies.set(spec, topology);
  }
  return topology;
}

/**
 * Called once per query with its outcome (for replay logs, rewards and tests); primitives only.
 * `serviceMs` is the time its batch ran (NaN when never served); `antenna` is a node index;
 * `arrivalMs` is when the query was generated at the antenna; `slowdown` the interference
 * factor its batch ran with: its running time with co-runners over its running time alone,
 * ECSRL's degradation (1 alone or time-shared; NaN when never served).
 */
export type QueryObserver = (
  timeMs: number,
  stream: number,
  application: number,
  instance: number,
  latencyMs: number,
  outcome: OutcomeCode,
  serviceMs: number,
  antenna: number,
  arrivalMs: number,
  slowdown: number,
) => void;

/** Sees every simulator as it is built and may add an observer of its queries (query logs). */
export type SimulatorTap = (sim: EdgeSimulator) => QueryObserver | undefined;
let simulatorTap: SimulatorTap | null = null;

/**
 * Installs `tap` for simulators built from now on (null removes it) and returns the previous
 * one. This is how a query log reaches the simulators an env builds inside itself.
 */
export function setSimulatorTap(tap: SimulatorTap | null): SimulatorTap | null {
  const previous = simulatorTap;
  simulatorTap = tap;
  return previous;
}

export interface SimulatorOptions {
  seed: Seed;
  dispatcher: Dispatcher;
  /** Replaces the scenario's arrival schedule with a constant λ (clients/min per antenna). */
  rate?: number;
  /** Replaces the scenario's schedule: [atMs, clientsPerMinute] points, first at 0. */
  schedule?: { atMs: number; clientsPerMinute: number }[];
  /** Multiplies every stream arrival rate (the scenario's schedule, `rate` or `schedule`); default 1. Traces are not scaled. */
  loadScale?: number;
  onQuery?: QueryObserver;
}

export class EdgeSimulator implements EventSwitch {
  readonly scenario: Scenario;
  readonly topology: Topology;
  readonly sim = new Simulation(this);
  readonly metrics: EdgeMetrics;
  readonly dispatcher: Dispatcher;

  // Independent random streams: changing the policy's draws never moves arrivals.
  private readonly arrivalsRng: Rng;
  private readonly serviceRng: Rng;
  private readonly policyRng: Rng;

  // Instances: one per (device, variant with a profile there, replica).
  readonly numInstances: number;
  readonly instDevice: Int32Array;
  readonly instVariant: Int32Array;
  private readonly instLatency: Float64Array; // batch-1 ms
  private readonly instBatchSize: Int32Array; // entries of its batch-latency table (0: batch 1 only)
  private readonly instBatchMs: Float64Array; // the tables, maxBatch per instance
  /** Queries waiting at each instance (concurrent devices). */
  readonly instQueued: Int32Array;
  /** Size of the batch in service (0 = idle). */
  readonly instInService: Int32Array;
  /** Streams bound to each instance. */
  readonly instBound: Int32Array;
  /** Queries per second the streams bound to each instance offer (their frame rates summed). */
  readonly instOfferedQps: Float64Array;
  /** Queries on their way over the network to each instance. */
  readonly instInFlight: Int32Array;
  private readonly instLoaded: Uint8Array;
  private readonly instAccuracy: Float64Array; // hot-path copy of the variant's accuracy
  private readonly instHead: Int32Array;
  private readonly queueCapacity: number; // a power of two, so ring positions wrap with a mask
  private readonly queueMask: number;
  private readonly instQueue: Int32Array; // ring buffers, queueCapacity per instance
  private readonly maxBatch: number;
  private readonly instBatch: Int32Array; // queries in service, maxBatch per instance
  private readonly instBatchStart: Float64Array; // when the batch in service started, ms
  private readonly instBatchFactor: Float64Array; // the interference factor it started with
  private readonly candidatesByApp: Int32Array[];
  private readonly instancesByDevice: Int32Array[];

  // Devices.
  readonly devInService: Int32Array; // batches running
  readonly devLoadedBytes: Float64Array;
  private readonly devBusySince: Float64Array;
  private readonly devBusyMs: Float64Array;
  private readonly devBusyTotalMs: Float64Array; // never reset, for rewards between decisions
  // Power: ∫ min(1, batches / powerSaturation) dt, the share of (active − idle) power drawn.
  private readonly devPowerPerBatch: Float64Array; // 1 / powerSaturation
  private readonly devLevelSince: Float64Array; // when the batch count last changed
  private readonly devActiveMs: Float64Array; // since the last resetMetrics
  private readonly devActiveTotalMs: Float64Array; // never reset
  private readonly devVariantRunning: Int32Array; // [device · variants + variant]
  private readonly numVariants: number;
  private readonly devQueued: Int32Array; // time-shared devices' one queue
  private readonly devHead: Int32Array;
  private readonly devQueue: Int32Array;
  private readonly devCurrent: Int32Array; // time-shared: query in service
  private readonly devLastVariant: Int32Array;
  private readonly devStart: Float64Array; // time-shared: when the query in service started
  private readonly devShared: Uint8Array; // 1 for time-shared devices (hot-path flag)
  private readonly devMaxQueue: Int32Array;
  private readonly devInterference: Uint8Array; // 0 none, 1 linear, 2 matrix (hot-path copy)
  private readonly devSlope: Float64Array; // linear interference slope
  // Hot-path copies of each application's needs.
  private readonly appBudgetMs: Float64Array;
  private readonly appAccuracy: Float64Array;
  private readonly appFrameMs: Float64Array;
  /** Network delay from each antenna to each device for each application's input, ms. */
  private readonly delayMs: Float64Array;
  private readonly antennaSlot: Int32Array; // node index → antenna slot (−1 otherwise)

  // Streams and queries: slot pools that grow by doubling.
  private sApp = new Int32Array(256);
  private sAntenna = new Int32Array(256);
  private sInst = new Int32Array(256); // instance, −1 per-query dispatch, −2 rejected
  private sEnd = new Float64Array(256);
  private sDelay = new Float64Array(256); // network delay of a bound stream's queries
  private sId = new Float64Array(256); // serial number: slots are reused, ids are not
  private nextStreamId = 0;
  private sFree = new Int32Array(256);
  private sFreeCount = 0;
  private sUsed = 0;
  private qApp = new Int32Array(1024);
  private qStream = new Float64Array(1024); // stream id (serial), not slot
  private qInst = new Int32Array(1024);
  private qGen = new Float64Array(1024);
  private qAntenna = new Int32Array(1024);
  private qFree = new Int32Array(1024);
  private qFreeCount = 0;
  private qUsed = 0;

  private readonly antennaGen: Int32Array;
  private readonly antennaRate: Float64Array; // clients per minute
  private readonly schedule: { atMs: number; clientsPerMinute: number }[];
  private readonly loadScale: number;
  private readonly appCdf: Float64Array;
  private readonly request: DispatchRequest = { granularity: 'stream', application: 0, antenna: 0, stream: 0, timeMs: 0 };
  private readonly onQuery: QueryObserver | undefined;
  private readonly ownObserver: QueryObserver | undefined;
  private readonly tapObserver: QueryObserver | undefined;
  private windowStartMs = 0;
  private readonly noiseKind: number; // 0 deterministic, 1 exponential, 2 lognormal
  private readonly noiseMu: number;
  private readonly noiseSigma: number;
  private cycleStartMs = 0;
  private started = false;

  constructor(scenario: Scenario, options: SimulatorOptions) {
    this.scenario = scenario;
    this.topology = topologyOf(scenario.topology);
    this.dispatcher = options.dispatcher;
    this.arrivalsRng = new Rng(options.seed, 'arrivals');
    this.serviceRng = new Rng(options.seed, 'service');
    this.policyRng = new Rng(options.seed, 'policy');
    this.metrics = new EdgeMetrics(scenario.applications.length);

    const devices = scenario.devices;
    const pairs: [number, number][] = [];
    devices.forEach((d, di) => {
      for (const v of [...d.profiles.keys()].sort((x, y) => x - y)) {
        for (let r = 0; r < (d.profiles.get(v)!.replicas ?? 1); r++) pairs.push([di, v]);
      }
    });
    const n = pairs.length;
    this.numInstances = n;
    this.instDevice = Int32Array.from(pairs, (p) => p[0]);
    this.instVariant = Int32Array.from(pairs, (p) => p[1]);
    this.instLatency = Float64Array.from(pairs, ([d, v]) => devices[d].profiles.get(v)!.latencyMs);
    const tables = pairs.map(([d, v]) => devices[d].profiles.get(v)!.batchLatencyMs ?? []);
    this.instBatchSize = Int32Array.from(tables, (t) => t.length);
    this.maxBatch = Math.max(1, ...this.instBatchSize) | 0;
    this.instBatchMs = new Float64Array(n * this.maxBatch);
    tables.forEach((t, i) => this.instBatchMs.set(t, i * this.maxBatch));
    this.queueCapacity = 2 ** Math.ceil(Math.log2(Math.max(1, ...devices.map((d) => d.maxQueue)))) | 0; // | 0: held as a small integer, not a boxed double
    this.queueMask = this.queueCapacity - 1;
    this.instQueued = new Int32Array(n);
    this.instInService = new Int32Array(n);
    this.instBound = new Int32Array(n);
    this.instOfferedQps = new Float64Array(n);
    this.instInFlight = new Int32Array(n);
    this.instLoaded = new Uint8Array(n);
    this.instAccuracy = Float64Array.from(pairs, ([, v]) => scenario.variants[v].accuracy);
    this.instHead = new Int32Array(n);
    this.instQueue = new Int32Array(n * this.queueCapacity);
    this.instBatch = new Int32Array(n * this.maxBatch);
    this.instBatchStart = new Float64Array(n);
    this.instBatchFactor = new Float64Array(n);
    this.instancesByDevice = devices.map((_, d) => Int32Array.from(pairs.flatMap(([pd], i) => (pd === d ? [i] : []))));
    this.candidatesByApp = scenario.applications.map((app) =>
      Int32Array.from(pairs.flatMap(([, v], i) => (scenario.variants[v].task === app.task ? [i] : []))),
    );

    const nd = devices.length;
    const nv = scenario.variants.length;
    this.devInService = new Int32Array(nd);
    this.devLoadedBytes = new Float64Array(nd);
    this.devBusySince = new Float64Array(nd);
    this.devBusyMs = new Float64Array(nd);
    this.devBusyTotalMs = new Float64Array(nd);
    this.devPowerPerBatch = Float64Array.from(devices, (dev) => 1 / (dev.powerSaturation ?? 1));
    this.devLevelSince = new Float64Array(nd);
    this.devActiveMs = new Float64Array(nd);
    this.devActiveTotalMs = new Float64Array(nd);
    this.devVariantRunning = new Int32Array(nd * nv);
    this.numVariants = nv;
    this.devQueued = new Int32Array(nd);
    this.devHead = new Int32Array(nd);
    this.devQueue = new Int32Array(nd * this.queueCapacity);
    this.devCurrent = new Int32Array(nd).fill(-1);
    this.devLastVariant = new Int32Array(nd).fill(-1);
    this.devStart = new Float64Array(nd);
    this.devShared = Uint8Array.from(devices, (dev) => (dev.execution.kind === 'time-shared' ? 1 : 0));
    this.devMaxQueue = Int32Array.from(devices, (dev) => dev.maxQueue);
    this.devInterference = Uint8Array.from(devices, (dev) => (dev.interference.kind === 'none' ? 0 : dev.interference.kind === 'linear' ? 1 : 2));
    this.devSlope = Float64Array.from(devices, (dev) => (dev.interference.kind === 'linear' ? dev.interference.slope : 0));
    this.appBudgetMs = Float64Array.from(scenario.applications, (app) => app.latencyBudgetMs);
    this.appAccuracy = Float64Array.from(scenario.applications, (app) => app.accuracy);
    this.appFrameMs = Float64Array.from(scenario.applications, (app) => app.frameIntervalMs);

    const antennas = scenario.workload.antennas;
    const apps = scenario.applications;
    this.antennaSlot = new Int32Array(scenario.topology.nodes.length).fill(-1);
    antennas.forEach((node, slot) => (this.antennaSlot[node] = slot));
    this.delayMs = new Float64Array(antennas.length * apps.length * nd);
    antennas.forEach((node, a) => {
      const uplink = scenario.topology.nodes[node].uplinkBps ?? Infinity;
      apps.forEach((app, k) => {
        devices.forEach((dev, d) => {
          const radio = (app.inputBytes * 8 * 1000) / uplink;
          this.delayMs[(a * apps.length + k) * nd + d] = radio + this.topology.transferMs(node, dev.site, app.inputBytes);
        });
      });
    });

    this.antennaGen = new Int32Array(antennas.length);
    this.antennaRate = new Float64Array(antennas.length);
    this.loadScale = options.loadScale ?? 1;
    if (!(this.loadScale >= 0 && Number.isFinite(this.loadScale))) throw new RangeError(`EdgeSimulator: loadScale must be a finite number ≥ 0, got ${this.loadScale}`);
    this.schedule = options.schedule ?? (options.rate !== undefined ? [{ atMs: 0, clientsPerMinute: options.rate }] : scenario.workload.schedule);
    const totalWeight = apps.reduce((s, a) => s + a.weight, 0);
    let acc = 0;
    this.appCdf = Float64Array.from(apps, (a) => (acc += a.weight / totalWeight));

    const noise = scenario.serviceNoise;
    this.noiseKind = noise.kind === 'deterministic' ? 0 : noise.kind === 'exponential' ? 1 : 2;
    const sigma2 = noise.kind === 'lognormal' ? Math.log(1 + noise.cv * noise.cv) : 0;
    this.noiseMu = -sigma2 / 2;
    this.noiseSigma = Math.sqrt(sigma2);


    this.ownObserver = options.onQuery;
    this.tapObserver = simulatorTap?.(this);
    this.onQuery = this.tapObserver === undefined ? this.ownObserver : this.ownObserver === undefined ? this.tapObserver : this.bothObservers;
  }

  /** The event loop's one call per event (see EventSwitch); not for callers. */
  handleEvent(kind: number, a: number, b: number): void {
    switch (kind) {
      case FRAME:
        return this.onFrame(a);
      case DONE:
        return this.onBatchDone(a);
      case QUERY:
        return this.onQueryArrival(a);
      case DONE_SHARED:
        return this.onSharedDone(a);
      case ARRIVAL:
        return this.onArrival(a, b);
      case RATE:
        return this.onRateChange(a);
      case TRACE:
        return this.onTraceArrival(a);
    }
  }

  private readonly bothObservers: QueryObserver = (t, stream, app, inst, latency, outcome, service, antenna, arrival, slowdown) => {
    this.ownObserver!(t, stream, app, inst, latency, outcome, service, antenna, arrival, slowdown);
    this.tapObserver!(t, stream, app, inst, latency, outcome, service, antenna, arrival, slowdown);
  };

  /** Instances that can serve an application's task (any accuracy). */
  candidates(application: number): Int32Array {
    return this.candidatesByApp[application];
  }

  /** Network delay for a query of `application` from `antennaNode` to the instance's device, ms. */
  networkDelayMs(antennaNode: number, application: number, instance: number): number {
    const a = this.antennaSlot[antennaNode];
    return this.delayMs[(a * this.scenario.applications.length + application) * this.scenario.devices.length + this.instDevice[instance]];
  }

  /** Batch-1 service time of an instance before interference and noise, ms. */
  serviceMs(instance: number): number {
    return this.instLatency[instance];
  }

  /** Queries waiting at or running on an instance (time-shared: on its device). */
  load(instance: number): number {
    const d = this.instDevice[instance];
    if (this.devShared[d] === 1) return this.devQueued[d] + (this.devCurrent[d] >= 0 ? 1 : 0);
    return this.instQueued[instance] + this.instInService[instance];
  }

  /**
   * The utilisation the streams bound to `instance` ask of it, with `extraQps` more offered:
   * offered queries/s × batch-1 service time × the interference expected from its device's
   * other instances, each counted busy with probability min(1, its own bound load). Above 1 the
   * bound streams offer more than it can serve. On a time-shared device, the device's total.
   */
  boundLoad(instance: number, extraQps = 0): number {
    const d = this.instDevice[instance];
    const on = this.instancesByDevice[d];
    if (this.devShared[d] === 1) {
      let rho = (extraQps * this.instLatency[instance]) / 1000;
      for (let k = 0; k < on.length; k++) rho += (this.instOfferedQps[on[k]] * this.instLatency[on[k]]) / 1000;
      return rho;
    }
    let factor = 1;
    if (this.devInterference[d] === 1) {
      for (let k = 0; k < on.length; k++) {
        const j = on[k];
        if (j !== instance) factor += this.devSlope[d] * Math.min(1, (this.instOfferedQps[j] * this.instLatency[j]) / 1000);
      }
    }
    return ((this.instOfferedQps[instance] + extraQps) * this.instLatency[instance] * factor) / 1000;
  }

  /** Device `d`'s bound demand: Σ over its instances of offered queries/s × batch-1 service time (s/s). */
  deviceBoundLoad(d: number): number {
    const on = this.instancesByDevice[d];
    let rho = 0;
    for (let k = 0; k < on.length; k++) rho += (this.instOfferedQps[on[k]] * this.instLatency[on[k]]) / 1000;
    return rho;
  }

  /** Queries waiting at or running on device `d`'s instances now. */
  deviceLoad(d: number): number {
    if (this.devShared[d] === 1) return this.devQueued[d] + (this.devCurrent[d] >= 0 ? 1 : 0);
    const on = this.instancesByDevice[d];
    let n = 0;
    for (let k = 0; k < on.length; k++) n += this.instQueued[on[k]] + this.instInService[on[k]];
    return n;
  }

  /** The most queries that may wait at one of device `d`'s queues. */
  maxQueue(d: number): number {
    return this.devMaxQueue[d];
  }

  /** Whether an instance can take one more query without its queue overflowing. */
  hasRoom(instance: number): boolean {
    const d = this.instDevice[instance];
    const queued = this.devShared[d] === 1 ? this.devQueued[d] : this.instQueued[instance];
    return queued < this.devMaxQueue[d] && this.canLoad(instance);
  }

  /** Whether the instance is deployed already or its variant fits the device's free memory. */
  canLoad(instance: number): boolean {
    if (this.instLoaded[instance] === 1) return true;
    const d = this.instDevice[instance];
    return this.devLoadedBytes[d] + this.scenario.variants[this.instVariant[instance]].memoryBytes <= this.scenario.devices[d].memoryBytes;
  }

  /** The query slot waiting for `resolve` after the dispatcher returned DEFER (−1: none). */
  private pendingQuery = -1;

  /** Whether a deferred decision waits for `resolve` (the event loop is stopped meanwhile). */
  get pending(): boolean {
    return this.pendingQuery >= 0;
  }

  /** The application of the query waiting for a decision (−1 when none). */
  get pendingApplication(): number {
    return this.pendingQuery < 0 ? -1 : this.qApp[this.pendingQuery];
  }

  /** The antenna node the waiting query arrived at (−1 when none). */
  get pendingAntenna(): number {
    return this.pendingQuery < 0 ? -1 : this.qAntenna[this.pendingQuery];
  }

  /** Applies the decision for the deferred query: an instance that can serve it, or REJECT. */
  resolve(instance: number): void {
    const q = this.pendingQuery;
    if (q < 0) throw new Error('EdgeSimulator.resolve: no decision is pending');
    const app = this.qApp[q];
    if (instance !== REJECT && !(Number.isInteger(instance) && instance >= 0 && instance < this.numInstances && this.scenario.variants[this.instVariant[instance]].task === this.scenario.applications[app].task)) {
      throw new RangeError(`EdgeSimulator.resolve: instance ${instance} cannot serve application ${this.scenario.applications[app].id}`);
    }
    this.pendingQuery = -1;
    this.send(q, instance);
  }

  /**
   * The slowdown a batch of `instance` would suffer if it started now (1: none; Infinity: the
   * device refuses, as ECSRL's exhausted cells). Time-shared devices run one query alone: 1.
   */
  interferenceFactor(instance: number): number {
    const d = this.instDevice[instance];
    return this.devShared[d] === 1 ? 1 : this.interference(this.scenario.devices[d], d, this.instVariant[instance]);
  }

  /** Time device `d` has spent running anything since the simulation began, ms. */
  busyMs(d: number): number {
    return this.devBusyTotalMs[d] + (this.devInService[d] > 0 ? this.sim.now - this.devBusySince[d] : 0);
  }

  /**
   * Device `d`'s active time weighted by its power level since the simulation began, ms: its
   * energy above idle is (active − idle power) × this. Equals `busyMs` when powerSaturation is 1.
   */
  activeMs(d: number): number {
    return this.devActiveTotalMs[d] + this.powerLevel(d) * (this.sim.now - this.devLevelSince[d]);
  }

  /** Share of (active − idle) power device `d` draws now: min(1, batches in service / powerSaturation). */
  powerLevel(d: number): number {
    return Math.min(1, this.devInService[d] * this.devPowerPerBatch[d]);
  }

  /**
   * Runs the simulation up to `untilMs` (absolute simulated time). Returns true when it stopped
   * early because the dispatcher deferred a decision (then `resolve` it and run again).
   */
  runUntil(untilMs: number): boolean {
    if (this.pendingQuery >= 0) throw new Error('EdgeSimulator.runUntil: a deferred decision is pending: resolve() it first');
    if (!this.started) this.start();
    return this.sim.run(untilMs);
  }

  /** Starts a fresh measurement window at the current time. */
  resetMetrics(): void {
    this.metrics.reset();
    this.windowStartMs = this.sim.now;
    this.devBusyMs.fill(0);
    this.devActiveMs.fill(0);
    for (let d = 0; d < this.devInService.length; d++) {
      if (this.devInService[d] === 0) continue;
      this.devBusyTotalMs[d] += this.sim.now - this.devBusySince[d]; // keep the running total whole
      this.devBusySince[d] = this.sim.now;
      this.devActiveTotalMs[d] += this.powerLevel(d) * (this.sim.now - this.devLevelSince[d]);
      this.devLevelSince[d] = this.sim.now;
    }
  }

  /** Outcomes, latency percentiles, energy and utilisation since the last `resetMetrics`. */
  report(): OutcomeReport {
    const now = this.sim.now;
    const durationMs = now - this.windowStartMs;
    const m = this.metrics;
    const devices = this.scenario.devices.map((dev, d) => {
      const busy = this.devBusyMs[d] + (this.devInService[d] > 0 ? now - this.devBusySince[d] : 0);
      const active = this.devActiveMs[d] + this.powerLevel(d) * (now - Math.max(this.devLevelSince[d], this.windowStartMs));
      const energyJ = (dev.idlePowerW * durationMs + (dev.activePowerW - dev.idlePowerW) * active) / 1000;
      return { id: dev.id, utilisation: durationMs > 0 ? busy / durationMs : 0, energyJ };
    });
    const h = m.latency;
    return {
      ...m.counts(),
      durationMs,
      latency: { mean: h.mean, p50: h.quantile(0.5), p95: h.quantile(0.95), p99: h.quantile(0.99), max: h.count === 0 ? NaN : h.max },
      energyJ: devices.reduce((s, d) => s + d.energyJ, 0),
      devices,
      applications: this.scenario.applications.map((app, k) => ({ id: app.id, ...m.counts(k) })),
      streams: { arrived: m.streamsArrived, rejected: m.streamsRejected },
      events: this.sim.eventsHandled,
    };
  }

  // ---- arrivals -------------------------------------------------------------------------

  private start(): void {
    this.started = true;
    const trace = this.scenario.workload.trace;
    if (trace !== undefined && trace.length > 0) {
      this.sim.at(trace[0].atMs, TRACE, 0);
      return;
    }
    this.sim.at(this.schedule[0].atMs, RATE, 0);
  }

  private onRateChange(k: number): void {
    const point = this.schedule[k];
    if (k === 0) this.cycleStartMs = this.sim.now - point.atMs;
    for (let a = 0; a < this.antennaRate.length; a++) {
      this.antennaRate[a] = point.clientsPerMinute * this.loadScale;
      this.antennaGen[a]++; // the pending arrival was drawn under the old rate
      this.scheduleArrival(a);
    }
    const cycle = this.schedule === this.scenario.workload.schedule ? this.scenario.workload.cycleMs : undefined;
    if (k + 1 < this.schedule.length) this.sim.at(this.cycleStartMs + this.schedule[k + 1].atMs, RATE, k + 1);
    else if (cycle !== undefined) this.sim.at(this.cycleStartMs + cycle, RATE, 0);
  }

  private scheduleArrival(a: number): void {
    const rate = this.antennaRate[a];
    if (rate <= 0) return;
    this.sim.after(this.arrivalsRng.exponential(60_000 / rate), ARRIVAL, a, this.antennaGen[a]);
  }

  private onArrival(a: number, generation: number): void {
    if (generation !== this.antennaGen[a]) return; // drawn under an old rate
    this.scheduleArrival(a);
    this.startStream(this.scenario.workload.antennas[a], this.drawApplication());
  }

  private onTraceArrival(k: number): void {
    const trace = this.scenario.workload.trace!;
    const row = trace[k];
    if (k + 1 < trace.length) this.sim.at(trace[k + 1].atMs, TRACE, k + 1);
    this.startStream(row.antenna, row.application);
  }

  private drawApplication(): number {
    const u = this.arrivalsRng.random();
    const cdf = this.appCdf;
    for (let k = 0; k < cdf.length - 1; k++) if (u < cdf[k]) return k;
    return cdf.length - 1;
  }

  private drawDurationMs(application: number): number {
    const d = this.scenario.applications[application].duration;
    if (d.kind === 'fixed') return d.valueMs;
    if (d.kind === 'exponential') return this.arrivalsRng.exponential(d.meanMs);
    return this.arrivalsRng.uniform(d.minMs, d.maxMs);
  }

  private startStream(antennaNode: number, application: number): void {
    const s = this.allocateStream();
    const now = this.sim.now;
    this.sApp[s] = application;
    this.sAntenna[s] = antennaNode;
    this.sEnd[s] = now + this.drawDurationMs(application);
    this.sId[s] = this.nextStreamId++;
    this.metrics.streamsArrived++;
    if (this.dispatcher.granularity === 'query') {
      this.sInst[s] = -1;
    } else {
      const inst = this.dispatch('stream', s, application, antennaNode);
      if (inst !== REJECT && this.bind(inst)) {
        this.sInst[s] = inst;
        this.instBound[inst]++;
        this.instOfferedQps[inst] += 1000 / this.appFrameMs[application];
      } else {
        this.sInst[s] = -2;
        this.metrics.streamsRejected++;
      }
    }
    // A bound stream's queries all take the same network path: its frame events fire when
    // each query reaches the device, sparing one event per query (see onFrame).
    const inst = this.sInst[s];
    this.sDelay[s] = inst >= 0 ? this.networkDelayMs(antennaNode, application, inst) : 0;
    if (this.sDelay[s] === 0) this.onFrame(s);
    else this.sim.after(this.sDelay[s], FRAME, s);
  }

  private dispatch(granularity: 'stream' | 'query', stream: number, application: number, antennaNode: number): number {
    const r = this.request;
    r.granularity = granularity;
    r.application = application;
    r.antenna = antennaNode;
    r.stream = this.sId[stream];
    r.timeMs = this.sim.now;
    const inst = this.dispatcher.choose(this, r, this.policyRng);
    if (inst === DEFER && granularity === 'stream') throw new Error(`dispatcher ${this.dispatcher.name}: only per-query decisions can be deferred`);
    if (inst !== REJECT && inst !== DEFER && !(inst >= 0 && inst < this.numInstances && this.scenario.variants[this.instVariant[inst]].task === this.scenario.applications[application].task)) {
      throw new RangeError(`dispatcher ${this.dispatcher.name} chose instance ${inst}, which cannot serve application ${this.scenario.applications[application].id}`);
    }
    return inst;
  }

  /** Deploys the instance's variant if needed; false when the device's memory is exhausted. */
  private bind(inst: number): boolean {
    if (this.instLoaded[inst] === 1) return true;
    if (!this.canLoad(inst)) return false;
    this.instLoaded[inst] = 1;
    this.devLoadedBytes[this.instDevice[inst]] += this.scenario.variants[this.instVariant[inst]].memoryBytes;
    return true;
  }

  private maybeUnload(inst: number): void {
    if (this.instLoaded[inst] === 0 || this.instBound[inst] > 0 || this.instInFlight[inst] > 0 || this.instQueued[inst] > 0 || this.instInService[inst] > 0) return;
    const d = this.instDevice[inst];
    if (this.devCurrent[d] >= 0 && this.qInst[this.devCurrent[d]] === inst) return;
    for (let k = 0, i = this.devHead[d]; k < this.devQueued[d]; k++, i = (i + 1) & this.queueMask) {
      if (this.qInst[this.devQueue[d * this.queueCapacity + i]] === inst) return;
    }
    this.instLoaded[inst] = 0;
    this.devLoadedBytes[d] -= this.scenario.variants[this.instVariant[inst]].memoryBytes;
  }

  // ---- queries --------------------------------------------------------------------------

  /**
   * One query of stream `s`. For a bound stream this fires when the query reaches its device
   * (generated `sDelay` earlier) and queues it at once; for per-query dispatch it fires at
   * generation and sends the query on its way as a QUERY event.
   */
  private onFrame(s: number): void {
    const now = this.sim.now;
    const generated = now - this.sDelay[s];
    const app = this.sApp[s];
    const q = this.allocateQuery();
    this.qApp[q] = app;
    this.qStream[q] = this.sId[s];
    this.qGen[q] = generated;
    this.qAntenna[q] = this.sAntenna[s];
    let inst = this.sInst[s];
    if (inst === -1) {
      inst = this.dispatch('query', s, app, this.sAntenna[s]);
      if (inst === DEFER) {
        if (this.pendingQuery >= 0) throw new Error(`dispatcher ${this.dispatcher.name} deferred a decision while one is pending: resolve() it first`);
        this.pendingQuery = q;
        this.sim.stop();
      } else this.send(q, inst);
    } else {
      this.qInst[q] = inst;
      if (inst < 0) this.finish(q, Outcome.REJECTED);
      else this.enqueue(q, inst);
    }
    const next = generated + this.appFrameMs[app];
    if (next < this.sEnd[s]) {
      this.sim.at(next + this.sDelay[s], FRAME, s);
    } else {
      // The stream's last query is out: release its binding now rather than with another event.
      const bound = this.sInst[s];
      if (bound >= 0) {
        this.instBound[bound]--;
        // Recomputed from the count at zero, so float sums never leave a phantom load behind.
        this.instOfferedQps[bound] = this.instBound[bound] === 0 ? 0 : this.instOfferedQps[bound] - 1000 / this.appFrameMs[app];
        this.maybeUnload(bound);
      }
      this.releaseStream(s);
    }
  }

  /** Per-query dispatch: binds the instance and sends the query, or rejects it. */
  private send(q: number, instance: number): void {
    let inst = instance;
    if (inst !== REJECT && !this.bind(inst)) inst = REJECT;
    this.qInst[q] = inst;
    if (inst < 0) this.finish(q, Outcome.REJECTED);
    else {
      this.instInFlight[inst]++;
      this.sim.at(this.sim.now + this.networkDelayMs(this.qAntenna[q], this.qApp[q], inst), QUERY, q);
    }
  }

  private onQueryArrival(q: number): void {
    const inst = this.qInst[q];
    this.instInFlight[inst]--;
    this.enqueue(q, inst);
  }

  /** A query reaches its instance's device: it queues, starts, or is turned away if the queue is full. */
  private enqueue(q: number, inst: number): void {
    const d = this.instDevice[inst];
    const cap = this.queueCapacity;
    if (this.devShared[d] === 1) {
      if (this.devQueued[d] >= this.devMaxQueue[d]) return this.finish(q, Outcome.REJECTED);
      this.devQueue[d * cap + ((this.devHead[d] + this.devQueued[d]) & this.queueMask)] = q;
      this.devQueued[d]++;
      if (this.devCurrent[d] < 0) this.startShared(d);
      return;
    }
    if (this.instQueued[inst] >= this.devMaxQueue[d]) return this.finish(q, Outcome.REJECTED);
    this.instQueue[inst * cap + ((this.instHead[inst] + this.instQueued[inst]) & this.queueMask)] = q;
    this.instQueued[inst]++;
    if (this.instInService[inst] === 0) this.startBatch(inst);
  }

  /** Concurrent devices: the instance takes up to maxBatch waiting queries into service. */
  private startBatch(inst: number): void {
    const d = this.instDevice[inst];
    const v = this.instVariant[inst];
    const kind = this.devInterference[d];
    const factor = kind === 0 ? 1 : kind === 1 ? 1 + this.devSlope[d] * this.devInService[d] : this.interference(this.scenario.devices[d], d, v);
    const tableSize = this.instBatchSize[inst];
    const b = tableSize === 0 ? 1 : Math.min(this.instQueued[inst], tableSize);
    if (!Number.isFinite(factor)) {
      // The device refuses more work (ECSRL's infinite cells): the waiting queries are rejected.
      while (this.instQueued[inst] > 0) this.finish(this.popInstanceQueue(inst), Outcome.REJECTED);
      this.maybeUnload(inst);
      return;
    }
    for (let k = 0; k < b; k++) this.instBatch[inst * this.maxBatch + k] = this.popInstanceQueue(inst);
    this.instInService[inst] = b;
    const base = tableSize === 0 ? this.instLatency[inst] : this.instBatchMs[inst * this.maxBatch + b - 1];
    this.beginBusy(d, v);
    this.instBatchStart[inst] = this.sim.now;
    this.instBatchFactor[inst] = factor;
    this.sim.after(base * factor * this.noise(), DONE, inst);
  }

  private popInstanceQueue(inst: number): number {
    const q = this.instQueue[inst * this.queueCapacity + this.instHead[inst]];
    this.instHead[inst] = (this.instHead[inst] + 1) & this.queueMask;
    this.instQueued[inst]--;
    return q;
  }

  private onBatchDone(inst: number): void {
    const d = this.instDevice[inst];
    const b = this.instInService[inst];
    const serviceMs = this.sim.now - this.instBatchStart[inst];
    const slowdown = this.instBatchFactor[inst];
    for (let k = 0; k < b; k++) this.finishServed(this.instBatch[inst * this.maxBatch + k], inst, serviceMs, slowdown);
    this.instInService[inst] = 0;
    this.endBusy(d, this.instVariant[inst]);
    if (this.instQueued[inst] > 0) this.startBatch(inst);
    else this.maybeUnload(inst);
  }

  /** Time-shared devices: the head of the device's queue runs alone, after a swap if needed. */
  private startShared(d: number): void {
    const dev = this.scenario.devices[d];
    const cap = this.queueCapacity;
    const q = this.devQueue[d * cap + this.devHead[d]];
    this.devHead[d] = (this.devHead[d] + 1) & this.queueMask;
    this.devQueued[d]--;
    this.devCurrent[d] = q;
    const inst = this.qInst[q];
    const v = this.instVariant[inst];
    let swapMs = 0;
    const exec = dev.execution;
    if (exec.kind === 'time-shared' && this.devLastVariant[d] !== v && this.devLastVariant[d] >= 0 && this.devLoadedBytes[d] > exec.onChipBytes) {
      // The models in use do not fit on chip together: switching reloads the weights.
      swapMs = this.scenario.variants[v].memoryBytes / exec.swapBytesPerMs;
    }
    this.devLastVariant[d] = v;
    this.beginBusy(d, v);
    this.devStart[d] = this.sim.now;
    this.sim.after(swapMs + this.instLatency[inst] * this.noise(), DONE_SHARED, d);
  }

  private onSharedDone(d: number): void {
    const q = this.devCurrent[d];
    const inst = this.qInst[q];
    this.devCurrent[d] = -1;
    this.endBusy(d, this.instVariant[inst]);
    this.finishServed(q, inst, this.sim.now - this.devStart[d], 1);
    if (this.devQueued[d] > 0) this.startShared(d);
    else this.maybeUnload(inst);
  }

  private interference(dev: Device, d: number, v: number): number {
    const model = dev.interference;
    if (model.kind === 'none') return 1;
    if (model.kind === 'linear') return 1 + model.slope * this.devInService[d];
    let cell: NestedFactors | undefined = model.factors.get(v);
    if (cell === undefined) return 1;
    const nv = this.numVariants;
    for (const other of model.variants) {
      if (typeof cell === 'number') break;
      cell = cell[this.devVariantRunning[d * nv + other]];
      if (cell === undefined) return Infinity; // more co-runners than ECSRL measured
    }
    return typeof cell === 'number' ? cell : Infinity;
  }

  private beginBusy(d: number, v: number): void {
    this.accrueActive(d);
    if (this.devInService[d]++ === 0) this.devBusySince[d] = this.sim.now;
    this.devVariantRunning[d * this.numVariants + v]++;
  }

  private endBusy(d: number, v: number): void {
    this.accrueActive(d);
    if (--this.devInService[d] === 0) {
      this.devBusyMs[d] += this.sim.now - Math.max(this.devBusySince[d], this.windowStartMs);
      this.devBusyTotalMs[d] += this.sim.now - this.devBusySince[d];
    }
    this.devVariantRunning[d * this.numVariants + v]--;
  }

  /** Adds the power-weighted active time since the batch count last changed (call before changing it). */
  private accrueActive(d: number): void {
    const now = this.sim.now;
    const level = this.powerLevel(d);
    if (level > 0) {
      this.devActiveTotalMs[d] += level * (now - this.devLevelSince[d]);
      this.devActiveMs[d] += level * (now - Math.max(this.devLevelSince[d], this.windowStartMs));
    }
    this.devLevelSince[d] = now;
  }

  /** Mean-one multiplicative service noise (lognormal: μ = −σ²/2 keeps the mean at 1). */
  private noise(): number {
    const kind = this.noiseKind;
    if (kind === 0) return 1;
    if (kind === 1) return this.serviceRng.exponential(1);
    return Math.exp(this.serviceRng.normal(this.noiseMu, this.noiseSigma));
  }

  private finishServed(q: number, inst: number, serviceMs: number, slowdown: number): void {
    const app = this.qApp[q];
    const latency = this.sim.now - this.qGen[q];
    this.finish(q, classify(latency, this.appBudgetMs[app], this.instAccuracy[inst], this.appAccuracy[app]), latency, serviceMs, slowdown);
  }

  private finish(q: number, outcome: OutcomeCode, latencyMs = NaN, serviceMs = NaN, slowdown = NaN): void {
    this.metrics.record(this.qApp[q], outcome, latencyMs);
    this.onQuery?.(this.sim.now, this.qStream[q], this.qApp[q], this.qInst[q], latencyMs, outcome, serviceMs, this.qAntenna[q], this.qGen[q], slowdown);
    this.qFree[this.qFreeCount++] = q;
  }

  // ---- slot pools -------------------------------------------------------------------------

  private allocateStream(): number {
    if (this.sFreeCount > 0) return this.sFree[--this.sFreeCount];
    if (this.sUsed === this.sApp.length) {
      const n = this.sApp.length * 2;
      this.sApp = grow(this.sApp, n);
      this.sAntenna = grow(this.sAntenna, n);
      this.sInst = grow(this.sInst, n);
      this.sEnd = grow(this.sEnd, n);
      this.sDelay = grow(this.sDelay, n);
      this.sId = grow(this.sId, n);
      this.sFree = grow(this.sFree, n);
    }
    return this.sUsed++;
  }

  private releaseStream(s: number): void {
    this.sFree[this.sFreeCount++] = s;
  }

  private allocateQuery(): number {
    if (this.qFreeCount > 0) return this.qFree[--this.qFreeCount];
    if (this.qUsed === this.qApp.length) {
      const n = this.qApp.length * 2;
      this.qApp = grow(this.qApp, n);
      this.qStream = grow(this.qStream, n);
      this.qInst = grow(this.qInst, n);
      this.qGen = grow(this.qGen, n);
      this.qAntenna = grow(this.qAntenna, n);
      this.qFree = grow(this.qFree, n);
    }
    return this.qUsed++;
  }
}

function grow<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const next = new (a.constructor as new (n: number) => T)(n);
  next.set(a);
  return next;
}
