// `edgegym speed --only checkpoint`: what a checkpoint costs (ms and bytes) for the default 64-64
// network and a 256-256 one, and PPO's training rate with a checkpoint every update, every 10, or
// none (written in the background as `edgegym train` does). Figures for notes, never asserted in tests.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../envs/index.js';
import { selectBackend } from '../agents/backend.js';
import type { CheckpointMeta } from '../agents/checkpoint.js';
import { checkpointDir, pruneCheckpoints, writeFolderAtomicallyAsync } from '../agents/checkpoint-folder.js';
import { checkpointFiles, saveCheckpoint } from '../agents/checkpoint-save.js';
import { PPOTrainer } from '../agents/ppo.js';
import { makeVec } from '../src/vector/make-vec.js';

export interface CheckpointCostRow {
  hidden: number[];
  parameters: number;
  /** Median and slowest of the saves timed. */
  medianMs: number;
  maxMs: number;
  bytes: number;
}

export interface CheckpointRateRow {
  /** Updates between checkpoints; 0: none. */
  every: number;
  stepsPerSecond: number;
  /** Relative to no checkpoints. */
  slowdown: number;
}

export interface CheckpointBench {
  backend: string;
  cost: CheckpointCostRow[];
  rate: CheckpointRateRow[];
}

/** Measures in a temporary folder under the OS's, removed afterwards. */
export async function runCheckpointBench(options: { saves?: number; updates?: number; rounds?: number } = {}): Promise<CheckpointBench> {
  const backend = await selectBackend('auto');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-checkpoint-bench-'));
  try {
    const cost = [[64, 64], [256, 256]].map((hidden) => checkpointCost(root, hidden, options.saves ?? 20, backend.name));
    // Rounds alternate the three settings and keep each one's best, so a JIT warm-up or a busy
    // neighbour on a shared machine does not land on one setting only.
    const best = new Map<number, number>();
    await trainingRate(root, 0, 5, backend.name);
    for (let round = 0; round < (options.rounds ?? 2); round++) {
      for (const every of [0, 10, 1]) best.set(every, Math.max(best.get(every) ?? 0, await trainingRate(root, every, options.updates ?? 30, backend.name)));
    }
    const none = best.get(0) as number;
    const rate = [0, 10, 1].map((every) => ({ every, stepsPerSecond: best.get(every) as number, slowdown: 1 - (best.get(every) as number) / none }));
    return { backend: backend.name, cost, rate };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function setup(hidden: number[], backend: string): { trainer: PPOTrainer; meta: CheckpointMeta } {
  const env = makeVec('CartPole-v1', { numEnvs: 4 });
  const trainer = new PPOTrainer(env, { totalTimesteps: 10_000_000, seed: 1, hidden, normObs: true });
  return { trainer, meta: { envId: 'CartPole-v1', observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, backend } };
}

function checkpointCost(root: string, hidden: number[], saves: number, backend: string): CheckpointCostRow {
  const { trainer, meta } = setup(hidden, backend);
  trainer.update();
  const run = path.join(root, `cost-${hidden.join('x')}`);
  const times: number[] = [];
  for (let i = 0; i < saves + 2; i++) {
    const t0 = performance.now();
    saveCheckpoint(checkpointDir(run, i), trainer.state(), meta);
    pruneCheckpoints(run, 3);
    if (i >= 2) times.push(performance.now() - t0); // the first two warm the JIT and the file system up
  }
  const newest = checkpointDir(run, saves + 1);
  const bytes = fs.readdirSync(newest).reduce((n, f) => n + fs.statSync(path.join(newest, f)).size, 0);
  times.sort((a, b) => a - b);
  return { hidden, parameters: trainer.state().params.length, medianMs: times[Math.floor(times.length / 2)], maxMs: times[times.length - 1], bytes };
}

/** Env steps per second over `updates` updates after the first, checkpointing as `edgegym train --checkpoint-every` does. */
async function trainingRate(root: string, every: number, updates: number, backend: string): Promise<number> {
  const { trainer, meta } = setup([64, 64], backend);
  const run = path.join(root, `rate-${every}`);
  trainer.update();
  const t0 = performance.now();
  let steps = 0;
  let pending = Promise.resolve();
  for (let i = 0; i < updates; i++) {
    const s = trainer.update();
    steps += 512;
    if (every > 0 && s.iteration % every === 0) {
      await pending;
      pending = writeFolderAtomicallyAsync(checkpointDir(run, s.globalStep), checkpointFiles(trainer.state(), meta)).then(() => pruneCheckpoints(run, 3));
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await pending;
  return steps / ((performance.now() - t0) / 1000);
}

export function formatCheckpointBench(b: CheckpointBench): string {
  const lines = [`Checkpoints (PPO on CartPole-v1, ${b.backend}; atomic: temporary folder, fsync, rename)`];
  for (const c of b.cost) lines.push(`  ${c.hidden.join('-').padEnd(8)} ${c.parameters.toLocaleString('en-US').padStart(8)} params  ${c.medianMs.toFixed(1).padStart(6)} ms median (max ${c.maxMs.toFixed(1)})  ${c.bytes.toLocaleString('en-US').padStart(10)} bytes`);
  for (const r of b.rate) lines.push(`  training, ${r.every === 0 ? 'no checkpoints  ' : `every ${String(r.every).padEnd(2)} updates `} ${Math.round(r.stepsPerSecond).toLocaleString('en-US').padStart(7)} steps/s${r.every === 0 ? '' : `  (${(100 * r.slowdown).toFixed(1)} % slower)`}`);
  return lines.join('\n');
}
