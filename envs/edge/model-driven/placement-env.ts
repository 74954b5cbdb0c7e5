// EdgeSched/Placement-v0 (the model-driven paper): long-lived DNN applications arrive one at a
// time and the agent hosts each on an accelerator or rejects it; the simulator checks each one.

import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../../../src/env.js';
import { checkKwargs, type KwargSpecs } from '../../../src/kwargs.js';
import { parseQuantity } from '../../../src/sim/units.js';
import { Box } from '../../../src/spaces/box.js';
import { Discrete } from '../../../src/spaces/discrete.js';
import { scenarioNamed } from '../scenario/builtin.js';
import type { Dispatcher } from '../sim/dispatch.js';
import { antennaSlots, instanceLayout, networkDelays } from '../sim/layout.js';
import { Outcome, type OutcomeReport } from '../sim/metrics.js';
import type { Application, Scenario } from '../model.js';
import type { QueryObserver, QueryRecorder, RecordingEnv } from '../sim/query-observer.js';
import { modelAccelerator } from '../sim/queueing-model.js';
import { EdgeSimulator } from '../sim/simulator.js';
import { drawWeighted, readScript, type ScriptedArrival } from './placement-arrivals.js';

export interface PlacementKwargs {
  /** A built-in scenario name or a scenario JSON path. */
  scenario?: string;
  /** Arrivals per episode before it is truncated. */
  maxApps?: number;
  /** [min, max] factor on each type's frame rate; each arriving app draws one uniformly. */
  rateScale?: [number, number];
  /** Simulated time each placement check runs, e.g. '5 s'. */
  checkWindow?: string;
  /** Fraction of an app's queries that may be late or rejected before it counts as violating. */
  violationThreshold?: number;
  /** Subtracted when a placement causes a violation (or a masked accelerator is chosen). */
  violationPenalty?: number;
  /** 'accelerator': simulate the chosen accelerator's apps; 'cluster': every hosted app. */
  check?: 'accelerator' | 'cluster';
}

const KWARGS: KwargSpecs = {
  scenario: { type: 'string' },
  maxApps: { type: 'number', integer: true, min: 1 },
  rateScale: { type: 'custom', expected: '[min, max] with 0 < min ≤ max', accepts: (v) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0) && v[0] <= v[1] },
  checkWindow: { type: 'quantity', kind: 'time' },
  violationThreshold: { type: 'number', min: 0, lessThan: 1 },
  violationPenalty: { type: 'number', min: 0 },
  check: { type: 'string', oneOf: ['accelerator', 'cluster'] },
};
const FEATURES_PER_ACCELERATOR = 8;
const LATENCY_CAP = 2;

/** One application as the env tracks it: arriving, hosted, or being checked. */
export interface PlacementApp {
  /** Index into the scenario's applications (the app's type). */
  readonly type: number;
  readonly rateHz: number;
  /** When its first query is sent, ms after the check window opens (< one frame interval). */
  readonly phaseMs: number;
  /** Node index of the antenna its queries arrive at. */
  readonly antenna: number;
  /** The stream as the simulator sees it (frame interval 1000 / rateHz, lasting the window). */
  readonly spec: Application;
}

/** A hosted (or candidate) app and where it runs. */
export interface Placed extends PlacementApp {
  readonly accelerator: number;
  readonly variant: number;
}

/** What one simulator check of a placement found. */
export interface PlacementCheck {
  /** No checked app had more than `violationThreshold` of its queries late or rejected. */
  readonly ok: boolean;
  /** Largest fraction of late or rejected queries among the checked apps. */
  readonly violationRatio: number;
  /** Largest latency / SLO of any query of the apps on the chosen accelerator (Infinity if one was rejected). */
  readonly worstLatencyRatio: number;
  readonly report: OutcomeReport;
}

/**
 * `EdgeSched/Placement-v0`, from the model-driven paper: long-lived DNN inference applications
 * arrive one at a time and the agent hosts each on an accelerator of the cluster
 * (`modeldriven-cluster`: 2 Jetson Xavier NX GPUs, 4 Coral Edge TPUs) or rejects it. The
 * simulator checks every placement for latency violations; the episode's score is how many apps
 * fit with no violation.
 *
 * **Arriving application**: a type drawn from the scenario's applications by weight (task,
 * accuracy and latency SLO from there), a request rate = the type's frame rate × a factor drawn
 * uniformly from `rateScale`, an antenna drawn uniformly from the workload's, and a phase (its
 * first query is sent at a uniform time within its first frame interval, so streams are not in
 * lock-step). On accelerator d it runs, of the variants of its task that meet its accuracy and
 * have a profile on d: the fastest one already deployed there (sharing a deployment costs no
 * memory and adds no weight swaps), else the fastest one that fits d's free memory. One
 * deployment (replica 0) per variant per accelerator; hosted apps of the same variant share its
 * queue.
 *
 * **Observation**: `Box` float32 of A + 3 + 8·D values for A application types and D
 * accelerators:
 *
 * | index | value | range |
 * | --- | --- | --- |
 * | [0, A) | one-hot of the arriving app's type (all 0 once the episode has ended) | [0, 1] |
 * | A | its request rate / the largest rate the episode can draw | [0, 1] |
 * | A+1 | its latency SLO / the largest SLO among the application types | [0, 1] |
 * | A+2 | apps offered so far / `maxApps` | [0, 1] |
 * | A+3+8d +0 | memory used by deployed variants / the accelerator's memory | [0, 1] |
 * | +1 | modelled utilisation: Σ offered load × modelled service time, capped at 1 | [0, 1] |
 * | +2 | apps hosted there / `maxApps` | [0, 1] |
 * | +3 | memory the arriving app would add there / the accelerator's memory (1 if it cannot run there) | [0, 1] |
 * | +4 | modelled latency of the arriving app there / its SLO, capped at 2 (2 if masked) | [0, 2] |
 * | +5 | modelled worst latency / SLO among the apps there with the arriving one added, capped at 2 (2 if masked) | [0, 2] |
 * | +6 | measured utilisation: its busy fraction in the check that admitted its last app (0 if empty) | [0, 1] |
 * | +7 | measured worst latency / SLO over its apps in that check, capped at 2 (0 if empty) | [0, 2] |
 *
 * +6 and +7 are what monitoring the running placement shows (the last check ran exactly the
 * apps hosted there now); they tell how much headroom is left, where the model only estimates
 * it. The model (+1, +4, +5) is analytic and cheap (`modelAccelerator` in
 * `envs/edge/sim/queueing-model.ts`): M/D/1 queues with the device's interference factor
 * (concurrent GPUs) or a shared queue with weight-swap costs (time-shared Edge TPUs). It is a
 * hint for the agent; the reward comes from the simulator.
 *
 * **Action**: `Discrete(D + 1)`: d < D hosts the arriving app on accelerator d; D rejects it.
 * `info.actionMask` allows d when a variant of the app's task that meets its accuracy has a
 * profile on d and is deployed there already or fits d's free memory; reject is always allowed.
 * A masked accelerator may still be chosen: it counts as a failed placement (below).
 *
 * **Reward**: the simulator runs the placement with the new app added (every hosted app a
 * constant-rate stream bound to its accelerator's deployment) for `checkWindow` of simulated
 * time. An app violates when more than `violationThreshold` of its queries in the window are
 * late (past its SLO) or rejected (queue full), i.e. (for the default 0.01) its p99 latency
 * exceeds its SLO. No hosted app violating: reward +1, the app is kept. Otherwise reward
 * −`violationPenalty`, the app is not kept and the episode terminates. Rejecting: reward 0,
 * terminated. A masked action: reward −`violationPenalty`, terminated. With `check`
 * `'accelerator'` (the default) only the chosen accelerator's apps are simulated: the
 * simulator's accelerators share nothing (network delays are fixed), so this gives the same
 * per-query outcomes as simulating the whole cluster (`'cluster'`) at a fraction of the cost.
 *
 * **Episode**: terminated by a violation, a rejection or a masked action (above); truncated
 * after `maxApps` arrivals, or when the reset options' `arrivals` run out.
 *
 * **info**: `actionMask` on reset and every step; on every step `outcome` (`'hosted'`,
 * `'violation'`, `'rejected'` or `'invalid'`), `application` (type id), `rateHz`, `phaseMs`,
 * `antenna`, `accelerator` and `variant` (ids, or null), the check's `violationRatio` (worst over
 * the apps checked) and `worstLatencyRatio` (worst query latency / SLO on the chosen
 * accelerator), and `hosted`. On the last step `episodeMetrics`: `hosted`, `violations`,
 * `rejections`, `invalid`, `acceleratorsUsed`, `utilisation` (mean simulated busy fraction over
 * accelerators), `energyJ` (the cluster's energy over one check window of the final placement)
 * and `powerW` (energyJ / window).
 *
 * **kwargs** (defaults): `scenario` `'modeldriven-cluster'`; `maxApps` 100; `rateScale`
 * `[0.5, 2]`; `checkWindow` `'5 s'`; `violationThreshold` 0.01; `violationPenalty` 1; `check`
 * `'accelerator'` (or `'cluster'`: identical while accelerators share nothing).
 *
 * **Reset options**: `{ arrivals: [{ application: id or index, rateHz?, phaseMs?, antenna? }, …] }`
 * scripts the episode's arrivals (the rate defaults to the type's frame rate; phase and antenna
 * are drawn), for tests and for replaying a recorded sequence.
 *
 * **Baselines**: `knapsack` is the paper's comparison (memory and isolated compute only, no
 * interference or swap model); `first-fit` and `best-fit` look at memory alone; `model-analytic`
 * asks the analytic model, and `model-aware` and `model-aware-slack` run the reward's own
 * simulator check on every candidate accelerator before choosing.
 */
export class PlacementEnv extends Env<Float32Array, number> implements RecordingEnv {
  readonly observationSpace: Box<'float32'>;
  readonly actionSpace: Discrete;
  readonly scenario: Scenario;
  readonly maxApps: number;
  readonly rateScale: readonly [number, number];
  readonly windowMs: number;
  readonly violationThreshold: number;
  readonly violationPenalty: number;
  readonly checkMode: 'accelerator' | 'cluster';
  /** Number of accelerators D; action D rejects. */
  readonly numAccelerators: number;

  // Fixed per scenario.
  private readonly numVariants: number;
  private readonly instanceOf: Int32Array; // [d · V + v] → simulator instance (replica 0), −1 none
  private readonly networkDelayMs: Float64Array; // [(antenna slot · A + type) · D + d]
  private readonly antennaSlot: Int32Array; // node index → index in workload.antennas
  private readonly maxRateHz: number;
  private readonly maxSloMs: number;

  // Episode state.
  private hostedApps: Placed[] = [];
  /** Bytes of the variants deployed on each accelerator. */
  readonly memoryUsedBytes: Float64Array;
  /** Apps hosted on each (accelerator, variant): [d · V + v]. */
  private readonly appsOn: Int32Array;
  /** Requests per ms on each (accelerator, variant). */
  private readonly ratePerMs: Float64Array;
  /** Σ rate × batch-1 service time of the apps on each accelerator, ignoring interference and swaps. */
  readonly isolatedLoad: Float64Array;
  /** Apps hosted on each accelerator. */
  readonly hostedCount: Int32Array;
  private readonly deviceEnergyJ: Float64Array; // from each accelerator's latest check
  private readonly deviceUtilisation: Float64Array;
  private readonly measuredWorstRatio: Float64Array; // worst latency / SLO on each accelerator in its last admitting check
  private pendingApp: PlacementApp | null = null;
  private pendingSeed = 0;
  /** Variant the arriving app would run on each accelerator (−1: masked). */
  readonly pendingVariant: Int32Array;
  private arrivals = 0;
  private script: ScriptedArrival[] | null = null;
  private episodeOver = true;
  private ends = { violations: 0, rejections: 0, invalid: 0 };

  // Scratch for the analytic model and for checks.
  private readonly modelLatency: Float64Array; // [d · V + v] modelled compute latency, ms
  private readonly scratchRate: Float64Array;
  private readonly scratchLatency: Float64Array;
  private readonly worstRatio: Float64Array;
  private checkInstance = new Int32Array(0);
  private checkBudget = new Float64Array(0);
  private checkTotal = new Float64Array(0);
  private checkBad = new Float64Array(0);
  private checkWorst = new Float64Array(0);
  /** Each checked app's type: a check's simulator numbers its applications by checked app, not by type. */
  private checkType = new Int32Array(0);
  private readonly checkDispatcher: Dispatcher;
  private readonly observeQuery: QueryObserver;
  private recorder: QueryRecorder | null = null;
  /** The recorder's observer of the check running now (undefined: not recorded). */
  private recording: QueryObserver | undefined = undefined;

  constructor(kwargs: PlacementKwargs = {}) {
    super();
    checkKwargs('Placement', kwargs, KWARGS);
    this.scenario = scenarioNamed(kwargs.scenario ?? 'modeldriven-cluster');
    this.maxApps = kwargs.maxApps ?? 100;
    const scale = kwargs.rateScale ?? [0.5, 2];
    this.rateScale = [scale[0], scale[1]];
    this.windowMs = parseQuantity(kwargs.checkWindow ?? '5 s', 'time', { sign: 'positive' });
    this.violationThreshold = kwargs.violationThreshold ?? 0.01;
    this.violationPenalty = kwargs.violationPenalty ?? 1;
    this.checkMode = kwargs.check ?? 'accelerator';

    const s = this.scenario;
    const D = s.devices.length;
    const V = s.variants.length;
    const A = s.applications.length;
    this.numAccelerators = D;
    this.numVariants = V;
    const layout = instanceLayout(s);
    this.instanceOf = new Int32Array(D * V).fill(-1);
    for (let i = 0; i < layout.count; i++) if (layout.replica[i] === 0) this.instanceOf[layout.device[i] * V + layout.variant[i]] = i;
    this.antennaSlot = antennaSlots(s);
    this.networkDelayMs = networkDelays(s);
    this.maxRateHz = Math.max(...s.applications.map((a) => 1000 / a.frameIntervalMs)) * this.rateScale[1];
    this.maxSloMs = Math.max(...s.applications.map((a) => a.latencyBudgetMs));

    this.memoryUsedBytes = new Float64Array(D);
    this.appsOn = new Int32Array(D * V);
    this.ratePerMs = new Float64Array(D * V);
    this.isolatedLoad = new Float64Array(D);
    this.hostedCount = new Int32Array(D);
    this.deviceEnergyJ = new Float64Array(D);
    this.deviceUtilisation = new Float64Array(D);
    this.measuredWorstRatio = new Float64Array(D);
    this.pendingVariant = new Int32Array(D).fill(-1);
    this.modelLatency = new Float64Array(D * V);
    this.scratchRate = new Float64Array(V);
    this.scratchLatency = new Float64Array(V);
    this.worstRatio = new Float64Array(D);
    this.checkDispatcher = { name: 'placement', granularity: 'stream', choose: (_sim, request) => this.checkInstance[request.application] };
    this.observeQuery = (t, stream, k, inst, latencyMs, outcome, serviceMs, antenna, arrivalMs, slowdown) => {
      this.checkTotal[k]++;
      if (outcome !== Outcome.SUCCESS) this.checkBad[k]++;
      const ratio = outcome === Outcome.REJECTED ? Infinity : latencyMs / this.checkBudget[k];
      if (ratio > this.checkWorst[k]) this.checkWorst[k] = ratio;
      this.recording?.(t, stream, this.checkType[k], inst, latencyMs, outcome, serviceMs, antenna, arrivalMs, slowdown);
    };

    const size = A + 3 + FEATURES_PER_ACCELERATOR * D;
    const high = new Float64Array(size).fill(1);
    for (let d = 0; d < D; d++) {
      high[A + 3 + FEATURES_PER_ACCELERATOR * d + 4] = LATENCY_CAP;
      high[A + 3 + FEATURES_PER_ACCELERATOR * d + 5] = LATENCY_CAP;
      high[A + 3 + FEATURES_PER_ACCELERATOR * d + 7] = LATENCY_CAP;
    }
    this.observationSpace = new Box(0, high, [size], 'float32');
    this.actionSpace = new Discrete(D + 1);
  }

  /** The apps hosted so far, in arrival order. */
  get placement(): readonly Placed[] {
    return this.hostedApps;
  }

  /** The app waiting for a decision (null once the episode has ended). */
  get pending(): PlacementApp | null {
    return this.pendingApp;
  }

  /** Memory the arriving app would add on accelerator d (0 when its variant is deployed there). */
  extraMemoryBytes(d: number): number {
    const v = this.pendingVariant[d];
    if (v < 0) return Infinity;
    return this.appsOn[d * this.numVariants + v] > 0 ? 0 : this.scenario.variants[v].memoryBytes;
  }

  /** Rate × batch-1 service time the arriving app would add on accelerator d (Infinity if masked). */
  isolatedLoadOf(d: number): number {
    const v = this.pendingVariant[d];
    const app = this.pendingApp;
    if (v < 0 || app === null) return Infinity;
    return (app.rateHz / 1000) * this.scenario.devices[d].profiles.get(v)!.latencyMs;
  }

  /**
   * The analytic model's worst latency / SLO among the apps on accelerator d with the arriving
   * app added there (observation feature +5, not capped); Infinity when d is masked or overloaded.
   */
  modelledWorstLatencyRatio(d: number): number {
    return this.pendingApp === null || this.pendingVariant[d] < 0 ? Infinity : this.worstRatio[d];
  }

  /**
   * Runs the simulator check for the arriving app on accelerator d without placing it: what
   * `step(d)` would find (same seed). For model-driven policies; costs one simulator run.
   */
  tryPlacement(d: number): PlacementCheck {
    const app = this.pendingApp;
    if (app === null) throw new Error('Placement.tryPlacement: no application is waiting (call reset(), or the episode has ended)');
    if (!(Number.isInteger(d) && d >= 0 && d < this.numAccelerators) || this.pendingVariant[d] < 0) {
      throw new RangeError(`Placement.tryPlacement: accelerator ${d} cannot host ${this.scenario.applications[app.type].id} (masked or out of range)`);
    }
    return this.check({ ...app, accelerator: d, variant: this.pendingVariant[d] }, false);
  }

  /**
   * Sends the queries of every check `step` runs from now on to `recorder`, one run per check, with
   * each query's application as its app's type (see RecordingEnv). `tryPlacement`'s what-if runs
   * are not recorded: the log holds the episode's checks.
   */
  recordQueries(recorder: QueryRecorder | null): void {
    this.recorder = recorder;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.script = readScript(args.options?.arrivals, this.scenario, this.maxApps);
    const D = this.numAccelerators;
    this.hostedApps = [];
    this.memoryUsedBytes.fill(0);
    this.appsOn.fill(0);
    this.ratePerMs.fill(0);
    this.isolatedLoad.fill(0);
    this.hostedCount.fill(0);
    this.deviceUtilisation.fill(0);
    this.measuredWorstRatio.fill(0);
    for (let d = 0; d < D; d++) this.deviceEnergyJ[d] = (this.scenario.devices[d].idlePowerW * this.windowMs) / 1000;
    this.arrivals = 0;
    this.ends = { violations: 0, rejections: 0, invalid: 0 };
    this.episodeOver = false;
    this.arrive();
    return { observation: this.observe(), info: { actionMask: this.mask() } };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) throw new RangeError(`Placement.step: action ${String(action)} is not in ${this.actionSpace}`);
    const app = this.pendingApp;
    if (app === null) throw new Error(this.episodeOver && this.arrivals > 0 ? 'Placement.step: the episode has ended; call reset()' : 'Placement.step: call reset() before step()');
    const D = this.numAccelerators;
    const scenario = this.scenario;
    let reward: number;
    let outcome: 'hosted' | 'violation' | 'rejected' | 'invalid';
    let check: PlacementCheck | null = null;
    const variant = action < D ? this.pendingVariant[action] : -1;
    if (action === D) {
      outcome = 'rejected';
      reward = 0;
      this.ends.rejections++;
    } else if (variant < 0) {
      outcome = 'invalid';
      reward = -this.violationPenalty;
      this.ends.invalid++;
    } else {
      const placed: Placed = { ...app, accelerator: action, variant };
      check = this.check(placed, true);
      if (check.ok) {
        outcome = 'hosted';
        reward = 1;
        this.host(placed, check.report);
        this.measuredWorstRatio[action] = check.worstLatencyRatio;
      } else {
        outcome = 'violation';
        reward = -this.violationPenalty;
        this.ends.violations++;
      }
    }
    this.arrivals++;
    const terminated = outcome !== 'hosted';
    const truncated = !terminated && (this.arrivals >= this.maxApps || (this.script !== null && this.arrivals >= this.script.length));
    if (terminated || truncated) {
      this.pendingApp = null;
      this.pendingVariant.fill(-1);
      this.episodeOver = true;
    } else {
      this.arrive();
    }
    const info: Info = {
      outcome,
      application: scenario.applications[app.type].id,
      rateHz: app.rateHz,
      phaseMs: app.phaseMs,
      antenna: scenario.topology.nodes[app.antenna].id,
      accelerator: action < D ? scenario.devices[action].id : null,
      variant: variant >= 0 ? scenario.variants[variant].id : null,
      worstLatencyRatio: check === null ? 0 : check.worstLatencyRatio,
      violationRatio: check === null ? 0 : check.violationRatio,
      hosted: this.hostedApps.length,
      actionMask: this.mask(),
    };
    if (terminated || truncated) info.episodeMetrics = this.episodeMetrics();
    return { observation: this.observe(), reward, terminated, truncated, info };
  }

  // ---- arrivals and placement ----------------------------------------------------------------

  /** Draws (or reads from the script) the next application and works out where it could run. */
  private arrive(): void {
    const s = this.scenario;
    const rng = this.rng;
    // Every arrival makes the same draws, scripted or not, so a script changes nothing else.
    const typeDraw = rng.random();
    const scaleDraw = rng.uniform(this.rateScale[0], this.rateScale[1]);
    const antennaDraw = s.workload.antennas[rng.int(s.workload.antennas.length)];
    const phaseDraw = rng.random();
    this.pendingSeed = rng.deriveSeed();
    let type = drawWeighted(s.applications, typeDraw);
    let rateHz = (1000 / s.applications[type].frameIntervalMs) * scaleDraw;
    let antenna = antennaDraw;
    let phaseMs: number | undefined;
    const scripted = this.script?.[this.arrivals];
    if (scripted !== undefined) {
      type = scripted.application as number;
      rateHz = scripted.rateHz ?? 1000 / s.applications[type].frameIntervalMs;
      if (scripted.antenna !== undefined) antenna = s.topology.nodes.findIndex((n) => n.id === scripted.antenna);
      phaseMs = scripted.phaseMs;
    }
    const intervalMs = 1000 / rateHz;
    phaseMs ??= phaseDraw * intervalMs;
    const base = s.applications[type];
    const spec: Application = { ...base, frameIntervalMs: intervalMs, duration: { kind: 'fixed', valueMs: this.windowMs + intervalMs }, weight: 1 };
    this.pendingApp = { type, rateHz, phaseMs, antenna, spec };
    for (let d = 0; d < this.numAccelerators; d++) this.pendingVariant[d] = this.chooseVariant(type, d);
  }

  /**
   * The variant `type` runs on accelerator d: among those of its task meeting its accuracy with a
   * profile on d, the fastest already deployed there, else the fastest that fits the free memory.
   */
  private chooseVariant(type: number, d: number): number {
    const s = this.scenario;
    const app = s.applications[type];
    const dev = s.devices[d];
    const V = this.numVariants;
    let deployed = -1;
    let fits = -1;
    for (let v = 0; v < V; v++) {
      const variant = s.variants[v];
      const profile = dev.profiles.get(v);
      if (profile === undefined || variant.task !== app.task || variant.accuracy < app.accuracy || this.instanceOf[d * V + v] < 0) continue;
      if (this.appsOn[d * V + v] > 0) {
        if (deployed < 0 || profile.latencyMs < dev.profiles.get(deployed)!.latencyMs) deployed = v;
      } else if (this.memoryUsedBytes[d] + variant.memoryBytes <= dev.memoryBytes) {
        if (fits < 0 || profile.latencyMs < dev.profiles.get(fits)!.latencyMs) fits = v;
      }
    }
    return deployed >= 0 ? deployed : fits;
  }

  private host(placed: Placed, report: OutcomeReport): void {
    const d = placed.accelerator;
    const k = d * this.numVariants + placed.variant;
    if (this.appsOn[k]++ === 0) this.memoryUsedBytes[d] += this.scenario.variants[placed.variant].memoryBytes;
    this.ratePerMs[k] += placed.rateHz / 1000;
    this.isolatedLoad[d] += (placed.rateHz / 1000) * this.scenario.devices[d].profiles.get(placed.variant)!.latencyMs;
    this.hostedCount[d]++;
    this.hostedApps.push(placed);
    // The check saw the accelerator's (or the cluster's) whole placement: keep its energy and load.
    for (let e = 0; e < this.numAccelerators; e++) {
      if (this.checkMode === 'cluster' || e === d) {
        this.deviceEnergyJ[e] = report.devices[e].energyJ;
        this.deviceUtilisation[e] = report.devices[e].utilisation;
      }
    }
  }

  private mask(): Uint8Array {
    const D = this.numAccelerators;
    const mask = new Uint8Array(D + 1);
    for (let d = 0; d < D; d++) mask[d] = this.pendingVariant[d] >= 0 ? 1 : 0;
    mask[D] = 1;
    return mask;
  }

  // ---- the simulator check ------------------------------------------------------------------

  /** Simulates the placement with `candidate` added and judges every checked app; `record`: tell the recorder. */
  private check(candidate: Placed, record: boolean): PlacementCheck {
    const apps: Placed[] = [];
    for (const h of this.hostedApps) if (this.checkMode === 'cluster' || h.accelerator === candidate.accelerator) apps.push(h);
    apps.push(candidate);
    const n = apps.length;
    if (this.checkInstance.length < n) {
      const size = Math.max(n, 2 * this.checkInstance.length, 16);
      this.checkInstance = new Int32Array(size);
      this.checkBudget = new Float64Array(size);
      this.checkTotal = new Float64Array(size);
      this.checkBad = new Float64Array(size);
      this.checkWorst = new Float64Array(size);
      this.checkType = new Int32Array(size);
    }
    for (let k = 0; k < n; k++) {
      this.checkType[k] = apps[k].type;
      this.checkInstance[k] = this.instanceOf[apps[k].accelerator * this.numVariants + apps[k].variant];
      this.checkBudget[k] = apps[k].spec.latencyBudgetMs;
    }
    this.checkTotal.fill(0, 0, n);
    this.checkBad.fill(0, 0, n);
    this.checkWorst.fill(0, 0, n);
    const order = Array.from({ length: n }, (_, k) => k).sort((i, j) => apps[i].phaseMs - apps[j].phaseMs || i - j);
    const scenario: Scenario = {
      ...this.scenario,
      applications: apps.map((a) => a.spec),
      workload: { antennas: this.scenario.workload.antennas, schedule: [{ atMs: 0, clientsPerMinute: 0 }], trace: order.map((k) => ({ atMs: apps[k].phaseMs, antenna: apps[k].antenna, application: k })) },
    };
    this.recording = record ? this.recorder?.observer(this.scenario) : undefined;
    const sim = new EdgeSimulator(scenario, { seed: this.pendingSeed, dispatcher: this.checkDispatcher, onQuery: this.observeQuery });
    try {
      sim.runUntil(this.windowMs);
    } finally {
      this.recording = undefined;
    }
    let violationRatio = 0;
    let worstLatencyRatio = 0;
    for (let k = 0; k < n; k++) {
      const total = this.checkTotal[k];
      if (total > 0) violationRatio = Math.max(violationRatio, this.checkBad[k] / total);
      if (apps[k].accelerator === candidate.accelerator) worstLatencyRatio = Math.max(worstLatencyRatio, this.checkWorst[k]);
    }
    return { ok: violationRatio <= this.violationThreshold, violationRatio, worstLatencyRatio, report: sim.report() };
  }

  // ---- observation ----------------------------------------------------------------------------

  private observe(): Float32Array {
    const s = this.scenario;
    const D = this.numAccelerators;
    const V = this.numVariants;
    const A = s.applications.length;
    const obs = new Float32Array(this.observationSpace.size);
    const app = this.pendingApp;
    if (app !== null) {
      obs[app.type] = 1;
      obs[A] = Math.min(1, app.rateHz / this.maxRateHz);
      obs[A + 1] = s.applications[app.type].latencyBudgetMs / this.maxSloMs;
    }
    obs[A + 2] = Math.min(1, this.arrivals / this.maxApps);

    // Modelled latencies with the arriving app added on each accelerator in turn.
    const rate = this.scratchRate;
    for (let d = 0; d < D; d++) {
      const o = A + 3 + FEATURES_PER_ACCELERATOR * d;
      const dev = s.devices[d];
      rate.set(this.ratePerMs.subarray(d * V, d * V + V));
      const load = modelAccelerator(dev, s, rate, this.scratchLatency);
      obs[o] = Math.min(1, this.memoryUsedBytes[d] / dev.memoryBytes);
      obs[o + 1] = Math.min(1, load);
      obs[o + 2] = this.hostedCount[d] / this.maxApps;
      const v = this.pendingVariant[d];
      this.worstRatio[d] = 0;
      if (app === null || v < 0) {
        obs[o + 3] = 1;
        obs[o + 4] = LATENCY_CAP;
        modelAccelerator(dev, s, rate, this.modelLatency.subarray(d * V, d * V + V));
        continue;
      }
      obs[o + 3] = Math.min(1, this.extraMemoryBytes(d) / dev.memoryBytes);
      rate[v] += app.rateHz / 1000;
      modelAccelerator(dev, s, rate, this.modelLatency.subarray(d * V, d * V + V));
      const latency = this.networkMs(app, d) + this.modelLatency[d * V + v];
      const ratio = latency / app.spec.latencyBudgetMs;
      obs[o + 4] = Math.min(LATENCY_CAP, ratio);
      this.worstRatio[d] = ratio;
    }
    for (const h of this.hostedApps) {
      const d = h.accelerator;
      const ratio = (this.networkMs(h, d) + this.modelLatency[d * V + h.variant]) / h.spec.latencyBudgetMs;
      if (ratio > this.worstRatio[d]) this.worstRatio[d] = ratio;
    }
    for (let d = 0; d < D; d++) {
      const o = A + 3 + FEATURES_PER_ACCELERATOR * d;
      obs[o + 5] = app === null || this.pendingVariant[d] < 0 ? LATENCY_CAP : Math.min(LATENCY_CAP, this.worstRatio[d]);
      obs[o + 6] = Math.min(1, this.deviceUtilisation[d]);
      obs[o + 7] = Math.min(LATENCY_CAP, this.measuredWorstRatio[d]);
    }
    return obs;
  }

  /** Radio plus network delay of one of the app's queries to accelerator d, ms (the simulator's figure). */
  private networkMs(app: PlacementApp, d: number): number {
    return this.networkDelayMs[(this.antennaSlot[app.antenna] * this.scenario.applications.length + app.type) * this.numAccelerators + d];
  }

  private episodeMetrics(): Record<string, number> {
    const D = this.numAccelerators;
    let energyJ = 0;
    let utilisation = 0;
    let used = 0;
    for (let d = 0; d < D; d++) {
      energyJ += this.deviceEnergyJ[d];
      utilisation += this.deviceUtilisation[d] / D;
      if (this.hostedCount[d] > 0) used++;
    }
    return {
      hosted: this.hostedApps.length,
      violations: this.ends.violations,
      rejections: this.ends.rejections,
      invalid: this.ends.invalid,
      acceleratorsUsed: used,
      utilisation,
      energyJ,
      powerW: energyJ / (this.windowMs / 1000),
    };
  }
}
