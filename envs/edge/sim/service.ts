// The serving side of the edge simulator: model instances on devices, their queues and batches,
// interference and weight swaps, busy time and energy, and how each query ends.
//
// The hot loop reads and writes a few fields of one instance, one device and one query per
// event. Each kind of entity keeps its private fields packed in one Int32Array and one
// Float64Array (entity index × stride + field), because every typed array a function touches
// costs the JIT a map check, a length and a base pointer: one array for eight fields runs about
// twice as fast as eight arrays. The arrays other code reads (instQueued, devInService, …) stay
// one per field, as the public API has them.

import { Rng, type Seed } from '../../../src/rng.js';
import { type EventSwitch, Simulation } from '../../../src/sim/simulation.js';
import { instanceLayout } from './layout.js';
import { EdgeMetrics, Outcome, classify } from './metrics.js';
import type { QueryObserver } from './query-observer.js';
import type { NestedFactors, Scenario } from '../model.js';

// The kinds of event this side schedules; the workload's come after them.
export const DONE = 0; // a: instance, its batch finishes
export const DONE_SHARED = 1; // a: device (time-shared), its query finishes

// Per instance: int32 fields at instI[(i << II) | field], float64 at instF[(i << IF) | field]. A
// stride is a power of two, named by its log: shifts and ors need no overflow checks, products and
// sums do.
const I_DEVICE = 0; // copies of instDevice and instVariant, beside the fields they are read with
const I_VARIANT = 1;
const I_HEAD = 2; // ring position of its first waiting query
const I_BATCH_SIZE = 3; // entries of its batch-latency table (0: batch 1 only)
const I_LOADED = 4; // 1 while its variant is deployed on the device
const II = 3; // 8 fields
const F_LATENCY = 0; // batch-1 service time, ms
const F_ACCURACY = 1; // the variant's accuracy
const F_BATCH_START = 2; // when the batch in service started, ms
const F_BATCH_FACTOR = 3; // the interference factor it started with
const IF = 2; // 4 fields
// Per device: devI[(d << DI) | field], devF[(d << DF) | field].
const D_SHARED = 0; // 1 for time-shared devices
const D_MAX_QUEUE = 1;
const D_INTERFERENCE = 2; // 0 none, 1 linear, 2 matrix
const D_QUEUED = 3; // time-shared devices' one queue: length, head, the query in service, last variant
const D_HEAD = 4;
const D_CURRENT = 5;
const D_LAST_VARIANT = 6;
const DI = 3; // 8 fields
// Power: ∫ min(1, batches / powerSaturation) dt, the share of (active − idle) power drawn.
const D_POWER_PER_BATCH = 0; // 1 / powerSaturation
const D_LEVEL_SINCE = 1; // when the batch count last changed
const D_ACTIVE = 2; // since the last resetMetrics
const D_ACTIVE_TOTAL = 3; // never reset
const D_BUSY_SINCE = 4;
const D_BUSY = 5;
const D_BUSY_TOTAL = 6; // never reset, for rewards between decisions
const D_SLOPE = 7; // linear interference slope
const D_START = 8; // time-shared: when the query in service started
const DF = 4; // 16 fields
// Per application, float64: appF[(k << AF) | field].
const A_BUDGET = 0;
const A_ACCURACY = 1;
const A_FRAME = 2;
const AF = 2; // 4 fields
// Per query: queryI[(q << QI) | field], queryF[(q << QF) | field].
const Q_APP = 0;
const Q_INST = 1;
const Q_ANTENNA = 2;
const QI = 2; // 4 fields
const Q_GENERATED = 0; // when it was generated at the antenna, ms
const Q_STREAM = 1; // its stream's serial number (stream slots are reused, serials are not)
const QF = 1; // 2 fields

export abstract class ServiceModel implements EventSwitch {
  readonly scenario: Scenario;
  readonly sim = new Simulation(this);
  readonly metrics: EdgeMetrics;
  private readonly serviceRng: Rng;

  // Instances: one per (device, variant with a profile there, replica), numbered by instanceLayout.
  readonly numInstances: number;
  readonly instDevice: Int32Array;
  readonly instVariant: Int32Array;
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
  private readonly instI: Int32Array;
  private readonly instF: Float64Array;
  private readonly queueCapacity: number; // a power of two, so ring positions wrap with a mask
  private readonly queueMask: number;
  private readonly instQueue: Int32Array; // ring buffers, queueCapacity per instance
  private readonly maxBatch: number;
  private readonly instBatchMs: Float64Array; // batch-latency tables, maxBatch per instance
  private readonly instBatch: Int32Array; // queries in service, maxBatch per instance
  private readonly candidatesByApp: Int32Array[];
  private readonly instancesByDevice: Int32Array[];

  // Devices.
  readonly devInService: Int32Array; // batches running
  readonly devLoadedBytes: Float64Array;
  private readonly devI: Int32Array;
  private readonly devF: Float64Array;
  private readonly devQueue: Int32Array; // time-shared devices' ring buffers
  private readonly devVariantRunning: Int32Array; // [device · variants + variant]
  private readonly numVariants: number;
  private readonly appF: Float64Array;

  // Queries: a slot pool that grows by doubling.
  private queryI = new Int32Array(1024 << QI);
  private queryF = new Float64Array(1024 << QF);
  private queryFree = new Int32Array(1024);
  private queryFreeCount = 0;
  private queryUsed = 0;

  protected onQuery: QueryObserver | undefined = undefined;
  protected windowStartMs = 0;
  private readonly noiseKind: number; // 0 deterministic, 1 exponential, 2 lognormal
  private readonly noiseMu: number;
  private readonly noiseSigma: number;

  constructor(scenario: Scenario, seed: Seed) {
    this.scenario = scenario;
    this.serviceRng = new Rng(seed, 'service');
    this.metrics = new EdgeMetrics(scenario.applications.length);

    const devices = scenario.devices;
    const layout = instanceLayout(scenario);
    const pairs = Array.from(layout.device, (d, i): [number, number] => [d, layout.variant[i]]);
    const n = layout.count;
    this.numInstances = n;
    this.instDevice = layout.device;
    this.instVariant = layout.variant;
    const tables = pairs.map(([d, v]) => devices[d].profiles.get(v)!.batchLatencyMs ?? []);
    this.maxBatch = Math.max(1, ...tables.map((t) => t.length)) | 0;
    this.instBatchMs = new Float64Array(n * this.maxBatch);
    tables.forEach((t, i) => this.instBatchMs.set(t, i * this.maxBatch));
    this.queueCapacity = 2 ** Math.ceil(Math.log2(Math.max(1, ...devices.map((d) => d.maxQueue)))) | 0; // | 0: held as a small integer, not a boxed double
    this.queueMask = this.queueCapacity - 1;
    this.instQueued = new Int32Array(n);
    this.instInService = new Int32Array(n);
    this.instBound = new Int32Array(n);
    this.instOfferedQps = new Float64Array(n);
    this.instInFlight = new Int32Array(n);
    this.instI = new Int32Array(n << II);
    this.instF = new Float64Array(n << IF);
    pairs.forEach(([d, v], i) => {
      this.instI[(i << II) | I_DEVICE] = d;
      this.instI[(i << II) | I_VARIANT] = v;
      this.instI[(i << II) | I_BATCH_SIZE] = tables[i].length;
      this.instF[(i << IF) | F_LATENCY] = devices[d].profiles.get(v)!.latencyMs;
      this.instF[(i << IF) | F_ACCURACY] = scenario.variants[v].accuracy;
    });
    this.instQueue = new Int32Array(n * this.queueCapacity);
    this.instBatch = new Int32Array(n * this.maxBatch);
    this.instancesByDevice = devices.map((_, d) => Int32Array.from(pairs.flatMap(([pd], i) => (pd === d ? [i] : []))));
    this.candidatesByApp = scenario.applications.map((app) =>
      Int32Array.from(pairs.flatMap(([, v], i) => (scenario.variants[v].task === app.task ? [i] : []))),
    );

    const nd = devices.length;
    const nv = scenario.variants.length;
    this.devInService = new Int32Array(nd);
    this.devLoadedBytes = new Float64Array(nd);
    this.devI = new Int32Array(nd << DI);
    this.devF = new Float64Array(nd << DF);
    devices.forEach((dev, d) => {
      this.devI[(d << DI) | D_SHARED] = dev.execution.kind === 'time-shared' ? 1 : 0;
      this.devI[(d << DI) | D_MAX_QUEUE] = dev.maxQueue;
      this.devI[(d << DI) | D_INTERFERENCE] = dev.interference.kind === 'none' ? 0 : dev.interference.kind === 'linear' ? 1 : 2;
      this.devI[(d << DI) | D_CURRENT] = -1;
      this.devI[(d << DI) | D_LAST_VARIANT] = -1;
      this.devF[(d << DF) | D_POWER_PER_BATCH] = 1 / (dev.powerSaturation ?? 1);
      this.devF[(d << DF) | D_SLOPE] = dev.interference.kind === 'linear' ? dev.interference.slope : 0;
    });
    this.devQueue = new Int32Array(nd * this.queueCapacity);
    this.devVariantRunning = new Int32Array(nd * nv);
    this.numVariants = nv;
    this.appF = new Float64Array(scenario.applications.length << AF);
    scenario.applications.forEach((app, k) => {
      this.appF[(k << AF) | A_BUDGET] = app.latencyBudgetMs;
      this.appF[(k << AF) | A_ACCURACY] = app.accuracy;
      this.appF[(k << AF) | A_FRAME] = app.frameIntervalMs;
    });

    const noise = scenario.serviceNoise;
    this.noiseKind = noise.kind === 'deterministic' ? 0 : noise.kind === 'exponential' ? 1 : 2;
    const sigma2 = noise.kind === 'lognormal' ? Math.log(1 + noise.cv * noise.cv) : 0;
    this.noiseMu = -sigma2 / 2;
    this.noiseSigma = Math.sqrt(sigma2);
  }

  /** The event loop's one call per event (see EventSwitch); not for callers. */
  abstract handleEvent(kind: number, a: number, b: number): void;

  /** Instances that can serve an application's task (any accuracy). */
  candidates(application: number): Int32Array {
    return this.candidatesByApp[application];
  }

  /** Batch-1 service time of an instance before interference and noise, ms. */
  serviceMs(instance: number): number {
    return this.instF[(instance << IF) | F_LATENCY];
  }

  /** Queries waiting at or running on an instance (time-shared: on its device). */
  load(instance: number): number {
    const d = this.instDevice[instance];
    if (this.devI[(d << DI) | D_SHARED] === 1) return this.devI[(d << DI) | D_QUEUED] + (this.devI[(d << DI) | D_CURRENT] >= 0 ? 1 : 0);
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
    const f = this.instF;
    if (this.devI[(d << DI) | D_SHARED] === 1) {
      let rho = (extraQps * f[(instance << IF) | F_LATENCY]) / 1000;
      for (let k = 0; k < on.length; k++) rho += (this.instOfferedQps[on[k]] * f[(on[k] << IF) | F_LATENCY]) / 1000;
      return rho;
    }
    let factor = 1;
    if (this.devI[(d << DI) | D_INTERFERENCE] === 1) {
      for (let k = 0; k < on.length; k++) {
        const j = on[k];
        if (j !== instance) factor += this.devF[(d << DF) | D_SLOPE] * Math.min(1, (this.instOfferedQps[j] * f[(j << IF) | F_LATENCY]) / 1000);
      }
    }
    return ((this.instOfferedQps[instance] + extraQps) * f[(instance << IF) | F_LATENCY] * factor) / 1000;
  }

  /** Device `d`'s bound demand: Σ over its instances of offered queries/s × batch-1 service time (s/s). */
  deviceBoundLoad(d: number): number {
    const on = this.instancesByDevice[d];
    let rho = 0;
    for (let k = 0; k < on.length; k++) rho += (this.instOfferedQps[on[k]] * this.instF[(on[k] << IF) | F_LATENCY]) / 1000;
    return rho;
  }

  /** Queries waiting at or running on device `d`'s instances now. */
  deviceLoad(d: number): number {
    if (this.devI[(d << DI) | D_SHARED] === 1) return this.devI[(d << DI) | D_QUEUED] + (this.devI[(d << DI) | D_CURRENT] >= 0 ? 1 : 0);
    const on = this.instancesByDevice[d];
    let n = 0;
    for (let k = 0; k < on.length; k++) n += this.instQueued[on[k]] + this.instInService[on[k]];
    return n;
  }

  /** The most queries that may wait at one of device `d`'s queues. */
  maxQueue(d: number): number {
    return this.devI[(d << DI) | D_MAX_QUEUE];
  }

  /** Whether an instance can take one more query without its queue overflowing. */
  hasRoom(instance: number): boolean {
    const d = this.instDevice[instance];
    const queued = this.devI[(d << DI) | D_SHARED] === 1 ? this.devI[(d << DI) | D_QUEUED] : this.instQueued[instance];
    return queued < this.devI[(d << DI) | D_MAX_QUEUE] && this.canLoad(instance);
  }

  /** Whether the instance is deployed already or its variant fits the device's free memory. */
  canLoad(instance: number): boolean {
    if (this.instI[(instance << II) | I_LOADED] === 1) return true;
    const d = this.instDevice[instance];
    return this.devLoadedBytes[d] + this.scenario.variants[this.instVariant[instance]].memoryBytes <= this.scenario.devices[d].memoryBytes;
  }

  /**
   * The slowdown a batch of `instance` would suffer if it started now (1: none; Infinity: the
   * device refuses, as ECSRL's exhausted cells). Time-shared devices run one query alone: 1.
   */
  interferenceFactor(instance: number): number {
    const d = this.instDevice[instance];
    return this.devI[(d << DI) | D_SHARED] === 1 ? 1 : this.interference(d, this.instVariant[instance]);
  }

  /** Time device `d` has spent running anything since the simulation began, ms. */
  busyMs(d: number): number {
    return this.devF[(d << DF) | D_BUSY_TOTAL] + (this.devInService[d] > 0 ? this.sim.now - this.devF[(d << DF) | D_BUSY_SINCE] : 0);
  }

  /**
   * Device `d`'s active time weighted by its power level since the simulation began, ms: its
   * energy above idle is (active − idle power) × this. Equals `busyMs` when powerSaturation is 1.
   */
  activeMs(d: number): number {
    return this.devF[(d << DF) | D_ACTIVE_TOTAL] + this.powerLevel(d) * (this.sim.now - this.devF[(d << DF) | D_LEVEL_SINCE]);
  }

  /** Share of (active − idle) power device `d` draws now: min(1, batches in service / powerSaturation). */
  powerLevel(d: number): number {
    return Math.min(1, this.devInService[d] * this.devF[(d << DF) | D_POWER_PER_BATCH]);
  }

  /** Starts a fresh measurement window at the current time. */
  resetMetrics(): void {
    this.metrics.reset();
    const now = this.sim.now;
    this.windowStartMs = now;
    const f = this.devF;
    for (let d = 0; d < this.devInService.length; d++) {
      f[(d << DF) | D_BUSY] = 0;
      f[(d << DF) | D_ACTIVE] = 0;
      if (this.devInService[d] === 0) continue;
      f[(d << DF) | D_BUSY_TOTAL] += now - f[(d << DF) | D_BUSY_SINCE]; // keep the running total whole
      f[(d << DF) | D_BUSY_SINCE] = now;
      f[(d << DF) | D_ACTIVE_TOTAL] += this.powerLevel(d) * (now - f[(d << DF) | D_LEVEL_SINCE]);
      f[(d << DF) | D_LEVEL_SINCE] = now;
    }
  }

  /** Each device's busy and power-weighted active time in the window so far, ms (for the report). */
  protected windowTimes(d: number): { busy: number; active: number } {
    const now = this.sim.now;
    const f = this.devF;
    const busy = f[(d << DF) | D_BUSY] + (this.devInService[d] > 0 ? now - f[(d << DF) | D_BUSY_SINCE] : 0);
    const active = f[(d << DF) | D_ACTIVE] + this.powerLevel(d) * (now - Math.max(f[(d << DF) | D_LEVEL_SINCE], this.windowStartMs));
    return { busy, active };
  }

  // ---- queries --------------------------------------------------------------------------

  /** A new query of `application` from `antenna` (a node), generated at `generatedMs`. */
  protected newQuery(application: number, stream: number, antenna: number, generatedMs: number): number {
    const q = this.allocateQuery();
    const qi = this.queryI;
    qi[(q << QI) | Q_APP] = application;
    qi[(q << QI) | Q_ANTENNA] = antenna;
    const qf = this.queryF;
    qf[(q << QF) | Q_GENERATED] = generatedMs;
    qf[(q << QF) | Q_STREAM] = stream;
    return q;
  }

  protected queryApplication(q: number): number {
    return this.queryI[(q << QI) | Q_APP];
  }

  protected queryAntenna(q: number): number {
    return this.queryI[(q << QI) | Q_ANTENNA];
  }

  protected queryInstance(q: number): number {
    return this.queryI[(q << QI) | Q_INST];
  }

  /** Records where the query goes (an instance, or < 0: nowhere). */
  protected setQueryInstance(q: number, instance: number): void {
    this.queryI[(q << QI) | Q_INST] = instance;
  }

  /** The frame interval of an application, ms. */
  protected frameMs(application: number): number {
    return this.appF[(application << AF) | A_FRAME];
  }

  /** Deploys the instance's variant if needed; false when the device's memory is exhausted. */
  protected bind(inst: number): boolean {
    if (this.instI[(inst << II) | I_LOADED] === 1) return true;
    if (!this.canLoad(inst)) return false;
    this.instI[(inst << II) | I_LOADED] = 1;
    this.devLoadedBytes[this.instDevice[inst]] += this.scenario.variants[this.instVariant[inst]].memoryBytes;
    return true;
  }

  protected maybeUnload(inst: number): void {
    const ii = this.instI;
    if (ii[(inst << II) | I_LOADED] === 0 || this.instBound[inst] > 0 || this.instInFlight[inst] > 0 || this.instQueued[inst] > 0 || this.instInService[inst] > 0) return;
    const d = ii[(inst << II) | I_DEVICE];
    const di = this.devI;
    const current = di[(d << DI) | D_CURRENT];
    if (current >= 0 && this.queryI[(current << QI) | Q_INST] === inst) return;
    for (let k = 0, i = di[(d << DI) | D_HEAD]; k < di[(d << DI) | D_QUEUED]; k++, i = (i + 1) & this.queueMask) {
      if (this.queryI[(this.devQueue[d * this.queueCapacity + i] << QI) | Q_INST] === inst) return;
    }
    ii[(inst << II) | I_LOADED] = 0;
    this.devLoadedBytes[d] -= this.scenario.variants[ii[(inst << II) | I_VARIANT]].memoryBytes;
  }

  /** A query reaches its instance's device: it queues, starts, or is turned away if the queue is full. */
  protected enqueue(q: number, inst: number): void {
    const d = this.instI[(inst << II) | I_DEVICE];
    const di = this.devI;
    const cap = this.queueCapacity;
    if (di[(d << DI) | D_SHARED] === 1) {
      const queued = di[(d << DI) | D_QUEUED];
      if (queued >= di[(d << DI) | D_MAX_QUEUE]) return this.reject(q);
      this.devQueue[d * cap + ((di[(d << DI) | D_HEAD] + queued) & this.queueMask)] = q;
      di[(d << DI) | D_QUEUED] = queued + 1;
      if (di[(d << DI) | D_CURRENT] < 0) this.startShared(d);
      return;
    }
    const queued = this.instQueued[inst];
    if (queued >= di[(d << DI) | D_MAX_QUEUE]) return this.reject(q);
    // An idle instance's queue is empty (a finished batch starts the next at once, or rejects
    // the waiting queries), so half the queries go straight into service, sparing the ring.
    if (this.instInService[inst] === 0) return this.startBatch(inst, q);
    this.instQueue[inst * cap + ((this.instI[(inst << II) | I_HEAD] + queued) & this.queueMask)] = q;
    this.instQueued[inst] = queued + 1;
  }

  /**
   * Concurrent devices: the instance takes up to maxBatch waiting queries into service, or
   * `arriving` alone (≥ 0: a query reaching the idle instance, whose queue is then empty).
   */
  private startBatch(inst: number, arriving: number): void {
    const ii = this.instI;
    const d = ii[(inst << II) | I_DEVICE];
    const v = ii[(inst << II) | I_VARIANT];
    const kind = this.devI[(d << DI) | D_INTERFERENCE];
    const factor = kind === 0 ? 1 : kind === 1 ? 1 + this.devF[(d << DF) | D_SLOPE] * this.devInService[d] : this.interference(d, v);
    const tableSize = ii[(inst << II) | I_BATCH_SIZE];
    const b = tableSize === 0 || arriving >= 0 ? 1 : Math.min(this.instQueued[inst], tableSize);
    if (!Number.isFinite(factor)) {
      // The device refuses more work (ECSRL's infinite cells): the waiting queries are rejected.
      if (arriving >= 0) this.reject(arriving);
      while (this.instQueued[inst] > 0) this.reject(this.popInstanceQueue(inst));
      this.maybeUnload(inst);
      return;
    }
    if (b === 1) this.instBatch[inst * this.maxBatch] = arriving >= 0 ? arriving : this.popInstanceQueue(inst);
    else for (let k = 0; k < b; k++) this.instBatch[inst * this.maxBatch + k] = this.popInstanceQueue(inst);
    this.instInService[inst] = b;
    const f = this.instF;
    const base = tableSize === 0 ? f[(inst << IF) | F_LATENCY] : this.instBatchMs[inst * this.maxBatch + b - 1];
    this.beginBusy(d, v);
    const now = this.sim.now;
    f[(inst << IF) | F_BATCH_START] = now;
    f[(inst << IF) | F_BATCH_FACTOR] = factor;
    // `at`, not `after`: one call less, so the JIT inlines the scheduling here (see Simulation.at).
    this.sim.at(now + base * factor * this.noise(), DONE, inst, 0);
  }

  private popInstanceQueue(inst: number): number {
    const ii = this.instI;
    const head = ii[(inst << II) | I_HEAD];
    const q = this.instQueue[inst * this.queueCapacity + head];
    ii[(inst << II) | I_HEAD] = (head + 1) & this.queueMask;
    this.instQueued[inst]--;
    return q;
  }

  protected onBatchDone(inst: number): void {
    const b = this.instInService[inst];
    const batch = inst * this.maxBatch;
    for (let k = 0; k < b; k++) this.finishServed(this.instBatch[batch + k], inst, -1);
    this.instInService[inst] = 0;
    const ii = this.instI;
    this.endBusy(ii[(inst << II) | I_DEVICE], ii[(inst << II) | I_VARIANT]);
    if (this.instQueued[inst] > 0) this.startBatch(inst, -1);
    else this.maybeUnload(inst);
  }

  /** Time-shared devices: the head of the device's queue runs alone, after a swap if needed. */
  private startShared(d: number): void {
    const dev = this.scenario.devices[d];
    const di = this.devI;
    const head = di[(d << DI) | D_HEAD];
    const q = this.devQueue[d * this.queueCapacity + head];
    di[(d << DI) | D_HEAD] = (head + 1) & this.queueMask;
    di[(d << DI) | D_QUEUED]--;
    di[(d << DI) | D_CURRENT] = q;
    const inst = this.queryI[(q << QI) | Q_INST];
    const v = this.instI[(inst << II) | I_VARIANT];
    let swapMs = 0;
    const exec = dev.execution;
    const last = di[(d << DI) | D_LAST_VARIANT];
    if (exec.kind === 'time-shared' && last !== v && last >= 0 && this.devLoadedBytes[d] > exec.onChipBytes) {
      // The models in use do not fit on chip together: switching reloads the weights.
      swapMs = this.scenario.variants[v].memoryBytes / exec.swapBytesPerMs;
    }
    di[(d << DI) | D_LAST_VARIANT] = v;
    this.beginBusy(d, v);
    const now = this.sim.now;
    this.devF[(d << DF) | D_START] = now;
    this.sim.at(now + (swapMs + this.instF[(inst << IF) | F_LATENCY] * this.noise()), DONE_SHARED, d, 0);
  }

  protected onSharedDone(d: number): void {
    const di = this.devI;
    const q = di[(d << DI) | D_CURRENT];
    const inst = this.queryI[(q << QI) | Q_INST];
    di[(d << DI) | D_CURRENT] = -1;
    this.endBusy(d, this.instI[(inst << II) | I_VARIANT]);
    this.finishServed(q, inst, d);
    if (di[(d << DI) | D_QUEUED] > 0) this.startShared(d);
    else this.maybeUnload(inst);
  }

  private interference(d: number, v: number): number {
    const model = this.scenario.devices[d].interference;
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
    if (this.devInService[d]++ === 0) this.devF[(d << DF) | D_BUSY_SINCE] = this.sim.now;
    this.devVariantRunning[d * this.numVariants + v]++;
  }

  private endBusy(d: number, v: number): void {
    this.accrueActive(d);
    if (--this.devInService[d] === 0) {
      const f = this.devF;
      const now = this.sim.now;
      f[(d << DF) | D_BUSY] += now - Math.max(f[(d << DF) | D_BUSY_SINCE], this.windowStartMs);
      f[(d << DF) | D_BUSY_TOTAL] += now - f[(d << DF) | D_BUSY_SINCE];
    }
    this.devVariantRunning[d * this.numVariants + v]--;
  }

  /** Adds the power-weighted active time since the batch count last changed (call before changing it). */
  private accrueActive(d: number): void {
    const now = this.sim.now;
    const f = this.devF;
    const level = Math.min(1, this.devInService[d] * f[(d << DF) | D_POWER_PER_BATCH]);
    if (level > 0) {
      f[(d << DF) | D_ACTIVE_TOTAL] += level * (now - f[(d << DF) | D_LEVEL_SINCE]);
      f[(d << DF) | D_ACTIVE] += level * (now - Math.max(f[(d << DF) | D_LEVEL_SINCE], this.windowStartMs));
    }
    f[(d << DF) | D_LEVEL_SINCE] = now;
  }

  /** Mean-one multiplicative service noise (lognormal: μ = −σ²/2 keeps the mean at 1). */
  private noise(): number {
    const kind = this.noiseKind;
    if (kind === 0) return 1;
    if (kind === 1) return this.serviceRng.exponential(1);
    return Math.exp(this.serviceRng.normal(this.noiseMu, this.noiseSigma));
  }

  /**
   * A served query of `inst` ends, a success or a violation by its latency and accuracy.
   * `sharedDevice` is the time-shared device it ran on alone, or −1 when it ran in `inst`'s batch:
   * the observer's service time and slowdown are read from there. Only integers cross this call
   * (and `reject`): the JIT does not inline it into the event loop, and each double argument of
   * a call that is not inlined costs a heap number, one per query, for the collector.
   */
  private finishServed(q: number, inst: number, sharedDevice: number): void {
    const qi = this.queryI;
    const qf = this.queryF;
    const app = qi[(q << QI) | Q_APP];
    const now = this.sim.now;
    const latency = now - qf[(q << QF) | Q_GENERATED];
    const a = this.appF;
    const f = this.instF;
    const outcome = classify(latency, a[(app << AF) | A_BUDGET], f[(inst << IF) | F_ACCURACY], a[(app << AF) | A_ACCURACY]);
    this.metrics.record(app, outcome, latency);
    if (this.onQuery !== undefined) {
      const serviceMs = sharedDevice < 0 ? now - f[(inst << IF) | F_BATCH_START] : now - this.devF[(sharedDevice << DF) | D_START];
      const slowdown = sharedDevice < 0 ? f[(inst << IF) | F_BATCH_FACTOR] : 1;
      this.onQuery(now, qf[(q << QF) | Q_STREAM], app, qi[(q << QI) | Q_INST], latency, outcome, serviceMs, qi[(q << QI) | Q_ANTENNA], qf[(q << QF) | Q_GENERATED], slowdown);
    }
    this.queryFree[this.queryFreeCount++] = q;
  }

  /** A query that is never served ends rejected (no capacity, memory, queue room, or the policy's choice). */
  protected reject(q: number): void {
    const qi = this.queryI;
    this.metrics.record(qi[(q << QI) | Q_APP], Outcome.REJECTED, NaN);
    if (this.onQuery !== undefined) {
      const qf = this.queryF;
      this.onQuery(this.sim.now, qf[(q << QF) | Q_STREAM], qi[(q << QI) | Q_APP], qi[(q << QI) | Q_INST], NaN, Outcome.REJECTED, NaN, qi[(q << QI) | Q_ANTENNA], qf[(q << QF) | Q_GENERATED], NaN);
    }
    this.queryFree[this.queryFreeCount++] = q;
  }

  private allocateQuery(): number {
    if (this.queryFreeCount > 0) return this.queryFree[--this.queryFreeCount];
    if (this.queryUsed === this.queryFree.length) {
      const n = this.queryFree.length * 2;
      this.queryI = grown(this.queryI, n << QI);
      this.queryF = grown(this.queryF, n << QF);
      this.queryFree = grown(this.queryFree, n);
    }
    return this.queryUsed++;
  }
}

export function grown<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const next = new (a.constructor as new (n: number) => T)(n);
  next.set(a);
  return next;
}
