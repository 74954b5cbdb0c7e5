// The edge-cloud inference simulator: streams arrive at antennas, send queries at their frame
// rate, cross the network to the model instance a dispatcher chose, queue, run (slowed by
// co-located work), and end as success, QoS violation or rejection. This file holds the
// workload side (arrivals, streams, frames, dispatch) and the public API; service.ts the
// devices. All state lives in typed arrays indexed by slot; the hot loop allocates nothing.

import { Rng, type Seed } from '../../../src/rng.js';
import { DEFER, type DispatchRequest, type DispatchView, type Dispatcher, REJECT } from './dispatch.js';
import { antennaSlots, networkDelays, topologyOf } from './layout.js';
import type { OutcomeReport } from './metrics.js';
import type { Scenario } from '../model.js';
import type { Topology } from '../network/topology.js';
import type { QueryObserver } from './query-observer.js';
import { DONE, DONE_SHARED, ServiceModel, grown } from './service.js';

export type { QueryObserver } from './query-observer.js';

// Event kinds of the workload (the devices' come first, in service.ts).
const FRAME = 2; // a: stream slot
const QUERY = 3; // a: query slot, reaching its device
const ARRIVAL = 4; // a: antenna slot, b: arrival generation (stale after a rate change)
const RATE = 5; // a: schedule index
const TRACE = 6; // a: trace row

// Per stream: streamI[(s << SI) | field], streamF[(s << SF) | field] (packed, as service.ts explains).
const S_APP = 0;
const S_ANTENNA = 1; // node index
const S_INST = 2; // instance, −1 per-query dispatch, −2 rejected
const SI = 2; // 4 fields
const S_END = 0; // when its last query may be generated, ms
const S_DELAY = 1; // network delay of a bound stream's queries, ms
const S_ID = 2; // serial number: slots are reused, ids are not
const SF = 2; // 4 fields

export interface SimulatorOptions {
  seed: Seed;
  dispatcher: Dispatcher;
  /** Replaces the scenario's arrival schedule with a constant λ (clients/min per antenna). */
  rate?: number;
  /** Replaces the scenario's schedule: [atMs, clientsPerMinute] points, first at 0. */
  schedule?: { atMs: number; clientsPerMinute: number }[];
  /** Multiplies every stream arrival rate (the scenario's schedule, `rate` or `schedule`); default 1. Traces are not scaled. */
  loadScale?: number;
  /**
   * Told how every query ends, once per query (rewards, query logs, tests). The simulator has no
   * other listener: whoever builds it decides what hears its queries (an env passes its own
   * observer and the one its query recorder gives; see QueryRecorder).
   */
  onQuery?: QueryObserver;
}

/**
 * The simulator. Its dispatcher sees it as a DispatchView (read-only); whoever built it also
 * drives it: `runUntil`, `resolve` a deferred decision, `report`, `resetMetrics`.
 */
export class EdgeSimulator extends ServiceModel implements DispatchView {
  readonly topology: Topology;
  readonly dispatcher: Dispatcher;

  // Independent random streams: changing the policy's draws never moves arrivals.
  private readonly arrivalsRng: Rng;
  private readonly policyRng: Rng;

  /** Network delay from each antenna to each device for each application's input, ms. */
  private readonly delayMs: Float64Array;
  private readonly antennaSlot: Int32Array; // node index → antenna slot (−1 otherwise)

  // Streams: a slot pool that grows by doubling.
  private streamI = new Int32Array(256 << SI);
  private streamF = new Float64Array(256 << SF);
  private streamFree = new Int32Array(256);
  private streamFreeCount = 0;
  private streamUsed = 0;
  private nextStreamId = 0;

  private readonly antennaGen: Int32Array;
  private readonly antennaRate: Float64Array; // clients per minute
  private readonly schedule: { atMs: number; clientsPerMinute: number }[];
  private readonly loadScale: number;
  private readonly appCdf: Float64Array;
  private readonly request: DispatchRequest = { granularity: 'stream', application: 0, antenna: 0, stream: 0, timeMs: 0 };
  private cycleStartMs = 0;
  private started = false;
  /** The query slot waiting for `resolve` after the dispatcher returned DEFER (−1: none). */
  private pendingQuery = -1;

  constructor(scenario: Scenario, options: SimulatorOptions) {
    super(scenario, options.seed);
    this.topology = topologyOf(scenario.topology);
    this.dispatcher = options.dispatcher;
    this.arrivalsRng = new Rng(options.seed, 'arrivals');
    this.policyRng = new Rng(options.seed, 'policy');

    const antennas = scenario.workload.antennas;
    const apps = scenario.applications;
    this.antennaSlot = antennaSlots(scenario);
    this.delayMs = networkDelays(scenario);

    this.antennaGen = new Int32Array(antennas.length);
    this.antennaRate = new Float64Array(antennas.length);
    this.loadScale = options.loadScale ?? 1;
    if (!(this.loadScale >= 0 && Number.isFinite(this.loadScale))) throw new RangeError(`EdgeSimulator: loadScale must be a finite number ≥ 0, got ${this.loadScale}`);
    this.schedule = options.schedule ?? (options.rate !== undefined ? [{ atMs: 0, clientsPerMinute: options.rate }] : scenario.workload.schedule);
    const totalWeight = apps.reduce((s, a) => s + a.weight, 0);
    let acc = 0;
    this.appCdf = Float64Array.from(apps, (a) => (acc += a.weight / totalWeight));
    this.onQuery = options.onQuery;
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

  /** Network delay for a query of `application` from `antennaNode` to the instance's device, ms. */
  networkDelayMs(antennaNode: number, application: number, instance: number): number {
    const a = this.antennaSlot[antennaNode];
    return this.delayMs[(a * this.scenario.applications.length + application) * this.scenario.devices.length + this.instDevice[instance]];
  }

  /** Whether a deferred decision waits for `resolve` (the event loop is stopped meanwhile). */
  get pending(): boolean {
    return this.pendingQuery >= 0;
  }

  /** The application of the query waiting for a decision (−1 when none). */
  get pendingApplication(): number {
    return this.pendingQuery < 0 ? -1 : this.queryApplication(this.pendingQuery);
  }

  /** The antenna node the waiting query arrived at (−1 when none). */
  get pendingAntenna(): number {
    return this.pendingQuery < 0 ? -1 : this.queryAntenna(this.pendingQuery);
  }

  /** Applies the decision for the deferred query: an instance that can serve it, or REJECT. */
  resolve(instance: number): void {
    const q = this.pendingQuery;
    if (q < 0) throw new Error('EdgeSimulator.resolve: no decision is pending');
    const app = this.queryApplication(q);
    if (instance !== REJECT && !(Number.isInteger(instance) && instance >= 0 && instance < this.numInstances && this.scenario.variants[this.instVariant[instance]].task === this.scenario.applications[app].task)) {
      throw new RangeError(`EdgeSimulator.resolve: instance ${instance} cannot serve application ${this.scenario.applications[app].id}`);
    }
    this.pendingQuery = -1;
    this.send(q, instance);
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

  /** Outcomes, latency percentiles, energy and utilisation since the last `resetMetrics`. */
  report(): OutcomeReport {
    const durationMs = this.sim.now - this.windowStartMs;
    const m = this.metrics;
    const devices = this.scenario.devices.map((dev, d) => {
      const { busy, active } = this.windowTimes(d);
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
    const si = this.streamI;
    const sf = this.streamF;
    si[(s << SI) | S_APP] = application;
    si[(s << SI) | S_ANTENNA] = antennaNode;
    sf[(s << SF) | S_END] = this.sim.now + this.drawDurationMs(application);
    sf[(s << SF) | S_ID] = this.nextStreamId++;
    this.metrics.streamsArrived++;
    let inst = -1;
    if (this.dispatcher.granularity === 'stream') {
      const chosen = this.dispatch('stream', s, application, antennaNode);
      if (chosen !== REJECT && this.bind(chosen)) {
        inst = chosen;
        this.instBound[inst]++;
        this.instOfferedQps[inst] += 1000 / this.frameMs(application);
      } else {
        inst = -2;
        this.metrics.streamsRejected++;
      }
    }
    si[(s << SI) | S_INST] = inst;
    // A bound stream's queries all take the same network path: its frame events fire when
    // each query reaches the device, sparing one event per query (see onFrame).
    const delay = inst >= 0 ? this.networkDelayMs(antennaNode, application, inst) : 0;
    sf[(s << SF) | S_DELAY] = delay;
    if (delay === 0) this.onFrame(s);
    else this.sim.after(delay, FRAME, s, 0);
  }

  private dispatch(granularity: 'stream' | 'query', stream: number, application: number, antennaNode: number): number {
    const r = this.request;
    r.granularity = granularity;
    r.application = application;
    r.antenna = antennaNode;
    r.stream = this.streamF[(stream << SF) | S_ID];
    r.timeMs = this.sim.now;
    const inst = this.dispatcher.choose(this, r, this.policyRng);
    if (inst === DEFER && granularity === 'stream') throw new Error(`dispatcher ${this.dispatcher.name}: only per-query decisions can be deferred`);
    if (inst !== REJECT && inst !== DEFER && !(inst >= 0 && inst < this.numInstances && this.scenario.variants[this.instVariant[inst]].task === this.scenario.applications[application].task)) {
      throw new RangeError(`dispatcher ${this.dispatcher.name} chose instance ${inst}, which cannot serve application ${this.scenario.applications[application].id}`);
    }
    return inst;
  }

  // ---- queries --------------------------------------------------------------------------

  /**
   * One query of stream `s`. For a bound stream this fires when the query reaches its device
   * (generated `delay` earlier) and queues it at once; for per-query dispatch it fires at
   * generation and sends the query on its way as a QUERY event.
   */
  private onFrame(s: number): void {
    const si = this.streamI;
    const sf = this.streamF;
    const delay = sf[(s << SF) | S_DELAY];
    const generated = this.sim.now - delay;
    const app = si[(s << SI) | S_APP];
    const q = this.newQuery(app, sf[(s << SF) | S_ID], si[(s << SI) | S_ANTENNA], generated);
    const inst = si[(s << SI) | S_INST];
    if (inst === -1) {
      const chosen = this.dispatch('query', s, app, si[(s << SI) | S_ANTENNA]);
      if (chosen === DEFER) {
        if (this.pendingQuery >= 0) throw new Error(`dispatcher ${this.dispatcher.name} deferred a decision while one is pending: resolve() it first`);
        this.pendingQuery = q;
        this.sim.stop();
      } else this.send(q, chosen);
    } else {
      this.setQueryInstance(q, inst);
      if (inst < 0) this.reject(q);
      else this.enqueue(q, inst);
    }
    const next = generated + this.frameMs(app);
    if (next < sf[(s << SF) | S_END]) {
      this.sim.at(next + delay, FRAME, s, 0);
    } else {
      // The stream's last query is out: release its binding now rather than with another event.
      if (inst >= 0) {
        this.instBound[inst]--;
        // Recomputed from the count at zero, so float sums never leave a phantom load behind.
        this.instOfferedQps[inst] = this.instBound[inst] === 0 ? 0 : this.instOfferedQps[inst] - 1000 / this.frameMs(app);
        this.maybeUnload(inst);
      }
      this.streamFree[this.streamFreeCount++] = s;
    }
  }

  /** Per-query dispatch: binds the instance and sends the query, or rejects it. */
  private send(q: number, instance: number): void {
    let inst = instance;
    if (inst !== REJECT && !this.bind(inst)) inst = REJECT;
    this.setQueryInstance(q, inst);
    if (inst < 0) this.reject(q);
    else {
      this.instInFlight[inst]++;
      this.sim.at(this.sim.now + this.networkDelayMs(this.queryAntenna(q), this.queryApplication(q), inst), QUERY, q, 0);
    }
  }

  private onQueryArrival(q: number): void {
    const inst = this.queryInstance(q);
    this.instInFlight[inst]--;
    this.enqueue(q, inst);
  }

  private allocateStream(): number {
    if (this.streamFreeCount > 0) return this.streamFree[--this.streamFreeCount];
    if (this.streamUsed === this.streamFree.length) {
      const n = this.streamFree.length * 2;
      this.streamI = grown(this.streamI, n << SI);
      this.streamF = grown(this.streamF, n << SF);
      this.streamFree = grown(this.streamFree, n);
    }
    return this.streamUsed++;
  }
}
