// `npm run bench` (`edgegym speed`), edge envs: steps/s of each edge env under a uniformly random valid policy,
// one env and a synchronous vector of 16 (PolicySelect-v0 also on worker threads, as it trains:
// 2 envs on 2 threads, and 4 on the default count, one fewer than the cores), plus the simulated
// queries/s inside PolicySelect-v0's windows, also with least-impedance chosen every window, as a
// trained agent nearly does. Figures for notes, never asserted in tests.
//
// PolicySelect-v0 starts each episode with an empty system: streams pile up over the first
// minute or two (they last 30–40 s on average), and those windows cost a fraction of a loaded
// one. The clock therefore starts after WARMUP steps, so that every row, one env or sixteen,
// measures the loaded system that most of an episode (and of training) runs in.

import '../envs/index.js';
import type { Info } from '../src/env.js';
import { make, registry } from '../src/registry.js';
import { Rng } from '../src/rng.js';
import { Discrete } from '../src/spaces/discrete.js';
import type { Space } from '../src/spaces/space.js';
import { AsyncVectorEnv } from '../src/vector/async-vector-env.js';
import { STATIC_POLICIES } from '../envs/edge/aset/policies.js';
import { makeVec, type VectorizationMode } from '../src/vector/make-vec.js';

export interface EdgeBenchRow {
  name: string;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  /** PolicySelect-v0: simulated queries finished per wall-clock second. */
  queriesPerSecond?: number;
}

/** A uniformly random allowed action for an n-way Discrete space. */
export function randomAllowed(rng: Rng, n: number, info: Info): number {
  const mask = info.actionMask;
  if (!(mask instanceof Uint8Array)) return rng.int(n);
  let allowed = 0;
  for (let a = 0; a < n; a++) allowed += mask[a];
  let k = rng.int(Math.max(1, allowed));
  for (let a = 0; a < n; a++) if (mask[a] === 1 && k-- === 0) return a;
  return 0;
}

/** Steps taken before the clock starts, by env: 24 windows of 5 s bring PolicySelect-v0 to 95 % of its steady load. */
const WARMUP: Readonly<Record<string, number>> = { 'EdgeSched/PolicySelect-v0': 24 };

function actionCount(id: string, space: Space<unknown>): number {
  if (!(space instanceof Discrete)) throw new TypeError(`edge bench: ${id} has ${String(space)}, expected a Discrete action space`);
  return space.n;
}

/** Picks a step's action from the last info; the bench's default draws a random allowed one. */
type ActionPicker = (rng: Rng, n: number, info: Info) => number;

/**
 * PolicySelect-v0's action for least-impedance (its default policies are every static policy,
 * in STATIC_POLICIES' order). A trained agent picks it ~95 % of the time, and the state it leaves
 * (streams spread over many instances) is what training simulates, not a random mix's.
 */
const LEAST_IMPEDANCE = Object.keys(STATIC_POLICIES).indexOf('least-impedance');

function benchSingle(id: string, seconds: number, pick: ActionPicker = randomAllowed, label = ''): EdgeBenchRow {
  const env = make(id);
  const n = actionCount(id, env.actionSpace);
  const rng = new Rng(0, 'bench');
  let { info } = env.reset({ seed: 0 });
  /** One step (a reset after an episode's end); returns the window's queries, 0 where none are reported. */
  const step = (): number => {
    const r = env.step(pick(rng, n, info));
    info = r.terminated || r.truncated ? env.reset().info : r.info;
    return typeof r.info.queries === 'number' ? r.info.queries : 0;
  };
  for (let k = 0; k < (WARMUP[id] ?? 0); k++) step();
  let steps = 0;
  let queries = 0;
  const start = performance.now();
  const stop = start + seconds * 1000;
  let now = start;
  while (now < stop) {
    for (let k = 0; k < 64; k++, steps++) queries += step();
    now = performance.now();
  }
  env.close();
  const s = (now - start) / 1000;
  return { name: `${id}, 1 env${label}`, steps, seconds: s, stepsPerSecond: steps / s, ...(queries > 0 ? { queriesPerSecond: queries / s } : {}) };
}

function benchVector(id: string, numEnvs: number, seconds: number, mode: VectorizationMode = 'sync', numWorkers?: number): EdgeBenchRow {
  const vec = makeVec(id, { numEnvs, vectorizationMode: mode, numWorkers });
  const threads = vec instanceof AsyncVectorEnv ? `, ${vec.numWorkers} worker${vec.numWorkers === 1 ? '' : 's'}` : '';
  const n = actionCount(id, vec.singleActionSpace);
  const rng = new Rng(0, 'bench');
  let { infos } = vec.reset({ seed: 0 });
  const actions = new Int32Array(numEnvs);
  const step = (): void => {
    for (let i = 0; i < numEnvs; i++) actions[i] = randomAllowed(rng, n, infos[i]);
    ({ infos } = vec.step(actions));
  };
  for (let k = 0; k < (WARMUP[id] ?? 0); k++) step();
  let steps = 0;
  const start = performance.now();
  const stop = start + seconds * 1000;
  let now = start;
  while (now < stop) {
    for (let k = 0; k < 8; k++, steps += numEnvs) step();
    now = performance.now();
  }
  vec.close();
  const s = (now - start) / 1000;
  return { name: `${id}, vector of ${numEnvs} (${mode}${threads})`, steps, seconds: s, stepsPerSecond: steps / s };
}

/** Every registered EdgeSched env (or those whose id contains `filter`), single and vector of 16. */
export function runEdgeBench(seconds = 2, filter = ''): EdgeBenchRow[] {
  const ids = [...registry.keys()].filter((id) => id.startsWith('EdgeSched/') && id.includes(filter)).sort();
  const policySelect = (id: string): EdgeBenchRow[] =>
    id === 'EdgeSched/PolicySelect-v0'
      ? [benchSingle(id, seconds, () => LEAST_IMPEDANCE, ', always least-impedance'), benchVector(id, 2, seconds, 'async', 2), benchVector(id, 4, seconds, 'async')]
      : [];
  return ids.flatMap((id) => [benchSingle(id, seconds), benchVector(id, 16, seconds), ...policySelect(id)]);
}

export function formatEdgeBench(rows: EdgeBenchRow[]): string {
  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  const width = Math.max(50, ...rows.map((r) => r.name.length));
  return [
    `${'edge env case (random valid actions)'.padEnd(width)}       steps   seconds       steps/s   sim queries/s`,
    ...rows.map((r) => `${r.name.padEnd(width)} ${f(r.steps).padStart(11)} ${r.seconds.toFixed(2).padStart(9)} ${f(r.stepsPerSecond).padStart(13)} ${r.queriesPerSecond === undefined ? '' : f(r.queriesPerSecond).padStart(15)}`),
  ].join('\n');
}
