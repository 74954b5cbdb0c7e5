// `edgegym speed --only bridge`: env steps/s through the Python client and `edgegym serve`
// (python/benchmarks/bridge.py) beside the same envs stepped in TypeScript. Figures, never asserted.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import '../envs/index.js';
import type { Info } from '../src/env.js';
import { make } from '../src/registry.js';
import { Rng } from '../src/rng.js';
import { Discrete } from '../src/spaces/discrete.js';
import { makeVec } from '../src/vector/make-vec.js';
import { type BenchRow, measure } from './core.js';
import { randomAllowed } from './edge.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = `${REPO}python/benchmarks/bridge.py`;
/** The Python bench's Dispatch kwargs: episodes long enough that resets do not dominate. */
const DISPATCH_KWARGS = { horizon: '10 min' };

/** A python3 that imports numpy: PATH's, then Debian's; null (with what was tried) if none. */
export function findPythonWithNumpy(candidates = ['python3', '/usr/bin/python3']): { python: string | null; tried: string[] } {
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return { python, tried };
    tried.push(`${python}: ${r.error !== undefined ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  return { python: null, tried };
}

/** One case, measured both ways. */
export interface BridgeBenchRow {
  name: string;
  typescript: number;
  bridge: number | null;
  /** Bridge steps per CPU-second of client and server together (steadier on a shared machine). */
  bridgePerCpuSecond: number | null;
}

/** A row of python/benchmarks/bridge.py's output. */
interface PythonBenchRow extends BenchRow {
  stepsPerCpuSecond: number;
}

function singleCartPole(seconds: number): BenchRow {
  const env = make('CartPole-v1');
  env.reset({ seed: 0 });
  const rng = new Rng(0, 'bench-actions');
  const pool = Int32Array.from({ length: 4096 }, () => rng.int(2));
  return measure('CartPole-v1, 1 env', seconds, 200, () => {
    for (let k = 0; k < 200; k++) {
      const r = env.step(pool[k]);
      if (r.terminated || r.truncated) env.reset();
    }
  });
}

function vectorCartPole(seconds: number): BenchRow {
  const env = makeVec('CartPole-v1', { numEnvs: 64 });
  env.reset({ seed: 0 });
  const rng = new Rng(0, 'bench-actions');
  const pool = Array.from({ length: 64 }, () => Int32Array.from({ length: 64 }, () => rng.int(2)));
  const out = env.createStepBuffers();
  return measure('CartPole-v1, vector of 64', seconds, 20 * 64, () => {
    for (let k = 0; k < 20; k++) env.step(pool[k], out);
  });
}

function singleDispatch(seconds: number): BenchRow {
  const env = make('EdgeSched/Dispatch-v0', DISPATCH_KWARGS);
  const rng = new Rng(0, 'bench-actions');
  let { info } = env.reset({ seed: 0 });
  const n = env.actionSpace instanceof Discrete ? env.actionSpace.n : 1;
  return measure('EdgeSched/Dispatch-v0, 1 env', seconds, 200, () => {
    for (let k = 0; k < 200; k++) {
      const r = env.step(randomAllowed(rng, n, info));
      info = r.terminated || r.truncated ? env.reset().info : r.info;
    }
  });
}

/** The first allowed action of each sub-env, as the Python bench picks them (argmax of the mask). */
function vectorDispatch(seconds: number): BenchRow {
  const env = makeVec('EdgeSched/Dispatch-v0', { numEnvs: 16, kwargs: DISPATCH_KWARGS });
  let infos: readonly Info[] = env.reset({ seed: 0 }).infos;
  const actions = new Int32Array(16);
  return measure('EdgeSched/Dispatch-v0, vector of 16', seconds, 20 * 16, () => {
    for (let k = 0; k < 20; k++) {
      for (let i = 0; i < 16; i++) actions[i] = Math.max(0, (infos[i].actionMask as Uint8Array).indexOf(1));
      infos = env.step(actions).infos;
    }
  });
}

/** Runs the TypeScript cases here and the bridge cases in Python; `notes` says what was left out. */
export function runBridgeBench(seconds = 2): { rows: BridgeBenchRow[]; extra: PythonBenchRow[]; notes: string[] } {
  const ts = [singleCartPole(seconds), vectorCartPole(seconds), singleDispatch(seconds), vectorDispatch(seconds)];
  const notes: string[] = [];
  let bridge: PythonBenchRow[] = [];
  const { python, tried } = findPythonWithNumpy();
  if (python === null) notes.push(`bridge figures left out: no python3 with numpy (${tried.join('; ')})`);
  else if (!existsSync(SCRIPT)) notes.push(`bridge figures left out: ${SCRIPT} is not here (the bench runs from the repository)`);
  else {
    const r = spawnSync(python, [SCRIPT, '--seconds', String(seconds), '--gymnasium'], { encoding: 'utf8', timeout: 20 * 60_000 });
    if (r.status !== 0) notes.push(`bridge figures left out: ${python} ${SCRIPT} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.trim()}`);
    else {
      bridge = JSON.parse(r.stdout) as PythonBenchRow[];
      if (r.stderr.trim() !== '') notes.push(r.stderr.trim());
    }
  }
  const rows = ts.map((t) => {
    const b = bridge.find((x) => x.name.startsWith(`${t.name} (bridge)`));
    return { name: t.name, typescript: t.stepsPerSecond, bridge: b?.stepsPerSecond ?? null, bridgePerCpuSecond: b?.stepsPerCpuSecond ?? null };
  });
  return { rows, extra: bridge.filter((b) => !b.name.includes('(bridge)')), notes };
}

/** The bridge rows as a text table. */
export function formatBridgeBench(result: ReturnType<typeof runBridgeBench>): string {
  const f = (x: number | null): string => (x === null ? '-' : Math.round(x).toLocaleString('en-US'));
  return [
    'bridge case (steps/s)                        TypeScript   via Python bridge   per CPU-second (client + server)',
    ...result.rows.map((r) => `${r.name.padEnd(40)} ${f(r.typescript).padStart(14)} ${f(r.bridge).padStart(19)} ${f(r.bridgePerCpuSecond).padStart(34)}`),
    ...result.extra.map((r) => `${r.name.padEnd(40)} ${'-'.padStart(14)} ${f(r.stepsPerSecond).padStart(19)} ${f(r.stepsPerCpuSecond).padStart(34)}`),
    ...result.notes,
  ].join('\n');
}
