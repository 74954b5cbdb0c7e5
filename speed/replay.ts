// `npm run bench -- --only replay`: what logging costs. Steps/s of CartPole's native vector env
// and Dispatch-v0 with and without a step log, simulated queries/s with and without the query
// log, bytes per row on disk, and heap along 10 M logged rows. Figures for notes, never asserted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../envs/index.js';
import { simulate } from '../jobs/simulate.js';
import type { Info } from '../src/env.js';
import { make } from '../src/registry.js';
import { RecordReplay, RecordReplayVector } from '../src/replay/record-replay.js';
import { ReplayLogger } from '../src/replay/step-log.js';
import { Rng } from '../src/rng.js';
import { makeVec } from '../src/vector/make-vec.js';

export interface ReplayBenchRow {
  name: string;
  plainPerSecond: number;
  loggedPerSecond: number;
  /** loggedPerSecond / plainPerSecond − 1 (negative: slower). */
  change: number;
  bytesPerRow: number;
}

export interface ReplayBenchResult {
  rows: ReplayBenchRow[];
  /** Heap in use (MiB) after each tenth of the long run: flat means memory does not grow. */
  heapMiB: number[];
  longRunRows: number;
  peakRssMiB: number;
}

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-replay-bench-'));
}

/** Alternates plain and logged runs (`rounds` each) so load on the machine hits both alike. */
function compare(name: string, rounds: number, run: (dir: string | null) => { perSecond: number; bytes: number; rows: number }): ReplayBenchRow {
  let plain = 0;
  let logged = 0;
  let bytes = 0;
  let rows = 0;
  for (let k = 0; k < rounds; k++) {
    plain += run(null).perSecond;
    const dir = scratch();
    try {
      const r = run(dir);
      logged += r.perSecond;
      bytes += r.bytes;
      rows += r.rows;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { name, plainPerSecond: plain / rounds, loggedPerSecond: logged / rounds, change: logged / plain - 1, bytesPerRow: bytes / rows };
}

function cartPoleVector(seconds: number, numEnvs: number) {
  return (dir: string | null) => {
    const inner = makeVec('CartPole-v1', { numEnvs });
    const env = dir === null ? inner : new RecordReplayVector(inner, { dir });
    env.reset({ seed: 0 });
    const rng = new Rng(0, 'bench-actions');
    const pool = Array.from({ length: 64 }, () => Int32Array.from({ length: numEnvs }, () => rng.int(2)));
    const out = env.createStepBuffers();
    let steps = 0;
    let k = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      for (let b = 0; b < 100; b++) env.step(pool[k++ & 63], out);
      steps += 100 * numEnvs;
    }
    const elapsed = (performance.now() - start) / 1000;
    const logger = env instanceof RecordReplayVector ? env.logger : null;
    env.close();
    return { perSecond: steps / elapsed, bytes: logger?.bytes ?? 0, rows: logger?.rows ?? 0 };
  };
}

function dispatch(seconds: number) {
  return (dir: string | null) => {
    const inner = make('EdgeSched/Dispatch-v0');
    const env = dir === null ? inner : new RecordReplay(inner, { dir });
    const rng = new Rng(0, 'bench');
    let info: Info = env.reset({ seed: 0 }).info;
    let steps = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      for (let k = 0; k < 64; k++) {
        const mask = info.actionMask as Uint8Array;
        let a = rng.int(mask.length);
        while (mask[a] === 0) a = (a + 1) % mask.length;
        const r = env.step(a);
        steps++;
        info = r.terminated || r.truncated ? env.reset().info : r.info;
      }
    }
    const elapsed = (performance.now() - start) / 1000;
    const logger = env instanceof RecordReplay ? env.logger : null;
    const rows = logger?.rows ?? 0;
    env.close();
    return { perSecond: steps / elapsed, bytes: logger?.bytes ?? 0, rows };
  };
}

function simulator(simulatedSeconds: number) {
  return (dir: string | null) => {
    const r = simulate({ scenario: 'aset-full-edge', policy: 'closest', durationMs: simulatedSeconds * 1000, seed: 1, rate: 100, ...(dir === null ? {} : { events: dir }) });
    const bytes = dir === null ? 0 : fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    return { perSecond: r.report.queries / r.wallSeconds, bytes, rows: dir === null ? 0 : r.report.queries };
  };
}

/** Heap along `rows` rows written straight into a logger (CartPole-shaped rows). */
function longRun(rows: number): number[] {
  const dir = scratch();
  const n = 64;
  const env = makeVec('CartPole-v1', { numEnvs: n });
  const logger = new ReplayLogger(dir, { envId: 'CartPole-v1', observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: n });
  const logged = new RecordReplayVector(env, logger);
  logged.reset({ seed: 0 });
  const actions = new Int32Array(n);
  const out = logged.createStepBuffers();
  const heap: number[] = [];
  try {
    for (let tenth = 1; tenth <= 10; tenth++) {
      while (logger.rows < (rows * tenth) / 10) logged.step(actions, out);
      heap.push(process.memoryUsage().heapUsed / 2 ** 20);
    }
  } finally {
    logged.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return heap;
}

export function runReplayBench(seconds = 2, longRunRows = 10_000_000): ReplayBenchResult {
  const rows = [
    compare('CartPole-v1, native vector of 64 (steps/s)', 3, cartPoleVector(seconds, 64)),
    compare('EdgeSched/Dispatch-v0, 1 env (steps/s)', 3, dispatch(seconds)),
    compare('simulate aset-full-edge, λ = 100, closest (queries/s)', 2, simulator(600)),
  ];
  const heapMiB = longRun(longRunRows);
  return { rows, heapMiB, longRunRows, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

export function formatReplayBench(r: ReplayBenchResult): string {
  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  return [
    'replay case                                             without log      with log   change   bytes/row',
    ...r.rows.map((row) => `${row.name.padEnd(54)} ${f(row.plainPerSecond).padStart(12)} ${f(row.loggedPerSecond).padStart(13)} ${`${(100 * row.change).toFixed(1)} %`.padStart(8)} ${row.bytesPerRow.toFixed(1).padStart(11)}`),
    `heap MiB along ${f(r.longRunRows)} logged rows (each tenth): ${r.heapMiB.map((h) => h.toFixed(1)).join(' ')}; peak RSS ${r.peakRssMiB.toFixed(1)} MiB`,
  ].join('\n');
}
