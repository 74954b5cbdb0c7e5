// Vector envs: the same-step autoreset rule on an env whose episode lengths are known, sync and
// async agreeing bit for bit, CartPole's native vector agreeing with both, sub-env set-ups where
// the sub-envs live, and the errors.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import '../../envs/index.js';
import '../fixtures/counting-env.js';
import { Discrete } from '../../src/spaces/discrete.js';
import { AsyncVectorEnv } from '../../src/vector/async-vector-env.js';
import { makeVec } from '../../src/vector/make-vec.js';
import type { VectorEnv, VectorStepResult } from '../../src/vector/vector-env.js';
import { noteSliceSetup } from '../fixtures/sub-env-setup.js';

const opened: VectorEnv[] = [];
function vec(...args: Parameters<typeof makeVec>): VectorEnv {
  const env = makeVec(...args);
  opened.push(env);
  return env;
}
after(() => opened.forEach((e) => e.close()));

/** Steps `env` `steps` times with action 0 for every sub-env and keeps each result. */
function run(env: VectorEnv, steps: number): VectorStepResult[] {
  const actions = new Int32Array(env.numEnvs);
  return Array.from({ length: steps }, () => env.step(actions));
}

describe('same-step autoreset', () => {
  // Seed 0 gives sub-env i phase i, so with lengths [2, 3, 5] the episodes last:
  //   sub-env 0: 2, 3, 5 → ends after steps 2, 5, 10
  //   sub-env 1: 3, 5, 2 → ends after steps 3, 8, 10
  //   sub-env 2: 5, 2, 3 → ends after steps 5, 7, 10
  const expectedEnds = [[2, 5, 10], [3, 8, 10], [5, 7, 10]];

  for (const mode of ['sync', 'async'] as const) {
    test(`${mode}: episodes end, reset and report exactly when the lengths say`, () => {
      const env = vec('Test/Counting-v0', { numEnvs: 3, vectorizationMode: mode, numWorkers: 2 });
      const first = env.reset({ seed: 0 });
      assert.deepEqual(Array.from(first.observations), [0, 0, 0, 0, 0, 0]);
      assert.deepEqual(first.infos, [0, 1, 2].map((i) => ({ episode: 0, resetSeed: i })));
      const results = run(env, 10);
      for (let i = 0; i < 3; i++) {
        const ends = results.flatMap((r, t) => (r.terminations[i] === 1 ? [t + 1] : []));
        assert.deepEqual(ends, expectedEnds[i], `sub-env ${i}`);
      }
      // Sub-env 0 finishes its first episode (length 2) at step 2.
      const step2 = results[1];
      assert.ok(step2.finalObservations !== null && step2.finalInfos !== null);
      assert.deepEqual(Array.from(step2.finalObservations.subarray(0, 2)), [0, 2], 'last observation of episode 0');
      assert.deepEqual(Array.from(step2.observations.subarray(0, 2)), [1, 0], 'first observation of episode 1');
      assert.deepEqual(step2.finalInfos[0], { step: 2 });
      assert.equal(step2.finalInfos[1], null);
      assert.deepEqual(step2.infos[0], { episode: 1, resetSeed: null }, 'the reset info replaces the step info');
      assert.deepEqual(step2.infos[1], { step: 2 });
      assert.equal(step2.rewards[0], 2);
      // A step where nothing finishes carries no final arrays.
      assert.equal(results[0].finalObservations, null);
      assert.equal(results[0].finalInfos, null);
    });
  }

  test('truncation by the time limit sets truncations, not terminations', () => {
    const env = vec('Test/Counting-v0', { numEnvs: 2, kwargs: { lengths: [5] }, makeOptions: { maxEpisodeSteps: 4 } });
    env.reset({ seed: 7 });
    const results = run(env, 4);
    assert.deepEqual(Array.from(results[3].truncations), [1, 1]);
    assert.deepEqual(Array.from(results[3].terminations), [0, 0]);
    assert.deepEqual(Array.from(results[3].finalObservations ?? []), [0, 4, 0, 4]);
    assert.deepEqual(Array.from(results[3].observations), [1, 0, 1, 0]);
  });
});

describe('AsyncVectorEnv', () => {
  test('agrees with SyncVectorEnv bit for bit, infos included', () => {
    const actionsFor = (t: number, n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => (t + i) % 2);
    const outputs = (['sync', 'async'] as const).map((mode) => {
      const env = vec('Test/Counting-v0', { numEnvs: 5, vectorizationMode: mode, numWorkers: 2 });
      const out: unknown[] = [env.reset({ seed: 11 })];
      for (let t = 0; t < 20; t++) out.push(env.step(actionsFor(t, 5)));
      return out;
    });
    assert.deepEqual(outputs[1], outputs[0]);
  });

  test('stepAsync then stepWait is a step; a second stepAsync first is an error', () => {
    const env = new AsyncVectorEnv({ id: 'Test/Counting-v0', numEnvs: 2, numWorkers: 2 });
    opened.push(env);
    env.reset({ seed: 0 });
    env.stepAsync(new Int32Array(2));
    assert.throws(() => env.stepAsync(new Int32Array(2)), /previous step has not been collected/);
    const result = env.stepWait();
    assert.deepEqual(Array.from(result.rewards), [1, 1]);
    assert.throws(() => env.stepWait(), /no step in flight/);
  });

  test('an error inside a worker reaches the caller with the sub-env index', () => {
    const env = vec('Test/Counting-v0', { numEnvs: 4, vectorizationMode: 'async', numWorkers: 2 });
    env.reset({ seed: 0 });
    assert.throws(() => env.step(Int32Array.of(0, 0, 0, 2)), /sub-env 3 step: action 2 is forbidden by the fixture/);
  });

  test('an env registered without a module cannot go to workers, and says why', () => {
    assert.throws(
      () => new AsyncVectorEnv({ id: 'Test/CountingNoModule-v0', numEnvs: 2 }),
      /registered without `module`.*SyncVectorEnv/,
    );
  });

  test('close is idempotent and a closed env refuses to step', () => {
    const env = new AsyncVectorEnv({ id: 'Test/Counting-v0', numEnvs: 2, numWorkers: 1 });
    env.reset({ seed: 0 });
    env.close();
    env.close();
    assert.throws(() => env.step(new Int32Array(2)), /closed/);
  });
});

describe('batched spaces and actions', () => {
  test('observations are one Float32Array; actions one typed array per batch', () => {
    const env = vec('CartPole-v1', { numEnvs: 3, vectorizationMode: 'sync' });
    assert.deepEqual(env.observationSpace.shape, [3, 4]);
    assert.equal(env.obsDim, 4);
    assert.equal(env.actionWidth, 1);
    assert.ok(env.singleActionSpace instanceof Discrete);
    env.actionSpace.seed(1);
    const actions = env.actionSpace.sample();
    assert.ok(actions instanceof Int32Array && actions.length === 3);
    const { observations } = env.reset({ seed: 1 });
    assert.ok(observations instanceof Float32Array && observations.length === 12);
    assert.ok(env.observationSpace.contains(observations));
  });

  test('a wrong number of actions is a RangeError that says what was expected', () => {
    const env = vec('CartPole-v1', { numEnvs: 3, vectorizationMode: 'sync' });
    env.reset({ seed: 0 });
    assert.throws(() => env.step(new Int32Array(2)), /got 2 action values, expected 3 envs × 1 = 3/);
  });

  test('seeds: one number gives seed + i; a list gives each its own', () => {
    const a = vec('CartPole-v1', { numEnvs: 3, vectorizationMode: 'sync' }).reset({ seed: 5 }).observations;
    const b = vec('CartPole-v1', { numEnvs: 3, vectorizationMode: 'sync' }).reset({ seed: [5, 6, 7] }).observations;
    assert.deepEqual(a, b);
    assert.throws(() => vec('CartPole-v1', { numEnvs: 3 }).reset({ seed: [1, 2] }), /got 2 seeds for 3 envs/);
  });
});

describe('stepping into caller-owned buffers', () => {
  for (const mode of ['vector-entry-point', 'sync', 'async'] as const) {
    test(`${mode}: step(actions, out) gives the values a fresh step gives, in out's arrays`, () => {
      const fresh = vec('CartPole-v1', { numEnvs: 4, vectorizationMode: mode, numWorkers: 2 });
      const reused = vec('CartPole-v1', { numEnvs: 4, vectorizationMode: mode, numWorkers: 2 });
      fresh.reset({ seed: 5 });
      reused.reset({ seed: 5 });
      const out = reused.createStepBuffers();
      for (let t = 0; t < 60; t++) {
        const actions = Int32Array.from({ length: 4 }, (_, i) => (t * 3 + i) % 2);
        const a = fresh.step(actions);
        const b = reused.step(actions, out);
        assert.equal(b.observations, out.observations);
        assert.deepEqual(b.observations, a.observations);
        assert.deepEqual(b.rewards, a.rewards);
        assert.deepEqual(b.terminations, a.terminations);
        assert.deepEqual(b.truncations, a.truncations);
        assert.equal(b.finalObservations === null, a.finalObservations === null, `step ${t}`);
        for (let i = 0; i < 4; i++) {
          if (a.terminations[i] || a.truncations[i]) assert.deepEqual(b.finalObservations?.subarray(i * 4, i * 4 + 4), a.finalObservations?.subarray(i * 4, i * 4 + 4));
        }
      }
    });
  }

  test('buffers of the wrong size are refused', () => {
    const env = vec('CartPole-v1', { numEnvs: 4 });
    env.reset({ seed: 0 });
    const small = vec('CartPole-v1', { numEnvs: 3 }).createStepBuffers();
    assert.throws(() => env.step(new Int32Array(4), small), /do not fit 4 envs × 4 observation values/);
  });
});

describe('CartPole-v1 vectorised three ways', () => {
  test('native vector, sync and async give the same 64-wide trajectories for 1,000 steps', () => {
    const n = 64;
    const traces = (['vector-entry-point', 'sync', 'async'] as const).map((mode) => {
      const env = vec('CartPole-v1', { numEnvs: n, vectorizationMode: mode, numWorkers: 2 });
      env.actionSpace.seed(99);
      const hash = { obs: 0, rewards: 0, ends: 0, finals: 0 };
      const mix = (h: number, v: number): number => (Math.imul(h, 31) + Math.round(v * 1e7)) | 0;
      for (const v of env.reset({ seed: 1000 }).observations) hash.obs = mix(hash.obs, v);
      for (let t = 0; t < 1000; t++) {
        const r = env.step(env.actionSpace.sample());
        for (const v of r.observations) hash.obs = mix(hash.obs, v);
        for (let i = 0; i < n; i++) {
          hash.rewards += r.rewards[i];
          hash.ends = mix(hash.ends, r.terminations[i] * 2 + r.truncations[i]);
          if (r.finalObservations !== null && (r.terminations[i] || r.truncations[i])) hash.finals = mix(hash.finals, r.finalObservations[i * 4 + 2]);
        }
      }
      return hash;
    });
    assert.deepEqual(traces[1], traces[0], 'sync vs native');
    assert.deepEqual(traces[2], traces[0], 'async vs native');
    assert.equal(traces[0].rewards, 64_000, 'one reward per step per cart');
  });

  test('native vector truncates at 500 steps when a controller keeps the pole up', () => {
    const env = vec('CartPole-v1', { numEnvs: 2 });
    let { observations: obs } = env.reset({ seed: 0, options: { state: [0, 0, 0, 0] } });
    // A linear controller on (θ, θ̇, x, ẋ) balances the pole from rest for the whole episode.
    const push = (i: number): number => (obs[i * 4 + 2] + 0.3 * obs[i * 4 + 3] + 0.01 * obs[i * 4] + 0.1 * obs[i * 4 + 1] > 0 ? 1 : 0);
    for (let t = 1; t <= 500; t++) {
      const result = env.step(Int32Array.of(push(0), push(1)));
      obs = result.observations;
      assert.deepEqual(Array.from(result.terminations), [0, 0], `no failure at step ${t}`);
      assert.deepEqual(Array.from(result.truncations), t === 500 ? [1, 1] : [0, 0], `truncation only at step 500 (step ${t})`);
    }
  });

  test('native vector honours a step-limit override', () => {
    const env = vec('CartPole-v1', { numEnvs: 1, makeOptions: { maxEpisodeSteps: 3 } });
    env.reset({ seed: 0, options: { state: [0, 0, 0, 0] } });
    const ends = [0, 1, 0].map((a) => env.step(Int32Array.of(a)).truncations[0]);
    assert.deepEqual(ends, [0, 0, 1]);
  });
});

describe('sub-env set-up', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tempDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgegym-setup-'));
    dirs.push(dir);
    return dir;
  };
  const notes = (dir: string): Record<string, string> => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

  test('sync: runs once in this thread on every sub-env, closed after them with the vector', () => {
    const dir = tempDir();
    const env = makeVec('Test/Counting-v0', { numEnvs: 3, vectorizationMode: 'sync', setup: noteSliceSetup(dir) });
    assert.deepEqual(notes(dir), { 'setup-main-0-3': 'Test/Counting-v0,Test/Counting-v0,Test/Counting-v0\n' });
    env.close();
    assert.deepEqual(notes(dir), { 'setup-main-0-3': 'Test/Counting-v0,Test/Counting-v0,Test/Counting-v0\nclosed\n' });
  });

  test('async: runs in each worker on its slice, loaded by module and export name, closed with the vector', () => {
    const dir = tempDir();
    const env = makeVec('Test/Counting-v0', { numEnvs: 3, vectorizationMode: 'async', numWorkers: 2, setup: noteSliceSetup(dir) });
    assert.deepEqual(Object.keys(notes(dir)), ['setup-0-0-2', 'setup-1-2-1'], 'worker 0 holds sub-envs 0–1, worker 1 sub-env 2');
    env.close();
    assert.ok(Object.values(notes(dir)).every((text) => text.endsWith('closed\n')), JSON.stringify(notes(dir)));
  });

  test('a worker that cannot find the set-up says which module and export, and nothing is left running', () => {
    const dir = tempDir();
    assert.throws(
      () => makeVec('Test/Counting-v0', { numEnvs: 2, vectorizationMode: 'async', numWorkers: 1, setup: noteSliceSetup(dir, 'noSuchExport') }),
      (err: Error) => /sub-env set-up: .*sub-env-setup\.js has no exported function "noSuchExport"/.test(err.message),
    );
  });

  test("a native vector has no sub-envs to set up: refused with what to use instead", () => {
    assert.throws(() => makeVec('CartPole-v1', { numEnvs: 2, setup: noteSliceSetup(tempDir()) }), /use vectorizationMode 'sync' or 'async', not 'vector-entry-point'/);
  });
});
