// EdgeSched/Dispatch-v0 (ECSRL): one decision per arriving request — which device runs it with
// which model variant — paying ECSRL's objective α·E + β·d for energy and degradation.

import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../../../src/env.js';
import { checkKwargs, type KwargSpecs } from '../../../src/kwargs.js';
import { parseQuantity } from '../../../src/sim/units.js';
import { Box } from '../../../src/spaces/box.js';
import { Float32Slab } from '../../../src/slab.js';
import { Discrete } from '../../../src/spaces/discrete.js';
import { DEFER, type Dispatcher, REJECT } from '../sim/dispatch.js';
import { instanceLayout } from '../sim/layout.js';
import { Outcome, type OutcomeCode } from '../sim/metrics.js';
import type { QueryObserver, QueryRecorder, RecordingEnv } from '../sim/query-observer.js';
import type { Scenario } from '../model.js';
import { scenarioNamed } from '../scenario/builtin.js';
import { EdgeSimulator } from '../sim/simulator.js';

export interface DispatchKwargs {
  /** A built-in scenario's name, a scenario file, or a Scenario built in code. */
  scenario?: string | Scenario;
  /** λ in clients (one-request streams on the ECSRL scenarios) per minute per antenna. */
  rate?: number;
  /** Multiplies the arrival rate (the scenario's or `rate`); default 1. */
  load?: number;
  horizon?: string;
  alpha?: number;
  beta?: number;
  violationPenalty?: number;
  rejectionPenalty?: number;
}

const KWARGS: KwargSpecs = {
  scenario: { type: 'custom', expected: "a built-in scenario's name, a scenario JSON path or a Scenario object", accepts: (v) => (typeof v === 'string' && v !== '') || (typeof v === 'object' && v !== null && 'devices' in v) },
  rate: { type: 'number', min: 0 },
  load: { type: 'number', min: 0 },
  horizon: { type: 'quantity', kind: 'time' },
  alpha: { type: 'number', min: 0 },
  beta: { type: 'number', min: 0 },
  violationPenalty: { type: 'number', min: 0 },
  rejectionPenalty: { type: 'number', min: 0 },
};

/** Cap on expected latency / budget in the observation. */
const LATENCY_CAP = 4;

const EMPTY = new Int32Array(0);

const DEFER_ALL: Dispatcher = { name: 'agent', granularity: 'query', choose: () => DEFER };

/**
 * `EdgeSched/Dispatch-v0`, from ECSRL: one decision per arriving request, which device runs it
 * with which model variant, paying ECSRL's objective α·E + β·d for energy and degradation.
 *
 * With A applications, D devices and V model variants (`ecsrl-testbed`: 4, 6, 6):
 *
 * **Observation**: `Box` float32 of A + 2 + D·(V + 2) + D·V values (90 on `ecsrl-testbed`, 146
 * on `ecsrl-jetson`):
 *
 * | index | value |
 * | --- | --- |
 * | [0, A) | the request's application, one-hot (all 0 after the horizon) |
 * | A | its latency budget, s |
 * | A+1 | its accuracy requirement, fraction |
 * | per device d, at A+2+d·(V+2): V values | queries of each variant waiting or running there / the device's queue bound (≤ 1) |
 * | then 1 value | free memory fraction |
 * | then 1 value | power level: the share of (active − idle) power it draws now, min(1, batches running / its `powerSaturation`); 0 when idle |
 * | then D·V values | the request's expected latency under action d·V + v / its budget, capped at 4 (4 also for masked actions): network + queue + service × the interference factor it would start with |
 *
 * **Action**: `Discrete(D·V)`, a = d·V + v: variant v on device d (its least-loaded replica).
 * `info.actionMask` allows exactly the (device, variant) pairs where the variant serves the
 * request's task with at least the required accuracy, has a profile on the device, fits its free
 * memory (or is deployed), has queue room, and the device does not refuse another co-runner
 * (ECSRL's infinite cells). High-accuracy requests thus can only go to the cloud's large models:
 * ECSRL's offload. A request with no allowed action is rejected without asking (and paid for in
 * the next reward); a masked action taken anyway rejects the request (`info.invalidAction`).
 *
 * **Reward** for the step that decides request t, over every query finished until request t+1
 * arrives: −(α·E + β·Σd) − violationPenalty · late − rejectionPenalty · rejected, where E is the
 * energy the devices drew above idle in that interval (Σ (active − idle power) × power level ×
 * time, J: the idle floor does not depend on decisions) and d a finished query's degradation as
 * ECSRL defines it: its running time with the co-runners it met over its running time alone (the
 * interference factor its batch ran with; 1 alone). Queueing is not in d: it counts through the
 * deadline, as a late query's penalty. ECSRL averages d per step; summing it per query makes the
 * return exactly minus the episode's objective minus the penalties, however completions fall
 * between decisions.
 *
 * **Episode**: truncated when the simulated clock reaches `horizon`; never terminated. Queries
 * still in flight then are not paid for.
 *
 * **info**: `actionMask` on reset and every step, `simSeed` on reset, `invalidAction` when a
 * masked action was taken; on the last step `episodeMetrics`: `requests`, `successRatio`,
 * `violationRatio`, `rejectionRatio`, `energyJ`, `meanDegradation`, `objective` (α·E + β·Σd) and
 * `invalidActions`.
 *
 * **kwargs** (defaults): `scenario` `'ecsrl-testbed'` (or `'ecsrl-jetson'`, a scenario file, a
 * `Scenario` built in code); `rate` the scenario's (clients/min per antenna: 3,400 = 17,000
 * requests in 5 min); `load` 1 (multiplies the arrival rate: sweep it to stress the cluster);
 * `horizon` `'5 min'`; `alpha` 1 (per J); `beta` 0.1; `violationPenalty` 1; `rejectionPenalty` 1.
 *
 * **Baselines**: ECSRL's comparisons: `random-valid`, `round-robin`, `least-degradation` (greedy
 * on the slowdown the request would start with), `lowest-energy` (greedy on the energy its batch
 * would add above idle) and `edge-first` (an edge board that meets the budget, else offload to
 * the cloud); all of them honour the mask.
 */
export class DispatchEnv extends Env<Float32Array, number> implements RecordingEnv {
  readonly observationSpace: Box<'float32'>;
  readonly actionSpace: Discrete;
  readonly scenario: Scenario;
  readonly horizonMs: number;
  readonly alpha: number;
  readonly beta: number;
  readonly violationPenalty: number;
  readonly rejectionPenalty: number;
  readonly rate: number | undefined;
  readonly load: number;

  // Per action a = d·V + v, recomputed for each request (baselines read them).
  /** 1 where the action is allowed for the request waiting now. */
  readonly mask: Uint8Array;
  /** The replica the action would use (−1: none on this device). */
  readonly chosenInstance: Int32Array;
  /** Expected latency of the request under the action, ms (Infinity where masked). */
  readonly expectedLatencyMs: Float64Array;
  /** Expected energy the request would cost under the action, J. */
  readonly expectedEnergyJ: Float64Array;
  /** Network delay + batch-1 service time: the latency the action gives on an idle system, ms. */
  /** Per action: the interference factor the request would start with there (its expected degradation d). */
  readonly expectedSlowdown: Float64Array;
  /** 1 where the action's device sits in a cloud data centre. */
  readonly actionIsCloud: Uint8Array;

  private readonly numVariants: number;
  private readonly replicaStart: Int32Array; // CSR over actions → instances
  private readonly replicas: Int32Array;
  private readonly surplusW: Float64Array; // per device: active − idle power
  private readonly powerPerBatch: Float64Array; // per device: 1 / powerSaturation
  private readonly candidatesByApp: Int32Array[]; // actions that can ever be allowed, per application
  private candidates: Int32Array = EMPTY; // the waiting request's
  private readonly instObsSlot: Int32Array; // per instance: its (device, variant) load slot in the observation
  private readonly instQueueScale: Float64Array; // 1 / its device's maxQueue
  private readonly slab: Float32Slab;
  private sim: EdgeSimulator | null = null;
  private application = -1;
  private recorder: QueryRecorder | null = null;
  /** The reward's tally of every finished query (one closure for the env's life). */
  private readonly tally: QueryObserver = (_t, _stream, _app, _inst, _latencyMs, outcome, _serviceMs, _antenna, _arrivalMs, slowdown) => this.onQuery(outcome, slowdown);

  // What finished since the last decision, and over the episode (filled by the query observer).
  private stepEnergyJ = 0;
  private lastActiveMs: Float64Array;
  private stepDegradation = 0;
  private stepLate = 0;
  private stepRejected = 0;
  private episode = { requests: 0, success: 0, late: 0, rejected: 0, violations: 0, energyJ: 0, degradation: 0, invalid: 0 };

  constructor(kwargs: DispatchKwargs = {}) {
    super();
    checkKwargs('Dispatch', kwargs, KWARGS);
    this.scenario = typeof kwargs.scenario === 'object' ? kwargs.scenario : scenarioNamed(kwargs.scenario ?? 'ecsrl-testbed');
    this.horizonMs = parseQuantity(kwargs.horizon ?? '5 min', 'time');
    this.alpha = kwargs.alpha ?? 1;
    this.beta = kwargs.beta ?? 0.1;
    this.violationPenalty = kwargs.violationPenalty ?? 1;
    this.rejectionPenalty = kwargs.rejectionPenalty ?? 1;
    this.rate = kwargs.rate;
    this.load = kwargs.load ?? 1;

    const s = this.scenario;
    const D = s.devices.length;
    const V = s.variants.length;
    this.numVariants = V;
    // Group the simulator's instance numbering by action (device · V + variant).
    const layout = instanceLayout(s);
    const byAction: number[][] = Array.from({ length: D * V }, () => []);
    for (let i = 0; i < layout.count; i++) byAction[layout.device[i] * V + layout.variant[i]].push(i);
    const starts: number[] = [];
    const list: number[] = [];
    for (const instances of byAction) {
      starts.push(list.length);
      list.push(...instances);
    }
    starts.push(list.length);
    this.replicaStart = Int32Array.from(starts);
    this.replicas = Int32Array.from(list);
    this.surplusW = Float64Array.from(s.devices, (dev) => dev.activePowerW - dev.idlePowerW);
    this.powerPerBatch = Float64Array.from(s.devices, (dev) => 1 / (dev.powerSaturation ?? 1));
    this.lastActiveMs = new Float64Array(D);

    const n = D * V;
    this.mask = new Uint8Array(n);
    this.chosenInstance = new Int32Array(n).fill(-1);
    this.expectedLatencyMs = new Float64Array(n).fill(Infinity);
    this.expectedEnergyJ = new Float64Array(n).fill(Infinity);
    this.expectedSlowdown = new Float64Array(n).fill(Infinity);
    this.candidatesByApp = s.applications.map((app) =>
      Int32Array.from({ length: n }, (_, a) => a).filter((a) => {
        const variant = s.variants[a % V];
        return variant.task === app.task && variant.accuracy >= app.accuracy && this.replicaStart[a + 1] > this.replicaStart[a];
      }),
    );
    const A0 = s.applications.length;
    this.instObsSlot = new Int32Array(list.length);
    this.instQueueScale = new Float64Array(list.length);
    for (let a = 0; a < n; a++) {
      const d = Math.floor(a / V);
      for (let r = this.replicaStart[a]; r < this.replicaStart[a + 1]; r++) {
        this.instObsSlot[this.replicas[r]] = A0 + 2 + d * (V + 2) + (a % V);
        this.instQueueScale[this.replicas[r]] = 1 / s.devices[d].maxQueue;
      }
    }
    this.actionIsCloud = Uint8Array.from({ length: n }, (_, a) => (s.topology.nodes[s.devices[Math.floor(a / V)].site].kind === 'cloud' ? 1 : 0));
    const A = s.applications.length;
    const size = A + 2 + D * (V + 2) + n;
    const high = new Float64Array(size).fill(1);
    high[A] = Infinity; // a latency budget in seconds has no natural bound
    high.fill(LATENCY_CAP, size - n);
    this.observationSpace = new Box(0, high, [size], 'float32');
    this.actionSpace = new Discrete(n);
    this.slab = new Float32Slab(size);
  }

  /** The simulator of the current episode (null before reset). */
  get simulator(): EdgeSimulator | null {
    return this.sim;
  }

  /** The application of the request waiting for a decision (−1 after the horizon). */
  get requestApplication(): number {
    return this.application;
  }

  /** Sends each episode's queries, from the next `reset` on, to `recorder` (see RecordingEnv). */
  recordQueries(recorder: QueryRecorder | null): void {
    this.recorder = recorder;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    const simSeed = this.rng.deriveSeed();
    const tally = this.tally;
    const recorded = this.recorder?.observer(this.scenario);
    this.sim = new EdgeSimulator(this.scenario, {
      seed: simSeed,
      dispatcher: DEFER_ALL,
      rate: this.rate,
      loadScale: this.load,
      onQuery: recorded === undefined ? tally : (t, stream, app, inst, latencyMs, outcome, serviceMs, antenna, arrivalMs, slowdown) => {
        tally(t, stream, app, inst, latencyMs, outcome, serviceMs, antenna, arrivalMs, slowdown);
        recorded(t, stream, app, inst, latencyMs, outcome, serviceMs, antenna, arrivalMs, slowdown);
      },
    });
    this.episode = { requests: 0, success: 0, late: 0, rejected: 0, violations: 0, energyJ: 0, degradation: 0, invalid: 0 };
    this.lastActiveMs.fill(0);
    this.clearStep();
    this.advance(this.sim);
    this.meterEnergy(this.sim); // the first decision pays for nothing that came before it
    return { observation: this.observe(), info: { actionMask: this.mask.slice(), simSeed } };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) throw new RangeError(`Dispatch.step: action ${String(action)} is not in ${this.actionSpace}`);
    const sim = this.sim;
    if (sim === null) throw new Error('Dispatch.step: call reset() before step()');
    if (!sim.pending) throw new Error('Dispatch.step: the episode is over (truncated at the horizon); call reset()');
    this.clearStep();
    const valid = this.mask[action] === 1;
    if (!valid) this.episode.invalid++;
    sim.resolve(valid ? this.chosenInstance[action] : REJECT);
    this.advance(sim);
    this.meterEnergy(sim);
    const reward = -(this.alpha * this.stepEnergyJ + this.beta * this.stepDegradation) - this.violationPenalty * this.stepLate - this.rejectionPenalty * this.stepRejected;
    const truncated = !sim.pending;
    const info: Info = { actionMask: this.mask.slice() };
    if (!valid) info.invalidAction = true;
    if (truncated) info.episodeMetrics = this.episodeMetrics();
    return { observation: this.observe(), reward, terminated: false, truncated, info };
  }

  /** The episode so far: outcome ratios over finished requests, energy and ECSRL's objective. */
  episodeMetrics(): Record<string, number> {
    const e = this.episode;
    const ratio = (k: number): number => (e.requests === 0 ? 0 : k / e.requests);
    return {
      requests: e.requests,
      successRatio: ratio(e.success),
      violationRatio: ratio(e.violations),
      rejectionRatio: ratio(e.rejected),
      energyJ: e.energyJ,
      meanDegradation: e.requests - e.rejected === 0 ? 0 : e.degradation / (e.requests - e.rejected),
      objective: this.alpha * e.energyJ + this.beta * e.degradation,
      invalidActions: e.invalid,
    };
  }

  /** Runs to the next request that has a choice, rejecting those that have none. */
  private advance(sim: EdgeSimulator): void {
    for (;;) {
      if (!sim.runUntil(this.horizonMs)) {
        this.application = -1;
        this.clearCandidates();
        return;
      }
      this.application = sim.pendingApplication;
      if (this.computeActions(sim, sim.pendingAntenna)) return;
      sim.resolve(REJECT);
    }
  }

  /** Fills the per-action tables for the waiting request; false when no action is allowed. */
  private computeActions(sim: EdgeSimulator, antenna: number): boolean {
    // Only the application's candidates can be allowed: reset the last request's, fill these.
    this.clearCandidates();
    const app = this.application;
    const actions = (this.candidates = this.candidatesByApp[app]);
    let any = false;
    for (let k = 0; k < actions.length; k++) {
      const a = actions[k];
      let best = -1;
      let bestLoad = Infinity;
      for (let r = this.replicaStart[a]; r < this.replicaStart[a + 1]; r++) {
        const i = this.replicas[r];
        const load = sim.load(i) + sim.instInFlight[i];
        if (load < bestLoad) {
          best = i;
          bestLoad = load;
        }
      }
      const factor = sim.interferenceFactor(best);
      const service = sim.serviceMs(best);
      const network = sim.networkDelayMs(antenna, app, best);
      this.chosenInstance[a] = best;
      this.expectedSlowdown[a] = factor;
      if (!sim.hasRoom(best) || factor === Infinity) continue;
      this.mask[a] = 1;
      any = true;
      this.expectedLatencyMs[a] = network + bestLoad * service + service * factor;
      // The power its batch adds: one more batch raises the level by up to 1 / powerSaturation.
      const d = sim.instDevice[best];
      const level = sim.powerLevel(d);
      const added = Math.min(1, level + this.powerPerBatch[d]) - level;
      this.expectedEnergyJ[a] = (this.surplusW[d] * added * service * factor) / 1000;
    }
    return any;
  }

  private clearCandidates(): void {
    const last = this.candidates;
    for (let k = 0; k < last.length; k++) {
      const a = last[k];
      this.mask[a] = 0;
      this.chosenInstance[a] = -1;
      this.expectedLatencyMs[a] = this.expectedEnergyJ[a] = this.expectedSlowdown[a] = Infinity;
    }
    this.candidates = EMPTY;
  }

  private observe(): Float32Array {
    const obs = this.slab.take(this.observationSpace.size);
    const sim = this.sim!;
    const s = this.scenario;
    const A = s.applications.length;
    const D = s.devices.length;
    const V = this.numVariants;
    const k = this.application;
    const budget = k < 0 ? 1 : s.applications[k].latencyBudgetMs;
    if (k >= 0) {
      obs[k] = 1;
      obs[A] = budget / 1000;
      obs[A + 1] = s.applications[k].accuracy;
    }
    const slot = this.instObsSlot;
    for (let i = 0; i < slot.length; i++) obs[slot[i]] += sim.load(i) * this.instQueueScale[i];
    for (let i = 0; i < slot.length; i++) if (obs[slot[i]] > 1) obs[slot[i]] = 1;
    for (let d = 0; d < D; d++) {
      const base = A + 2 + d * (V + 2);
      obs[base + V] = Math.max(0, 1 - sim.devLoadedBytes[d] / s.devices[d].memoryBytes);
      obs[base + V + 1] = sim.powerLevel(d);
    }
    const o = A + 2 + D * (V + 2);
    obs.fill(LATENCY_CAP, o);
    const actions = this.candidates;
    for (let j = 0; j < actions.length; j++) {
      const a = actions[j];
      if (this.mask[a] === 1) obs[o + a] = Math.min(LATENCY_CAP, this.expectedLatencyMs[a] / budget);
    }
    return obs;
  }

  /** Energy above idle drawn since the last call, into this step's and the episode's totals. */
  private meterEnergy(sim: EdgeSimulator): void {
    let joules = 0;
    for (let d = 0; d < this.surplusW.length; d++) {
      const active = sim.activeMs(d);
      joules += (this.surplusW[d] * (active - this.lastActiveMs[d])) / 1000;
      this.lastActiveMs[d] = active;
    }
    this.stepEnergyJ = joules;
    this.episode.energyJ += joules;
  }

  private onQuery(outcome: OutcomeCode, slowdown: number): void {
    const e = this.episode;
    e.requests++;
    if (outcome === Outcome.REJECTED) {
      this.stepRejected++;
      e.rejected++;
      return;
    }
    this.stepDegradation += slowdown;
    e.degradation += slowdown;
    if (outcome === Outcome.SUCCESS) e.success++;
    else {
      e.violations++; // late, inaccurate (only through a scenario without masks' guarantee), or both
      if (outcome !== Outcome.INACCURATE) {
        this.stepLate++;
        e.late++;
      }
    }
  }

  private clearStep(): void {
    this.stepEnergyJ = 0;
    this.stepDegradation = 0;
    this.stepLate = 0;
    this.stepRejected = 0;
  }
}

