// Reference trajectories for the Python client's tests: runs an env in TypeScript with a seed and
// a deterministic action rule, and prints every reset and step as JSON for Python to replay.
//
// Usage: node dist/test/python/trajectories.js '[{"id": "CartPole-v1", "kwargs": {}, "seed": 1, "steps": 100}, …]'
// prints one { obsDim, events } per request, in order. numEnvs 0 (default): one env from make(), reset by hand after each episode end;
// numEnvs N: makeVec with N sub-envs and same-step autoreset. Optional maxEpisodeSteps.

import '../../envs/index.js';
import type { Info } from '../../src/env.js';
import { make } from '../../src/registry.js';
import { Discrete } from '../../src/spaces/discrete.js';
import type { Space } from '../../src/spaces/space.js';
import { makeVec } from '../../src/vector/make-vec.js';

interface Request {
  id: string;
  kwargs?: Record<string, unknown>;
  seed: number;
  steps: number;
  numEnvs?: number;
  maxEpisodeSteps?: number;
}

/** The action at step t: the (t·7 + 3)-th allowed one, cycling, so runs differ between steps but not between languages. */
function pick(space: Space<unknown>, info: Info, t: number, i: number): number {
  if (!(space instanceof Discrete)) throw new Error(`trajectories: only Discrete actions, got ${space}`);
  const mask = info.actionMask as Uint8Array | undefined;
  const allowed: number[] = [];
  for (let a = 0; a < space.n; a++) if (mask === undefined || mask[a] === 1) allowed.push(a);
  return allowed[(t * 7 + 3 + i * 5) % allowed.length] + space.start;
}

const list = (x: ArrayLike<number> | undefined): number[] | null => (x === undefined ? null : Array.from(x));

function single(r: Request): unknown[] {
  const env = make(r.id, r.kwargs ?? {}, r.maxEpisodeSteps === undefined ? {} : { maxEpisodeSteps: r.maxEpisodeSteps });
  const events: unknown[] = [];
  let reset = env.reset({ seed: r.seed });
  events.push({ kind: 'reset', seed: r.seed, observation: list(reset.observation as Float32Array), mask: list(reset.info.actionMask as Uint8Array | undefined) });
  let info = reset.info;
  for (let t = 0; t < r.steps; t++) {
    const action = pick(env.actionSpace, info, t, 0);
    const s = env.step(action);
    events.push({ kind: 'step', action, observation: list(s.observation as Float32Array), reward: s.reward, terminated: s.terminated, truncated: s.truncated, mask: list(s.info.actionMask as Uint8Array | undefined) });
    info = s.info;
    if (s.terminated || s.truncated) {
      reset = env.reset();
      events.push({ kind: 'reset', seed: null, observation: list(reset.observation as Float32Array), mask: list(reset.info.actionMask as Uint8Array | undefined) });
      info = reset.info;
    }
  }
  env.close();
  return events;
}

function vector(r: Request, n: number): unknown[] {
  const env = makeVec(r.id, { numEnvs: n, kwargs: r.kwargs ?? {}, makeOptions: r.maxEpisodeSteps === undefined ? undefined : { maxEpisodeSteps: r.maxEpisodeSteps } });
  const masks = (infos: readonly Info[]): number[][] | null => (infos[0]?.actionMask === undefined ? null : infos.map((i) => Array.from(i.actionMask as Uint8Array)));
  const events: unknown[] = [];
  const reset = env.reset({ seed: r.seed });
  events.push({ kind: 'reset', seed: r.seed, observations: Array.from(reset.observations), masks: masks(reset.infos) });
  let infos = reset.infos;
  for (let t = 0; t < r.steps; t++) {
    const actions = Array.from({ length: n }, (_, i) => pick(env.singleActionSpace, infos[i], t, i));
    const s = env.step(actions);
    const finals: Record<number, number[]> = {};
    for (let i = 0; i < n; i++) if (s.terminations[i] || s.truncations[i]) finals[i] = Array.from(s.finalObservations!.subarray(i * env.obsDim, (i + 1) * env.obsDim));
    events.push({ kind: 'step', actions, observations: Array.from(s.observations), rewards: Array.from(s.rewards), terminations: Array.from(s.terminations), truncations: Array.from(s.truncations), finals, masks: masks(s.infos) });
    infos = s.infos;
  }
  env.close();
  return events;
}

const requests = JSON.parse(process.argv[2] ?? '[]') as Request[];
const results = requests.map((r) => {
  const n = r.numEnvs ?? 0;
  return { obsDim: make(r.id, r.kwargs ?? {}).observationSpace.flatDim, events: n > 0 ? vector(r, n) : single(r) };
});
// JSON has no −0; rewards of −(0) are −0, and the bridge carries them, so the reference must too.
process.stdout.write(JSON.stringify(results, (_key, value: unknown) => (Object.is(value, -0) ? '-0' : value)));
