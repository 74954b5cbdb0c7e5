// `edgegym simulate`: runs a scenario under a static policy and reports the outcomes.

import { resolveScenario } from '../envs/edge/scenario/builtin.js';
import type { OutcomeReport } from '../envs/edge/sim/metrics.js';
import { staticPolicy } from '../envs/edge/aset/policies.js';
import { QueryLog } from '../envs/edge/sim/query-log.js';
import { EdgeSimulator } from '../envs/edge/sim/simulator.js';

export interface SimulateOptions {
  scenario: string;
  policy: string;
  durationMs: number;
  seed: number;
  /** Constant λ in clients/min per antenna, replacing the scenario's schedule. */
  rate?: number;
  /** λ values held `stepMs` each, e.g. ASET's [20, 60, 100] every 150 s; replaces the schedule. */
  schedule?: number[];
  stepMs?: number;
  /** Write the query log (one Arrow row per query) into this directory. */
  events?: string;
}

/** Piecewise-constant rate points from a list of λ values and a step length. */
export function stepSchedule(rates: number[], stepMs: number): { atMs: number; clientsPerMinute: number }[] {
  if (rates.length === 0 || rates.some((r) => !(r >= 0))) throw new RangeError(`schedule: rates must be non-negative numbers, got ${JSON.stringify(rates)}`);
  if (!(stepMs > 0)) throw new RangeError(`schedule: the step must be a positive time, got ${stepMs} ms`);
  return rates.map((clientsPerMinute, k) => ({ atMs: k * stepMs, clientsPerMinute }));
}

export interface SimulateResult {
  scenario: string;
  policy: string;
  seed: number;
  report: OutcomeReport;
  wallSeconds: number;
}

export function simulate(options: SimulateOptions): SimulateResult {
  if (!(options.durationMs > 0)) throw new RangeError(`simulate: duration must be positive, got ${options.durationMs} ms`);
  const scenario = resolveScenario(options.scenario);
  const schedule = options.schedule === undefined ? undefined : stepSchedule(options.schedule, options.stepMs ?? 150_000);
  const dispatcher = staticPolicy(options.policy);
  const events = options.events === undefined ? null : new QueryLog(options.events, scenario, { writer: options.policy, metadata: { 'edgegym.seed': String(options.seed) } });
  try {
    const sim = new EdgeSimulator(scenario, { seed: options.seed, dispatcher, rate: options.rate, schedule, onQuery: events?.recorder().observer(scenario) });
    const start = performance.now();
    sim.runUntil(options.durationMs);
    return { scenario: scenario.name, policy: options.policy, seed: options.seed, report: sim.report(), wallSeconds: (performance.now() - start) / 1000 };
  } finally {
    events?.close();
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const ms = (x: number): string => (Number.isNaN(x) ? '-' : `${x.toFixed(1)} ms`);

/** The outcome table a person reads. */
export function formatSimulation(result: SimulateResult): string {
  const r = result.report;
  const lines = [
    `${result.scenario} · policy ${result.policy} · ${(r.durationMs / 1000).toFixed(0)} s simulated · seed ${result.seed}`,
    '',
    `queries      ${r.queries.toLocaleString('en-US')}  (${r.streams.arrived.toLocaleString('en-US')} streams, ${r.streams.rejected.toLocaleString('en-US')} rejected at arrival)`,
    `success      ${pct(r.successRatio)}`,
    `violations   ${pct(r.violationRatio)}  (late ${r.late.toLocaleString('en-US')}, inaccurate ${r.inaccurate.toLocaleString('en-US')})`,
    `rejected     ${pct(r.rejectionRatio)}`,
    `latency      mean ${ms(r.latency.mean)}  p50 ${ms(r.latency.p50)}  p95 ${ms(r.latency.p95)}  p99 ${ms(r.latency.p99)}`,
    `energy       ${r.energyJ.toFixed(0)} J  (${(r.energyJ / Math.max(1, r.queries - r.rejected)).toFixed(3)} J per served query)`,
    '',
    'application            queries   success  violations  rejected',
    ...r.applications.map((a) => `${a.id.padEnd(20)} ${String(a.queries).padStart(9)}  ${pct(a.successRatio).padStart(8)}  ${pct(a.violationRatio).padStart(10)}  ${pct(a.rejectionRatio).padStart(8)}`),
    '',
    'device                 utilisation   energy',
    ...r.devices.map((d) => `${d.id.padEnd(22)} ${pct(d.utilisation).padStart(11)}  ${d.energyJ.toFixed(0).padStart(6)} J`),
    '',
    `${r.events.toLocaleString('en-US')} events in ${result.wallSeconds.toFixed(2)} s wall (${Math.round(r.queries / result.wallSeconds).toLocaleString('en-US')} simulated queries/s)`,
  ];
  return lines.join('\n');
}
