// `edgegym speed --only train`: PPO training throughput on CartPole-v1 with CleanRL's settings
// (4 envs × 128 steps, 4 minibatches × 4 epochs, 64-64 tanh MLPs) on each tensor backend that
// loads here, rollouts and updates together. Figures for notes, never asserted in tests.

import * as tf from '@tensorflow/tfjs';
import '../envs/index.js';
import { AUTO_ORDER, type BackendName, loadBackendPackage } from '../agents/backend.js';
import { trainPPO } from '../agents/ppo.js';
import { makeVec } from '../src/vector/make-vec.js';

/** One backend's measurement. */
export interface TrainBenchRow {
  backend: BackendName;
  /** Null when the backend could not load (see `error`). */
  stepsPerSecond: number | null;
  /** Env steps timed (the first update, which warms kernels up, is left out). */
  steps: number;
  seconds: number;
  error?: string;
}

export interface TrainBenchOptions {
  /** Backends to measure (default: every one in auto's order). */
  backends?: readonly BackendName[];
  /** Env steps per backend, wasm and faster (default 40960: 80 updates, so the JIT has settled). */
  steps?: number;
  /** Env steps for the pure-JS cpu backend, which is ~8× slower (default 4096). */
  cpuSteps?: number;
}

/**
 * Measures each backend in turn in this process (tfjs switches between registered backends),
 * then restores the backend that was current. Backends whose package is not installed are
 * reported with the reason.
 */
export async function runTrainBench(options: TrainBenchOptions = {}): Promise<TrainBenchRow[]> {
  const previous = tf.getBackend();
  const rows: TrainBenchRow[] = [];
  const tried = new Set<string>();
  for (const backend of options.backends ?? AUTO_ORDER) {
    try {
      await loadBackendPackage(backend);
      const tfName = backend === 'tensorflow-gpu' ? 'tensorflow' : backend;
      // tfjs-node and tfjs-node-gpu register the same backend name; measure it once.
      if (tried.has(tfName)) throw new Error(`the '${tfName}' backend was already measured under another name`);
      tried.add(tfName);
      if (!(await tf.setBackend(tfName))) throw new Error(`tfjs could not initialise the '${tfName}' backend`);
      rows.push({ backend, ...measure(backend === 'cpu' ? (options.cpuSteps ?? 4096) : (options.steps ?? 40_960)) });
    } catch (err) {
      rows.push({ backend, stepsPerSecond: null, steps: 0, seconds: 0, error: (err as Error).message.split('\n')[0] });
    }
  }
  if (previous !== undefined && previous !== null && previous !== tf.getBackend()) await tf.setBackend(previous);
  return rows;
}

function measure(totalTimesteps: number): { stepsPerSecond: number; steps: number; seconds: number } {
  const env = makeVec('CartPole-v1', { numEnvs: 4 });
  let firstStep = 0;
  let firstTime = 0;
  let lastStep = 0;
  let lastTime = 0;
  try {
    trainPPO(env, { totalTimesteps: Math.max(totalTimesteps, 2 * 512), seed: 1 }, {
      onUpdate: (s) => {
        const now = performance.now();
        if (s.iteration === 1) {
          firstStep = s.globalStep;
          firstTime = now;
        }
        lastStep = s.globalStep;
        lastTime = now;
      },
    });
  } finally {
    env.close();
  }
  const seconds = (lastTime - firstTime) / 1000;
  return { stepsPerSecond: (lastStep - firstStep) / seconds, steps: lastStep - firstStep, seconds };
}

/** The rows as a table, with CleanRL's figure on this machine for reference. */
export function formatTrainBench(rows: readonly TrainBenchRow[]): string {
  const lines = ['PPO training on CartPole-v1, CleanRL settings (4 envs × 128 steps, 4 × 4 minibatches of 128, 64-64 tanh)'];
  for (const r of rows) {
    if (r.stepsPerSecond === null) lines.push(`  ${r.backend.padEnd(15)} ${'-'.padStart(8)}  (${r.error})`);
    else lines.push(`  ${r.backend.padEnd(15)} ${Math.round(r.stepsPerSecond).toLocaleString('en-US').padStart(8)} steps/s  (${r.steps} steps in ${r.seconds.toFixed(2)} s)`);
  }
  lines.push('  reference: CleanRL ppo.py, PyTorch CPU, ≈5,300 steps/s on the 2-core machine of issue 6');
  return lines.join('\n');
}
