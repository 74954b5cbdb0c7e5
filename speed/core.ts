// `npm run bench` (`edgegym speed`): raw CartPole-v1 throughput (one env, and 64-wide vectors: native, sync and
// async) and peak memory, printed as a table. Figures for notes, never asserted in tests.

import { availableParallelism } from 'node:os';
import '../envs/index.js';
import { make } from '../src/registry.js';
import { Rng } from '../src/rng.js';
import { makeVec, type VectorizationMode } from '../src/vector/make-vec.js';
import { resolveScenario } from '../envs/edge/scenario/builtin.js';
import { staticPolicy } from '../envs/edge/aset/policies.js';
import { EdgeSimulator } from '../envs/edge/sim/simulator.js';

/** One measured case. */
export interface BenchRow {
  name: string;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}

export interface BenchOptions {
  /** Wall-clock seconds per case (default 2). */
  seconds?: number;
  numEnvs?: number;
}

/** Runs `chunk` (which takes `stepsPerChunk` steps) repeatedly for about `seconds`, after a warm-up. */
export function measure(name: string, seconds: number, stepsPerChunk: number, chunk: () => void): BenchRow {
  const warmUntil = performance.now() + Math.min(500, seconds * 250);
  while (performance.now() < warmUntil) chunk();
  let steps = 0;
  const start = performance.now();
  const stop = start + seconds * 1000;
  let now = start;
  while (now < stop) {
    chunk();
    steps += stepsPerChunk;
    now = performance.now();
  }
  const elapsed = (now - start) / 1000;
  return { name, steps, seconds: elapsed, stepsPerSecond: steps / elapsed };
}

function benchSingle(seconds: number): BenchRow {
  const env = make('CartPole-v1');
  env.reset({ seed: 0 });
  env.actionSpace.seed(0);
  const steps = 1000;
  return measure('CartPole-v1, 1 env (make: OrderEnforcing + TimeLimit)', seconds, steps, () => {
    for (let t = 0; t < steps; t++) {
      const r = env.step(env.actionSpace.sample());
      if (r.terminated || r.truncated) env.reset();
    }
  });
}

/** `reuse`: step into one set of caller-owned buffers (`step(actions, out)`) instead of fresh arrays. */
function benchVector(mode: VectorizationMode, numEnvs: number, seconds: number, reuse: boolean): BenchRow {
  const env = makeVec('CartPole-v1', { numEnvs, vectorizationMode: mode });
  env.reset({ seed: 0 });
  // Pre-drawn random actions, so the figure is the env's cost, not the sampler's.
  const rng = new Rng(0, 'bench-actions');
  const pool = Array.from({ length: 64 }, () => Int32Array.from({ length: numEnvs }, () => rng.int(2)));
  const batches = 100;
  const out = reuse ? env.createStepBuffers() : undefined;
  let k = 0;
  try {
    return measure(`CartPole-v1, vector of ${numEnvs} (${mode}${reuse ? ', out buffers' : ''})`, seconds, batches * numEnvs, () => {
      for (let b = 0; b < batches; b++) env.step(pool[k++ & 63], out);
    });
  } finally {
    env.close();
  }
}

/** One simulator measurement: simulated throughput and memory along a long run. */
export interface SimBenchRow {
  name: string;
  simulatedSeconds: number;
  wallSeconds: number;
  queries: number;
  queriesPerSecond: number;
  eventsPerSecond: number;
  successRatio: number;
  /** Heap in use (MiB) after each sixth of the run: flat means memory does not grow with time. */
  heapMiB: number[];
}

function benchSimulator(scenarioName: string, policy: string, rate: number, simulatedSeconds: number): SimBenchRow {
  const scenario = resolveScenario(scenarioName);
  const sim = new EdgeSimulator(scenario, { seed: 1, dispatcher: staticPolicy(policy), rate });
  const heapMiB: number[] = [];
  const start = performance.now();
  for (let k = 1; k <= 6; k++) {
    sim.runUntil((simulatedSeconds * 1000 * k) / 6);
    heapMiB.push(process.memoryUsage().heapUsed / 2 ** 20);
  }
  const wallSeconds = (performance.now() - start) / 1000;
  const r = sim.report();
  return {
    name: `${scenarioName}, λ = ${rate}/min, ${policy}`,
    simulatedSeconds,
    wallSeconds,
    queries: r.queries,
    queriesPerSecond: r.queries / wallSeconds,
    eventsPerSecond: r.events / wallSeconds,
    successRatio: r.successRatio,
    heapMiB,
  };
}

/** The simulator cases: aset-full-edge at λ = 20, 60 and 100 clients/min over a simulated hour (ASET's three loads). */
export function runSimBench(simulatedSeconds = 3600): SimBenchRow[] {
  return [20, 60, 100].map((rate) => benchSimulator('aset-full-edge', 'closest', rate, simulatedSeconds));
}

/** The simulator rows as a text table. */
export function formatSimBench(rows: SimBenchRow[]): string {
  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  return [
    'simulator case                                  sim s   wall s       queries     queries/s      events/s  success  heap MiB (each 1/6 of the run)',
    ...rows.map((r) => `${r.name.padEnd(46)} ${String(r.simulatedSeconds).padStart(6)} ${r.wallSeconds.toFixed(2).padStart(8)} ${f(r.queries).padStart(13)} ${f(r.queriesPerSecond).padStart(13)} ${f(r.eventsPerSecond).padStart(13)}  ${(100 * r.successRatio).toFixed(1).padStart(6)} %  ${r.heapMiB.map((h) => h.toFixed(1)).join(' ')}`),
  ].join('\n');
}

/** Measures every case and returns the rows plus peak memory. */
export function runBench(options: BenchOptions = {}): { rows: BenchRow[]; peakRssMiB: number; heapUsedMiB: number; cores: number } {
  const seconds = options.seconds ?? 2;
  const numEnvs = options.numEnvs ?? 64;
  const rows = [
    benchSingle(seconds),
    benchVector('vector-entry-point', numEnvs, seconds, false),
    benchVector('vector-entry-point', numEnvs, seconds, true),
    benchVector('sync', numEnvs, seconds, false),
    benchVector('async', numEnvs, seconds, false),
    benchVector('async', numEnvs, seconds, true),
  ];
  return {
    rows,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
    cores: availableParallelism(),
  };
}

/** The bench result as an aligned text table. */
export function formatBench(result: ReturnType<typeof runBench>): string {
  const header = ['case', 'steps', 'seconds', 'steps/s'];
  const body = result.rows.map((r) => [r.name, r.steps.toLocaleString('en-US'), r.seconds.toFixed(2), Math.round(r.stepsPerSecond).toLocaleString('en-US')]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    '',
    `peak RSS ${result.peakRssMiB.toFixed(1)} MiB, heap in use ${result.heapUsedMiB.toFixed(1)} MiB, ${result.cores} cores, node ${process.version}`,
  ].join('\n');
}
