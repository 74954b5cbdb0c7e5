// EdgeSched/PolicySelect-v0 (ASET): every time window the agent picks which static policy
// dispatches the streams that arrive in the next window; it earns the window's success ratio.
//
// Observation (Box, float32, all in [0, 1] except where noted), for D devices and A applications:
//   [0, D)          each device's utilisation over the last window
//   [D, 2D)         each device's free memory fraction
//   [2D, 2D+A)      each application's query share of the last window
//   2D+A … +3       last window's success, violation and rejection ratios
//   2D+A+3          the arrival rate λ in force / 100 clients/min (≥ 0; above 1 past λ = 100)
//   2D+A+4          elapsed fraction of the episode (time of day for scheduled λ)
// Action: Discrete(K), index into `policies` (default: every ASET static policy, in README order).
// Reward: successful queries / queries finished in the window (0 when none finished).
// Episode: truncated after `horizon` of simulated time; never terminated. The last step's
//   `info.episodeMetrics` holds the whole episode's success, violation and rejection ratios,
//   queries and energy.
// kwargs (defaults): scenario 'aset-full-edge', rates [60] (one drawn per episode), or schedules
//   (λ lists, one drawn per episode, each value held `scheduleStep` (default '150 s') and the list
//   repeated, e.g. ASET's [[20, 60, 100]]; replaces rates), window '5 s',
//   horizon '10 min', policies all.

import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../../../src/env.js';
import { checkKwargs, type KwargSpecs } from '../../../src/kwargs.js';
import { parseQuantity } from '../../../src/sim/units.js';
import { Box } from '../../../src/spaces/box.js';
import { Discrete } from '../../../src/spaces/discrete.js';
import { scenarioNamed } from '../scenario/builtin.js';
import type { Dispatcher } from '../sim/dispatch.js';
import type { OutcomeReport } from '../sim/metrics.js';
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
}

const KWARGS: KwargSpecs = {
  scenario: { type: 'string' },
  rates: { type: 'numbers', min: 0 },
  schedules: { type: 'number-lists', min: 0 },
  scheduleStep: { type: 'quantity', kind: 'time' },
  window: { type: 'quantity', kind: 'time' },
  horizon: { type: 'quantity', kind: 'time' },
  policies: { type: 'strings', oneOf: Object.keys(STATIC_POLICIES) },
};

export class PolicySelectEnv extends Env<Float32Array, number> {
  readonly observationSpace: Box<'float32'>;
  readonly actionSpace: Discrete;
  readonly scenario: Scenario;
  readonly policies: Dispatcher[];
  readonly rates: number[];
  readonly schedules: number[][] | null;
  readonly scheduleStepMs: number;
  readonly windowMs: number;
  readonly horizonMs: number;
  private sim: EdgeSimulator | null = null;
  private current: Dispatcher;
  private rate = 0;
  private schedule: number[] | null = null;
  private episode = { queries: 0, success: 0, violations: 0, rejected: 0, energyJ: 0 };
  private readonly selector: Dispatcher;

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
    if (this.horizonMs < this.windowMs) throw new RangeError('PolicySelect: horizon must be at least one window');
    this.current = this.policies[0];
    this.selector = { name: 'policy-select', granularity: 'stream', choose: (sim, request, rng) => this.current.choose(sim, request, rng) };
    const size = 2 * this.scenario.devices.length + this.scenario.applications.length + 5;
    const high = new Float64Array(size).fill(1);
    high[size - 2] = Infinity; // λ / 100 has no upper bound
    this.observationSpace = new Box(0, high, [size], 'float32');
    this.actionSpace = new Discrete(this.policies.length);
  }

  /** The simulator of the current episode (for inspection; null before reset). */
  get simulator(): EdgeSimulator | null {
    return this.sim;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedRng(args.seed);
    this.schedule = this.schedules === null ? null : this.schedules[this.rng.int(this.schedules.length)];
    this.rate = this.schedule === null ? this.rates[this.rng.int(this.rates.length)] : this.schedule[0];
    const simSeed = this.rng.deriveSeed();
    this.current = this.policies[0];
    this.sim = new EdgeSimulator(this.scenario, { seed: simSeed, dispatcher: this.selector, ...this.arrivals() });
    this.sim.runUntil(0);
    this.sim.resetMetrics();
    this.episode = { queries: 0, success: 0, violations: 0, rejected: 0, energyJ: 0 };
    return { observation: this.observe(this.sim.report()), info: { rate: this.rate, simSeed, ...(this.schedule === null ? {} : { schedule: this.schedule }) } };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) throw new RangeError(`PolicySelect.step: action ${String(action)} is not in ${this.actionSpace}`);
    const sim = this.sim;
    if (sim === null) throw new Error('PolicySelect.step: call reset() before step()');
    this.current = this.policies[action];
    sim.resetMetrics();
    sim.runUntil(sim.sim.now + this.windowMs);
    if (this.schedule !== null) this.rate = this.schedule[Math.floor(sim.sim.now / this.scheduleStepMs) % this.schedule.length];
    const report = sim.report();
    const served = report.queries;
    const e = this.episode;
    e.queries += served;
    e.success += report.success;
    e.violations += report.violations;
    e.rejected += report.rejected;
    e.energyJ += report.energyJ;
    const truncated = sim.sim.now >= this.horizonMs;
    const info: Info = {
      policy: this.current.name,
      queries: report.queries,
      successRatio: report.successRatio,
      violationRatio: report.violationRatio,
      rejectionRatio: report.rejectionRatio,
      energyJ: report.energyJ,
    };
    if (truncated) {
      const ratio = (k: number): number => (e.queries === 0 ? 0 : k / e.queries);
      info.episodeMetrics = { queries: e.queries, successRatio: ratio(e.success), violationRatio: ratio(e.violations), rejectionRatio: ratio(e.rejected), energyJ: e.energyJ };
    }
    return { observation: this.observe(report), reward: served === 0 ? 0 : report.success / served, terminated: false, truncated, info };
  }

  /** The simulator's arrival options: a constant λ, or the drawn schedule spelled out to the horizon. */
  private arrivals(): { rate: number } | { schedule: { atMs: number; clientsPerMinute: number }[] } {
    const schedule = this.schedule;
    if (schedule === null) return { rate: this.rate };
    const points = [];
    for (let k = 0; k * this.scheduleStepMs < this.horizonMs; k++) points.push({ atMs: k * this.scheduleStepMs, clientsPerMinute: schedule[k % schedule.length] });
    return { schedule: points };
  }

  private observe(report: OutcomeReport): Float32Array {
    const sim = this.sim!;
    const devices = this.scenario.devices;
    const apps = this.scenario.applications;
    const D = devices.length;
    const obs = new Float32Array(this.observationSpace.size);
    devices.forEach((dev, d) => {
      obs[d] = Math.min(1, report.devices[d].utilisation);
      obs[D + d] = Math.max(0, 1 - sim.devLoadedBytes[d] / dev.memoryBytes);
    });
    apps.forEach((_, k) => (obs[2 * D + k] = report.queries === 0 ? 0 : report.applications[k].queries / report.queries));
    const o = 2 * D + apps.length;
    obs[o] = report.successRatio;
    obs[o + 1] = report.violationRatio;
    obs[o + 2] = report.rejectionRatio;
    obs[o + 3] = this.rate / 100;
    obs[o + 4] = Math.min(1, sim.sim.now / this.horizonMs);
    return obs;
  }
}
