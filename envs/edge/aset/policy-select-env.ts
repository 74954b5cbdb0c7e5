// EdgeSched/PolicySelect-v0 (ASET): every time window the agent picks which static policy
// dispatches the streams that arrive in the next window; it earns the window's successes.

import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../../../src/env.js';
import { checkKwargs, type KwargSpecs } from '../../../src/kwargs.js';
import { parseQuantity } from '../../../src/sim/units.js';
import { Box } from '../../../src/spaces/box.js';
import { Discrete } from '../../../src/spaces/discrete.js';
import { scenarioNamed } from '../scenario/builtin.js';
import type { Dispatcher } from '../sim/dispatch.js';
import type { OutcomeReport } from '../sim/metrics.js';
import type { QueryRecorder, RecordingEnv } from '../sim/query-observer.js';
import type { Scenario } from '../model.js';
import { STATIC_POLICIES, staticPolicy } from './policies.js';
import { EdgeSimulator } from '../sim/simulator.js';

export interface PolicySelectKwargs {
  scenario?: string;
  /** λ values in clients/min per antenna; each episode draws one. */
  rates?: number[];
  /** λ schedules (clients/min per antenna); each episode draws one; replaces `rates`. */
  schedules?: number[][];
  /** How long each schedule value holds, e.g. '150 s'. */
  scheduleStep?: string;
  window?: string;
  horizon?: string;
  policies?: string[];
  /** Windows the longer measured arrival rate averages over (default 4). */
  rateWindows?: number;
  /** Adds the true λ in force to the observation (a scheduler cannot measure it; default false). */
  observeRate?: boolean;
}

const KWARGS: KwargSpecs = {
  scenario: { type: 'string' },
  rates: { type: 'numbers', min: 0 },
  schedules: { type: 'number-lists', min: 0 },
  scheduleStep: { type: 'quantity', kind: 'time' },
  window: { type: 'quantity', kind: 'time' },
  horizon: { type: 'quantity', kind: 'time' },
  policies: { type: 'strings', oneOf: Object.keys(STATIC_POLICIES) },
  rateWindows: { type: 'number', integer: true, min: 1 },
  observeRate: { type: 'boolean' },
};

/** What every step's info says about the window it closed (declared in `metadata.windowMetrics`). */
const WINDOW_KEYS = ['successRatio', 'violationRatio', 'rejectionRatio', 'queries', 'energyJ'] as const;

/** Mean queries one stream sends, by application: mean duration / frame interval. */
function queriesPerStream(scenario: Scenario): number[] {
  return scenario.applications.map((app) => {
    const d = app.duration;
    const meanMs = d.kind === 'fixed' ? d.valueMs : d.kind === 'exponential' ? d.meanMs : (d.minMs + d.maxMs) / 2;
    return meanMs / app.frameIntervalMs;
  });
}

/**
 * `EdgeSched/PolicySelect-v0`, from ASET: every time window (default 5 s simulated) the agent
 * picks which static policy dispatches the streams that arrive in the next window, and earns the
 * window's successful queries. A stream stays bound to the instance it was given for its whole
 * life, so most of a window's queries come from streams bound windows earlier: the observation
 * shows that bound load, not only what happened in the last window.
 *
 * **Observation**: `Box` float32 in [0, 1] of 2D + 2A + K + 4 values for D devices, A
 * applications and K policies (66 on `aset-full-edge`). All of it is what the scheduler itself can
 * measure (it bound every stream and sees every outcome):
 *
 * | index | value |
 * | --- | --- |
 * | [0, D) | each device's bound load ρ (Σ over its instances of the offered queries/s of the streams bound there × the batch-1 service time), as ρ / (1 + ρ) |
 * | [D, 2D) | each device's queries waiting or running now, n, as n / (1 + n) |
 * | [2D, 2D+A) | each application's streams arrived in the last window, per antenna, in clients/min / 100 |
 * | [2D+A, 2D+2A) | the same over the last `rateWindows` windows (the trend against the above) |
 * | 2D+2A … +2 | the last window's success, violation and rejection ratios |
 * | 2D+2A+3 … +K | the last action, one-hot (all 0 after reset) |
 * | 2D+2A+3+K | the elapsed fraction of the episode |
 * | 2D+2A+4+K | only with `observeRate`: the true λ in force / 100 clients/min (may pass 1) |
 *
 * **Action**: `Discrete(K)`, the index into `policies` (default: all eight static policies, in
 * the order of the table below).
 *
 * **Reward**: the window's successful queries / C, where C is a per-episode constant
 * (`info.rewardScale`): the queries the episode's λ (or schedule), averaged over the horizon,
 * offers in one window, by Little's law (λ / 60 × antennas × Σ_k weight_k · mean duration_k /
 * frame interval_k × window). The return is then the episode's successes / C: on a seed it ranks
 * policies as their successes do, and as their episode success ratio does up to the few queries
 * still in flight at the horizon (every policy sees the same arrivals). A return of
 * `horizon / window` (120 by default) would be every offered query a success. (A mean of
 * per-window success ratios would not rank them so: windows hold from hundreds to over 100,000
 * queries.)
 *
 * **Episode**: truncated after `horizon` of simulated time; never terminated.
 *
 * **info**: on reset `rate` (the λ drawn), `simSeed`, `rewardScale` and, with `schedules`,
 * `schedule`. On every step `policy` (the static policy in charge), `successes`, `rewardScale`,
 * and the window's own `successRatio`, `violationRatio`, `rejectionRatio`, `queries` and
 * `energyJ`, which `metadata.windowMetrics` declares (so `edgegym benchmark` charts them window
 * by window). On the last step `episodeMetrics`: `queries`, `successRatio`, `violationRatio`,
 * `rejectionRatio`, `energyJ` of the whole episode.
 *
 * **kwargs** (defaults): `scenario` `'aset-full-edge'` (or `'aset-mixed'`, `'aset-cloud'`);
 * `rates` `[60]` (λ in clients/min per antenna, one drawn per episode) or `schedules` (λ lists,
 * one drawn per episode, each value held `scheduleStep`, default `'150 s'`, and the list
 * repeated; ASET's are `[[20, 60, 100]]` and `[[60, 40, 20, 60]]`; replaces `rates`); `window`
 * `'5 s'`; `horizon` `'10 min'`; `policies` all eight; `rateWindows` 4; `observeRate` false.
 *
 * **Static policies**: each binds a new stream to an instance (a model variant on a device).
 * The three that weigh load count the load already bound (offered queries/s × service time,
 * with the new stream added, relative to what the instance can serve), since the instantaneous
 * queue is almost always empty between 30 Hz frames:
 *
 * | static policy | binds a new stream to the instance with |
 * | --- | --- |
 * | `closest` | the lowest network latency (ties: the faster variant) |
 * | `load-balancing` | the lowest bound load ρ with the stream added, plus queue / queue bound |
 * | `cloud-first` | the closest cloud instance with room, else the closest |
 * | `random-proportional-latency` | random, weight 1 / (network + service time) |
 * | `random-proportional-load` | random, weight 1 / (ρ with the stream added + queue / queue bound) |
 * | `least-impedance` | the lowest network + service × (1 + queue) + M/D/1 wait s·ρ / 2(1 − ρ) at ρ with the stream added (ρ ≥ 1 ranks last) |
 * | `highest-accuracy-first` | the most accurate variant (ties: closest) |
 * | `random` | uniform |
 *
 * Each prefers variants accurate enough for the application, then any with room (a QoS
 * violation), else rejects. ρ counts the interference expected from the device's other
 * instances (each busy with probability min(1, its own ρ)).
 *
 * **Baselines**: each static policy alone (the policy that always picks it), by its name.
 */
export class PolicySelectEnv extends Env<Float32Array, number> implements RecordingEnv {
  readonly observationSpace: Box<'float32'>;
  readonly actionSpace: Discrete;
  readonly scenario: Scenario;
  readonly policies: Dispatcher[];
  readonly rates: number[];
  readonly schedules: number[][] | null;
  readonly scheduleStepMs: number;
  readonly windowMs: number;
  readonly horizonMs: number;
  readonly rateWindows: number;
  readonly observeRate: boolean;
  private sim: EdgeSimulator | null = null;
  private current: Dispatcher;
  private lastAction = -1;
  private rate = 0;
  private schedule: number[] | null = null;
  private rewardScale = 1;
  private episode = { queries: 0, success: 0, violations: 0, rejected: 0, energyJ: 0 };
  private readonly selector: Dispatcher;
  /** Streams arrived per application in each of the last `rateWindows` windows (a ring, newest at `arrivalsAt`). */
  private readonly arrivals: Float64Array;
  private arrivalsAt = 0;
  private windowsSeen = 0;
  private readonly queriesPerStream: number[];
  private recorder: QueryRecorder | null = null;

  constructor(kwargs: PolicySelectKwargs = {}) {
    super();
    checkKwargs('PolicySelect', kwargs, KWARGS);
    this.scenario = scenarioNamed(kwargs.scenario ?? 'aset-full-edge');
    this.policies = (kwargs.policies ?? Object.keys(STATIC_POLICIES)).map(staticPolicy);
    this.rates = kwargs.rates ?? [60];
    this.schedules = kwargs.schedules ?? null;
    this.scheduleStepMs = parseQuantity(kwargs.scheduleStep ?? '150 s', 'time');
    this.windowMs = parseQuantity(kwargs.window ?? '5 s', 'time');
    this.horizonMs = parseQuantity(kwargs.horizon ?? '10 min', 'time');
    this.rateWindows = kwargs.rateWindows ?? 4;
    this.observeRate = kwargs.observeRate ?? false;
    if (this.horizonMs < this.windowMs) throw new RangeError('PolicySelect: horizon must be at least one window');
    this.metadata = { renderModes: [], windowMetrics: { keys: WINDOW_KEYS, windowMs: this.windowMs } };
    this.current = this.policies[0];
    const A = this.scenario.applications.length;
    this.arrivals = new Float64Array(this.rateWindows * A);
    this.queriesPerStream = queriesPerStream(this.scenario);
    // Every stream's dispatch passes here once: the scheduler counts arrivals as it binds them.
    this.selector = {
      name: 'policy-select',
      granularity: 'stream',
      choose: (sim, request, rng) => {
        this.arrivals[this.arrivalsAt * A + request.application]++;
        return this.current.choose(sim, request, rng);
      },
    };
    const size = 2 * this.scenario.devices.length + 2 * A + 4 + this.policies.length + (this.observeRate ? 1 : 0);
    const high = new Float64Array(size).fill(1);
    if (this.observeRate) high[size - 1] = Infinity; // λ / 100 has no upper bound
    this.observationSpace = new Box(0, high, [size], 'float32');
    this.actionSpace = new Discrete(this.policies.length);
  }

  /** The simulator of the current episode (for inspection; null before reset). */
  get simulator(): EdgeSimulator | null {
    return this.sim;
  }

  /** Sends each episode's queries, from the next `reset` on, to `recorder` (see RecordingEnv). */
  recordQueries(recorder: QueryRecorder | null): void {
    this.recorder = recorder;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.schedule = this.schedules === null ? null : this.schedules[this.rng.int(this.schedules.length)];
    this.rate = this.schedule === null ? this.rates[this.rng.int(this.rates.length)] : this.schedule[0];
    const simSeed = this.rng.deriveSeed();
    this.current = this.policies[0];
    this.lastAction = -1;
    this.arrivals.fill(0);
    this.arrivalsAt = 0;
    this.windowsSeen = 0;
    this.rewardScale = this.offeredQueriesPerWindow();
    this.sim = new EdgeSimulator(this.scenario, { seed: simSeed, dispatcher: this.selector, onQuery: this.recorder?.observer(this.scenario), ...this.arrivalOptions() });
    this.sim.runUntil(0);
    this.sim.resetMetrics();
    this.arrivals.fill(0); // streams at t = 0 count in the first window
    this.episode = { queries: 0, success: 0, violations: 0, rejected: 0, energyJ: 0 };
    const info: Info = { rate: this.rate, simSeed, rewardScale: this.rewardScale, ...(this.schedule === null ? {} : { schedule: this.schedule }) };
    return { observation: this.observe(this.sim.report()), info };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) throw new RangeError(`PolicySelect.step: action ${String(action)} is not in ${this.actionSpace}`);
    const sim = this.sim;
    if (sim === null) throw new Error('PolicySelect.step: call reset() before step()');
    this.current = this.policies[action];
    this.lastAction = action;
    sim.resetMetrics();
    const A = this.scenario.applications.length;
    this.arrivalsAt = this.windowsSeen % this.rateWindows;
    this.arrivals.fill(0, this.arrivalsAt * A, this.arrivalsAt * A + A);
    sim.runUntil(sim.sim.now + this.windowMs);
    this.windowsSeen++;
    if (this.schedule !== null) this.rate = this.schedule[Math.floor(sim.sim.now / this.scheduleStepMs) % this.schedule.length];
    const report = sim.report();
    const e = this.episode;
    e.queries += report.queries;
    e.success += report.success;
    e.violations += report.violations;
    e.rejected += report.rejected;
    e.energyJ += report.energyJ;
    const truncated = sim.sim.now >= this.horizonMs;
    const info: Info = {
      policy: this.current.name,
      queries: report.queries,
      successes: report.success,
      rewardScale: this.rewardScale,
      successRatio: report.successRatio,
      violationRatio: report.violationRatio,
      rejectionRatio: report.rejectionRatio,
      energyJ: report.energyJ,
    };
    if (truncated) {
      const ratio = (k: number): number => (e.queries === 0 ? 0 : k / e.queries);
      info.episodeMetrics = { queries: e.queries, successRatio: ratio(e.success), violationRatio: ratio(e.violations), rejectionRatio: ratio(e.rejected), energyJ: e.energyJ };
    }
    return { observation: this.observe(report), reward: report.success / this.rewardScale, terminated: false, truncated, info };
  }

  /** The simulator's arrival options: a constant λ, or the drawn schedule spelled out to the horizon. */
  private arrivalOptions(): { rate: number } | { schedule: { atMs: number; clientsPerMinute: number }[] } {
    const schedule = this.schedule;
    if (schedule === null) return { rate: this.rate };
    const points = [];
    for (let k = 0; k * this.scheduleStepMs < this.horizonMs; k++) points.push({ atMs: k * this.scheduleStepMs, clientsPerMinute: schedule[k % schedule.length] });
    return { schedule: points };
  }

  /** C: the queries the episode's λ offers in a mean window (λ averaged over the horizon, by Little's law). */
  private offeredQueriesPerWindow(): number {
    const apps = this.scenario.applications;
    const totalWeight = apps.reduce((sum, app) => sum + app.weight, 0);
    const perStream = apps.reduce((sum, app, k) => sum + (app.weight / totalWeight) * this.queriesPerStream[k], 0);
    let meanRate = this.rate;
    const schedule = this.schedule;
    if (schedule !== null) {
      let integral = 0;
      for (let t = 0, k = 0; t < this.horizonMs; t += this.scheduleStepMs, k++) integral += schedule[k % schedule.length] * (Math.min(this.horizonMs, t + this.scheduleStepMs) - t);
      meanRate = integral / this.horizonMs;
    }
    const streamsPerWindow = (meanRate / 60_000) * this.windowMs * this.scenario.workload.antennas.length;
    return Math.max(1, streamsPerWindow * perStream); // λ = 0 offers nothing: any scale will do
  }

  private observe(report: OutcomeReport): Float32Array {
    const sim = this.sim!;
    const D = this.scenario.devices.length;
    const A = this.scenario.applications.length;
    const obs = new Float32Array(this.observationSpace.size);
    for (let d = 0; d < D; d++) {
      const rho = sim.deviceBoundLoad(d);
      const n = sim.deviceLoad(d);
      obs[d] = rho / (1 + rho);
      obs[D + d] = n / (1 + n);
    }
    // Measured λ per application: streams / antennas / minutes, over one window and over the last few.
    const antennas = this.scenario.workload.antennas.length;
    const seen = Math.min(this.windowsSeen, this.rateWindows);
    for (let k = 0; k < A; k++) {
      let sum = 0;
      for (let w = 0; w < this.rateWindows; w++) sum += this.arrivals[w * A + k];
      const perMinute = (count: number, windows: number): number => (windows === 0 ? 0 : count / antennas / ((windows * this.windowMs) / 60_000) / 100);
      obs[2 * D + k] = Math.min(1, perMinute(this.windowsSeen === 0 ? 0 : this.arrivals[this.arrivalsAt * A + k], Math.min(1, this.windowsSeen)));
      obs[2 * D + A + k] = Math.min(1, perMinute(sum, seen));
    }
    let o = 2 * D + 2 * A;
    obs[o++] = report.successRatio;
    obs[o++] = report.violationRatio;
    obs[o++] = report.rejectionRatio;
    if (this.lastAction >= 0) obs[o + this.lastAction] = 1;
    o += this.policies.length;
    obs[o++] = Math.min(1, sim.sim.now / this.horizonMs);
    if (this.observeRate) obs[o] = this.rate / 100;
    return obs;
  }
}
